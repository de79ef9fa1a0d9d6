"""GOV.UK Notify precompiled letters: our output passes the checker, and the
checker catches what Notify would refuse."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from casework.paper.documents import DocumentOptions, EscalationLetter, render_escalation_letter
from casework.paper.form import PaperError, PaperOptions, render_form
from casework.paper.letter import check_letter, drawn_text
from tests.unit.casework.paper.helpers import answers_for, service_named, service_params

ADDRESS = ["Amira Jones", "Flat 2", "1 High Street", "Cardiff", "CF10 1AA"]


def _canvas_pdf(draw: object, pagesize: tuple[float, float] = A4, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize)
    for _n in range(pages):
        draw(canvas)  # type: ignore[operator]
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _address(canvas: Canvas) -> None:
    canvas.setFont("Helvetica", 10)
    for n, line in enumerate(ADDRESS):
        canvas.drawString(30 * mm, A4[1] - 45 * mm - n * 4 * mm, line)


@pytest.mark.parametrize("name", service_params()[:3])
def test_a_prefilled_form_as_a_letter_passes(name: str) -> None:
    service = service_named(name)
    pdf = render_form(service, PaperOptions(answers=answers_for(service), letter_address=ADDRESS))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    problems = check_letter(pdf)
    if pages > 10:
        assert problems == [f"The letter has {pages} pages; Notify takes at most 10."]
    else:
        assert problems == []


def test_the_sample_letter_in_large_print_welsh_passes() -> None:
    service = service_named("sample")
    pdf = render_form(
        service, PaperOptions(language="cy", large_print=True, letter_address=ADDRESS)
    )
    assert check_letter(pdf) == []
    first_page = [t for t in drawn_text(PdfReader(io.BytesIO(pdf))) if t.page == 1]
    assert [t.text for t in first_page[: len(ADDRESS)]] == ADDRESS


def test_an_escalation_letter_passes() -> None:
    from datetime import date

    letter = EscalationLetter(
        reference="AF-AL-7K3M9QX-S1-2026.1-00",
        facilitator_name="Sam Facilitator",
        facilitator_organisation="Riverside Council",
        service_title="Council Tax Reduction",
        case_reference="AL-7K3M9QX",
        person_name="Amira Jones",
        summary="The application was sent 6 weeks ago and nobody has replied.",
        steps_taken=["Phoned twice", "Emailed the team"],
        asked_for="Please tell us what is happening.",
        reply_within_working_days=5,
        reply_by=date(2026, 3, 9),
        sender_name="Ali Adviser",
        sender_organisation="Riverside Advice",
        sender_contact="01632 960001",
        sent_on=date(2026, 3, 2),
    )
    pdf = render_escalation_letter(letter, DocumentOptions(letter_address=ADDRESS))
    assert check_letter(pdf) == []


def test_the_address_must_have_three_to_seven_lines() -> None:
    with pytest.raises(PaperError, match="3 to 7 lines"):
        render_form(service_named("sample"), PaperOptions(letter_address=["Just one line"]))


def test_a_good_hand_made_letter_passes() -> None:
    def draw(canvas: Canvas) -> None:
        _address(canvas)
        canvas.drawString(20 * mm, A4[1] - 100 * mm, "Dear Amira")

    assert check_letter(_canvas_pdf(draw)) == []


def test_text_in_the_margins_is_caught() -> None:
    def draw(canvas: Canvas) -> None:
        _address(canvas)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(2 * mm, 150 * mm, "Too far left")
        canvas.drawString(100 * mm, 2 * mm, "Too low")
        canvas.drawString(
            150 * mm, 150 * mm, "This line runs far past the right margin of the page"
        )

    problems = check_letter(_canvas_pdf(draw))
    assert len(problems) == 3
    assert all("margins" in p for p in problems)


def test_text_above_the_body_outside_the_window_is_caught() -> None:
    def draw(canvas: Canvas) -> None:
        _address(canvas)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(140 * mm, A4[1] - 50 * mm, "Our logo")

    problems = check_letter(_canvas_pdf(draw))
    assert len(problems) == 1 and "95 mm" in problems[0]


def test_no_address_wrong_size_and_too_many_pages_are_caught() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFont("Helvetica", 10)
        canvas.drawString(30 * mm, 120 * mm, "Body only")

    problems = check_letter(_canvas_pdf(draw, LETTER, pages=11))
    assert any("no address" in p for p in problems)
    assert any("11 pages" in p for p in problems)
    assert any("A4 portrait" in p for p in problems)


def test_a_rotated_landscape_page_is_caught() -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_canvas_pdf(_address))))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    assert any("A4 portrait" in p for p in check_letter(out.getvalue()))


def test_not_a_pdf_and_too_big_are_caught() -> None:
    assert "not a PDF" in check_letter(b"hello")[0]
    big = _canvas_pdf(_address)
    big += b"%" + b"x" * (2 * 1024 * 1024)
    assert any("at most 2,097,152" in p for p in check_letter(big))
