"""The escalation facade: a refusal is committed with its audit entry; the
settings choose the Notify template."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.escalation.records import EscalationRequest
from casework.kernel.errors import AccessRefused
from delegation.models import AuditEntry
from offline_sync.models import OutboxItem
from tests.unit.factories import person_input
from ui.operations import cases as cases_ops
from ui.operations import escalation as escalation_ops
from ui.operations import people as people_ops


def test_a_refused_escalation_keeps_its_audit_entry(
    demo_profile: OpenProfile, backend: LocalBackend
) -> None:
    person_id = people_ops.create_person(person_input()).call(backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Badge").call(backend)
    other = LocalBackend(demo_profile)
    other.sign_in("sam", DEMO_PASSWORD)
    with pytest.raises(AccessRefused):
        escalation_ops.raise_escalation(EscalationRequest(case_id, "other", "Please look.")).call(
            other
        )
    with session_factory(demo_profile.engine).begin() as session:
        refused = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "escalate", AuditEntry.outcome == "refuse"
            )
        ).all()
        assert session.scalars(select(OutboxItem)).all() == []
    assert len(refused) == 1 and refused[0].person_id == person_id


def test_the_template_setting_is_used(demo_profile: OpenProfile, backend: LocalBackend) -> None:
    template = "11111111-2222-4333-8444-555555555555"
    demo_profile.settings.set("notify.escalation_template_id", template)
    person_id = people_ops.create_person(person_input()).call(backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Badge").call(backend)
    escalation_ops.raise_escalation(EscalationRequest(case_id, "other", "Please look.")).call(
        backend
    )
    with session_factory(demo_profile.engine).begin() as session:
        item = session.scalars(select(OutboxItem)).one()
    assert json.loads(item.body)["template_id"] == template


def test_a_case_with_no_definition_says_what_to_do_instead(backend: LocalBackend) -> None:
    from casework.kernel.errors import NotFound

    person_id = people_ops.create_person(person_input()).call(backend)
    case_id = cases_ops.open_case(person_id, "general-advice", "Advice").call(backend)
    with pytest.raises(NotFound, match="no named facilitator"):
        escalation_ops.escalation_recipient(case_id).call(backend)
