"""What a mandate leaves behind, in the real window on a real profile:
revoke and see the draft freeze (read only, printable for the person), the
"who acted for me" report saved from the audit tab, and the reminder of
mandates ending soon."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6 import QtPrintSupport
from pytestqt.qtbot import QtBot

from tests.conftest import PATIENCE_S
from tests.ui.conftest import screenshot, sign_in
from tests.ui.reasons_driver import skip_reasons
from tests.ui.test_accessibility import _unnamed
from tests.ui.test_mandates import _grant_dialog, _open_first_person
from ui.forms.view import FormView
from ui.mandates.kiosk import utc_now
from ui.mandates.view import MandatesDialog, ReasonDialog, RenewDialog
from ui.operations import cases as cases_ops
from ui.operations import mandates as mandates_ops
from ui.paper.keeper import PdfKeeper
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def _save_through(qtbot: QtBot, keeper: PdfKeeper, path: Path) -> None:
    qtbot.waitUntil(lambda: keeper.file_dialog is not None and keeper.file_dialog.isVisible())
    assert keeper.file_dialog is not None
    keeper.file_dialog.selectFile(str(path))
    keeper.file_dialog.accept()
    qtbot.waitUntil(lambda: keeper.print_dialog is not None, timeout=20000)
    assert path.exists()


def _grant_with_health(qtbot: QtBot, win: MainWindow) -> None:
    dialog = _grant_dialog(qtbot, win)
    dialog.service.setCurrentIndex(dialog.service.findData("blue-badge"))
    dialog.action_boxes["draft"].setChecked(True)
    for category in ("identity", "financial", "health"):
        dialog.category_boxes[category].setChecked(True)
    dialog.add_detail.click()
    dialog.seen_alone.setChecked(True)
    for key, value in {
        "pressured_by_anyone": False,
        "can_say_what_helper_will_do": True,
        "knows_how_to_withdraw": True,
    }.items():
        dialog.safeguarding.answer(key, value)
    dialog.ends_at.setText((utc_now() + timedelta(days=20)).astimezone().strftime("%d/%m/%Y"))
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    dialog.close()


def _mandates_view(qtbot: QtBot, win: MainWindow) -> MandatesDialog:
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: win.mandates.mandates_dialog is not None)
    view = win.mandates.mandates_dialog
    assert isinstance(view, MandatesDialog)
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() >= 1)
    return view


def test_revoke_and_see_the_draft_freeze(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path, tmp_path: Path
) -> None:
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    person = win.person_panel.person
    assert person is not None
    _grant_with_health(qtbot, win)

    # Start a Blue Badge form on their Blue Badge case as the grantee and answer
    # a health question: only the mandate grants health, so the draft is saved under it.
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge").call(win.backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    win.start_form(case_id, "blue-badge")
    qtbot.waitUntil(lambda: isinstance(win.form_view, FormView))
    skip_reasons(qtbot, win)
    form = win.form_view
    assert form is not None and form.mode == "page"
    form.open_page("benefits")
    qtbot.mouseClick(form.fields["benefits"].buttons["blind"], Qt.MouseButton.LeftButton)
    form.open_page("sight")
    edit = form.fields["sight-council"].findChild(QtWidgets.QLineEdit)
    assert edit is not None
    qtbot.keyClicks(edit, "Cardiff")
    form.open_page("name")
    given = form.fields["given-name"].findChild(QtWidgets.QLineEdit)
    assert given is not None
    given.clear()
    qtbot.keyClicks(given, "Nerys")
    qtbot.waitUntil(lambda: form.saved and form.save_status.text() != "Saving…", timeout=10000)
    assert form.save_status.text() == "Saved", form.message.text()
    form.close_form()
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.case_view)
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() == 1)
    assert win.case_view.forms.topLevelItem(0).text(1) == "In progress"
    assert win.case_view.frozen_row.isHidden()

    # Revoke from the mandates view.
    win.show_person(person_id)
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.person_panel)
    view = _mandates_view(qtbot, win)
    view.list.setCurrentItem(view.list.topLevelItem(0))
    view.revoke_button.click()
    qtbot.waitUntil(lambda: isinstance(view.prompt, ReasonDialog) and view.prompt.isVisible())
    prompt = view.prompt
    assert isinstance(prompt, ReasonDialog)
    prompt.confirm.click()
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Revoked")
    view.close()

    # The Forms tab marks the draft frozen and says for whom it can be printed.
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.frozen_row.isVisible(), timeout=10000)
    assert win.case_view.forms.topLevelItem(0).text(1) == "Frozen: print only"
    notice = win.case_view.frozen_row.notice.text()
    assert notice == (
        f"The mandate for this form has ended. You can print it for {person.full_name}, "
        "but not change or send it."
    )
    win.case_view.tabs.setCurrentIndex(4)
    assert win.case_view.grab().save(str(artifacts / "70-frozen-form-on-the-case.png"))

    # Opening it is read only: no Continue, no Send, nothing saved.
    win.case_view.forms.setCurrentItem(win.case_view.forms.topLevelItem(0))
    win.case_view.continue_form_button.click()
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view is not form)
    frozen = win.form_view
    assert frozen is not None and frozen.mode == "frozen"
    assert frozen.continue_button.isHidden() and frozen.tasks_button.isHidden()
    assert frozen.fields == {} and not frozen.findChildren(QtWidgets.QLineEdit)
    assert person.full_name in frozen.findChild(QtWidgets.QLabel, "frozenNotice").text()
    frozen.schedule_save()
    frozen.save_now()
    assert not frozen.save_timer.isActive() and frozen.saved
    assert frozen.save_status.text() == "" and frozen.message.isHidden()
    assert _unnamed(frozen) == []
    assert frozen.grab().save(str(artifacts / "71-frozen-form-read-only.png"))

    # Print for the person (from the keyboard): the PDF is saved, then printing offered.
    frozen.frozen_panel.print_button.setFocus()
    qtbot.keyClick(frozen.frozen_panel.print_button, Qt.Key.Key_Space)
    keeper = frozen.frozen_panel.keeper
    saved = tmp_path / "for-the-person.pdf"
    _save_through(qtbot, keeper, saved)
    text = _pdf_text(saved)
    assert "Nerys" in text and "Blue Badge" in text
    # Printed under the team caseload now, the health answer stays off the paper.
    assert "Cardiff" not in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(saved),
         str(artifacts / "72-frozen-form-pdf")],
        check=True, timeout=PATIENCE_S,
    )  # fmt: skip
    assert keeper.print_dialog is not None
    keeper.print_dialog.reject()

    # The same from the Forms tab's own button.
    frozen.close_form()
    qtbot.waitUntil(lambda: win.case_view.frozen_row.isVisible())
    win.case_view.frozen_row.button.click()
    keeper2 = win.mandates.keeper
    assert keeper2 is not None
    again = tmp_path / "from-the-tab.pdf"
    _save_through(qtbot, keeper2, again)
    assert "Nerys" in _pdf_text(again)
    assert keeper2.print_dialog is not None
    keeper2.print_dialog.reject()


def test_who_acted_for_me_report_from_the_audit_tab(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path, artifacts: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    person = win.person_panel.person
    assert person is not None
    _grant_with_health(qtbot, win)
    view = _mandates_view(qtbot, win)
    view.tabs.setCurrentIndex(1)
    assert view.report_button.isVisible() and view.report_button.accessibleName()
    view.report_button.click()
    keeper = win.mandates.keeper
    assert keeper is not None
    report = tmp_path / "acted-for.pdf"
    _save_through(qtbot, keeper, report)
    text = _pdf_text(report)
    assert "Who acted for you" in text and f"For {person.full_name}" in text
    assert "Recorded a permission (mandate)" in text and "Started a permission" in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(report),
         str(artifacts / "73-acted-for-report")],
        check=True, timeout=PATIENCE_S,
    )  # fmt: skip
    # Offered to print: print it to a file.
    printed = tmp_path / "printed.pdf"
    printer = keeper.printer
    assert isinstance(printer, QtPrintSupport.QPrinter)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    pages: list[int] = []
    keeper.printed.connect(pages.append)
    assert keeper.print_dialog is not None
    keeper.print_dialog.done(QtWidgets.QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: bool(pages), timeout=20000)
    assert len(PdfReader(printed).pages) == pages[0]
    view.close()


def test_mandates_ending_soon_are_shown_at_sign_in_with_renew_one_step_away(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    assert win.mandates.ending_panel.isHidden(), "nothing ends soon in the demo data"
    _open_first_person(qtbot, win)
    person = win.person_panel.person
    assert person is not None
    _grant_with_health(qtbot, win)  # ends in 20 days
    view = _mandates_view(qtbot, win)
    qtbot.waitUntil(view.reminder.isVisible)
    assert "ends on" in view.reminder.text() and "days left" in view.reminder.text()
    view.close()

    win.sign_out()
    assert win.mandates.ending_panel.isHidden()
    sign_in(qtbot, win)
    panel = win.mandates.ending_panel
    qtbot.waitUntil(panel.isVisible)
    assert panel.list.topLevelItemCount() == 1
    row = panel.list.topLevelItem(0)
    assert row.text(0) == person.full_name and row.text(2) in ("19 days left", "20 days left")
    assert "1 mandate ends within 30 days" in win.statusBar().currentMessage()
    assert _unnamed(panel) == []
    screenshot(win, artifacts, "74-mandates-ending-soon")

    # Renew in one step: Enter on the row opens the renew dialog for that mandate.
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.mandates.renew_dialog is not None)
    renew = win.mandates.renew_dialog
    assert isinstance(renew, RenewDialog)
    qtbot.waitUntil(renew.isVisible)
    renew.end.setText((utc_now() + timedelta(days=200)).astimezone().strftime("%d/%m/%Y"))
    renew.agreed.setChecked(True)
    renew.confirm.click()
    qtbot.waitUntil(panel.isHidden, timeout=10000)
    assert win.statusBar().currentMessage() == "The mandate was renewed."


def test_revoked_while_the_form_is_open_the_form_turns_read_only(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    _grant_with_health(qtbot, win)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge").call(win.backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    win.start_form(case_id, "blue-badge")
    qtbot.waitUntil(lambda: isinstance(win.form_view, FormView))
    skip_reasons(qtbot, win)
    form = win.form_view
    assert form is not None
    form.open_page("benefits")
    qtbot.mouseClick(form.fields["benefits"].buttons["blind"], Qt.MouseButton.LeftButton)
    form.open_page("sight")
    edit = form.fields["sight-council"].findChild(QtWidgets.QLineEdit)
    assert edit is not None
    qtbot.keyClicks(edit, "Cardiff")
    qtbot.waitUntil(lambda: form.saved and form.save_status.text() == "Saved", timeout=10000)
    # The person withdraws (revoked from another window) while the form is open.
    [mandate] = [
        m for m in mandates_ops.person_mandates(person_id).call(win.backend) if m.status == "active"
    ]
    mandates_ops.revoke(person_id, mandate.id, mandate.version, "person_withdrew").call(win.backend)
    qtbot.keyClicks(edit, " City")
    qtbot.waitUntil(lambda: form.mode == "frozen", timeout=10000)
    assert "mandate ended while this form was open" in form.message.text()
    assert form.continue_button.isHidden() and form.fields == {}
    form.schedule_save()
    assert not form.save_timer.isActive()
