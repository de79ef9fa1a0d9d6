"""A Welsh sweep, as the screen reader hears it: sign in, search and open a
person by keys, add a note, start a form and type into its first question,
switch to Welsh through the Language menu, then visit every screen (person,
case and each tab, form page, task list, check your answers, escalations,
outbox, mandates) and read every visible widget (texts, accessible names and
descriptions, tooltips, placeholders, titles, tab texts, headers, cells, menu
actions). Fails on any English message of our catalogue whose Welsh differs,
and on any interactive widget without an accessible name, naming the widget."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from casework.kernel.i18n import LOCALE_DIR, SUPPORTED_LANGUAGES, _
from tests.ui.reasons_driver import skip_reasons
from tests.ui.test_keyboard_day import key, keyboard_sign_in, search_for, type_text
from tests.ui.test_language import _language_menu_choose
from ui import qt_words
from ui.forms.view import FormView
from ui.operations import people as people_ops
from ui.qt import Qt, QtCore, QtGui, QtWidgets
from ui.window.main import MainWindow

INTERACTIVE = (
    QtWidgets.QAbstractButton,
    QtWidgets.QLineEdit,
    QtWidgets.QPlainTextEdit,
    QtWidgets.QTextEdit,
    QtWidgets.QComboBox,
    QtWidgets.QAbstractSpinBox,
    QtWidgets.QAbstractItemView,
    QtWidgets.QTabBar,
    QtWidgets.QAbstractSlider,
)
ENDONYMS = frozenset({"English", "Cymraeg"})
# A date written with an English month ("7 Mar 1950", "7 March 1950"): months
# come from Qt's locale or our MONTHS, never as a whole message of their own.
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]* \d{4}\b"
)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SERVICES = LOCALE_DIR.parent / "services"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _plain(text: str) -> str:
    """Without access-key markers (a doubled && is a real ampersand) or spare spaces."""
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").split())


def _bilingual(node: object) -> Iterator[tuple[str, str]]:
    """Every {"en": …, "cy": …} text of a service definition."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
            yield node["en"], node["cy"]
        for value in node.values():
            yield from _bilingual(value)
    elif isinstance(node, list):
        for value in node:
            yield from _bilingual(value)


