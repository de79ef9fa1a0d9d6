"""The outbox window's columns: who each item is for, the case, the service,
the route and the state, sortable from the header or by keyboard ("Sort by"),
with the chosen row's details below; another team's item names no one. The
real window on a real SQLCipher profile, driven with pytest-qt."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from casework.kernel.models import Case, Person
from tests.sync_support import queue_emails
from tests.ui.test_accessibility import _unnamed
from tests.ui.test_sync_ui import _open_outbox, _shot, _signed_in_idle
from ui.operations import cases as cases_ops
from ui.qt import Qt
from ui.sync.outbox_model import column
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring

SHOWN = ("person", "case", "service", "route", "state")


def _other_teams_case(backend: LocalBackend, mine: int) -> int:
    """A case whose person is in another team's caseload than Amira's."""
    with session_factory(backend._profile.engine)() as session:
        team = session.scalar(
            select(Person.team_id).join(Case, Case.person_id == Person.id).where(Case.id == mine)
        )
        found = session.scalar(
            select(Case.id).join(Person, Person.id == Case.person_id).where(Person.team_id != team)
        )
    assert found is not None
    return found


def _texts(panel_model: object, row: int) -> dict[str, str]:
    from ui.sync.outbox_model import OutboxModel

    assert isinstance(panel_model, OutboxModel)
    return {name: panel_model.index(row, column(name)).data() for name in SHOWN}


def test_the_outbox_says_who_which_case_service_route_and_state(
    qtbot: QtBot, window: MainWindow, artifacts: Path
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    _signed_in_idle(qtbot, window)
    window.sync_ui.soon_timer.setInterval(600_000)  # nothing is sent while we look
    work = cases_ops.my_cases().call(backend)[0]
    with session_factory(backend._profile.engine)() as session:
        service_id = session.scalar(select(Case.service_id).where(Case.id == work.case_id))
    title = backend.catalogue.service_of(str(service_id)).text("title", "en")
    (mine,) = queue_emails(backend._profile, 1, work.case_id)
    (theirs,) = queue_emails(backend._profile, 1, _other_teams_case(backend, work.case_id), start=1)
    panel = _open_outbox(qtbot, window)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)

    headers = [panel.model.headerData(column(n), Qt.Orientation.Horizontal) for n in SHOWN]
    assert headers == ["Person", "Case", "Service", "Route", "State"]
    for name in SHOWN:
        assert not panel.table.isColumnHidden(column(name))
    assert panel.table.isSortingEnabled()

    row = _texts(panel.model, panel.model.row_of(mine))
    assert row["person"] == work.person_name
    assert row["case"] == work.reference
    assert row["service"] == title
    assert (row["route"], row["state"]) == ("Email", "Waiting to send")
    other = _texts(panel.model, panel.model.row_of(theirs))
    assert other["person"] == "Someone in another team's caseload"
    assert other["case"] == "—"
    assert (other["route"], other["state"]) == ("Email", "Waiting to send")

    # The details below the table say the same of the chosen row.
    panel.table.selectRow(panel.model.row_of(mine))
    assert f"For: {work.person_name}. Case: {work.reference}." in panel.reason.text()
    panel.table.selectRow(panel.model.row_of(theirs))
    assert "For: Someone in another team's caseload. Case: —." in panel.reason.text()
    assert not panel.retry_button.isEnabled() and not panel.cancel_item_button.isEnabled()

    # Sort by Person from the keyboard, then back to newest first from the header.
    panel.sort_choice.setFocus()
    qtbot.keyClick(panel.sort_choice, Qt.Key.Key_Down)
    assert panel.sort_choice.currentText() == "Person"
    names = [panel.model.index(r, column("person")).data() for r in range(2)]
    assert names == sorted(names, key=str.casefold)
    panel.table.sortByColumn(column("person"), Qt.SortOrder.DescendingOrder)
    assert [panel.model.index(r, column("person")).data() for r in range(2)] == names[::-1]
    panel.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert panel.sort_choice.currentText() == "Newest first"
    assert [panel.model.row(r).id for r in range(2)] == [theirs, mine]  # newest first

    window_ = window.sync_ui.outbox_window
    assert window_ is not None
    assert _unnamed(window_) == []
    panel.table.selectRow(panel.model.row_of(mine))
    window_.resize(1100, 420)
    _shot(window_, artifacts, "sync-06-outbox-who-case-service")
