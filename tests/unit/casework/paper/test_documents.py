"""Consent receipts, "who acted for me" reports and escalation letters."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from casework.paper.documents import (
    ActedForReport,
    ActionTaken,
    ConsentReceipt,
    DocumentOptions,
    SharedItem,
    render_acted_for_report,
    render_consent_receipt,
)
from tests.unit.casework.paper.helpers import pdf_text, squash

REFERENCE = "AF-AL-7K3M9QX-B-2026.1-00"


@pytest.mark.parametrize("large", [False, True])
def test_a_consent_receipt_says_what_with_whom_until_when_and_how_to_withdraw(large: bool) -> None:
    receipt = ConsentReceipt(
        reference=REFERENCE,
        person_name="Amira Jones",
        given_to="Ali Adviser, Riverside Advice",
        given_on=date(2026, 3, 2),
        until=date(2027, 3, 2),
        shared=[
            SharedItem(
                "Your address and date of birth", "Riverside Council", "Council Tax Reduction"
            ),
            SharedItem("Your income", "DWP Pension Service", "Pension Credit"),
        ],
        how_to_withdraw="Phone 01632 960001 or tell your adviser.",
    )
    text = pdf_text(render_consent_receipt(receipt, DocumentOptions(large_print=large)))
    for words in (
        "Amira Jones",
        "Your address and date of birth",
        "DWP Pension Service",
        "02/03/2027",
        "Phone 01632 960001",
        REFERENCE,
        "Page 1 of 1",
    ):
        assert squash(words) in text


def test_a_who_acted_for_me_report_lists_every_action_in_order() -> None:
    actions = [
        ActionTaken(datetime(2026, 3, 2, 10, 0), "Ali Adviser", "Riverside Advice", f"Action {n}")
        for n in range(120, 0, -1)
    ]
    report = ActedForReport(REFERENCE, "Amira Jones", date(2026, 1, 1), date(2026, 3, 31), actions)
    text = pdf_text(render_acted_for_report(report, DocumentOptions(language="cy")))
    assert all(squash(f"Action {n}") in text for n in range(1, 121))
    assert squash("Tudalen 2 o") in text  # the report is in Welsh


def test_an_empty_report_says_so() -> None:
    report = ActedForReport(REFERENCE, "Amira Jones", date(2026, 1, 1), date(2026, 3, 31), [])
    assert squash("Nobody acted on your behalf") in pdf_text(render_acted_for_report(report))
