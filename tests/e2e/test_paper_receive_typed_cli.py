"""`alongside paper receive --reference REF` as a separate process on a real
profile: a form scanned with a page cut through its QR code is refused
without the reference, and received whole with it typed as a worker might;
a typed reference that fails its check digits, is another office's, or names
another copy than the scans do is refused in one line, and nothing attached."""

from __future__ import annotations

import random
from pathlib import Path

from casework.kernel.models import Document
from casework.paper.models import PaperReturn
from casework.paper.reference import copy_reference
from tests import paper_scans as ps
from tests.e2e.test_cli import Cli
from tests.e2e.test_paper_receive_cli import _count, _receive, _seed
from tests.unit.casework.paper.helpers import answers_for

SERVICE = "register-to-vote"  # six pages


def _cut_scan(reference: str, path: Path) -> Path:
    """The copy's six pages badly scanned and shuffled, page 3 cut through its QR code."""
    pdf = ps.render(SERVICE, reference, "en", answers_for(ps.service(SERVICE)))
    pages = [ps.imperfect(image, seed=n) for n, image in enumerate(ps.rasterise(pdf, 110))]
    pages[2] = ps.cropped_through_qr(pages[2])
    random.Random(7).shuffle(pages)
    return ps.write(pages, path)


def test_a_page_cut_through_its_code_comes_back_by_the_typed_reference(tmp_path: Path) -> None:
    seeded = _seed(Cli(tmp_path), {SERVICE: "en", "blue-badge": "en"})
    reference, case = seeded.copies[SERVICE], seeded.cases[SERVICE]
    scan = _cut_scan(reference, tmp_path / "vote.pdf")

    run = _receive(seeded, scan)  # without the reference: the cut page is refused
    assert run.code == 1 and "is it cropped through the QR code?" in run.err
    assert _count(seeded.cli, Document) == 0

    wrong = f"{reference[:-2]}{int(reference[-2:]) + 1:02d}"  # one more is never right (mod 97)
    version = ps.service(SERVICE).version
    refused = {
        wrong: f"The reference {wrong} fails its check digits: a character is wrong.",
        copy_reference(SERVICE, version, "en", "ZZ99", "4D7KQ2"): "printed by another office",
        seeded.copies["blue-badge"]: f"from copy {reference}, not {seeded.copies['blue-badge']}",
    }
    for typed, message in refused.items():
        run = _receive(seeded, "--reference", typed, scan)
        assert run.code == 1, run.out
        assert run.out == "" and len(run.err.splitlines()) == 1, run.err
        assert run.err.startswith("alongside: ") and message in run.err, run.err
    assert _count(seeded.cli, Document) == 0 and _count(seeded.cli, PaperReturn) == 0

    typed = reference.lower().replace("-", " ")  # as read off the page and typed
    run = _receive(seeded, "--reference", typed, scan)
    assert run.code == 0, run.err
    assert run.out.startswith(f"Received paper form {reference} (Register to vote) for case {case}")
    assert "(6 of 6 pages; page 3 placed by the typed reference); reply due by " in run.out
    assert _count(seeded.cli, Document) == 1 and _count(seeded.cli, PaperReturn) == 1
