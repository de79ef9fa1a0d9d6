"""The consent receipt the person keeps, made by the core action the window
names: what is shared, with whom, until when and how to withdraw."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from casework.forms.definitions import load_catalogue
from casework.kernel.errors import NotFound
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from casework.paper.consent_receipt import consent_receipt_pdf
from delegation import mandate_actions
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import GrantRequest
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession

CATALOGUE = load_catalogue()
SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=["view", "draft"], categories=["identity"])]
)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_receipt_says_what_with_whom_and_how_to_withdraw(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    request = GrantRequest(
        person_id=person_id,
        grantee_kind="worker",
        grantee_id=amira.worker_id,
        basis="consent",
        scope=SCOPE,
        ends_at=utcnow() + timedelta(days=90),
        task_list_shown=describe(SCOPE),
        consent_method="in_person",
        seen_alone=True,
        safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
    )
    with write() as session:
        mandate = mandate_actions.grant_mandate(session, amira, request).mandate
    with write() as session:
        text = _text(consent_receipt_pdf(session, amira, CATALOGUE, mandate.id))
    assert f"M{mandate.id:06d}" in text
    assert "Amira" in text and amira.team_name in text
    assert "Blue Badge" in text
    assert "Name, date of birth and identity numbers" in " ".join(text.split())
    assert "look at the details; fill in forms" in " ".join(text.split())
    assert "withdraw" in text


def test_no_receipt_for_a_mandate_that_is_not_there(write: WriteSession, amira: Actor) -> None:
    with pytest.raises(NotFound, match="There is no such mandate"), write() as session:
        consent_receipt_pdf(session, amira, CATALOGUE, 999_999)
