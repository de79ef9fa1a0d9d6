"""Filling a service's form in the window, keyboard only: errors and their
correction, asking once, the task list, check answers with a change,
sending, resuming a draft after a restart, and switching to Welsh."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.profile import OpenProfile
from casework.forms.definitions import SERVICES_DIR
from tests.ui.conftest import screenshot, sign_in
from tests.ui.form_driver import (
    continue_page,
    fill_page,
    press,
    run_to_check_answers,
    type_into,
)
from tests.ui.reasons_driver import skip_reasons
from tests.unit.casework.forms.sample_service import sample_bytes
from ui.forms.view import FormView
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops
from ui.qt import Qt
from ui.window.main import MainWindow


def _open_case_forms(qtbot: QtBot, win: MainWindow, backend: LocalBackend) -> int:
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    win.case_view.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: win.case_view.form_service.count() > 0)
    return case_id


def _start(qtbot: QtBot, win: MainWindow, service_id: str) -> FormView:
    combo = win.case_view.form_service
    combo.setCurrentIndex(combo.findData(service_id))
    press(qtbot, win.case_view.start_form_button)
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    skip_reasons(qtbot, win)
    view = win.form_view
    assert view is not None
    return view


def _wait_saved(qtbot: QtBot, view: FormView) -> None:
    qtbot.waitUntil(lambda: view.saved and view.save_status.text() == "Saved", timeout=10000)


def test_sample_form_keyboard_only_with_an_error_ask_once_and_a_change(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, artifacts: Path
) -> None:
    case_id = _open_case_forms(qtbot, win, form_backend)
    person = people_ops.person_detail(
        cases_ops.case_detail(case_id).call(form_backend).person_id
    ).call(form_backend)
    view = _start(qtbot, win, "sample-service")
    assert view.page_id == "name"

    # Continue with nothing typed: an error summary and inline messages.
    continue_page(qtbot, view)
    assert view.summary.isVisible()
    assert "Enter your given name" in view.summary.text()
    assert view.fields["given-name"].error.text() == "Enter your given name"
    assert view.fields["given-name"].edit.hasFocus()
    screenshot(win, artifacts, "20-form-error-summary")

    # Ask once: the name on the person's record is offered, never filled silently.
    qtbot.waitUntil(lambda: view.fields["given-name"].offer.isVisible())
    assert view.fields["given-name"].edit.text() == ""
    assert "record" in view.fields["given-name"].offer_text.text()
    press(qtbot, view.fields["given-name"].offer_button)
    assert view.fields["given-name"].edit.text() == person.given_name
    type_into(qtbot, view.fields["family-name"].edit, person.family_name)
    qtbot.keyClick(view.fields["family-name"].edit, Qt.Key.Key_Return)
    assert view.page_id == "born"
    screenshot(win, artifacts, "21-form-question-page")

    # A date that is not real is refused in plain words; the typing stays.
    type_into(qtbot, view.fields["date-of-birth"].edit, "31/02/1950")
    continue_page(qtbot, view)
    assert "real date" in view.fields["date-of-birth"].error.text()
    assert view.fields["date-of-birth"].edit.text() == "31/02/1950"
    type_into(qtbot, view.fields["date-of-birth"].edit, "28/02/1950")
    continue_page(qtbot, view)
    assert view.page_id == "ids"

    seen = run_to_check_answers(qtbot, view)
    assert "rent" not in seen  # the first option, "own", skips the rent page
    assert "medicines" in seen
    screenshot(win, artifacts, "22-form-check-answers")

    # Change an answer from Check your answers, and come back to it.
    assert view.findChild(type(view.title), "answer-income").text() == "£12.50"
    press(qtbot, view.findChild(type(view.continue_button), "change-income"))
    assert view.mode == "page" and view.page_id == "money"
    type_into(qtbot, view.fields["income"].edit, "20")
    continue_page(qtbot, view)
    assert view.mode == "check"
    assert view.findChild(type(view.title), "answer-income").text() == "£20.00"

    press(qtbot, view.tasks_button)
    assert view.mode == "tasks"
    screenshot(win, artifacts, "23-form-task-list")
    continue_page(qtbot, view)
    assert view.mode == "check"

    # The NI number typed differs from the record: offered, applied only when ticked.
    qtbot.waitUntil(lambda: view.update_record.isVisible())
    assert "National Insurance" in view.differences.text() or "NI number" in view.differences.text()
    assert not view.update_record.isChecked()
    press(qtbot, view.update_record)
    assert view.update_record.isChecked()
    screenshot(win, artifacts, "22b-form-check-answers-record")
    continue_page(qtbot, view)  # Accept and send
    qtbot.waitUntil(lambda: view.mode == "sent", timeout=10000)
    qtbot.waitUntil(lambda: view.save_status.text() == "Record updated", timeout=20000)
    assert people_ops.person_detail(person.id).call(form_backend).ni_number == "AB123456C"
    screenshot(win, artifacts, "24-form-sent")
    drafts = cases_ops.case_forms(case_id).call(form_backend)[0]
    assert drafts[0].submitted
    timeline = [e.kind for e in cases_ops.case_detail(case_id).call(form_backend).timeline]
    assert "form_submitted" in timeline
    press(qtbot, view.continue_button)
    qtbot.waitUntil(lambda: win.detail_stack.currentWidget() is win.case_view)
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() == 1)
    # Autosaves reload the case behind the form too: wait for the reload after the close.
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItem(0).text(1) == "Completed")


def test_group_items_are_checked_before_they_are_added(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, artifacts: Path
) -> None:
    _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "sample-service")
    view.open_page("medicines")
    group = view.fields["medicines"]
    press(qtbot, group.add_button)
    dialog = group.dialog
    assert dialog is not None
    press(qtbot, dialog.fields[1].buttons[True])  # prescribed: yes, shows "who prescribed"
    assert not dialog.fields[2].isHidden()
    press(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.fields[0].error.text() == "Answer this question."
    assert dialog.grab().save(str(artifacts / "25-form-group-item.png"))
    type_into(qtbot, dialog.fields[0].edit, "Aspirin")
    type_into(qtbot, dialog.fields[2].edit, "Dr Evans")
    press(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert view.answers["medicines"] == [
        {"medicine-name": "Aspirin", "prescribed": True, "prescriber": "Dr Evans"}
    ]


def test_a_draft_resumes_after_the_app_is_closed(
    qtbot: QtBot,
    win: MainWindow,
    form_backend: LocalBackend,
    demo_profile: OpenProfile,
    services_dir: Path,
) -> None:
    case_id = _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "sample-service")
    type_into(qtbot, view.fields["given-name"].edit, "Olwen")
    type_into(qtbot, view.fields["family-name"].edit, "Pryce")
    continue_page(qtbot, view)
    view.open_page("money")
    press(qtbot, view.fields["has-income"].buttons[True])
    type_into(qtbot, view.fields["income"].edit, "12.345")  # not readable yet: kept as typed
    _wait_saved(qtbot, view)
    win.close()

    # A new start of the app on the same profile.
    again = MainWindow(LocalBackend(demo_profile, services_dir=services_dir))
    qtbot.addWidget(again)
    again.show()
    sign_in(qtbot, again)
    again.open_case(case_id)
    qtbot.waitUntil(lambda: again.case_view.forms.topLevelItemCount() == 1)
    assert again.case_view.forms.topLevelItem(0).text(1) == "In progress"
    press(qtbot, again.case_view.continue_form_button)
    qtbot.waitUntil(lambda: again.form_view is not None)
    resumed = again.form_view
    assert resumed is not None
    assert resumed.page_id == "money"
    assert resumed.fields["income"].edit.text() == "12.345"
    assert resumed.answers["given-name"] == "Olwen"
    continue_page(qtbot, resumed)
    assert "pounds and pence" in resumed.fields["income"].error.text()
    again.ops.wait_idle()


def test_switching_to_welsh_mid_form_keeps_the_answers(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, artifacts: Path
) -> None:
    _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "sample-service")
    type_into(qtbot, view.fields["given-name"].edit, "Olwen")
    win.switch_language("cy")
    welsh = win.form_view
    assert welsh is not None and welsh is not view
    assert welsh.title.text() == "What is your name? (cy)"
    assert welsh.fields["given-name"].edit.text() == "Olwen"
    assert welsh.continue_button.text() == "Pa&rhau"
    screenshot(win, artifacts, "26-form-welsh")
    continue_page(qtbot, welsh)
    assert welsh.fields["family-name"].error.text() == "Answer this question." or (
        welsh.fields["family-name"].error.text()
    )
    win.switch_language("en")
    assert win.form_view is not None
    assert win.form_view.fields["given-name"].edit.text() == "Olwen"


SHIPPED = sorted(p.stem for p in SERVICES_DIR.glob("*.json"))


@pytest.mark.parametrize("service_id", SHIPPED)
def test_every_shipped_form_can_be_completed_from_the_keyboard(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, service_id: str, artifacts: Path
) -> None:
    case_id = _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, service_id)
    screenshot(win, artifacts, f"27-{service_id}-first-page")
    continue_page(qtbot, view)  # straight on: the first page must say what is missing
    assert view.summary.isVisible() or view.page_id != view.draft.current_page
    seen = run_to_check_answers(qtbot, view)
    assert len(seen) >= 5
    screenshot(win, artifacts, f"28-{service_id}-check-answers")
    continue_page(qtbot, view)
    qtbot.waitUntil(lambda: view.mode == "sent", timeout=10000)
    assert cases_ops.case_forms(case_id).call(form_backend)[0][0].submitted


def test_a_bad_definition_is_reported_skipped_and_its_drafts_kept(
    qtbot: QtBot, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    folder = tmp_path / "with-a-bad-one"
    folder.mkdir()
    (folder / "sample-service.json").write_bytes(sample_bytes())
    backend = LocalBackend(demo_profile, services_dir=folder)
    backend.sign_in("amira", "alongside-demo")
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, "sample-service", "Sample").call(backend)
    draft = forms_ops.start_form(case_id, "sample-service").call(backend)[0]
    forms_ops.save_form(
        draft.case_id, draft.id, draft.version, {"given-name": "Olwen"}, "name"
    ).call(backend)
    backend.sign_out()

    # The definition is damaged before the next start.
    (folder / "sample-service.json").write_bytes(b'{"id": "sample-service", ')
    win = MainWindow(LocalBackend(demo_profile, services_dir=folder))
    qtbot.addWidget(win)
    win.show()
    sign_in(qtbot, win)
    qtbot.waitUntil(lambda: "could not be loaded" in win.statusBar().currentMessage())
    assert "sample-service.json" in win.statusBar().currentMessage()
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() == 1)
    press(qtbot, win.case_view.continue_form_button)
    qtbot.waitUntil(lambda: win.case_view.form_message.isVisible())
    assert "answers so far are kept" in win.case_view.form_message.text()
    assert forms_ops.form_draft(draft.id).call(win.backend).answers == {"given-name": "Olwen"}
    win.ops.wait_idle()


def test_a_full_blue_badge_application_by_keyboard_on_the_walking_route(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, artifacts: Path
) -> None:
    case_id = _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "blue-badge")
    assert view.page_id == "who"
    press(qtbot, view.fields["applicant"].buttons["myself"])
    continue_page(qtbot, view)
    fill_page(qtbot, view)  # council area, existing badge
    continue_page(qtbot, view)
    assert view.page_id == "benefits"
    # An error first: nothing ticked.
    continue_page(qtbot, view)
    assert "Select the benefits they get" in view.summary.text()
    press(qtbot, view.fields["benefits"].buttons["pip-moving"])
    press(qtbot, view.fields["benefits"].buttons["none"])  # clears the other tick
    assert view.answers["benefits"] == ["none"]
    continue_page(qtbot, view)
    assert view.page_id == "main-reason"
    press(qtbot, view.fields["main-reason"].buttons["walking"])
    continue_page(qtbot, view)
    seen = run_to_check_answers(qtbot, view)
    assert {"walking", "aids", "conditions", "medicines", "professionals"} <= set(seen)
    screenshot(win, artifacts, "29-blue-badge-walking-check-answers")
    # A change from Check your answers: how long they can walk.
    press(qtbot, view.findChild(type(view.continue_button), "change-walking-time"))
    assert view.page_id == "walking"
    press(qtbot, view.fields["walking-time"].buttons["few-steps"])
    continue_page(qtbot, view)
    assert view.mode == "check"
    assert view.findChild(type(view.title), "answer-walking-time").text() == "A few steps"
    continue_page(qtbot, view)
    qtbot.waitUntil(lambda: view.mode == "sent", timeout=10000)
    sent = cases_ops.case_forms(case_id).call(form_backend)[0][0]
    assert sent.submitted and sent.answers["main-reason"] == "walking"


def test_service_definitions_are_never_read_on_the_ui_thread(
    qtbot: QtBot, demo_profile: OpenProfile, services_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading nine definitions takes over half a second: the window never asks
    for them on the UI thread, and they are read once however many workers ask."""
    import threading

    from casework.forms import definitions
    from casework.forms.definitions import Catalogue

    reads: list[str] = []
    asked_on_ui_thread: list[str] = []
    real = definitions.load_catalogue

    def counted(
        folder: Path = definitions.SERVICES_DIR, route_check: definitions.RouteCheck | None = None
    ) -> Catalogue:
        reads.append(threading.current_thread().name)
        return real(folder, route_check)

    class WatchedBackend(LocalBackend):
        @property
        def catalogue(self) -> Catalogue:
            if threading.current_thread() is threading.main_thread():
                asked_on_ui_thread.append("catalogue")
            return super().catalogue

    monkeypatch.setattr(definitions, "load_catalogue", counted)
    backend = WatchedBackend(demo_profile, services_dir=services_dir)
    win = MainWindow(backend)
    qtbot.addWidget(win)
    win.show()
    sign_in(qtbot, win)
    # Straight away, while the background read may still be going: a case, its
    # forms, a form, and the new-case dialog all need the definitions.
    case_id = cases_ops.open_case(
        people_ops.list_person_ids().call(backend)[0], "blue-badge", "Badge"
    ).call(backend)
    win.open_case(case_id)
    win.show_person(people_ops.list_person_ids().call(backend)[0])
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    win.new_case()
    qtbot.waitUntil(lambda: win.case_dialog is not None)
    win.start_form(case_id, "blue-badge")
    qtbot.waitUntil(lambda: win.form_view is not None)
    win.ops.wait_idle()
    assert asked_on_ui_thread == []
    assert len(reads) == 1


