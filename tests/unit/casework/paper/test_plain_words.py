"""The consent receipt and the "who acted for me" report, printed for a
demo-like mandate in English and Welsh and read back: services by their
titles, actions and kinds of information in plain words, no ids."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from casework.casefile.cases import open_case
from casework.forms import mandate_names
from casework.forms.definitions import load_catalogue
from casework.kernel.i18n import set_language
from casework.kernel.models import Case, utcnow
from casework.kernel.records import Actor
from casework.paper.acted_for import acted_for_report
from casework.paper.consent_receipt import consent_receipt_pdf
from delegation import listing, policy
from delegation.scope_words import describe
from tests.unit.casework.forms.test_mandate_names import _request, demo_scope
from tests.unit.conftest import WriteSession
from tests.unit.plain_words import internal_terms

CATALOGUE = load_catalogue()
EXPECTED = {
    "en": ("Apply for a Blue Badge", "money and benefits", "look at the details"),
    "cy": ("Gwneud cais am Fathodyn Glas", "arian a budd-daliadau", "edrych ar y manylion"),
}
RENEWED = {"en": "Renewed a permission", "cy": "Wedi adnewyddu caniatâd"}


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _png(pdf: bytes, artifacts: Path, name: str) -> Path:
    source = artifacts / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(source), str(artifacts / name)],
        check=True,
    )
    return next(artifacts.glob(f"{name}-*1.png"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_receipt_and_report_name_services_and_information_in_words(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    artifacts: Path,
    language: str,
) -> None:
    with write() as session:
        case_id = open_case(session, amira, person_id, "blue-badge", "Blue Badge renewal")
        reference = session.get(Case, case_id).reference  # type: ignore[union-attr]
    scope = demo_scope(reference)
    with write() as session:
        names = mandate_names.scope_names(session, CATALOGUE, [scope])
        shown = describe(scope, names, language)
        request = _request(
            amira, person_id, scope, task_list_shown=shown, task_list_language=language
        )
        mandate = mandate_names.grant_mandate(session, amira, CATALOGUE, request).mandate
        policy.decide(
            session, amira, person_id, "view", "attendance-allowance", frozenset({"financial"})
        )
        policy.decide(session, amira, person_id, "draft", "blue-badge", frozenset({"health"}))
        policy.decide(session, sam, person_id, "view", "blue-badge", frozenset({"identity"}))
        listing.renew(
            session, amira, mandate.id, utcnow() + timedelta(days=120), person_agreed=True
        )
    set_language(language)
    try:
        with write() as session:
            receipt = consent_receipt_pdf(session, amira, CATALOGUE, mandate.id)
        with write() as session:
            report = acted_for_report(
                session, amira, person_id, language=language, catalogue=CATALOGUE
            )
    finally:
        set_language("en")
    for pdf in (receipt, report):
        text = _text(pdf)
        assert internal_terms(text, [reference.lower()]) == [], text
        title, money, look = EXPECTED[language]
        assert title in text and money in text.lower()
        assert look in _text(receipt)
    assert reference in _text(receipt)
    assert RENEWED[language] in _text(report)
    assert "Claim Attendance Allowance" in _text(report) or "Hawlio Lwfans Gweini" in _text(report)
    _png(receipt, artifacts, f"words-receipt-{language}")
    _png(report, artifacts, f"words-report-{language}")
