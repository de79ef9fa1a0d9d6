"""Request bodies built from frozen submissions.

``forms_submission`` turns a sent form into the GOV.UK Forms submission v1
JSON (``resources/contracts/forms/json_submission_schema_v1.json``) that the
department's submission API receives: the English question text, a stable
question id, and each answer as text. Repeats of a group become one answer
per question per item, numbered, so nothing is lost in flattening.

``precompiled_letter`` and ``email_with_file`` build Notify bodies: a letter
is exactly ``{reference, content (base64 PDF), postage}`` (the outbox puts the
item's id in ``reference``); a file for an email template's file placeholder
is the official client's ``prepare_upload`` output.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from casework.forms import answers as forms
from casework.forms.definitions import Question, Service


def _answer(question: Question, value: Any, text: str, qid: str) -> dict[str, Any]:
    shown = forms.display_value(question, value, "en")
    if question.type == "address" and isinstance(value, dict):
        return {
            "question_id": qid,
            "question_text": text,
            "answer_text": shown,
            "address1": value["lines"][0] if value.get("lines") else "",
            "address2": ", ".join(value.get("lines", [])[1:]),
            "town_or_city": value.get("town", ""),
            "postcode": value.get("postcode", ""),
        }
    if question.type == "multi_choice" and isinstance(value, list):
        labels = {o["value"]: o["label"]["en"] for o in question.raw["options"]}
        return {
            "question_id": qid,
            "question_text": text,
            "answer_text": [str(labels.get(v, v)) for v in value],
        }
    return {"question_id": qid, "question_text": text, "answer_text": shown}


def forms_submission(
    service: Service, answers: Mapping[str, Any], reference: str, submitted_at: datetime
) -> dict[str, Any]:
    """The GOV.UK Forms v1 body for a submission's (already pruned) answers."""
    items: list[dict[str, Any]] = []
    for question in service.questions():
        if question.id not in answers:
            continue
        value = answers[question.id]
        label = question.text("label", "en")
        if question.type == "group":
            item_label = question.text("item_label", "en")
            for n, item in enumerate(value if isinstance(value, list) else [], start=1):
                for child in question.children:
                    if child.id in item:
                        items.append(
                            _answer(
                                child,
                                item[child.id],
                                f"{item_label} {n}: {child.text('label', 'en')}",
                                f"{question.id}.{n}.{child.id}",
                            )
                        )
            continue
        items.append(_answer(question, value, label, question.id))
    stamp = submitted_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "form_name": service.text("title", "en"),
        "submission_reference": reference,
        "submitted_at": stamp,
        "answers": items,
    }


POSTAGE = ("first", "second", "economy", "europe", "rest-of-world")


def precompiled_letter(pdf: bytes, postage: str = "second") -> dict[str, Any]:
    """Notify's precompiled letter body (the outbox adds ``reference``)."""
    import base64

    if postage not in POSTAGE:
        raise ValueError(f"postage must be one of {', '.join(POSTAGE)}")
    return {"content": base64.b64encode(pdf).decode("ascii"), "postage": postage}


def email_with_file(
    email_address: str,
    template_id: str,
    personalisation: Mapping[str, Any],
    file_placeholder: str,
    data: bytes,
    *,
    filename: str | None = None,
    confirm_email_before_download: bool | None = None,
    retention_period: str | None = None,
) -> dict[str, Any]:
    """A Notify email body whose template's ``file_placeholder`` gets a file to download."""
    import io

    # Notify's client pulls in requests and a JWT stack: only when a file is sent.
    from notifications_python_client.utils import prepare_upload

    upload = prepare_upload(  # type: ignore[no-untyped-call]
        io.BytesIO(data),
        filename=filename,
        confirm_email_before_download=confirm_email_before_download,
        retention_period=retention_period,
    )
    return {
        "email_address": email_address,
        "template_id": template_id,
        "personalisation": {**personalisation, file_placeholder: dict(upload)},
    }
