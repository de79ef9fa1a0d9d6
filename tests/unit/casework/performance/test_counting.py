"""One counting rule: the service page and the open data, fed the same rows,
count forms abandoned and the people who gave each reason alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.profile import OpenProfile
from casework.forms import definitions
from casework.kernel.models import Case, Worker
from casework.kernel.records import Actor
from casework.performance.figures import service_figures
from casework.performance.models import CaseOutcomeRow
from casework.performance.open_data import export_open_data, suppressed
from casework.performance.reasons import REASON_WORDS, Reason
from tests.unit.casework.performance.activity import Seeder
from tests.unit.conftest import WriteSession

SERVICE = "blue-badge"
MONDAY, SUNDAY = date(2026, 3, 9), date(2026, 3, 15)  # London is on UTC that week
TUESDAY = datetime(2026, 3, 10, 10, tzinfo=UTC)
NOW = datetime(2026, 4, 20, 12, tzinfo=UTC)  # six weeks on: a form untouched since is idle
RECENT = NOW - timedelta(days=1)
CATALOGUE = definitions.load_catalogue()


def _outcome(seeder: Seeder, case: Case, outcome: str) -> None:
    seeder.s.add(
        CaseOutcomeRow(
            case_id=case.id, outcome=outcome, outcome_on=TUESDAY.date(), set_by_id=seeder.worker.id
        )
    )


def _seed(write: WriteSession) -> None:
    """Five of each kind of unsent form (15 abandoned), and reasons picked
    more than once by the same people."""
    with write() as session:
        amira = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        s = Seeder(session, amira)
        for _n in range(5):
            # Counted: the worker set abandoned (the case open, the form fresh).
            _outcome(s, (given_up := s.case(SERVICE)), "abandoned")
            s.draft(given_up, TUESDAY, updated=RECENT)
            # Counted: no outcome, and the case closed.
            s.draft(s.case(SERVICE, closed=True), TUESDAY, updated=RECENT)
            # Counted: no outcome, and nobody touched the form for 28 days.
            s.draft(s.case(SERVICE), TUESDAY)
            # Not counted: the worker's outcome comes first, before closing or idling.
            _outcome(s, (on_paper := s.case(SERVICE, closed=True)), "paper")
            s.draft(on_paper, TUESDAY)
            _outcome(s, (escalated := s.case(SERVICE)), "escalated")
            s.draft(escalated, TUESDAY)
            # Not counted: still being worked on, or sent.
            s.draft(s.case(SERVICE), TUESDAY, updated=RECENT)
            s.sent(s.case(SERVICE, closed=True), TUESDAY, TUESDAY + timedelta(minutes=20))
            # Reasons: five people gave "online" twice that week (ten picks), and
            # five more gave "no device" once.
            online = s.case(SERVICE)
            s.reasons(online, TUESDAY, Reason.ONLINE_SERVICE.value)
            s.reasons(online, TUESDAY + timedelta(days=2), Reason.ONLINE_SERVICE.value)
            s.reasons(s.case(SERVICE), TUESDAY, Reason.NO_DEVICE.value)


def test_the_service_page_and_the_open_data_count_alike(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    _seed(write)
    gwen = actor("gwen")
    with write() as session:
        page = service_figures(session, gwen, SERVICE, MONDAY, SUNDAY, catalogue=CATALOGUE, now=NOW)
        data = export_open_data(session, gwen, MONDAY, SUNDAY, catalogue=CATALOGUE, now=NOW)
    published = {
        (row.measure, row.reason): row.value
        for row in data.rows
        if row.service == "Apply for a Blue Badge"
    }
    assert page.abandoned == 15
    assert published[("forms_abandoned", "")] == suppressed(page.abandoned) == 15
    people = {c.key: c.count for c in page.reasons}
    assert people == {Reason.ONLINE_SERVICE.value: 5, Reason.NO_DEVICE.value: 5}
    for key, count in people.items():
        words = REASON_WORDS[Reason(key)]
        assert published[("reason", words)] == suppressed(count) == 5
