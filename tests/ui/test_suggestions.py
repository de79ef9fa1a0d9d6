"""The Next claims tab in the real window: after an Attendance Allowance form
is sent, Pension Credit is suggested with its reason and source; the worker
starts it by keyboard (its form opens, offering what is already known) and
puts another aside by keyboard with a reason. My cases lists what is open.
Screenshots in English and Welsh for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from casework.entitlements import actions
from casework.entitlements.models import Suggestion
from casework.entitlements.records import SuggestionStatus
from casework.forms.sample import sample_answers
from casework.kernel.action import act
from tests.ui.access_keys import access_keys
from tests.ui.conftest import screenshot
from tests.ui.test_accessibility import _unnamed
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring
SHOTS = Path("/work/shots/B5")


def _backend(win: MainWindow) -> LocalBackend:
    backend = win.backend
    assert isinstance(backend, LocalBackend)
    return backend


def _sent_case(qtbot: QtBot, win: MainWindow) -> int:
    """A case whose Attendance Allowance form was sent, open on its Next claims tab."""
    backend = _backend(win)
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, "attendance-allowance", "Attendance Allowance").call(
        backend
    )
    service = backend.catalogue.service_of("attendance-allowance")
    backend.perform(
        act(
            actions.submit_answers,
            backend.catalogue,
            case_id,
            service.id,
            sample_answers(service),
            "paper_print",
        ),
        write=True,
    )
    win.open_case(case_id)
    view = win.case_view
    qtbot.waitUntil(lambda: view.case is not None and view.case.id == case_id)
    return case_id


def focused() -> QtWidgets.QWidget | None:
    return QtWidgets.QApplication.focusWidget()


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None, "nothing has the focus: typing would go nowhere"
    qtbot.keyClick(widget, k, mod)


def _to_next_claims(qtbot: QtBot, win: MainWindow) -> None:
    """Alt+F to the case's tabs, Ctrl+Tab on to Next claims, Tab into its list."""
    view = win.case_view
    win.activateWindow()
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    for _n in range(view.tabs.count()):
        if view.tabs.currentWidget() is view.suggestions:
            break
        key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentWidget() is view.suggestions
    qtbot.waitUntil(lambda: view.suggestions.tree.topLevelItemCount() > 0)
    for _n in range(10):
        if focused() is view.suggestions.tree:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.suggestions.tree


def _statuses(win: MainWindow) -> dict[str, SuggestionStatus]:
    engine = _backend(win)._profile.engine
    with session_factory(engine)() as session:
        return {t: st for t, st in session.execute(select(Suggestion.target, Suggestion.status))}


def test_start_a_suggestion_by_keyboard_opens_its_form(qtbot: QtBot, win: MainWindow) -> None:
    _sent_case(qtbot, win)
    _to_next_claims(qtbot, win)
    panel = win.case_view.suggestions
    titles = [panel.tree.topLevelItem(n).text(0) for n in range(panel.tree.topLevelItemCount())]
    row = next(n for n, t in enumerate(titles) if "Pension Credit" in t)
    assert "may be entitled — check" in panel.reason.text() or panel.chosen() is not None
    assert _unnamed(panel) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(win, SHOTS, "case-next-claims-en")
    key(qtbot, Qt.Key.Key_Home)
    for _n in range(row):
        key(qtbot, Qt.Key.Key_Down)
    chosen = panel.chosen()
    assert chosen is not None and chosen.service_id == "pension-credit"
    assert "may be entitled — check" in panel.reason.text()
    assert "gov.uk/pension-credit" in panel.source.text()
    assert panel.start_button.isEnabled()
    clashes = {k: v for k, v in access_keys(win).items() if len(v) > 1}
    assert not clashes, clashes
    key(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.form_view is not None or not panel.message.isHidden())
    assert panel.message.isHidden(), panel.message.text()
    qtbot.waitUntil(
        lambda: win.form_view is not None and win.form_view.service.id == "pension-credit"
    )
    assert _statuses(win)["pension-credit"] is SuggestionStatus.STARTED


def test_put_a_suggestion_aside_by_keyboard_with_a_reason(qtbot: QtBot, win: MainWindow) -> None:
    _sent_case(qtbot, win)
    _to_next_claims(qtbot, win)
    panel = win.case_view.suggestions
    before = panel.tree.topLevelItemCount()
    first = panel.chosen()
    assert first is not None
    clashes = {k: v for k, v in access_keys(win).items() if len(v) > 1}
    assert not clashes, clashes
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.dismiss_box.isVisible() and panel.why.hasFocus())
    key(qtbot, Qt.Key.Key_Down)  # "They already get it"
    key(qtbot, Qt.Key.Key_Tab)
    assert panel.note.hasFocus()
    clashes = {k: v for k, v in access_keys(win).items() if len(v) > 1}
    assert not clashes, clashes
    qtbot.keyClicks(panel.note, "since May")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == before - 1)
    assert not panel.dismiss_box.isVisible()
    engine = _backend(win)._profile.engine
    with session_factory(engine)() as session:
        row = session.get(Suggestion, first.id)
        assert row is not None and row.status is SuggestionStatus.DISMISSED
        assert row.dismiss_note == "since May" and str(row.dismiss_reason) == "already_gets_it"


def test_my_cases_lists_open_suggestions_and_opens_the_case(qtbot: QtBot, win: MainWindow) -> None:
    case_id = _sent_case(qtbot, win)
    mine = win.my_suggestions
    win._load_my_cases()
    qtbot.waitUntil(lambda: mine.topLevelItemCount() > 0)
    assert any(
        "Pension Credit" in mine.topLevelItem(n).text(1) for n in range(mine.topLevelItemCount())
    )
    win.left_tabs.setCurrentIndex(1)
    qtbot.waitUntil(mine.isVisible)
    SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(win, SHOTS, "my-cases-suggestions-en")
    win.switch_language("cy")
    qtbot.waitUntil(lambda: win.my_suggestions.topLevelItemCount() > 0)
    win.left_tabs.setCurrentIndex(1)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    win.case_view.tabs.setCurrentWidget(win.case_view.suggestions)  # a picture, not a key test
    qtbot.waitUntil(lambda: "gwiriwch" in win.case_view.suggestions.reason.text())
    clashes = {k: v for k, v in access_keys(win).items() if len(v) > 1}
    assert not clashes, clashes
    panel = win.case_view.suggestions
    panel.dismiss_button.click()  # the reason box open, for its Welsh access keys too
    qtbot.waitUntil(panel.dismiss_box.isVisible)
    clashes = {k: v for k, v in access_keys(win).items() if len(v) > 1}
    assert not clashes, clashes
    screenshot(win, SHOTS, "case-next-claims-cy")


def test_record_an_award_by_keyboard_and_its_claims_are_suggested(
    qtbot: QtBot, win: MainWindow
) -> None:
    _sent_case(qtbot, win)
    view = win.case_view
    win.activateWindow()
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # the Forms tab
    qtbot.waitUntil(lambda: view.forms.topLevelItemCount() == 1)
    row = view.decision_row
    for _n in range(12):
        if focused() is view.forms:
            break
        key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Home)  # the sent Attendance Allowance form
    qtbot.waitUntil(row.button.isEnabled)
    for _n in range(12):
        if focused() is row.button:
            break
        key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: row.box.isVisible() and focused() is row.outcome)
    assert row.outcome.currentData() == "awarded"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is row.day and row.day.text()  # today, unless changed
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not row.box.isVisible())
    assert row.message.isHidden(), row.message.text()
    qtbot.waitUntil(lambda: "blue-badge" in _statuses(win))
    assert _unnamed(row) == []
