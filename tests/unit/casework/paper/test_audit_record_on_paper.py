"""The audit chain's head (entry count and the start of the newest hash) at
the foot of the papers the person keeps: the "who acted for me" report and
the consent receipt, read back from the real PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from casework.forms.definitions import load_catalogue
from casework.kernel.i18n import set_language
from casework.kernel.records import Actor
from casework.paper.acted_for import acted_for_report
from casework.paper.consent_receipt import consent_receipt_pdf
from delegation import anchor
from tests.unit.casework.paper.helpers import grant_consent
from tests.unit.conftest import WriteSession


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_receipt_and_the_report_carry_the_chain_head(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    mandate_id = grant_consent(write, amira, person_id)
    with write() as session:
        receipt = _text(consent_receipt_pdf(session, amira, load_catalogue(), mandate_id))
        head = anchor.chain_head(session)
    assert f"Audit record: {head.count:,} entries, ending {head.head_hash[:16]}" in receipt

    with write() as session:
        report = _text(acted_for_report(session, amira, person_id))
        head = anchor.chain_head(session)  # the report's own print decision included
    assert f"Audit record: {head.count:,} entries, ending {head.head_hash[:16]}" in report


def test_the_line_reads_in_welsh_and_counts_in_thousands() -> None:
    head = anchor.ChainHead(1234, "a1b2c3d4e5f60718" + "0" * 48, None)
    assert anchor.audit_record_line(head) == "Audit record: 1,234 entries, ending a1b2c3d4e5f60718"
    one = anchor.ChainHead(1, "f" * 64, None)
    assert anchor.audit_record_line(one) == "Audit record: 1 entry, ending ffffffffffffffff"
    set_language("cy")
    try:
        welsh = anchor.audit_record_line(head)
    finally:
        set_language("en")
    assert "1,234" in welsh and "a1b2c3d4e5f60718" in welsh and "Audit record" not in welsh
