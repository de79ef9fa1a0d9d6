"""Handover: the receiving team sees only the agreed summary until it accepts;
acceptance grants a new mandate; a rejection carries its reason back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.casefile import cases, people
from casework.escalation import handover
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.records import Actor
from delegation import policy
from delegation.models import AuditEntry, Mandate
from delegation.records import MandateStatus
from tests.unit.conftest import WriteSession

SUMMARY = "Needs help with a Blue Badge renewal; prefers phone calls in the morning."


def _refer(write: WriteSession, amira: Actor, sam: Actor, case_id: int) -> int:
    with write() as session:
        return handover.refer(
            session, amira, case_id, sam.team_id, SUMMARY, "Agreed in person on 1 December"
        )


def test_before_acceptance_only_the_summary_is_visible(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int, person_id: int
) -> None:
    referral_id = _refer(write, amira, sam, case_id)
    with write() as session:
        offered = handover.incoming(session, sam)
        assert [r.id for r in offered] == [referral_id]
        assert offered[0].summary == SUMMARY and offered[0].from_team == "Riverside Library"
        # The record carries nothing else about the person.
        assert "Pritchard" not in repr(offered[0])
        decision = policy.decide(session, sam, person_id, "view", case_id=case_id)
        assert not decision.allowed
    with pytest.raises(AccessRefused), write() as session:
        cases.case_detail(session, sam, case_id)
    with pytest.raises(AccessRefused), write() as session:
        people.person_detail(session, sam, person_id)
    # Amira's own team cannot accept on the receiver's behalf.
    with pytest.raises(NotFound), write() as session:
        handover.accept(session, amira, referral_id, 1)


def test_acceptance_grants_a_new_mandate_to_the_receiving_team(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int, person_id: int
) -> None:
    referral_id = _refer(write, amira, sam, case_id)
    with write() as session:
        mandate_id = handover.accept(session, sam, referral_id, 1)
    with write() as session:
        mandate = session.get(Mandate, mandate_id)
        assert mandate is not None
        assert mandate.status is MandateStatus.ACTIVE
        assert mandate.grantee_team_id == sam.team_id and mandate.created_by_id == amira.worker_id
        decision = policy.decide(session, sam, person_id, "view", case_id=case_id)
        escalate = policy.decide(session, sam, person_id, "escalate", case_id=case_id)
        lifecycle = session.scalars(
            select(AuditEntry.action).where(AuditEntry.mandate_id == mandate_id)
        ).all()
        kinds = [e.kind for e in timeline.entries(session, case_id)]
        assert handover.incoming(session, sam) == []
    assert decision.allowed and decision.mandate_id == mandate_id and escalate.allowed
    assert {"grant", "activate"} <= set(lifecycle)
    assert kinds[:2] == ["referral_accepted", "referred"]
    # Casework itself now lets the receiving team open the case and the person.
    with write() as session:
        assert cases.case_detail(session, sam, case_id).id == case_id
        assert people.person_detail(session, sam, person_id).id == person_id
    with pytest.raises(InvalidInput), write() as session:
        handover.accept(session, sam, referral_id, 2)


def test_rejection_needs_a_reason_and_grants_nothing(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int, person_id: int
) -> None:
    referral_id = _refer(write, amira, sam, case_id)
    with pytest.raises(InvalidInput), write() as session:
        handover.reject(session, sam, referral_id, 1, " ")
    with write() as session:
        handover.reject(session, sam, referral_id, 1, "We have no Blue Badge adviser this month.")
    with write() as session:
        assert session.scalars(select(Mandate)).all() == []
        sent = handover.outgoing(session, amira, case_id)
        assert not policy.decide(session, sam, person_id, "view", case_id=case_id).allowed
    assert sent[0].status == "rejected" and "no Blue Badge adviser" in sent[0].decision_reason


def test_a_referral_needs_a_team_a_summary_and_consent(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with pytest.raises(InvalidInput) as bad, write() as session:
        handover.refer(session, amira, case_id, amira.team_id, "", "")
    assert set(bad.value.fields) == {"team", "summary", "consent"}
