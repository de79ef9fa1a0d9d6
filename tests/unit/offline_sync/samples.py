"""Realistic request bodies for outbox items (no personal data in references)."""

from __future__ import annotations

from typing import Any

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def email(n: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "email_address": f"person{n}@example.com",
        "template_id": TEMPLATE_ID,
        "personalisation": {"first_name": f"Person {n}", "appointment_date": "1 May"},
        **extra,
    }


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
