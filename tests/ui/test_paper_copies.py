"""Paper copies in the real window: a blank form printed from a case is given
out to its person by keyboard, the case then shows it waiting to come back,
and My cases shows a form past its date, in English and in Welsh (issue 18)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casework.kernel.action import act
from casework.paper import copies
from casework.paper.models import PaperCopy
from tests.ui.conftest import screenshot
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.paper.dialog import PaperDialog
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

SERVICE = "blue-badge"


def _case(win: MainWindow) -> int:
    person_id = people_ops.list_person_ids().call(win.backend)[0]
    return cases_ops.open_case(person_id, SERVICE, "Blue Badge").call(win.backend)


def _open(qtbot: QtBot, win: MainWindow, case_id: int) -> None:
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    tabs = win.case_view.tabs
    tabs.setCurrentIndex(tabs.indexOf(win.case_view.paper_waiting.parentWidget()))


def _copies(win: MainWindow) -> list[PaperCopy]:
    with win.backend._tx(write=False) as session:  # type: ignore[attr-defined]
        rows = list(session.scalars(select(PaperCopy).order_by(PaperCopy.id)))
        session.expunge_all()
        return rows


def test_a_blank_form_given_out_by_keyboard_waits_on_the_case(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path, artifacts: Path
) -> None:
    win = signed_in
    case_id = _case(win)
    _open(qtbot, win, case_id)
    waiting = win.case_view.paper_waiting
    qtbot.waitUntil(lambda: waiting.none.isVisible())  # nothing given out yet

    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Paper > Blank form
    qtbot.waitUntil(lambda: isinstance(win.paper_dialog, PaperDialog))
    dialog = win.paper_dialog
    assert isinstance(dialog, PaperDialog)
    # Opened from the case: given out to its person, due back by the default.
    assert dialog.given_case() == case_id
    with qtbot.waitSignal(dialog.previewed, timeout=20000):
        pass
    qtbot.waitUntil(lambda: dialog.due_back.isEnabled() and dialog._due_default is not None)
    default = dialog.due_back.date().toPython()
    assert default > date.today()

    # Given out to nobody, then back to the case, all by keys.
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.given_to
    qtbot.keyClick(dialog.given_to, Qt.Key.Key_Home)
    assert dialog.given_case() is None and not dialog.due_back.isEnabled()
    with qtbot.waitSignal(dialog.due_defaulted, timeout=10000):
        qtbot.keyClick(dialog.given_to, Qt.Key.Key_Down)
    assert dialog.given_case() == case_id
    # "Expect it back by": a day later than the default, by the arrow key.
    qtbot.keyClick(dialog, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.due_back
    qtbot.keyClick(dialog.due_back, Qt.Key.Key_End)  # the year, the last section
    qtbot.keyClick(dialog.due_back, Qt.Key.Key_Home)  # the day, the first
    qtbot.keyClick(dialog.due_back, Qt.Key.Key_Up)
    chosen = dialog.due_back.date().toPython()
    assert chosen == default + timedelta(days=1)
    dialog.grab().save(str(artifacts / "70-paper-given-out.png"))

    with qtbot.waitSignal(dialog.saved, timeout=30000) as saved:
        dialog.save_to(tmp_path / "given")
    [copy] = _copies(win)
    assert (copy.kind, copy.case_id, copy.due_back_on) == ("blank", case_id, chosen)
    text = "".join(p.extract_text() for p in PdfReader(saved.args[0]).pages)
    assert copy.reference in text.replace("\n", "")
    assert copy.pages == len(PdfReader(saved.args[0]).pages)
    dialog.close()

    # The case shows it waiting, with its date in words.
    qtbot.waitUntil(lambda: waiting.tree.topLevelItemCount() == 1)
    row = waiting.tree.topLevelItem(0)
    assert row is not None and row.text(3) == "Waiting"
    assert str(chosen.year) in row.text(2)
    assert waiting.tree.accessibleName() == "Paper forms waiting to come back"
    screenshot(win, artifacts, "71-case-forms-waiting")


def test_an_overdue_form_under_my_cases_in_english_and_welsh(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    case_id = _case(win)
    backend = win.backend

    def late_copy() -> int:
        item = backend.perform(
            act(
                copies.record_copy,
                service_id=SERVICE,
                version="2026.1",
                language="en",
                pages=2,
            ),
            write=True,
        )
        last_week = copies.today_here() - timedelta(days=7)
        backend.perform(
            act(
                copies.give_out,
                item.id,
                case_id,
                last_week + timedelta(days=2),
                today=last_week - timedelta(days=10),
            ),
            write=True,
        )
        return item.id

    late_copy()
    win._load_my_cases()
    panel = win.paper_overdue
    qtbot.waitUntil(lambda: not panel.isHidden() and panel.tree.topLevelItemCount() == 1)
    row = panel.tree.topLevelItem(0)
    assert row is not None and row.text(2) == "Overdue by 5 days"
    win.left_tabs.setCurrentIndex(1)
    screenshot(win, artifacts, "72-my-cases-paper-overdue")

    # Activating the row opens its case, where the form waits, overdue in words.
    panel.tree.setCurrentItem(row)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    waiting = win.case_view.paper_waiting
    qtbot.waitUntil(lambda: waiting.tree.topLevelItemCount() == 1)
    assert waiting.tree.topLevelItem(0).text(3) == "Overdue by 5 days"  # type: ignore[union-attr]

    win.switch_language("cy")
    win._load_my_cases()
    panel = win.paper_overdue
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1)
    welsh_row = panel.tree.topLevelItem(0)
    assert welsh_row is not None and welsh_row.text(2) == "5 diwrnod yn hwyr"
    headers = panel.findChild(QtWidgets.QLabel, "paperOverdueHeading")
    assert headers is not None and headers.text() == "Ffurflenni papur yn hwyr"
    win.left_tabs.setCurrentIndex(1)
    screenshot(win, artifacts, "73-my-cases-paper-overdue-cy")
    _open(qtbot, win, case_id)
    waiting = win.case_view.paper_waiting
    qtbot.waitUntil(lambda: waiting.tree.topLevelItemCount() == 1)
    assert waiting.tree.topLevelItem(0).text(3) == "5 diwrnod yn hwyr"  # type: ignore[union-attr]
    screenshot(win, artifacts, "74-case-forms-waiting-cy")

    # The blank form dialog in Welsh, opened from the case: given out to its person.
    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(win.paper_dialog, PaperDialog))
    dialog = win.paper_dialog
    assert isinstance(dialog, PaperDialog)
    qtbot.waitUntil(lambda: dialog._due_default is not None, timeout=20000)
    assert dialog.given_case() == case_id and ", achos AL-" in dialog.given_to.currentText()
    assert dialog.given_to.itemText(0) == "Neb eto"
    with qtbot.waitSignal(dialog.previewed, timeout=30000, raising=False):
        pass
    dialog.grab().save(str(artifacts / "75-paper-given-out-cy.png"))
    dialog.close()
