"""The escalation screens, driven from the keyboard: raise (who, when, preview,
send), acknowledge and resolve in the escalations view, which sorts by
urgency; refer a case and accept the referral as the other team."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from casework.escalation.records import EscalationRecord, FacilitatorCard
from tests.ui.access_keys import clashes
from tests.ui.conftest import screenshot, sign_in
from tests.unit.factories import person_input
from ui.escalation.view import EscalationsModel
from ui.operations import cases as cases_ops
from ui.operations import escalation as escalation_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _new_case(win: MainWindow, backend: LocalBackend, qtbot: QtBot) -> int:
    person_id = people_ops.create_person(person_input(given_name="Olwen", family_name="Rees")).call(
        backend
    )
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    return case_id


def test_raise_preview_send_acknowledge_resolve_from_the_keyboard(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    qtmodeltester: ModelTester,
    artifacts: Path,
) -> None:
    win = signed_in
    case_id = _new_case(win, fresh_backend, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: win.escalation.dialog is not None)
    dialog = win.escalation.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled())
    # Who, their hours and languages, and the reply-by day, before anything is sent.
    shown = dialog.recipient.text()
    assert "Eilidh Clarke" in shown and "Monday to Friday" in shown and "Welsh" in shown
    assert "working days, by" in shown
    assert dialog.reason.hasFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert dialog.description.hasFocus()
    qtbot.keyClicks(dialog.description, "Applied in January; no decision and no reply.")
    screenshot(dialog, artifacts, "escalate-1-recipient")  # type: ignore[arg-type]
    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    assert "Dear Eilidh Clarke," in dialog.body.toPlainText()
    assert "no decision and no reply" in dialog.body.toPlainText()
    assert dialog.send_button.hasFocus()
    screenshot(dialog, artifacts, "escalate-2-preview")  # type: ignore[arg-type]
    preview_text = dialog.body.toPlainText()
    qtbot.keyClick(dialog, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [record] = escalation_ops.case_escalations(case_id).call(fresh_backend)
    assert record.status == "raised" and record.facilitator.name == "Eilidh Clarke"
    # The named facilitator shows on the case.
    qtbot.waitUntil(lambda: win.case_view.escalation.isVisible())
    assert "Eilidh Clarke" in win.case_view.escalation.text()
    assert any(e.kind == "escalated" for e in win.case_view.case.timeline)  # type: ignore[union-attr]
    screenshot(win, artifacts, "escalated-case")

    qtbot.keyClick(win, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = win.escalations_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected() is not None and view.acknowledge_button.isEnabled()
    assert not clashes(win)  # Alt+A must reach Acknowledged, and nothing else
    for language, acknowledged in (("cy", "Cydnabu&wyd"), ("en", "&Acknowledged")):
        win.switch_language(language)  # the view is made again in the new language
        qtbot.waitUntil(lambda: win.escalations_view.acknowledge_button.text() == acknowledged)  # noqa: B023
        view = win.escalations_view
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)  # noqa: B023
        view.table.setFocus()
        view.table.selectRow(0)
        qtbot.waitUntil(view.acknowledge_button.isEnabled)
        assert view.isVisible()  # the switch kept the Escalations tab
        assert not clashes(win), language
    qtmodeltester.check(view.model, force_py=True)  # the English view, made again
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert view.note.hasFocus()
    qtbot.keyClicks(view.note, "Acknowledged by phone, ref 4471")
    qtbot.keyClick(win, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(
        lambda: (
            escalation_ops.case_escalations(case_id).call(fresh_backend)[0].status == "acknowledged"
        )
    )
    qtbot.waitUntil(lambda: view.model.rows and view.model.rows[0].urgency == "acknowledged")
    screenshot(win, artifacts, "escalations-view")
    view.table.setFocus()
    view.table.selectRow(0)
    view.note.setFocus()
    qtbot.keyClicks(view.note, "Badge issued on 3 March.")
    qtbot.keyClick(win, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    [done] = escalation_ops.case_escalations(case_id).call(fresh_backend)
    assert done.status == "resolved" and done.outcome == "Badge issued on 3 March."
    assert preview_text.startswith("Dear Eilidh Clarke,")


def _row(n: int, urgency: str, breach_in_days: float) -> EscalationRecord:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    card = FacilitatorCard(
        1, f"Person {n}", "Role", "Org", "a@example.gov.uk", "01632 960000", "", "", "email", (),
        5, date(2026, 3, 9)
    )  # fmt: skip
    return EscalationRecord(
        n, 1, n, f"AL-{n}", f"Person {n}", "blue-badge", "other", "", "raised", urgency, 1,
        card, now, now + timedelta(days=breach_in_days), 1, "", "x", ("acknowledged",),
    )  # fmt: skip


def test_the_view_sorts_by_urgency(qtmodeltester: ModelTester) -> None:
    model = EscalationsModel()
    rows = [
        _row(1, "waiting", 9),
        _row(2, "acknowledged", 1),
        _row(3, "breached", -1),
        _row(4, "due_soon", 2),
        _row(5, "breached", -3),
        _row(6, "due_soon", 1),
    ]
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    assert [r.id for r in model.rows] == [5, 3, 6, 4, 1, 2]
    assert model.data(model.index(0, 0)) == "Breached"
    model.set_rows([replace(rows[0], urgency="breached")])
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_refer_then_accept_as_the_other_team(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    case_id = _new_case(win, fresh_backend, qtbot)
    win.case_view.refer_button.click()
    qtbot.waitUntil(lambda: win.escalation.handover is not None)
    dialog = win.escalation.handover
    assert dialog is not None
    qtbot.keyClick(dialog.team, Qt.Key.Key_Down)
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "Blue Badge renewal; needs an appointment near home.")
    dialog.consent.setFocus()
    qtbot.keyClicks(dialog.consent, "In person today")
    screenshot(dialog, artifacts, "handover-dialog")  # type: ignore[arg-type]
    qtbot.keyClick(dialog, Qt.Key.Key_F, ALT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert escalation_ops.case_referrals(case_id).call(fresh_backend)[0].status == "offered"

    # Let the reload after the referral finish before Amira signs out.
    qtbot.waitUntil(lambda: not win.ops.busy)
    win.sign_out()
    sign_in(qtbot, win, "sam")
    qtbot.keyClick(win, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = win.escalations_view
    qtbot.waitUntil(lambda: view.referral_list.count() == 1)
    assert "needs an appointment near home" in view.referral_list.item(0).text()
    qtbot.waitUntil(lambda: not win.ops.busy)
    view.referral_list.setFocus()
    view.referral_list.setCurrentRow(0)
    qtbot.waitUntil(win.isActiveWindow)  # access keys only work in the active window
    qtbot.waitUntil(view.accept_button.isEnabled)
    assert not clashes(win)  # Alt+T must reach Accept, and nothing else
    qtbot.keyClick(win, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: view.referral_list.count() == 0)
    assert "new mandate" in win.statusBar().currentMessage()


def test_the_escalation_dialogs_and_view_are_named(qtbot: QtBot) -> None:
    from tests.ui.test_accessibility import _unnamed
    from ui.escalation.dialog import EscalateDialog
    from ui.escalation.handover_dialog import HandoverDialog
    from ui.escalation.view import EscalationsView

    for widget in (
        EscalateDialog(1, "AL-1"),
        HandoverDialog("AL-1", [(2, "Northgate Citizens Advice")]),
        EscalationsView(),
    ):
        qtbot.addWidget(widget)
        assert _unnamed(widget) == []


def test_an_administrator_adds_a_local_facilitator(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = window
    sign_in(qtbot, win, "admin")
    win.directory_action.trigger()
    qtbot.waitUntil(lambda: win.escalation.directory_dialog is not None)
    dialog = win.escalation.directory_dialog
    assert dialog is not None
    dialog.service.setCurrentIndex(dialog.service.findData("blue-badge"))
    dialog.area.setText("wales")
    dialog.hours.setText("9am-5pm")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.form.summary.isVisible())
    assert dialog.form.error_text("name") and dialog.form.error_text("hours")
    for field, text in (
        (dialog.name, "Gwen Parry"),
        (dialog.role, "Library partnerships"),
        (dialog.organisation, "Riverside Council"),
        (dialog.email, "gwen.parry@example.gov.uk"),
        (dialog.phone, "01632 960999"),
        (dialog.hours, "09:30-16:00"),
        (dialog.languages, "en, cy"),
    ):
        field.setText(text)
    screenshot(dialog, artifacts, "facilitator-dialog")  # type: ignore[arg-type]
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    ladder = escalation_ops.facilitator_ladder(
        fresh_backend.catalogue.service_of("blue-badge"), "wales"
    ).call(fresh_backend)
    assert ladder[0].name == "Gwen Parry" and ladder[0].opens == "09:30"


def test_signing_in_runs_the_sla_check_and_the_view_shows_the_breach(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, demo_profile: object
) -> None:
    from sqlalchemy import select

    from app.database import session_factory
    from casework.casefile.cases import open_case
    from casework.casefile.people import create_person
    from casework.escalation import lifecycle
    from casework.escalation.records import EscalationRequest
    from casework.forms import definitions
    from casework.kernel.accounts import actor_for
    from casework.kernel.models import Worker, utcnow

    catalogue = definitions.load_catalogue()
    engine = demo_profile.engine  # type: ignore[attr-defined]
    with session_factory(engine, write=True).begin() as session:
        worker = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        actor = actor_for(worker)
        person = create_person(session, actor, person_input())
        case_id = open_case(session, actor, person, "blue-badge", "Badge")
        lifecycle.raise_escalation(
            session,
            actor,
            EscalationRequest(case_id, "no_decision", "No reply at all."),
            lambda sid: catalogue.get(sid),  # type: ignore[arg-type, return-value]
            now=utcnow() - timedelta(days=20),
        )
    sign_in(qtbot, window)
    assert window.escalation.timer.isActive()
    qtbot.waitUntil(
        lambda: escalation_ops.case_escalations(case_id).call(fresh_backend)[0].level == 2
    )
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window.escalations_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.rows[0].facilitator.name == "Ciaran Doherty"  # level 2 of the ladder


def test_saving_the_letter_to_a_missing_folder_says_so_and_a_good_one_writes_it(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = signed_in
    _new_case(win, fresh_backend, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: win.escalation.dialog is not None)
    dialog = win.escalation.dialog
    assert dialog is not None
    chosen = [tmp_path / "gone" / "letter.pdf"]
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen[0]), "")
    )
    win.escalation._save_letter(b"%PDF-1.4 letter")
    qtbot.waitUntil(lambda: "does not exist" in dialog.message.text())
    assert not chosen[0].parent.exists()
    chosen[0] = tmp_path / "letter.pdf"
    win.escalation._save_letter(b"%PDF-1.4 letter")
    qtbot.waitUntil(lambda: chosen[0].exists())
    assert chosen[0].read_bytes() == b"%PDF-1.4 letter"
