"""Paper coming back (casework.paper.returns.match and .receive): real forms,
printed as copies and scanned badly, matched to their copies and received
onto their cases on a real encrypted profile; every page that can't be matched
refused in words, and nothing half-attached."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.casefile.cases import open_case
from casework.kernel.errors import AccessRefused
from casework.kernel.models import Case, Document, TimelineEvent, utcnow
from casework.kernel.nations import Nation
from casework.kernel.records import Actor
from casework.kernel.working_days import add_working_days, local_date
from casework.paper.models import PaperCopy, PaperOffice, PaperReturn
from casework.paper.reference import NO_OFFICE, check_digits, copy_reference, random_code
from casework.paper.returns import receive as receive_module
from casework.paper.returns.match import Matching, match_pages
from casework.paper.returns.receive import NotReceived, Received, receive_copy
from casework.paper.returns.scan import ScannedPage, read_scan
from tests import paper_scans as ps
from tests.unit.casework.paper.helpers import answers_for
from tests.unit.conftest import WriteSession

SERVICE = "register-to-vote"  # six pages: quick to scan


def _office(write: WriteSession) -> str:
    with write() as session:
        code = session.scalar(select(PaperOffice.code))
        assert code
        return code


def _copy(
    write: WriteSession,
    service_id: str = SERVICE,
    language: str = "en",
    case_id: int | None = None,
    office: str | None = None,
) -> tuple[int, str]:
    """A printed copy's row (as printing records one) and its reference."""
    with write() as session:
        office = office or session.scalar(select(PaperOffice.code)) or ""
        service = ps.service(service_id)
        serial = random_code(6)
        reference = copy_reference(service_id, service.version, language, office, serial)
        case = session.get(Case, case_id) if case_id else None
        row = PaperCopy(
            reference=reference,
            office=office,
            serial=serial,
            service_id=service_id,
            version=service.version,
            language=language,
            kind="draft" if case else "blank",
            pages=len(ps.rasterise(ps.render(service_id, reference, language), dpi=10)),
            case_id=case_id,
            person_id=case.person_id if case else None,
        )
        session.add(row)
        session.flush()
        return row.id, reference


def _scan_files(
    tmp_path: Path, reference: str, language: str = "en", drop: tuple[int, ...] = ()
) -> list[Path]:
    """The copy's pages, badly scanned and shuffled, half in a PDF, half in a TIFF."""
    service_id = next(
        s.id for s in ps.catalogue().services if reference.startswith(f"AF-{_code(s.id)}-")
    )
    pdf = ps.render(service_id, reference, language, answers_for(ps.service(service_id)))
    images = [
        ps.imperfect(image, seed=n)
        for n, image in enumerate(ps.rasterise(pdf, dpi=110), start=1)
        if n not in drop
    ]
    images.reverse()
    half = len(images) // 2
    return [
        ps.write(images[:half], tmp_path / f"{reference}-a.pdf"),
        ps.write(images[half:], tmp_path / f"{reference}-b.tiff"),
    ]


def _code(service_id: str) -> str:
    from casework.paper.reference import service_code

    return service_code(service_id)


def _read(files: list[Path]) -> list[ScannedPage]:
    return [page for file in files for page in read_scan(file)]


def _match(write: WriteSession, actor: Actor, pages: list[ScannedPage]) -> Matching:
    with write() as session:
        return match_pages(session, actor, ps.catalogue(), pages)


def _receive(
    write: WriteSession, actor: Actor, matching: Matching, case: str | None = None
) -> Received:
    (copy,) = matching.copies
    with write() as session:
        return receive_copy(session, actor, ps.catalogue(), copy, case)