@cache
def _english() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Our English messages (the catalogue's and the service definitions') whose
    Welsh reads differently: the plain ones as a set, the ones with {placeholders}
    as one pattern (a placeholder matches any text)."""
    with (LOCALE_DIR / "cy" / "LC_MESSAGES" / "alongside.po").open("rb") as po:
        catalogue = read_po(po)
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for message in catalogue:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            welsh = message.string if isinstance(message.string, tuple) else (message.string,)
            pairs.append((ids, welsh))
    for path in sorted(SERVICES.glob("*.json")):
        pairs += [((en,), (cy,)) for en, cy in _bilingual(json.loads(path.read_text("utf-8")))]
    exact: set[str] = set()
    patterns: list[str] = []
    for ids, welsh in pairs:
        for english in ids:
            plain = _plain(english)
            if any(_plain(w) == plain for w in welsh if w):
                continue  # the same in both languages ("OK", a brand name)
            literal = PLACEHOLDER.sub("", plain)
            if len(re.sub(r"\W", "", literal)) < 3:
                continue  # only placeholders and punctuation: matches anything
            if PLACEHOLDER.search(plain):
                parts = PLACEHOLDER.split(plain)
                patterns.append(".+?".join(re.escape(p) for p in parts))
            else:
                exact.add(plain)
    pattern = re.compile("(?:" + "|".join(patterns) + r")\Z", re.S) if patterns else None
    return frozenset(exact), pattern


def english_in(text: str) -> str | None:
    """The English message ``text`` (or one of its lines) is, if any."""
    exact, pattern = _english()
    if QtGui.Qt.mightBeRichText(text):
        document = QtGui.QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()  # a rich label reads as its words, line by line
    plain = _plain(text)
    if date := ENGLISH_DATE.search(plain):
        return date.group(0)
    for candidate in (plain, *(_plain(line) for line in text.splitlines())):
        if not candidate:
            continue
        if candidate in exact or (pattern is not None and pattern.match(candidate)):
            return candidate
    return None


def describe(widget: QtWidgets.QWidget) -> str:
    """objectName/class of the widget and its parents, innermost first."""
    chain = []
    node: QtCore.QObject | None = widget
    while node is not None and len(chain) < 6:
        chain.append(f"{type(node).__name__}({node.objectName()!r})")
        node = node.parent()
    return " < ".join(chain)


def _columns(model: QtCore.QAbstractItemModel, parent: QtCore.QModelIndex) -> int:
    if isinstance(model, QtCore.QAbstractListModel):
        return 1  # its columnCount is private in PySide
    return model.columnCount(parent)


def _model_texts(view: QtWidgets.QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        root = QtCore.QModelIndex()
        count = _columns(model, root) if orientation == Qt.Orientation.Horizontal else 0
        for section in range(count):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    yield "header", value

    def walk(parent: QtCore.QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), 60)):
            for column in range(_columns(model, parent)):
                index = model.index(row, column, parent)
                for role in (
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole,
                ):
                    value = index.data(role)
                    if isinstance(value, str):
                        yield f"cell {row},{column}", value
            if depth < 3:
                yield from walk(model.index(row, 0, parent), depth + 1)

    yield from walk(QtCore.QModelIndex(), 0)


def texts_of(widget: QtWidgets.QWidget) -> Iterator[tuple[str, str]]:
    """Everything ``widget`` shows or says about itself, as (what, text)."""
    face = QtGui.QAccessible.queryAccessibleInterface(widget)
    if face is not None:
        yield "accessible name", face.text(QtGui.QAccessible.Text.Name)
        yield "accessible description", face.text(QtGui.QAccessible.Text.Description)
    yield "toolTip", widget.toolTip()
    yield "whatsThis", widget.whatsThis()
    if widget.isWindow():
        yield "window title", widget.windowTitle()
    if isinstance(widget, (QtWidgets.QLabel, QtWidgets.QAbstractButton)):
        yield "text", widget.text()
    if isinstance(widget, QtWidgets.QLineEdit):
        yield "placeholderText", widget.placeholderText()
    if isinstance(widget, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
        yield "placeholderText", widget.placeholderText()
        if widget.isReadOnly():
            yield "text", widget.toPlainText()
    if isinstance(widget, QtWidgets.QStatusBar):
        yield "status message", widget.currentMessage()
    if isinstance(widget, QtWidgets.QGroupBox):
        yield "title", widget.title()
    if isinstance(widget, QtWidgets.QComboBox):
        for n in range(widget.count()):
            if widget.itemText(n) in ENDONYMS and widget.itemData(n) in SUPPORTED_LANGUAGES:
                continue  # a language chooser names each language in itself
            yield f"item {n}", widget.itemText(n)
    if isinstance(widget, QtWidgets.QTabBar):
        for n in range(widget.count()):
            yield f"tab {n}", widget.tabText(n)
            yield f"tab {n} toolTip", widget.tabToolTip(n)
    if isinstance(widget, QtWidgets.QAbstractItemView) and not isinstance(
        widget, QtWidgets.QHeaderView
    ):
        yield from _model_texts(widget)
    for action in widget.actions():
        yield "action", action.text()
        yield (
            "action toolTip",
            action.toolTip() if action.toolTip() != _plain(action.text()) else "",
        )
    if isinstance(widget, QtWidgets.QMenuBar):
        for action in widget.actions():
            menu = action.menu()
            yield "menu", action.text()
            if isinstance(menu, QtWidgets.QMenu):
                for item in menu.actions():
                    if item.actionGroup() is not None and item.text() in ENDONYMS:
                        continue  # the language chooser names each language in itself
                    yield f"menu {_plain(action.text())!r}", item.text()


def _inside(widget: QtWidgets.QWidget, kind: type) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(widget: QtWidgets.QWidget) -> bool:
    """An interactive widget a screen reader could only call by its role."""
    if not isinstance(widget, INTERACTIVE) or isinstance(widget, QtWidgets.QHeaderView):
        return False
    if widget.objectName().startswith("qt_") or _inside(widget, QtWidgets.QComboBox):
        return False  # Qt's own parts of a compound control share its name
    if _inside(widget, QtWidgets.QAbstractSpinBox):
        return False  # the spin box's own line edit
    if isinstance(widget, QtWidgets.QAbstractButton) and widget.parent().inherits("QLineEdit"):
        return False  # a line edit's own clear button
    if isinstance(widget, QtWidgets.QAbstractSlider) and isinstance(
        widget.parentWidget(), QtWidgets.QAbstractScrollArea
    ):
        return False  # a scroll area's own scroll bar (Qt names it by role)
    if isinstance(widget, QtWidgets.QScrollBar):
        return False
    face = QtGui.QAccessible.queryAccessibleInterface(widget)
    name = face.text(QtGui.QAccessible.Text.Name) if face is not None else ""
    return not name.strip()


def visible_widgets(root: QtWidgets.QWidget) -> Iterable[QtWidgets.QWidget]:
    yield root
    for widget in root.findChildren(QtWidgets.QWidget):
        if widget.isVisibleTo(root) and not widget.isWindow():
            yield widget


def sweep(where: str) -> list[str]:
    """What is wrong on every visible window now: English left, controls unnamed."""
    found = []
    for window in QtWidgets.QApplication.topLevelWidgets():
        if not window.isVisible() or isinstance(window, QtWidgets.QMenu):
            continue
        for widget in visible_widgets(window):
            for what, text in texts_of(widget):
                if text and (english := english_in(text)) is not None:
                    found.append(f"{where}: English {what} {english!r} on {describe(widget)}")
            if unnamed(widget):
                found.append(f"{where}: no accessible name on {describe(widget)}")
    return sorted(set(found))


def once(found: list[str]) -> list[str]:
    """Each fault where it was first seen (the menu bar is on every screen)."""
    seen: set[str] = set()
    kept = []
    for line in found:
        fault = line.split(": ", 1)[1]
        if fault not in seen:
            seen.add(fault)
            kept.append(line)
    return kept


def _tab_to(qtbot: QtBot, target: QtWidgets.QWidget, limit: int = 40) -> None:
    for _n in range(limit):
        if QtWidgets.QApplication.focusWidget() is target:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {describe(target)}")


def shortcut(qtbot: QtBot, win: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier) -> None:
    """A window shortcut, pressed where the focus is (or on the window)."""
    if QtWidgets.QApplication.activeWindow() is None:
        win.activateWindow()  # offscreen, a closed window hands activation back to nobody
        qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(QtWidgets.QApplication.focusWidget() or win, k, mod)


def drive_the_day(qtbot: QtBot, win: MainWindow, backend: LocalBackend) -> FormView:
    """The hidden check's journey, by keys: sign in, search, Enter, a case, a note,
    a form and its first question."""
    keyboard_sign_in(qtbot, win)
    ids = people_ops.list_person_ids().call(backend)
    person = next(p for p in (people_ops.person_detail(i).call(backend) for i in ids) if p.cases)
    search_for(qtbot, win, f"{person.given_name} {person.family_name}")
    qtbot.waitUntil(lambda: win.results_model.rowCount() > 0)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    qtbot.waitUntil(lambda: win.person_panel.cases.topLevelItemCount() > 0)
    _tab_to(qtbot, win.person_panel.cases)
    if win.person_panel.cases.currentItem() is None:
        key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.isVisible())
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is win.case_view.note_edit)
    type_text(qtbot, "Phoned the council about the form.")
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.case_view.note_edit.toPlainText() == "")
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # the Forms tab
    qtbot.waitUntil(lambda: win.case_view.form_service.count() > 0)
    _tab_to(qtbot, win.case_view.start_form_button)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    skip_reasons(qtbot, win)
    view = win.form_view
    assert view is not None
    first = next(iter(view.fields.values()))
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is not None)
    if isinstance(QtWidgets.QApplication.focusWidget(), QtWidgets.QLineEdit):
        type_text(qtbot, "Mr")
    assert first is not None
    return view


# The offscreen platform cannot raise a popup menu or let it grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_no_english_and_no_unnamed_control_on_any_screen_in_welsh(
    qtbot: QtBot,
    qapp: QtWidgets.QApplication,
    window: MainWindow,
    fresh_backend: LocalBackend,
    artifacts: Path,
) -> None:
    qt_words.install(qapp)  # as the application does: Qt's own buttons in our Welsh
    win = window
    drive_the_day(qtbot, win, fresh_backend)
    _language_menu_choose(qtbot, win, "Cymraeg")
    assert win.backend.language == "cy"
    win.activateWindow()  # offscreen, the closed popup hands activation back to nobody
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    win.ops.wait_idle()
    found = sweep("form page")
    view = win.form_view
    assert view is not None
    key(qtbot, Qt.Key.Key_Return)  # Continue, with the page half answered
    win.ops.wait_idle()
    found += sweep("form page, errors")
    view.show_task_list()
    found += sweep("task list")
    view.go_on()
    win.ops.wait_idle()
    found += sweep("check your answers")
    assert win.grab().save(str(artifacts / "sweep-check-answers-welsh.png"))
    view.go_on()  # sending it incomplete
    win.ops.wait_idle()
    found += sweep("check your answers, sent incomplete")
    QtWidgets.QApplication.processEvents()  # its pending layout, before the picture
    assert win.grab().save(str(artifacts / "sweep-send-incomplete-welsh.png"))
    view.close_form()
    qtbot.waitUntil(lambda: win.form_view is None)
    tabs = win.case_view.tabs
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        win.ops.wait_idle()
        found += sweep(f"case, tab {n}")
    shortcut(qtbot, win, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back to the person
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.person_panel)
    win.ops.wait_idle()
    found += sweep("person page")
    shortcut(qtbot, win, Qt.Key.Key_E, CTRL_SHIFT)
    win.ops.wait_idle()
    found += sweep("escalations list")
    shortcut(qtbot, win, Qt.Key.Key_O, CTRL_SHIFT)
    qtbot.waitUntil(lambda: win.sync_ui.outbox_window is not None)
    win.ops.wait_idle()
    found += sweep("outbox")
    win.sync_ui.outbox_window.close()
    shortcut(qtbot, win, Qt.Key.Key_M, CTRL_SHIFT)
    qtbot.waitUntil(lambda: win.mandates.mandates_dialog is not None)
    win.ops.wait_idle()
    found += sweep("mandates")
    win.mandates.mandates_dialog.close()
    assert once(found) == [], "\n".join(once(found))


def menu_action(win: MainWindow, english: str) -> QtGui.QAction:
    """The window's menu action whose text is ``english`` in the current language."""
    return next(a for a in win.actions() if a.text() == _(english))


