"""The evidence pack: one PDF, English or Welsh, normal or large print, only
with the person's consent and the print decision, read back with pypdf."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.complaints import pack, pack_pdf, steps
from casework.forms.definitions import Catalogue, load_catalogue
from casework.kernel.errors import AccessRefused
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.records import Actor
from casework.paper.text import speaking
from delegation.models import AuditEntry
from delegation.policy import PolicyDecision
from delegation.scope_words import translator
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.unit.casework.paper.helpers import squash
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def council_case(write: WriteSession, amira: Actor) -> str:
    """A Blue Badge case in Cardiff with the council's step answered; its reference."""
    with write() as session:
        person = create_person(session, amira, person_input(access_needs="Step-free access"))
        case_id = open_case(session, amira, person, "blue-badge", "Blue Badge refused twice")
        row = steps.start_step(session, amira, case_id, "council", date(2026, 1, 5))
    with write() as session:
        steps.record_response(session, amira, row, 1, date(2026, 3, 2))
        case = session.get(Case, case_id)
        assert case is not None
        return case.reference


def _text(data: bytes) -> str:
    """The PDF's text without white space: lines may wrap anywhere."""
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _pack(
    write: WriteSession, actor: Actor, catalogue: Catalogue, ref: str, **options: object
) -> pack.EvidencePack:
    with write() as session:
        return pack.evidence_pack(session, actor, catalogue, ref, **options)  # type: ignore[arg-type]


def test_no_consent_no_pack(
    write: WriteSession, amira: Actor, catalogue: Catalogue, council_case: str
) -> None:
    with pytest.raises(AccessRefused, match="consent"):
        _pack(write, amira, catalogue, council_case)


def _consent(write: WriteSession, amira: Actor, ref: str) -> None:
    with write() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == ref))
        assert case_id is not None
        steps.record_consent(session, amira, case_id, date(2026, 3, 10))


def test_the_pack_names_the_ombudsman_and_carries_what_it_asks_for(
    write: WriteSession, amira: Actor, catalogue: Catalogue, council_case: str
) -> None:
    _consent(write, amira, council_case)
    made = _pack(write, amira, catalogue, council_case)
    assert made.addressee == "Public Services Ombudsman for Wales"
    data = pack_pdf.render(made)
    text = _text(data)
    for expected in (
        "Evidence pack for a complaint",
        "Public Services Ombudsman for Wales",
        "Nia Pritchard",
        "AB123456C",
        "Step-free access",
        "final response dated 2 March 2026",
        "agreed to this pack being shared on 10 March 2026",
        "The escalation ladder",
        "Delivery receipts",
        "Payments",
        "Who looked at or acted on this information",
        council_case,
    ):
        assert squash(expected) in text, expected
    assert "9434765919" not in text  # the NHS number is health: not disclosed


def test_the_pack_in_welsh_and_large_print(
    write: WriteSession, amira: Actor, catalogue: Catalogue, council_case: str
) -> None:
    _consent(write, amira, council_case)
    made = _pack(write, amira, catalogue, council_case, language="cy", large_print=True)
    text = _text(pack_pdf.render(made))
    for expected in (
        "Ombwdsmon Gwasanaethau Cyhoeddus Cymru",
        "2 Mawrth 2026",
        "Pecyn tystiolaeth",
    ):
        assert squash(expected) in text, expected


def test_another_team_is_refused_and_audited(
    write: WriteSession, amira: Actor, sam: Actor, catalogue: Catalogue, council_case: str
) -> None:
    _consent(write, amira, council_case)
    # The refusal is caught inside the transaction, so its audit entry is committed.
    refused_pack = pytest.raises(AccessRefused, match="You may not print this evidence pack")
    with write() as session, refused_pack:
        pack.evidence_pack(session, sam, catalogue, council_case)
    with write() as session:
        refused = session.scalars(
            select(AuditEntry).where(
                AuditEntry.worker_id == sam.worker_id, AuditEntry.action == "print"
            )
        ).all()
    assert refused and all(e.outcome != "allow" for e in refused)


def test_only_deliveries_the_platform_confirmed_are_receipts(
    write: WriteSession, amira: Actor, catalogue: Catalogue, council_case: str
) -> None:
    _consent(write, amira, council_case)
    with write() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == council_case))
        for state, remote in ((OutboxState.DELIVERED, "notify-ok-1"), (OutboxState.QUEUED, "q-2")):
            session.add(
                OutboxItem(
                    id=str(uuid.uuid4()),
                    connector=Connector.NOTIFY_EMAIL,
                    case_id=case_id,
                    body="{}",
                    idempotency_key=remote,
                    state=state,
                    next_attempt_at=utcnow(),
                    remote_id=remote,
                )
            )
    made = _pack(write, amira, catalogue, council_case)
    receipts = next(s for s in made.sections if s.title == "Delivery receipts")
    assert [row[2] for row in receipts.rows] == ["notify-ok-1"]


def test_what_the_decision_withholds_is_not_printed_in_the_letter(
    write: WriteSession, amira: Actor, council_case: str
) -> None:
    with write() as session:
        case = session.scalars(select(Case).where(Case.reference == council_case)).one()
        route = steps.complaint(session, amira, case.id, "en")
        person = session.get(Person, case.person_id)
        assert person is not None
        with speaking("en"):
            letter = dict(
                pack.covering_letter(
                    person, frozenset({"identity"}), case, route, [], translator("en"), "en"
                )
            )
    assert "Cardiff" not in letter["Address"] and "Not shown" in letter["Address"]
    assert "nia@" not in letter["How to contact them"]
    assert letter["National Insurance number"] == "AB123456C"


def test_no_address_in_the_decision_no_nation(
    write: WriteSession, amira: Actor, council_case: str
) -> None:
    with write() as session:
        case = session.scalars(select(Case).where(Case.reference == council_case)).one()
        withheld = PolicyDecision(True, "", disclosed_categories=frozenset({"identity"}))
        with pytest.raises(AccessRefused, match="may not see their address"):
            steps.nation_of_case(session, case, withheld)


def test_large_print_columns_hold_their_longest_word(
    write: WriteSession, amira: Actor, catalogue: Catalogue, council_case: str
) -> None:
    _consent(write, amira, council_case)
    made = _pack(write, amira, catalogue, council_case, language="cy", large_print=True)
    data = pack_pdf.render(made)
    words = {
        word
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
        for word in line.split()
    }
    # the route's headings in Welsh, whole (a narrow column broke them "Ymat" "eb te" "rfyno")
    assert {"Gwnaed", "Ymateb", "terfynol", "Mawrth"} <= words