def _count(session: Session, table: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _case_ref(write: WriteSession, case_id: int) -> str:
    with write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.reference


def test_a_prefilled_copy_comes_back_onto_its_case(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    copy_id, reference = _copy(write, case_id=case_id, language="cy")
    matching = _match(write, amira, _read(_scan_files(tmp_path, reference, "cy", drop=(4,))))
    assert matching.problems == [] and matching.held_back == []
    received = _receive(write, amira, matching)
    today = local_date(utcnow())
    due = add_working_days(today, 5, Nation.WALES)  # the person lives in Cardiff
    assert (received.found, received.pages, received.missing) == ((1, 2, 3, 5, 6), 6, (4,))
    assert received.sla_due_on == due and received.case_reference == _case_ref(write, case_id)
    with write() as session:
        row = session.get(PaperCopy, copy_id)
        assert row is not None and isinstance(row.returned_at, datetime)
        back = session.scalars(select(PaperReturn)).one()
        assert (back.copy_id, back.case_id, back.sla_due_on) == (copy_id, case_id, due)
        assert (back.pages_found, back.pages_missing) == ("1,2,3,5,6", "4")
        document = session.get(Document, back.document_id)
        assert document is not None and document.media_type == "application/pdf"
        assert document.original_name.endswith(f"{reference}.pdf")
        lines = session.scalars(
            select(TimelineEvent.summary).where(TimelineEvent.case_id == case_id)
        ).all()
    assert any(
        line.startswith("Paper form came back: Register to vote")
        and "(pages 1\u20133, 5\u20136 of 6; page 4 missing)" in line
        and f"Reply due by {due.day} " in line
        for line in lines
    ), lines


def test_the_attached_document_holds_the_pages_in_order(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    from casework.casefile.documents import read_document
    from casework.paper.returns.scan import read_scan_bytes

    _copy_id, reference = _copy(write, case_id=case_id)
    received = _receive(write, amira, _match(write, amira, _read(_scan_files(tmp_path, reference))))
    assert received.document_id is not None
    with write() as session:
        _name, data = read_document(session, amira, received.document_id)
    pages = read_scan_bytes(data, Path("back.pdf"), keep_images=False)
    assert [page.codes[0].rsplit(" ", 1)[1] for page in pages] == [f"{n}/6" for n in range(1, 7)]


def test_the_same_scan_twice_is_attached_once(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    files = _scan_files(tmp_path, reference)
    first = _receive(write, amira, _match(write, amira, _read(files)))
    again = _receive(write, amira, _match(write, amira, _read(files)))
    assert first.already is None and again.already == local_date(utcnow())
    assert again.document_id == first.document_id
    with write() as session:
        assert _count(session, PaperReturn) == 1 and _count(session, Document) == 1


def test_the_rest_of_a_copy_later_is_not_told_the_first_pages_are_missing(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    (tmp_path / "first").mkdir()
    (tmp_path / "rest").mkdir()
    first_part = _scan_files(tmp_path / "first", reference, drop=(4, 5, 6))
    rest = _scan_files(tmp_path / "rest", reference, drop=(1, 2, 3))
    first = _receive(write, amira, _match(write, amira, _read(first_part)))
    second = _receive(write, amira, _match(write, amira, _read(rest)))
    assert (first.found, first.missing) == ((1, 2, 3), (4, 5, 6))
    assert (second.found, second.missing) == ((4, 5, 6), ())
    with write() as session:
        assert _count(session, PaperReturn) == 2 and _count(session, Document) == 2


def test_a_blank_copy_needs_its_case_then_is_linked(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    copy_id, reference = _copy(write)
    matching = _match(write, amira, _read(_scan_files(tmp_path, reference)))
    with pytest.raises(NotReceived, match="not linked to anyone yet"):
        _receive(write, amira, matching)
    case = _case_ref(write, case_id)
    assert _receive(write, amira, matching, case).case_reference == case
    with write() as session:
        row = session.get(PaperCopy, copy_id)
        assert row is not None and row.case_id == case_id and row.person_id is not None


def test_a_blank_printed_with_no_profile_is_found_by_its_service(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    version = ps.service("free-school-meals").version
    reference = copy_reference("free-school-meals", version, "en", NO_OFFICE, "4D7KQ2")
    pdf = ps.render("free-school-meals", reference)
    files = [ps.write(ps.scans(pdf, dpi=100, seed=5), tmp_path / "meals.pdf")]
    matching = _match(write, amira, _read(files))
    (copy,) = matching.copies
    assert (copy.service_id, copy.copy_id, copy.missing) == ("free-school-meals", None, ())
    received = _receive(write, amira, matching, _case_ref(write, case_id))
    assert received.sla_due_on == add_working_days(local_date(utcnow()), 5, Nation.WALES)
    with write() as session:
        row = session.scalars(select(PaperCopy).where(PaperCopy.reference == reference)).one()
        assert (row.office, row.case_id, row.kind) == (NO_OFFICE, case_id, "blank")


def test_a_copy_given_out_for_another_case_is_not_moved(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int, person_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    with write() as session:
        other = session.get(Case, open_case(session, amira, person_id, SERVICE, "Vote"))
        assert other is not None
        other_ref = other.reference
    matching = _match(write, amira, _read(_scan_files(tmp_path, reference)))
    with pytest.raises(NotReceived, match="was given out for case"):
        _receive(write, amira, matching, other_ref)


def test_a_refused_page_holds_back_its_file_and_says_why(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _copy_id, good = _copy(write, case_id=case_id)
    _copy_id, held = _copy(write, case_id=case_id)
    page = ps.rasterise(ps.render(SERVICE, held), 110, pages=[0])[0]
    other_office = copy_reference(SERVICE, ps.service(SERVICE).version, "en", "ZZ99", "4D7KQ2")
    version = ps.service(SERVICE).version
    body = f"AF-{_code(SERVICE)}-{version}-EN-{_office(write)}-4D7KQ2"
    wrong = int(check_digits(body)) + 1  # one more than right is never right (mod 97)
    bad_digits = f"{body}-{wrong:02d} 1/6"
    other = ps.rasterise(ps.render(SERVICE, other_office), 110, pages=[0])[0]
    files = [
        *_scan_files(tmp_path, good),
        ps.write([ps.upside_down(ps.imperfect(page, 1)), page], tmp_path / "turned.pdf"),
        ps.write([ps.cropped_through_qr(ps.imperfect(page, 2))], tmp_path / "cut.png"),
        ps.write([ps.blank_page()], tmp_path / "empty.png"),
        ps.write([ps.imperfect(other, 3)], tmp_path / "elsewhere.jpg"),
        ps.write([ps.page_with_code(bad_digits)], tmp_path / "forged.png"),
        ps.write([page, ps.blank_page()], tmp_path / "with-back.tiff"),
    ]
    matching = _match(write, amira, _read(files))
    assert [copy.reference for copy in matching.copies] == [good]
    assert [copy.reference for copy in matching.held_back] == [held]
    assert matching.problems == [
        "Page 1 of turned.pdf is upside down: turn it and scan it again.",
        "No Alongside reference found on page 1 of cut.png: is it cropped through the QR "
        "code? Scan the whole page.",
        "empty.png is blank: scan the printed side of the form.",
        f"Page 1 of elsewhere.jpg is from a copy printed by another office ({other_office}): "
        "it must be received there.",
        "The reference on page 1 of forged.png fails its check digits: it was changed or not "
        "printed by Alongside.",
        "Nothing from cut.png, elsewhere.jpg, empty.png, forged.png, turned.pdf was attached.",
    ]
    assert matching.notes == ["Page 2 of with-back.tiff is blank: it was left out."]


def test_a_copy_this_office_never_printed_is_refused(
    tmp_path: Path, write: WriteSession, amira: Actor
) -> None:
    version = ps.service(SERVICE).version
    reference = copy_reference(SERVICE, version, "en", _office(write), "4D7KQ2")
    page = ps.rasterise(ps.render(SERVICE, reference), 110, pages=[2])[0]
    matching = _match(write, amira, _read([ps.write([page], tmp_path / "stray.png")]))
    assert matching.problems[0] == (
        f"Page 1 of stray.png is from a copy ({reference}) this office has no record of printing."
    )


def test_a_failure_part_way_attaches_nothing(
    tmp_path: Path,
    write: WriteSession,
    amira: Actor,
    case_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy_id, reference = _copy(write, case_id=case_id)
    matching = _match(write, amira, _read(_scan_files(tmp_path, reference)))

    def broken(*_args: object) -> object:
        raise OSError("the disk went away")

    # After the document is attached and the copy linked: the SLA clock fails.
    monkeypatch.setattr(receive_module, "add_working_days", broken)
    with pytest.raises(OSError, match="disk"):
        _receive(write, amira, matching)
    with write() as session:
        assert _count(session, Document) == 0 and _count(session, PaperReturn) == 0
        row = session.get(PaperCopy, copy_id)
        assert row is not None and row.returned_at is None
        kinds = session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.case_id == case_id)
        ).all()
        assert "document_attached" not in kinds and "paper_returned" not in kinds


def test_a_worker_of_another_team_may_not_receive_onto_the_case(
    tmp_path: Path, write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    _copy_id, reference = _copy(write, case_id=case_id)
    matching = _match(write, sam, _read(_scan_files(tmp_path, reference)))
    with pytest.raises(AccessRefused):
        _receive(write, sam, matching)
    with write() as session:
        assert _count(session, Document) == 0 and _count(session, PaperReturn) == 0


def test_a_form_printed_before_copies_comes_back_by_its_case_and_draft(
    tmp_path: Path, write: WriteSession, amira: Actor, case_id: int
) -> None:
    from casework.forms.drafts import start_draft
    from casework.paper.reference import form_reference

    with write() as session:
        draft_id = start_draft(session, amira, case_id, ps.service("blue-badge"))
    case = _case_ref(write, case_id)
    older = form_reference(case, "draft", draft_id, ps.service("blue-badge").version)
    pdf = ps.render("blue-badge", older)  # one QR code of the reference on every page
    images = ps.scans(pdf, dpi=110, seed=6, shuffle=False)[:3]
    matching = _match(write, amira, _read([ps.write(images, tmp_path / "older.pdf")]))
    assert matching.problems == []
    received = _receive(write, amira, matching)
    assert (received.case_reference, received.found, received.missing) == (case, (1, 2, 3), ())
    with write() as session:
        row = session.scalars(select(PaperCopy).where(PaperCopy.reference == older)).one()
        assert (row.case_id, row.draft_id, row.kind) == (case_id, draft_id, "draft")
    blank = ps.write(
        ps.scans(ps.render("blue-badge", "AF-NONE-B-2026.1-47"), 110)[:1], tmp_path / "b.png"
    )
    problems = _match(write, amira, _read([blank])).problems
    assert problems[0].startswith("Page 1 of b.png is an older blank form (AF-NONE-B-2026.1-")