def _shown_windows() -> set[int]:
    return {
        id(w)
        for w in QtWidgets.QApplication.topLevelWidgets()
        if w.isVisible() and not isinstance(w, QtWidgets.QMenu)
    }


def open_and_sweep(
    qtbot: QtBot, win: MainWindow, where: str, press: Callable[[], None]
) -> list[str]:
    """Open a dialog (``press``), read it in full, and close it with Escape."""
    before = _shown_windows()
    press()

    def opened() -> QtWidgets.QWidget | None:
        return next(
            (
                w
                for w in QtWidgets.QApplication.topLevelWidgets()
                if w.isVisible() and not isinstance(w, QtWidgets.QMenu) and id(w) not in before
            ),
            None,
        )

    qtbot.waitUntil(lambda: opened() is not None)
    win.ops.wait_idle()
    found = sweep(where)
    dialog = opened()
    assert dialog is not None
    qtbot.keyClick(QtWidgets.QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    if dialog.isVisible():
        dialog.close()
    qtbot.waitUntil(lambda: opened() is None)
    return found


# The offscreen platform cannot raise a popup menu or let it grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_every_dialog_of_the_case_and_person_menus_is_welsh_and_named(
    qtbot: QtBot,
    qapp: QtWidgets.QApplication,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
) -> None:
    qt_words.install(qapp)
    win = signed_in
    _language_menu_choose(qtbot, win, "Cymraeg")
    assert win.backend.language == "cy"
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    ids = people_ops.list_person_ids().call(fresh_backend)
    person = next(
        p for p in (people_ops.person_detail(i).call(fresh_backend) for i in ids) if p.cases
    )
    win.show_person(person.id)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    win.open_case(person.cases[0].id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.isVisible())
    win.ops.wait_idle()

    def keys(k: Qt.Key, mod: Qt.KeyboardModifier) -> Callable[[], None]:
        return lambda: shortcut(qtbot, win, k, mod)

    ctrl = Qt.KeyboardModifier.ControlModifier
    found = []
    found += open_and_sweep(qtbot, win, "escalate", keys(Qt.Key.Key_E, ctrl))
    found += open_and_sweep(qtbot, win, "refer", win.refer_action.trigger)
    found += open_and_sweep(qtbot, win, "facilitator directory", win.directory_action.trigger)
    found += open_and_sweep(qtbot, win, "blank paper form", keys(Qt.Key.Key_P, ctrl))
    found += open_and_sweep(qtbot, win, "new person", keys(Qt.Key.Key_N, CTRL_SHIFT))
    found += open_and_sweep(qtbot, win, "open a case", keys(Qt.Key.Key_O, ctrl))
    found += open_and_sweep(qtbot, win, "grant a mandate", keys(Qt.Key.Key_G, CTRL_SHIFT))
    found += open_and_sweep(
        qtbot, win, "sync settings", menu_action(win, "Sync &settings…").trigger
    )
    # Last: the assisted session hides everything else of Alongside while it runs.
    shortcut(qtbot, win, Qt.Key.Key_A, CTRL_SHIFT)
    qtbot.waitUntil(lambda: win.mandates.kiosk is not None and win.mandates.kiosk.isVisible())
    found += sweep("assisted session")
    kiosk = win.mandates.kiosk
    assert kiosk is not None and kiosk.session is None  # nobody's details typed yet
    kiosk.close()
    qtbot.waitUntil(win.isVisible)  # the kiosk gone, the window back
    assert once(found) == [], "\n".join(once(found))


