"""The consent receipt the person keeps, made by the core action the window
names: what is shared, with whom, until when and how to withdraw."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from casework.forms.definitions import load_catalogue
from casework.kernel.errors import NotFound
from casework.kernel.records import Actor
from casework.paper.consent_receipt import consent_receipt_pdf
from tests.unit.casework.paper.helpers import grant_consent
from tests.unit.conftest import WriteSession

CATALOGUE = load_catalogue()


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_receipt_says_what_with_whom_and_how_to_withdraw(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    mandate_id = grant_consent(write, amira, person_id)
    with write() as session:
        text = _text(consent_receipt_pdf(session, amira, CATALOGUE, mandate_id))
    assert f"M{mandate_id:06d}" in text
    assert "Amira" in text and amira.team_name in text
    assert "Blue Badge" in text
    assert "Name, date of birth and identity numbers" in " ".join(text.split())
    assert "look at the details; fill in forms" in " ".join(text.split())
    assert "withdraw" in text


def test_no_receipt_for_a_mandate_that_is_not_there(write: WriteSession, amira: Actor) -> None:
    with pytest.raises(NotFound, match="There is no such mandate"), write() as session:
        consent_receipt_pdf(session, amira, CATALOGUE, 999_999)
