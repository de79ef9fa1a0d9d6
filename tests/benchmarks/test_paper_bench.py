"""Paper forms: pages a second for the biggest form, against raw reportlab
canvas drawing of the same words in the same run (the floor any layout
engine sits above); and the preview's first page on screen, by the path
the paper dialog takes (lay the form out, then PDFium draws page 1 before
any other), against the whole preview the dialog used to wait for."""

from __future__ import annotations

import io
import time

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from casework.forms.definitions import Service, load_catalogue, parse_definition
from casework.paper.form import PaperOptions, render_form
from casework.paper.layout import watching_pages
from casework.paper.reference import SERIAL_LENGTH, copy_reference, random_code
from casework.paper.text import clean, paper_font
from tests.benchmarks.conftest import report, summary, timed, timed_together
from tests.unit.casework.forms.sample_service import sample_bytes
from ui.paper.dialog import PREVIEW_PAGES
from ui.paper.pages import page_images


def _biggest() -> Service:
    services = load_catalogue().services or (parse_definition(sample_bytes(), "sample.json"),)
    return max(services, key=lambda s: s.question_count())


def _raw(lines: list[str], pages: int) -> bytes:
    """The same text, drawn line by line on the same number of pages, in a
    PDF made as ours is (the same font, subset and embedded; the same stream
    compression and encoding; ``invariant`` as ``build_pdf`` sets it)."""
    font = paper_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    per_page = max(1, len(lines) // pages + 1)
    for start in range(0, len(lines), per_page):
        y = A4[1] - 20 * mm
        canvas.setFont(font.regular, 11)
        for line in lines[start : start + per_page]:
            canvas.drawString(18 * mm, y, clean(line)[:120])
            y -= 14
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _copy(service: Service) -> PaperOptions:
    """A new printed copy: its own reference, so each page's own QR mark is
    encoded afresh, as it is for every real print."""
    serial = random_code(SERIAL_LENGTH)
    return PaperOptions(reference=copy_reference(service.id, service.version, "en", "7K3M", serial))


def test_paper_pages_per_second() -> None:
    service = _biggest()
    pdf = render_form(service, _copy(service))
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    # Taken in turn, so both share the machine's busy and quiet moments.
    ours, raw = timed_together(
        [lambda: render_form(service, _copy(service)), lambda: _raw(lines, pages)], 7
    )
    rows = [("raw canvas, same text", *summary(raw)), (f"render_form {service.id}", *summary(ours))]
    report(
        f"paper: {service.id}, {pages} pages, {len(lines)} lines",
        rows,
        what="paper, whole form (the longest in the catalogue)",
        goal="whole form ≤ 4x",
    )
    ours_pps = pages / (summary(ours)[0] / 1000)
    raw_pps = pages / (summary(raw)[0] / 1000)
    print(
        f"  pages/s: ours {ours_pps:.0f}, raw {raw_pps:.0f}, "
        f"ratio raw/ours {raw_pps / ours_pps:.1f}x"
    )
    assert ours_pps > 5  # a 30-page form in well under 10 s on a slow machine


def test_paper_first_page_on_screen() -> None:
    service = _biggest()
    options = PaperOptions()
    pdf = render_form(service, options)
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    page_images(pdf, dpi=72, limit=1)  # PDFium loaded, as after a first preview

    first: list[float] = []
    whole: list[float] = []

    def preview() -> None:
        """The dialog's worker: page 1 alone first, then the whole form, then its images."""
        started = time.perf_counter()

        def first_look(early: bytes) -> None:
            page_images(early, dpi=72, limit=1)
            first.append((time.perf_counter() - started) * 1000)

        with watching_pages(first_page=first_look):
            made = render_form(service, options)
        page_images(made, dpi=72, limit=PREVIEW_PAGES)
        whole.append((time.perf_counter() - started) * 1000)

    def before() -> None:
        """What the dialog did before: nothing on screen until every image was made."""
        page_images(render_form(service, options), dpi=72, limit=PREVIEW_PAGES)

    timed(preview, repeat=7)
    old = timed(before, repeat=7)
    raw = timed(lambda: _raw(lines, pages), repeat=7)
    rows = [
        ("raw canvas, same text", *summary(raw)),
        ("first page on screen (goal 300 ms)", *summary(first)),
        ("whole preview, page by page", *summary(whole)),
        ("before: every page, then show", *summary(old)),
    ]
    report(
        f"paper preview: {service.id}, {pages} pages",
        rows,
        what="paper, first page on screen",
        goal="under 300 ms",
        ours=1,
        base=3,
    )
    print(
        f"  first page on screen {summary(first)[0]:.0f} ms, before {summary(old)[0]:.0f} ms: "
        f"{summary(old)[0] / summary(first)[0]:.1f}x sooner"
    )
    assert summary(first)[0] < summary(old)[0]
