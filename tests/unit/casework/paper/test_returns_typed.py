"""Paper coming back by a typed reference (casework.paper.returns.match with
``typed_reference``): pages scanned cropped through their QR codes are taken as
the typed copy's, on the page numbers the readable pages left free; a typed
reference that fails its check digits, is another office's, was never printed
here or names another copy than the scans do is refused, and nothing matched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from casework.kernel.records import Actor
from casework.paper.models import PaperCopy
from casework.paper.reference import NO_OFFICE, copy_reference, random_code
from casework.paper.returns.match import Matching, TypedReferenceRefused, match_pages
from casework.paper.returns.scan import ScannedPage, read_scan
from tests import paper_scans as ps
from tests.unit.casework.paper.test_returns_receive import SERVICE, _copy, _office, _receive
from tests.unit.conftest import WriteSession


def _pages(tmp_path: Path, reference: str, cut: tuple[int, ...], keep: int = 6) -> list[Path]:
    """The copy's first ``keep`` pages scanned in order, pages ``cut`` cropped
    through their QR codes, one file a page."""
    pdf = ps.render(SERVICE, reference)
    files = []
    for number, image in enumerate(ps.rasterise(pdf, dpi=110)[:keep], start=1):
        page = ps.imperfect(image, seed=number)
        if number in cut:
            page = ps.cropped_through_qr(page)
        files.append(ps.write([page], tmp_path / f"page-{number}.png"))
    return files


def _match(write: WriteSession, actor: Actor, files: list[Path], typed: str | None) -> Matching:
    pages: list[ScannedPage] = [page for file in files for page in read_scan(file)]
    with write() as session:
        return match_pages(session, actor, ps.catalogue(), pages, typed)


def test_pages_cut_through_the_code_are_placed_by_the_typed_reference(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    files = _pages(tmp_path, reference, cut=(2, 5))
    refused = _match(write, amira, files, None)
    assert refused.problems[-1] == "Nothing from page-2.png, page-5.png was attached."
    assert refused.copies[0].missing == (2, 5) and not refused.copies[0].placed
    typed = reference.lower().replace("-", " ")  # as a worker might type it
    matching = _match(write, amira, files, typed)
    assert matching.problems == [] and matching.held_back == []
    (copy,) = matching.copies
    assert copy.placed == {2, 5}
    assert [page.file.name for page in copy.in_order()] == [f"page-{n}.png" for n in range(1, 7)]
    received = _receive(write, amira, matching)
    assert (received.found, received.missing, received.placed) == ((1, 2, 3, 4, 5, 6), (), (2, 5))


def test_placed_pages_come_after_the_numbered_ones_in_scan_order(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    files = _pages(tmp_path, reference, cut=(1, 2), keep=4)
    matching = _match(write, amira, [files[3], files[1], files[2], files[0]], reference)
    (copy,) = matching.copies
    # pages 3 and 4 read; the two cut ones, page-2 scanned first, fill 1 and 2
    assert {n: page.file.name for n, page in copy.found.items()} == {
        1: "page-2.png",
        2: "page-1.png",
        3: "page-3.png",
        4: "page-4.png",
    }
    assert copy.placed == {1, 2} and copy.missing == (5, 6)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mistyped", "fails its check digits: a character is wrong."),
        ("AF-RTV-12", "AF-RTV-12 is not a paper form's reference: type the line printed"),
    ],
)
def test_a_mistyped_reference_is_refused(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int, typed: str, message: str
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    if typed == "mistyped":  # one character wrong: the check digits catch it
        serial = reference.split("-")[5]
        wrong = "Z" if serial[0] != "Z" else "Y"
        typed = reference.replace(f"-{serial}-", f"-{wrong}{serial[1:]}-")
    files = _pages(tmp_path, reference, cut=(1,), keep=1)
    with pytest.raises(TypedReferenceRefused, match=message):
        _match(write, amira, files, typed)


def test_another_offices_copy_one_never_printed_or_an_unknown_service_is_refused(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    files = _pages(tmp_path, reference, cut=(1,), keep=1)
    version = ps.service(SERVICE).version
    elsewhere = copy_reference(SERVICE, version, "en", "ZZ99", "4D7KQ2")
    with pytest.raises(TypedReferenceRefused, match="printed by another office"):
        _match(write, amira, files, elsewhere)
    never = copy_reference(SERVICE, version, "en", _office(write), "4D7KQ2")
    with pytest.raises(TypedReferenceRefused, match="no record of printing"):
        _match(write, amira, files, never)
    unknown = copy_reference("no-such-service", version, "en", NO_OFFICE, "4D7KQ2")
    with pytest.raises(TypedReferenceRefused, match="a service this profile does not have"):
        _match(write, amira, files, unknown)


def test_a_typed_reference_naming_another_copy_than_the_scans_is_refused(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    _copy_id, other = _copy(write, case_id=case_id)
    files = _pages(tmp_path, reference, cut=(2,), keep=2)
    with pytest.raises(TypedReferenceRefused) as refused:
        _match(write, amira, files, other)
    assert refused.value.message == (
        f"Page 1 of page-1.png is from copy {reference}, not {other} as typed: "
        "receive each copy on its own."
    )


def test_more_pages_than_the_copy_has_are_refused(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    files = _pages(tmp_path, reference, cut=(2,))
    text = ps.rasterise(ps.render(SERVICE, reference), 110, pages=[3])[0]
    extra = ps.write([ps.cropped_through_qr(text)], tmp_path / "again.png")
    with pytest.raises(
        TypedReferenceRefused,
        match=r"The scans hold more pages than AF-RTV-.* has \(6\): scan only",
    ):
        _match(write, amira, [*files, extra], reference)


def test_a_blank_printed_with_no_profile_is_as_long_as_its_pages(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    version = ps.service(SERVICE).version
    reference = copy_reference(SERVICE, version, "en", NO_OFFICE, random_code(6))
    files = _pages(tmp_path, reference, cut=(1, 2, 3), keep=3)
    (copy,) = _match(write, amira, files, reference).copies
    assert (copy.pages, copy.placed, copy.copy_id) == (3, {1, 2, 3}, None)
    with write() as session:
        assert session.scalar(select(PaperCopy).where(PaperCopy.reference == reference)) is None


def test_a_blank_takes_its_length_from_its_readable_pages_and_blank_backs_are_left_out(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    version = ps.service(SERVICE).version
    reference = copy_reference(SERVICE, version, "en", NO_OFFICE, random_code(6))
    first, second = _pages(tmp_path, reference, cut=(1,), keep=2)
    page = read_scan(second)[0].image
    assert page is not None
    with_back = ps.write([page, ps.blank_page()], tmp_path / "two.tiff")
    matching = _match(write, amira, [first, with_back], reference)
    (copy,) = matching.copies
    assert (copy.pages, copy.placed, copy.missing) == (6, {1}, (3, 4, 5, 6))
    assert matching.problems == []
    assert matching.notes == ["Page 2 of two.tiff is blank: it was left out."]
