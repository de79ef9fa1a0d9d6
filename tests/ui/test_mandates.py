"""The mandate screens, driven in the real window on a real encrypted profile:
grant in the dialog, work under the banner, withheld fields, revoke from the
mandates view (keyboard only), the consent receipt saved and printed, and an
assisted session in the kiosk from start to wipe."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6 import QtPrintSupport
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.database import session_factory
from app.profile import OpenProfile
from delegation import audit
from delegation.scope_words import describe
from tests.conftest import PATIENCE_S
from tests.ui.conftest import screenshot
from tests.ui.test_accessibility import _unnamed
from tests.ui.test_main_window import _open_first_case
from tests.unit.delegation.sqlcipher_pages import contains
from ui.mandates.grant_dialog import GrantMandateDialog
from ui.mandates.kiosk import KioskWindow, utc_now
from ui.mandates.view import MandatesDialog, ReasonDialog, RenewDialog
from ui.operations import cases as cases_ops
from ui.operations import mandates as mandates_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow


def _open_first_person(qtbot: QtBot, win: MainWindow) -> int:
    person_id = win.people_model.person_id(0)
    win.show_person(person_id)
    qtbot.waitUntil(
        lambda: win.person_panel.person is not None and win.person_panel.person.id == person_id
    )
    return person_id


def _grant_dialog(qtbot: QtBot, win: MainWindow) -> GrantMandateDialog:
    win.mandates.grant()
    qtbot.waitUntil(lambda: win.mandates.grant_dialog is not None)
    dialog = win.mandates.grant_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _fill(dialog: GrantMandateDialog, pressured: bool = False) -> None:
    dialog.service.setCurrentIndex(dialog.service.findData("blue-badge"))
    dialog.action_boxes["draft"].setChecked(True)
    identity = dialog.category_boxes["identity"]
    assert identity.isEnabled(), "blue-badge asks identity questions"
    identity.setChecked(True)
    dialog.add_detail.click()
    dialog.seen_alone.setChecked(True)
    answers = {
        "pressured_by_anyone": pressured,
        "can_say_what_helper_will_do": True,
        "knows_how_to_withdraw": True,
    }
    for key, value in answers.items():
        dialog.safeguarding.answer(key, value)


def test_grant_work_under_the_banner_and_revoke(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path, tmp_path: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    assert not win.acting_banner.isVisible(), "the team caseload alone shows no banner"
    dialog = _grant_dialog(qtbot, win)
    assert _unnamed(dialog) == []
    dialog.evidence.setText("kept on screen")
    dialog.ends_at.setText("31/02/2027")
    dialog.grant_button.click()
    assert dialog.form.summary.isVisible()
    assert "Add at least one service" in dialog.form.summary.text()
    assert "Answer every safeguarding question" in dialog.form.error_text("safeguarding")
    assert "day, month and year" in dialog.form.error_text("ends_at")
    assert dialog.evidence.text() == "kept on screen", "nothing typed is lost"
    _fill(dialog)
    assert "days on this basis" in dialog.end_hint.text()
    dialog.ends_at.setText("01/01/2100")
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.grant_button.isEnabled())
    assert "at most 366 days" in dialog.form.error_text("ends_at"), "the core's cap, inline"
    dialog.ends_at.setText((utc_now() + timedelta(days=60)).strftime("%d/%m/%Y"))
    assert dialog.task_list.toPlainText() == describe(tuple(dialog.details), dialog.names)
    assert "Apply for a Blue Badge" in dialog.task_list.toPlainText()
    assert "blue-badge" not in dialog.task_list.toPlainText()
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    assert dialog.print_button.isVisible()
    screenshot_dialog = artifacts / "40-grant-mandate-dialog.png"
    assert dialog.grab().save(str(screenshot_dialog))

    # The receipt: save the PDF, then the print dialog opens; print it to a file.
    dialog.print_button.click()
    qtbot.waitUntil(lambda: getattr(dialog, "file_dialog", None) is not None)
    receipt = tmp_path / "receipt.pdf"
    dialog.file_dialog.selectFile(str(receipt))
    dialog.file_dialog.accept()
    qtbot.waitUntil(lambda: win.mandates.print_dialog is not None)
    qtbot.waitUntil(lambda: win.mandates.print_dialog.isVisible())
    assert receipt.exists()
    text = "".join(page.extract_text() for page in PdfReader(receipt).pages)
    assert "withdraw" in text and "Blue Badge" in text and "fill in" in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(receipt),
         str(artifacts / "41-consent-receipt")],
        check=True,
        timeout=PATIENCE_S,
    )  # fmt: skip
    printed = tmp_path / "printed.pdf"
    printer = win.mandates.printer
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    win.mandates.print_dialog.done(QtWidgets.QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: win.mandates.printed_pages > 0, timeout=20000)
    assert len(PdfReader(printed).pages) == win.mandates.printed_pages
    dialog.close()

    # Working for the person under the mandate: the banner, with scope and end date.
    qtbot.waitUntil(lambda: win.acting_banner.isVisible())
    banner = win.acting_banner.text()
    assert banner.startswith("Acting for ")
    assert "Apply for a Blue Badge (look at the details, fill in forms)" in banner
    assert "until" in banner
    screenshot(win, artifacts, "42-acting-for-banner")
    person = win.person_panel.person
    assert person is not None and person.cases
    win.open_case(person.cases[0].id)  # working on one of their cases: still in view
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.case_view)
    win.ops.wait_idle()
    assert win.acting_banner.isVisible() and win.acting_banner.text() == banner
    win.show_person(person.id)
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.person_panel)

    # Revoke from the mandates view, with the keyboard only.
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: win.mandates.mandates_dialog is not None)
    view = win.mandates.mandates_dialog
    assert isinstance(view, MandatesDialog)
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1)
    assert _unnamed(view) == []
    assert view.list.topLevelItem(0).text(0) == "Active"
    # Renew: on consent the person must agree again (the core checks it).
    view.renew_button.click()
    qtbot.waitUntil(lambda: isinstance(view.prompt, RenewDialog) and view.prompt.isVisible())
    renew = view.prompt
    assert isinstance(renew, RenewDialog) and renew.agreed.isVisible()
    renew.end.setText((utc_now() + timedelta(days=200)).astimezone().strftime("%d/%m/%Y"))
    renew.confirm.click()
    qtbot.waitUntil(view.message.isVisible)
    assert "agree to carry on" in view.message.text()
    before = view.list.topLevelItem(0).text(5)
    view.renew_button.click()
    qtbot.waitUntil(lambda: view.prompt is not renew and view.prompt.isVisible())
    renew = view.prompt
    assert isinstance(renew, RenewDialog)
    renew.end.setText((utc_now() + timedelta(days=200)).astimezone().strftime("%d/%m/%Y"))
    renew.agreed.setChecked(True)
    renew.confirm.click()
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(5) != before)
    assert not view.message.isVisible()

    view.activateWindow()
    view.list.setFocus()
    qtbot.waitUntil(lambda: view.list.hasFocus())
    for _tab in range(10):
        if view.revoke_button.hasFocus():
            break
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.revoke_button.hasFocus()
    qtbot.keyClick(view.revoke_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(view.prompt, ReasonDialog) and view.prompt.isVisible())
    prompt = view.prompt
    assert isinstance(prompt, ReasonDialog)
    assert "final" in prompt.findChild(QtWidgets.QLabel).text()
    qtbot.keyClick(prompt.reason, Qt.Key.Key_Down)  # person withdrew -> safeguarding concern
    assert prompt.reason.currentData() == "safeguarding_concern"
    qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Revoked")
    assert not view.revoke_button.isEnabled()
    assert "A safeguarding concern" in view.task_list.text()
    qtbot.waitUntil(lambda: not win.acting_banner.isVisible())
    view.tabs.setCurrentIndex(1)
    what = [view.audit.topLevelItem(i).text(2) for i in range(view.audit.topLevelItemCount())]
    # Every look at the record is audited too; the mandate's own story, newest first:
    assert "Looked at the record" in what
    # (each step is also a request the policy decided: "Asked to ...").
    steps = [w for w in what if w.endswith("a mandate") and not w.startswith("Asked")]
    assert steps[:4] == [
        "Revoked a mandate",
        "Renewed a mandate",
        "Started a mandate",
        "Granted a mandate",
    ]
    view.tabs.setCurrentIndex(0)
    assert view.grab().save(str(artifacts / "43-mandates-view.png"))
    view.tabs.setCurrentIndex(1)
    assert view.grab().save(str(artifacts / "44-audit-view.png"))
    view.close()


def test_a_safeguarding_concern_stops_the_mandate(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    dialog = _grant_dialog(qtbot, win)
    _fill(dialog, pressured=True)
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and not dialog.outcome.active
    assert "speak to your supervisor" in dialog.outcome_label.text()
    assert not dialog.print_button.isVisible()
    scroll = dialog.findChild(QtWidgets.QScrollArea)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    assert dialog.grab().save(str(artifacts / "50-grant-safeguarding-concern.png"))
    dialog.close()
    win.ops.wait_idle()
    assert not win.acting_banner.isVisible()


def test_fields_outside_the_scope_are_shown_withheld(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    person = win.person_panel.person
    assert person is not None and person.phone
    win.person_panel.show_person(dataclasses.replace(person, redacted=frozenset({"contact"})))
    text = win.person_panel.details.text()
    assert person.phone not in text
    assert "Phone: Withheld: not covered by the mandate" in text
    assert "the mandate does not cover it: phone number and email" in text
    win.ops.wait_idle()  # lets the layout settle too
    qtbot.waitUntil(lambda: win.person_panel.details.height() > 100)
    screenshot(win, artifacts, "45-withheld-fields")
    win.person_panel.show_person(person)
    assert person.phone in win.person_panel.details.text()
    # The real record from the team caseload withholds health (the NHS number):
    # the core blanks it and the panel says so.
    assert person.redacted == frozenset({"health"}) and not person.nhs_number
    assert "NHS number: Withheld: not covered by the mandate" in win.person_panel.details.text()
    assert "Phone: Withheld" not in win.person_panel.details.text()

    _open_first_case(qtbot, win, fresh_backend)
    case = win.case_view.case
    assert case is not None
    win.case_view.show_case(dataclasses.replace(case, redacted=frozenset({"health", "financial"})))
    assert "does not cover it: health, money and benefits" in win.case_view.summary.text()
    win.case_view.show_case(case)
    assert "withheld" not in win.case_view.summary.text()


def _start_kiosk_session(qtbot: QtBot, win: MainWindow) -> KioskWindow:
    win.mandates.start_kiosk()
    qtbot.waitUntil(lambda: win.mandates.kiosk is not None)
    kiosk = win.mandates.kiosk
    assert isinstance(kiosk, KioskWindow)
    kiosk.service.setCurrentIndex(kiosk.service.findData("blue-badge"))
    qtbot.waitUntil(lambda: "Apply for a Blue Badge" in kiosk.task_list.toPlainText())
    qtbot.waitUntil(lambda: kiosk.start_button.isEnabled())
    kiosk.given_name.setText("Perpetua")
    kiosk.family_name.setText("Ashdown")
    kiosk.seen_alone.setChecked(True)
    for key, value in {
        "pressured_by_anyone": False,
        "can_say_what_helper_will_do": True,
        "knows_how_to_withdraw": True,
    }.items():
        kiosk.safeguarding.answer(key, value)
    kiosk.start_button.click()
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.session_page, timeout=15000)
    return kiosk


def test_a_kiosk_session_kept_when_the_person_agrees(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = signed_in
    kiosk = _start_kiosk_session(qtbot, win)
    assert kiosk.session is not None
    person_id = kiosk.session.person_id
    kiosk.close()  # a session cannot just be closed: it asks keep-or-wipe instead
    assert kiosk.isVisible() and kiosk.pages.currentWidget() is kiosk.end_page
    kiosk.keep_button.click()
    assert "agrees to open a case" in kiosk.end_message.text()
    kiosk.agreed.setChecked(True)
    with qtbot.waitSignal(kiosk.finished, timeout=10000) as finished:
        kiosk.keep_button.click()
    assert finished.args == ["kept"]
    qtbot.waitUntil(win.isVisible)
    assert person_id in people_ops.list_person_ids().call(fresh_backend)
    assert mandates_ops.acting_mandate(person_id).call(fresh_backend) is None, (
        "the session's mandate ended"
    )


def test_an_assisted_session_from_start_to_wipe(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    db_key: bytes,
    artifacts: Path,
) -> None:
    win = signed_in
    win.mandates.start_kiosk()
    qtbot.waitUntil(lambda: win.mandates.kiosk is not None)
    kiosk = win.mandates.kiosk
    assert isinstance(kiosk, KioskWindow)
    qtbot.waitExposed(kiosk)
    assert kiosk.isFullScreen()
    assert not win.isVisible(), "the rest of Alongside is out of reach"
    kiosk.service.setCurrentIndex(kiosk.service.findData("blue-badge"))
    qtbot.waitUntil(lambda: "Apply for a Blue Badge" in kiosk.task_list.toPlainText())
    qtbot.waitUntil(lambda: kiosk.start_button.isEnabled())
    assert _unnamed(kiosk) == []
    kiosk.given_name.setText("Zephyrine")
    kiosk.start_button.click()
    assert "Answer every safeguarding question" in kiosk.start_form.error_text("safeguarding")
    assert "family name" in kiosk.start_form.error_text("family_name"), "every problem at once"
    for key, value in {
        "pressured_by_anyone": False,
        "can_say_what_helper_will_do": True,
        "knows_how_to_withdraw": True,
    }.items():
        kiosk.safeguarding.answer(key, value)
    kiosk.start_button.click()
    assert "family name" in kiosk.start_form.error_text("family_name")
    assert kiosk.given_name.text() == "Zephyrine"
    kiosk.family_name.setText("Quillfeather")
    kiosk.seen_alone.setChecked(True)
    assert kiosk.grab().save(str(artifacts / "49-kiosk-start.png"))
    kiosk.start_button.click()
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.session_page, timeout=15000)
    assert kiosk.session is not None and kiosk.form_view is not None
    assert kiosk.countdown.isVisible()
    assert kiosk.countdown.text().startswith(("Time left: 2:00:00", "Time left: 1:59:5"))
    assert kiosk.grab().save(str(artifacts / "46-kiosk-session.png"))
    session = kiosk.session
    cases_ops.add_note(session.case_id, "Quillfeather uses two walking sticks").call(fresh_backend)
    assert people_ops.search("Quillfeather").call(fresh_backend).hits

    # The limit passes and nobody answers keep-or-wipe: the data is wiped.
    kiosk.answer_seconds = 2
    start = utc_now()
    kiosk.clock = lambda: start + timedelta(hours=2, seconds=1)
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.end_page, timeout=5000)
    assert kiosk.end_heading.text() == "The time is up"
    assert kiosk.countdown.text() == "Time left: 0:00:00"
    assert "wiped" in kiosk.end_text.text()
    assert kiosk.grab().save(str(artifacts / "47-kiosk-time-up.png"))
    with qtbot.waitSignal(kiosk.finished, timeout=10000) as finished:
        pass
    assert finished.args == ["wiped"]
    win.ops.wait_idle()
    qtbot.waitUntil(win.isVisible)
    assert not people_ops.search("Quillfeather").call(fresh_backend).hits
    assert session.person_id not in people_ops.list_person_ids().call(fresh_backend)
    assert mandates_ops.current_assisted_session().call(fresh_backend) is None
    with session_factory(demo_profile.engine).begin() as db:
        assert audit.verify(db).ok
    demo_profile.engine.dispose()
    assert not contains(demo_profile.paths.database, db_key, b"Quillfeather")
    assert not contains(demo_profile.paths.database, db_key, b"Zephyrine")
    assert not contains(demo_profile.paths.database, db_key, b"quillfeather")


def test_the_banner_in_welsh_survives_a_language_switch(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    dialog = _grant_dialog(qtbot, win)
    _fill(dialog)
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    dialog.close()
    qtbot.waitUntil(lambda: win.acting_banner.isVisible())
    win.switch_language("cy")
    try:
        qtbot.waitUntil(lambda: win.acting_banner.isVisible())
        assert win.acting_banner.text().startswith("Yn gweithredu ar ran ")
        assert (
            "Gwneud cais am Fathodyn Glas (edrych ar y manylion, llenwi ffurflenni)"
            in win.acting_banner.text()
        )
        assert win.mandates.person_id == person_id
        screenshot(win, artifacts, "48-acting-for-banner-welsh")
    finally:
        win.switch_language("en")


def test_an_emergency_mandate_needs_a_reason_and_a_supervisor(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    dialog = _grant_dialog(qtbot, win)
    dialog.basis.setCurrentIndex(dialog.basis.findData("emergency"))
    assert "At most 3 days" in dialog.end_hint.text()
    assert not dialog.action_boxes["draft"].isEnabled(), "only protective actions"
    assert dialog.action_boxes["escalate"].isEnabled()
    _fill(dialog)
    assert dialog.details[0].actions == frozenset({"view"})
    dialog.ends_at.setText((utc_now() + timedelta(days=1)).astimezone().strftime("%d/%m/%Y"))
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.grant_button.isEnabled())
    assert "Write down why" in dialog.form.error_text("emergency_reason")
    assert "supervisor" in dialog.form.error_text("second_approver")
    assert dialog.outcome is None
    dialog.emergency_reason.setPlainText("Benefit stops on Friday unless the council is rung")
    dialog.second_approver.setCurrentIndex(dialog.second_approver.findText("Gwen Morgan"))
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    assert dialog.outcome.mandate.basis == "emergency"
    dialog.close()
    qtbot.waitUntil(lambda: win.acting_banner.isVisible())


def _access_keys(root: QtWidgets.QWidget) -> list[str]:
    keys = []
    for widget in root.findChildren(QtWidgets.QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QtWidgets.QAbstractButton | QtWidgets.QLabel):
            text = widget.text().replace("&&", "")
            if "&" in text:
                keys.append(text[text.index("&") + 1].lower())
    if isinstance(root, QtWidgets.QDialog | KioskWindow):
        for tabs in root.findChildren(QtWidgets.QTabWidget):
            for index in range(tabs.count()):
                text = tabs.tabText(index)
                if "&" in text:
                    keys.append(text[text.index("&") + 1].lower())
    return keys


def test_access_keys_are_not_shared_on_a_screen(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    dialog = _grant_dialog(qtbot, win)
    keys = _access_keys(dialog)
    assert len(keys) == len(set(keys)), sorted(keys)
    dialog.close()
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: win.mandates.mandates_dialog is not None)
    view = win.mandates.mandates_dialog
    assert view is not None
    keys = _access_keys(view)
    assert len(keys) == len(set(keys)), sorted(keys)
    view.close()
    win.mandates.start_kiosk(full_screen=False)
    qtbot.waitUntil(lambda: win.mandates.kiosk is not None)
    kiosk = win.mandates.kiosk
    assert kiosk is not None
    keys = _access_keys(kiosk.start_page)
    assert len(keys) == len(set(keys)), sorted(keys)
    kiosk.close()
