"""Nothing cut off at 1280×720, in English and in Welsh: the main window with
a person and a case open (the people list's headers, "Open cases"), the
grant dialog and its hints, the escalation dialog showing its errors, and the
escalations list. Each screen is saved as a PNG (look at them:
``artifacts/layout-*.png``) and every single-line label and header section
is measured against its widget (``tests/ui/layout_check.py``).
``test_layout_scaled.py`` runs this module again at 200% scale."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.conftest import screenshot
from tests.ui.form_driver import press
from tests.ui.layout_check import clipped, shown_texts
from tests.ui.reasons_driver import skip_reasons
from tests.ui.test_escalation_screens import _new_case
from tests.ui.test_mandates import _grant_dialog, _open_first_person
from tests.unit.plain_words import internal_terms
from ui.mandates.view import MandatesDialog
from ui.qt import QtWidgets
from ui.window.main import MainWindow

SCALE = os.environ.get("QT_SCALE_FACTOR", "1")
SIZE = (1280, 720)
EMAIL = re.compile(r"\S+@\S+")


def _settle(qtbot: QtBot, widget: QtWidgets.QWidget) -> None:
    layout = widget.layout()
    if layout is not None:
        layout.activate()
    qtbot.waitExposed(widget)
    QtWidgets.QApplication.processEvents()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_nothing_is_cut_off_at_1280_by_720(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    artifacts: Path,
    language: str,
) -> None:
    win = signed_in
    win.showNormal()
    win.resize(*SIZE)
    win.switch_language(language)
    name = f"layout-{language}-x{SCALE}"
    problems: dict[str, list[str]] = {}

    _open_first_person(qtbot, win)
    dialog = _grant_dialog(qtbot, win)
    _settle(qtbot, dialog)
    problems["grant dialog"] = clipped(dialog)
    grant_words = shown_texts(dialog)
    if dialog.frameGeometry().height() > SIZE[1]:  # taller than a 1280×720 screen
        problems["grant dialog"].append(f"{dialog.frameGeometry().height()}px high")
    assert dialog.grab().save(str(artifacts / f"{name}-grant.png"))
    dialog.close()

    _new_case(win, fresh_backend, qtbot)
    qtbot.waitUntil(lambda: win.people_model.rowCount() > 0)
    _settle(qtbot, win)
    problems["main window"] = clipped(win)
    words = {"main window": shown_texts(win), "grant dialog": grant_words}
    screenshot(win, artifacts, f"{name}-main")

    win.escalation.escalate()
    qtbot.waitUntil(lambda: win.escalation.dialog is not None)
    escalate = win.escalation.dialog
    assert escalate is not None
    qtbot.waitUntil(lambda: escalate.preview_button.isEnabled())
    press(qtbot, escalate.preview_button)  # nothing typed: the errors show
    qtbot.waitUntil(
        lambda: (
            escalate.form.summary.isVisible()
            or escalate.message.isVisible()
            or escalate.pages.currentIndex() == 1
        )
    )
    assert escalate.pages.currentIndex() == 0, "the preview opened with nothing typed"
    said = escalate.form.summary.text().splitlines()
    assert len(said) == len(set(said)) == 3, said  # "There is a problem" and each problem once
    _settle(qtbot, escalate)
    problems["escalation dialog"] = clipped(escalate)
    words["escalation dialog"] = shown_texts(escalate)
    if escalate.frameGeometry().height() > SIZE[1]:
        problems["escalation dialog"].append(f"{escalate.frameGeometry().height()}px high")
    assert escalate.grab().save(str(artifacts / f"{name}-escalate.png"))
    escalate.close()

    # The left side's other lists: my cases and the escalations, headers and all.
    for tab in range(1, win.left_tabs.count()):
        win.left_tabs.setCurrentIndex(tab)
        _settle(qtbot, win)
        problems[f"left tab {tab}"] = clipped(win)
        screenshot(win, artifacts, f"{name}-left-{tab}")
        words[f"left tab {tab}"] = shown_texts(win)
    # The case's tabs: timeline, notes, tasks, documents, forms, outbox, fee.
    for tab in range(win.case_view.tabs.count()):
        win.case_view.tabs.setCurrentIndex(tab)
        _settle(qtbot, win)
        problems[f"case tab {win.case_view.tabs.tabText(tab)}"] = clipped(win)
        words[f"case tab {tab}"] = shown_texts(win)
    # A form: its first page with every error showing, its task list and check page.
    tabs = win.case_view.tabs
    start = win.case_view.start_form_button
    forms_tab = next(t for t in range(tabs.count()) if tabs.widget(t).isAncestorOf(start))
    win.case_view.tabs.setCurrentIndex(forms_tab)
    qtbot.waitUntil(lambda: win.case_view.form_service.count() > 0)
    service = win.case_view.form_service
    service.setCurrentIndex(service.findData("blue-badge"))
    press(qtbot, win.case_view.start_form_button)
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    skip_reasons(qtbot, win)
    form = win.form_view
    assert form is not None
    press(qtbot, form.continue_button)  # nothing answered: the errors show
    qtbot.waitUntil(lambda: form.summary.isVisible())
    for screen in ("page", "tasks", "check"):
        if screen == "tasks":
            press(qtbot, form.tasks_button)
        if screen == "check":
            press(qtbot, form.continue_button)
        qtbot.waitUntil(lambda screen=screen: form.mode == screen)
        _settle(qtbot, win)
        problems[f"form {screen}"] = clipped(win)
        words[f"form {screen}"] = shown_texts(win)
        screenshot(win, artifacts, f"{name}-form-{screen}")
    form.close_form()

    # The person's mandates and audit, and the outbox window.
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: isinstance(win.mandates.mandates_dialog, MandatesDialog))
    mandates = win.mandates.mandates_dialog
    assert isinstance(mandates, MandatesDialog)
    for tab in range(mandates.tabs.count()):
        mandates.tabs.setCurrentIndex(tab)
        _settle(qtbot, mandates)
        problems[f"mandates tab {tab}"] = clipped(mandates)
        words[f"mandates tab {tab}"] = shown_texts(mandates)
        assert mandates.grab().save(str(artifacts / f"{name}-mandates-{tab}.png"))
    mandates.close()
    win.sync_ui.open_outbox()
    outbox = win.sync_ui.outbox_window
    assert outbox is not None
    _settle(qtbot, outbox)
    problems["outbox"] = clipped(outbox)
    words["outbox"] = shown_texts(outbox)
    assert outbox.grab().save(str(artifacts / f"{name}-outbox.png"))
    outbox.close()

    for where, texts in words.items():
        # An email address may hold a service's id ("…+blue-badge@…"): it is an address.
        plain = [EMAIL.sub("", t) for t in texts]
        problems[f"words: {where}"] = [t for t in plain if internal_terms(t)]

    problems = {where: found for where, found in problems.items() if found}
    assert not problems, problems
