"""Passing a mandate on, the tree of mandates, a mandate for one case and
reviews, driven in the real window on a real encrypted profile as Amira:
grant one that may be passed on, pass part of it to Tom, see the tree, revoke
the parent (the warning names Tom), see both end; grant for one case; and
review a mandate from "My cases" (kept, narrowed, ended)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.test_accessibility import _unnamed
from tests.ui.test_mandates import _access_keys, _fill, _grant_dialog, _open_first_person
from ui.labels import format_date
from ui.mandates.kiosk import utc_now
from ui.mandates.labels import action_label, category_label
from ui.mandates.pass_on_dialog import PassOnDialog
from ui.mandates.review_dialog import ReviewDialog
from ui.mandates.view import MandatesDialog, ReasonDialog
from ui.qt import QtWidgets
from ui.window.main import MainWindow


def _day(days: int) -> str:
    return format_date((utc_now() + timedelta(days=days)).astimezone().date())


def _grant(qtbot: QtBot, win: MainWindow, *, pass_on: bool, review_in: int | None = None) -> None:
    dialog = _grant_dialog(qtbot, win)
    _fill(dialog)
    dialog.ends_at.setText(_day(60))
    if review_in is not None:
        dialog.review_at.setText(_day(review_in))
    dialog.sub_delegation.setChecked(pass_on)
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    dialog.close()


def _view(qtbot: QtBot, win: MainWindow) -> MandatesDialog:
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: win.mandates.mandates_dialog is not None)
    view = win.mandates.mandates_dialog
    assert isinstance(view, MandatesDialog)
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() > 0)
    return view


def test_pass_part_on_see_the_tree_and_revoke_both(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    _grant(qtbot, win, pass_on=True)
    view = _view(qtbot, win)
    parent_item = view.list.topLevelItem(0)
    view.list.setCurrentItem(parent_item)
    assert view.pass_on_button.isEnabled(), "Amira is the helper and it allows passing on"

    view.pass_on_button.click()
    qtbot.waitUntil(lambda: isinstance(win.mandates.pass_on_dialog, PassOnDialog))
    dialog = win.mandates.pass_on_dialog
    assert isinstance(dialog, PassOnDialog)
    qtbot.waitExposed(dialog)
    assert _unnamed(dialog) == []
    keys = _access_keys(dialog)
    assert len(keys) == len(set(keys)), sorted(keys)
    # Only what the parent holds is offered, in plain words.
    assert dialog.scope.offered() == [("Apply for a Blue Badge", ["view", "draft"], ["identity"])]
    names = [dialog.colleague.itemText(i) for i in range(dialog.colleague.count())]
    assert "Tom Price (Riverside Library)" in names
    assert not any(name.startswith("Amira") for name in names)

    # Nothing chosen: errors beside the fields, nothing typed lost.
    dialog.ends_at.setText(_day(90))
    dialog.pass_button.click()
    assert "Choose the colleague" in dialog.form.error_text("grantee")
    assert "Tick at least one" in dialog.form.error_text("scope")
    dialog.colleague.setCurrentIndex(dialog.colleague.findText("Tom Price (Riverside Library)"))
    for check in dialog.scope.findChildren(QtWidgets.QCheckBox):
        if check.text() in (action_label("view"), category_label("identity")):
            check.setChecked(True)
    dialog.pass_button.click()  # later than the parent: the core refuses, beside the field
    qtbot.waitUntil(dialog.pass_button.isEnabled)
    assert "must end when its parent ends" in dialog.form.error_text("ends_at")
    assert dialog.ends_at.text() == _day(90), "nothing typed is lost"
    dialog.ends_at.setText(_day(30))
    dialog.pass_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    assert "Passed on to Tom Price" in dialog.outcome_label.text()
    assert dialog.grab().save(str(artifacts / "60-pass-on-dialog.png"))
    dialog.close()

    # The tree: Tom's mandate indented under Amira's.
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).childCount() == 1)
    parent_item = view.list.topLevelItem(0)
    child_item = parent_item.child(0)
    assert parent_item.text(2) == "Amira Hussain" and child_item.text(2) == "Tom Price"
    assert child_item.text(0) == "Active" and action_label("view") in child_item.text(3)
    assert action_label("draft") not in child_item.text(3)
    view.list.setCurrentItem(child_item)
    assert not view.pass_on_button.isEnabled(), "Tom's, and not to be passed on again"
    assert view.grab().save(str(artifacts / "61-mandates-tree.png"))

    # Revoking the parent says first that Tom's will end too.
    view.list.setCurrentItem(parent_item)
    view.revoke_button.click()
    qtbot.waitUntil(lambda: isinstance(view.prompt, ReasonDialog) and view.prompt.isVisible())
    prompt = view.prompt
    assert isinstance(prompt, ReasonDialog)
    warning = prompt.findChild(QtWidgets.QLabel).text()
    assert "This will also end 1 mandate passed on from it: Tom Price (until " in warning
    assert prompt.grab().save(str(artifacts / "62-revoke-warns-of-children.png"))
    prompt.confirm.click()
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Revoked")
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).child(0).text(0) == "Revoked")
    assert "came from was revoked" in (
        view.list.setCurrentItem(view.list.topLevelItem(0).child(0)) or view.task_list.text()
    )
    view.close()


def test_a_mandate_for_one_case(qtbot: QtBot, signed_in: MainWindow, artifacts: Path) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    person = win.person_panel.person
    assert person is not None and person.cases
    case = person.cases[0]
    dialog = _grant_dialog(qtbot, win)
    dialog.for_case.setChecked(True)
    keys = _access_keys(dialog)
    assert len(keys) == len(set(keys)), sorted(keys)
    assert dialog.case.isVisible() and not dialog.service.isVisible()
    dialog.case.setCurrentIndex(0)
    assert dialog.case.currentText().startswith(case.reference)
    dialog.action_boxes["view"].setChecked(True)
    enabled = [c for c, box in dialog.category_boxes.items() if box.isEnabled()]
    assert enabled, "the case's service uses some kinds of information"
    dialog.category_boxes[enabled[0]].setChecked(True)
    dialog.add_detail.click()
    assert [d.case for d in dialog.details] == [case.reference.lower()]
    assert case.reference.upper() in dialog.task_list.toPlainText()
    dialog.seen_alone.setChecked(True)
    for key, value in {
        "pressured_by_anyone": False,
        "can_say_what_helper_will_do": True,
        "knows_how_to_withdraw": True,
    }.items():
        dialog.safeguarding.answer(key, value)
    dialog.ends_at.setText(_day(30))
    dialog.review_at.setText(_day(40))  # after the end: refused beside the field
    dialog.grant_button.click()
    qtbot.waitUntil(dialog.grant_button.isEnabled)
    assert "within the mandate" in dialog.form.error_text("review_at")
    dialog.review_at.setText(_day(20))
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.active
    granted = dialog.outcome.mandate
    assert [d.case for d in granted.scope] == [case.reference.lower()]
    assert granted.review_at < granted.ends_at
    assert dialog.grab().save(str(artifacts / "63-grant-for-one-case.png"))
    dialog.close()


def _review_from_my_cases(qtbot: QtBot, win: MainWindow) -> ReviewDialog:
    panel = win.mandates.reviews_panel
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() > 0)
    win.left_tabs.setCurrentIndex(1)
    assert panel.isVisible()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is None)
    panel.review_button.click()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is not None)
    dialog = win.mandates.review_dialog
    assert isinstance(dialog, ReviewDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_reviews_due_under_my_cases_kept_narrowed_ended(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    _open_first_person(qtbot, win)
    _grant(qtbot, win, pass_on=False, review_in=7)
    panel = win.mandates.reviews_panel
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1)
    win.left_tabs.setCurrentIndex(1)
    assert "Due " in panel.list.topLevelItem(0).text(2)
    win.ops.wait_idle()
    assert win.grab().save(str(artifacts / "64-reviews-due-under-my-cases.png"))

    # Kept: a next review after the end is refused beside the field; the end never moves.
    dialog = _review_from_my_cases(qtbot, win)
    assert _unnamed(dialog) == []
    for outcome in (dialog.ended, dialog.kept):
        outcome.setChecked(True)
        keys = _access_keys(dialog)
        assert len(keys) == len(set(keys)), sorted(keys)
    ends = dialog.mandate.ends_at
    dialog.next_review.setText(_day(70))
    dialog.confirm.click()
    qtbot.waitUntil(dialog.confirm.isEnabled)
    assert "no later than the end date" in dialog.form.error_text("review_at")
    dialog.next_review.setText(_day(30))
    dialog.confirm.click()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is None)
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 0)
    assert not panel.isVisible(), "the next review is more than 14 days away"

    # Narrowed, from the mandates view: untick "draft".
    view = _view(qtbot, win)
    qtbot.waitUntil(lambda: win.mandates.review_dialog is None)
    view.review_button.click()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is not None)
    dialog = win.mandates.review_dialog
    assert isinstance(dialog, ReviewDialog)
    assert dialog.mandate.ends_at == ends
    dialog.narrowed.setChecked(True)
    assert dialog.scope.offered() == [("Apply for a Blue Badge", ["view", "draft"], ["identity"])]
    for check in dialog.scope.findChildren(QtWidgets.QCheckBox):
        if check.text() == action_label("draft"):
            check.setChecked(False)
    dialog.next_review.setText(_day(10))
    assert dialog.grab().save(str(artifacts / "65-review-narrowed.png"))
    dialog.confirm.click()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is None)
    qtbot.waitUntil(lambda: action_label("draft") not in view.list.topLevelItem(0).text(3))
    assert view.list.topLevelItem(0).text(0) == "Active"

    # Ended, from "My cases" again (the next review is 10 days away: due).
    dialog = _review_from_my_cases(qtbot, win)
    dialog.ended.setChecked(True)
    assert not dialog.next_review.isEnabled()
    dialog.confirm.click()
    qtbot.waitUntil(lambda: win.mandates.review_dialog is None)
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Revoked")
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 0)
    view.tabs.setCurrentIndex(1)
    what = [view.audit.topLevelItem(i).text(2) for i in range(view.audit.topLevelItemCount())]
    assert what.count("Reviewed a mandate") == 3
    view.close()