def test_the_worker_sees_and_chooses_the_route_before_sending(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend, artifacts: Path
) -> None:
    from offline_sync.outbox import counts
    from ui.qt import QtWidgets

    case_id = _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "gp-registration")
    run_to_check_answers(qtbot, view)

    def radio(route: str) -> QtWidgets.QRadioButton | None:
        return view.findChild(QtWidgets.QRadioButton, f"route-{route}")

    qtbot.waitUntil(lambda: radio("notify_email") is not None, timeout=20000)
    email, printing = radio("notify_email"), radio("paper_print")
    assert email is not None and printing is not None
    assert email.isChecked() and "registrations@gp-surgery.example" in email.accessibleName()
    assert printing.accessibleName() == "Print it here for the person to sign and post"
    closed = view.findChild(QtWidgets.QLabel, "closed-paper_letter")
    assert closed is not None and "at most 10" in closed.text()
    qtbot.waitUntil(email.isVisible)  # shown at the top, before the answers
    # On screen without scrolling: the worker sees how it goes before sending.
    assert view.route_box is not None and not email.visibleRegion().isEmpty()
    assert win.grab().save(str(artifacts / "forms-route-choice.png"))
    # By keyboard: Space on the printing choice takes it.
    press(qtbot, printing)
    assert printing.isChecked() and view.chosen_route() == "paper_print"
    continue_page(qtbot, view)  # Accept and send
    qtbot.waitUntil(lambda: view.mode == "sent", timeout=20000)
    assert view.title.text() == "Form ready to print"
    assert view.sent is not None and view.sent.route == "paper_print"
    with form_backend._tx(write=False) as session:
        assert sum(counts(session).values()) == 0
    assert cases_ops.case_forms(case_id).call(form_backend)[0][0].submitted
