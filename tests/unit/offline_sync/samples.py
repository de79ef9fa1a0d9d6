"""Realistic request bodies for outbox items (no personal data in references)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from casework.forms import payload

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def email(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "email_address": f"person{n}@example.com",
        "template_id": TEMPLATE_ID,
        "personalisation": {"first_name": f"Person {n}", "appointment_date": "1 May"},
        **extra,
    }


def email_with_form(n: int = 0) -> dict[str, Any]:
    """A form sent by email: the PDF goes as Notify's send-a-file upload."""
    return payload.email_with_file(
        f"inbox{n}@example.gov.uk",
        TEMPLATE_ID,
        {"form_title": "Register with a GP", "case_reference": f"C-{n}"},
        "link_to_file",
        letter_pdf(n),
        filename=f"form-{n}.pdf",
        confirm_email_before_download=True,
        retention_period="26 weeks",
    )


def sms(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {"phone_number": f"+4477009001{n % 100:02d}", "template_id": TEMPLATE_ID, **extra}


def submission(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "form_name": "Apply for a Blue Badge",
        "submission_reference": f"ALG{n:06d}",
        "submitted_at": "2026-11-22T10:15:00.000Z",
        "answers": [
            {"question_id": "full-name", "question_text": "What is your name?",
             "answer_text": f"Person {n}"},
            {"question_id": "postcode", "question_text": "What is your postcode?",
             "answer_text": "SW1A 1AA"},
        ],
        **extra,
    }  # fmt: skip


def payment(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "amount": 1000,
        "reference": f"BB{n:06d}",
        "description": "Blue Badge fee",
        "return_url": "https://alongside.example/paid",
        "language": "en",
        **extra,
    }


ADDRESS = ["Amira Jones", "Flat 2", "1 High Street", "Cardiff", "CF10 1AA"]


def letter_pdf(n: int = 0, *, pagesize: tuple[float, float] = A4) -> bytes:
    """A one-page letter: the address in Notify's window, the body below 95 mm."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize)
    canvas.setFont("Helvetica", 10)
    for line_no, line in enumerate(ADDRESS):
        canvas.drawString(30 * mm, pagesize[1] - 45 * mm - line_no * 4 * mm, line)
    canvas.drawString(20 * mm, pagesize[1] - 110 * mm, f"Dear Amira, this is letter {n}.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def letter(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {**payload.precompiled_letter(letter_pdf(n)), **extra}


def bad_letter(n: int = 0) -> dict[str, Any]:
    """US Letter paper: Notify takes A4 only."""
    return payload.precompiled_letter(letter_pdf(n, pagesize=LETTER))