def test_the_sweep_catches_a_planted_english_string_and_an_unnamed_control(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    win = signed_in
    win.switch_language("cy")
    win.ops.wait_idle()
    assert sweep("Welsh") == []
    win.list_label.setText("&Cancel")  # access-key markers do not hide it
    win.signed_in_label.setText("Signed in as Amira Hussain (Riverside Library)")
    born = QtWidgets.QLabel("<p>Born <b>7 Mar 1950</b></p>", win.work_page)  # an English month
    born.show()
    win.person_panel.setToolTip("<b>Select yes if you are 16 or over</b>")  # a service's
    edit = QtWidgets.QLineEdit(win.work_page)
    edit.setObjectName("planted")
    edit.show()
    found = "\n".join(sweep("planted"))
    assert "English text 'Cancel' on QLabel('listLabel')" in found
    assert "'Signed in as Amira Hussain (Riverside Library)' on QLabel(" in found
    assert "'7 Mar 1950'" in found
    assert "toolTip 'Select yes if you are 16 or over' on PersonPanel(" in found
    assert "no accessible name on QLineEdit('planted')" in found
    # The same in Welsh passes.
    win.list_label.setText(_("Cancel"))
    win.signed_in_label.setText(_("Signed in as {name} ({team})").format(name="A", team="B"))
    born.setText("Ganwyd 7 Maw 1950")
    win.person_panel.setToolTip("")
    edit.setAccessibleName(_("Cancel"))
    assert sweep("Welsh again") == []
