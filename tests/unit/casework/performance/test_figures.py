"""A service's figures for this office, each checked against rows put in by
hand on a real encrypted profile: what counts, what falls outside the
period, the service or the office, and who may read them (audited)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.profile import OpenProfile
from casework.forms.definitions import Catalogue, load_catalogue
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Worker
from casework.kernel.records import Actor, Role
from casework.performance.figures import ServiceFigures, service_figures
from delegation.models import AuditEntry
from tests.unit.casework.performance.activity import SERVICE, seed
from tests.unit.conftest import WriteSession

START, END = date(2026, 11, 1), date(2026, 11, 30)
NOW = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def seeded(
    demo_profile: OpenProfile, write: WriteSession, catalogue: Catalogue
) -> tuple[Actor, Actor]:
    from casework.kernel.accounts import actor_for

    service = catalogue.service_of(SERVICE)
    with write() as session:
        amira = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        sam = session.scalars(select(Worker).where(Worker.username == "sam")).one()
        seed(session, amira, sam, service.pages[0].id, service.pages[2].id)
        return actor_for(amira), actor_for(sam)


def figures_for(write: WriteSession, actor: Actor, catalogue: Catalogue) -> ServiceFigures:
    with write() as session:
        return service_figures(session, actor, SERVICE, START, END, catalogue=catalogue, now=NOW)


def test_every_figure_matches_the_rows_put_in(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    amira, _sam = seeded
    got = figures_for(write, amira, catalogue)
    service = catalogue.service_of(SERVICE)
    assert (got.started, got.sent, got.delivered, got.abandoned) == (6, 4, 2, 2)
    # 30, 60, 90 minutes and 2 days (2,880 minutes): the middle two.
    assert got.median_minutes == pytest.approx(75.0)
    assert [(c.key, c.count) for c in got.drop_off] == [
        (service.pages[0].id, 1),
        (service.pages[2].id, 2),
    ]
    assert got.drop_off[0].words == service.pages[0].text("title", "en")
    assert (got.escalations, got.breaches, got.re_escalations) == (1, 2, 2)
    assert (got.payments_requested, got.payments_paid, got.payments_not_paid) == (4, 2, 1)
    assert got.paid_pence == 1550
    assert (got.paper_out, got.paper_back) == (2, 1)
    assert [(c.key, c.count) for c in got.reasons] == [
        ("online_service", 2),
        ("no_device", 1),
        ("language", 1),
    ]
    assert got.reasons[0].words == "Could not use the online service"


def test_another_office_sees_only_its_own(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    _amira, sam = seeded
    got = figures_for(write, sam, catalogue)
    assert (got.started, got.sent, got.delivered, got.abandoned) == (2, 1, 0, 1)
    assert (got.escalations, got.breaches, got.payments_paid, got.paid_pence) == (1, 1, 1, 99)
    assert (got.paper_out, got.paper_back) == (1, 0)
    assert [(c.key, c.count) for c in got.reasons] == [("wrong_decision", 1)]


def _audit(write: WriteSession) -> list[AuditEntry]:
    with write() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "office.service_figures")
        ).all()
        session.expunge_all()
        return list(rows)


def test_one_audited_read_and_a_carer_is_refused(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    amira, _sam = seeded
    figures_for(write, amira, catalogue)
    entries = _audit(write)
    assert [(e.outcome, e.person_id) for e in entries] == [("allow", None)]
    assert json.loads(entries[0].scope_detail) == {
        "service": SERVICE,
        "from": "2026-11-01",
        "to": "2026-11-30",
    }
    with write() as session:
        carer = Worker(
            username="cara",
            display_name="Cara Carer",
            password_hash="x",
            role=Role.CARER,
            team_id=amira.team_id,
        )
        session.add(carer)
        session.flush()
        from casework.kernel.accounts import actor_for

        cara = actor_for(carer)
    # The refusal is kept: the caller commits after AccessRefused, as the port does.
    with write() as session, pytest.raises(AccessRefused, match="role"):
        service_figures(session, cara, SERVICE, START, END, now=NOW)
    assert [e.outcome for e in _audit(write)] == ["allow", "refuse"]


def test_an_inactive_account_and_a_bad_period_are_refused(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    amira, _sam = seeded
    with write() as session:
        session.scalars(select(Worker).where(Worker.id == amira.worker_id)).one().active = False
    with pytest.raises(AccessRefused, match="not active"):
        figures_for(write, amira, catalogue)
    with write() as session:
        session.scalars(select(Worker).where(Worker.id == amira.worker_id)).one().active = True
    with write() as session, pytest.raises(InvalidInput):
        service_figures(session, amira, SERVICE, END, START, now=NOW)


def test_figures_of_an_empty_period_are_zero(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    amira, _sam = seeded
    with write() as session:
        got = service_figures(session, amira, SERVICE, date(2025, 1, 1), date(2025, 1, 31), now=NOW)
    assert got.started == got.sent == got.paper_out == 0
    assert got.median_minutes is None and got.drop_off == ()


def test_not_while_an_assisted_session_runs(
    write: WriteSession, seeded: tuple[Actor, Actor], catalogue: Catalogue
) -> None:
    """At a public terminal the screen is the person's: no office figures on it."""
    from datetime import timedelta

    from delegation.session_models import AssistedSession

    amira, _sam = seeded
    with write() as session:
        session.add(
            AssistedSession(
                worker_id=amira.worker_id,
                person_id=1,
                case_id=1,
                mandate_id=1,
                service_id=SERVICE,
                started_at=NOW - timedelta(minutes=5),
                ends_at=NOW + timedelta(minutes=55),
            )
        )
    with write() as session, pytest.raises(AccessRefused, match="assisted session"):
        service_figures(session, amira, SERVICE, START, END, now=NOW)
    assert [e.outcome for e in _audit(write)] == ["refuse"]
    with write() as session:
        later = NOW + timedelta(hours=2)  # the session has ended by then
        assert service_figures(session, amira, SERVICE, START, END, now=later).sent == 4
