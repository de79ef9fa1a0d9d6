"""Starting a suspended mandate again ("lift", decision 0025), driven in the
window: after a safeguarding concern the reason is required (refused beside
the field, nothing typed lost), the helper named in the mandate is refused
with a plain sentence that the audit keeps, and another worker of the
person's team lifts it with a reason the audit keeps."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import screenshot, sign_in
from tests.ui.test_accessibility import _unnamed
from tests.ui.test_mandate_tree import _grant, _view
from tests.ui.test_mandates import _access_keys, _open_first_person
from ui.mandates.view import LiftDialog, MandatesDialog, ReasonDialog
from ui.window.main import MainWindow

REFUSED_HELPER = "someone other than its helper must decide to start it again"
REASON = "Spoke with the person alone; the concern was looked into and closed."


def _lift_dialog(qtbot: QtBot, view: MandatesDialog) -> LiftDialog:
    view.list.setCurrentItem(view.list.topLevelItem(0))
    assert view.activate_button.isEnabled()
    view.activate_button.click()
    qtbot.waitUntil(lambda: isinstance(view.prompt, LiftDialog) and view.prompt.isVisible())
    prompt = view.prompt
    assert isinstance(prompt, LiftDialog)
    return prompt


def _refused(qtbot: QtBot, view: MandatesDialog, prompt: LiftDialog) -> None:
    """Wait for the window's answer, which must be a refusal (the dialog stays)."""
    qtbot.waitUntil(lambda: view.lifting is None or prompt.confirm.isEnabled())
    assert view.lifting is prompt, "the mandate was started again: it should be refused"


def _audit_rows(view: MandatesDialog) -> list[list[str]]:
    return [
        [view.audit.topLevelItem(i).text(c) for c in range(5)]
        + [view.audit.topLevelItem(i).toolTip(4)]
        for i in range(view.audit.topLevelItemCount())
    ]


def test_a_safeguarding_suspension_is_lifted_by_another_worker_with_a_reason(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path
) -> None:
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    _grant(qtbot, win, pass_on=False)  # Amira, of the person's team, names herself helper
    view = _view(qtbot, win)

    # The person's team suspends it for a safeguarding concern.
    view.list.setCurrentItem(view.list.topLevelItem(0))
    view.suspend_button.click()
    qtbot.waitUntil(lambda: isinstance(view.prompt, ReasonDialog) and view.prompt.isVisible())
    suspend = view.prompt
    assert isinstance(suspend, ReasonDialog)
    suspend.reason.setCurrentIndex(suspend.reason.findData("safeguarding_concern"))
    suspend.confirm.click()
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Suspended")

    # The helper may not start it again, even with a reason: a plain sentence.
    prompt = _lift_dialog(qtbot, view)
    prompt.reason.setText(REASON)
    prompt.confirm.click()
    _refused(qtbot, view, prompt)
    assert REFUSED_HELPER in prompt.form.summary.text()
    assert prompt.form.error_text("reason") == ""
    assert prompt.reason.text() == REASON, "nothing typed is lost"
    assert REFUSED_HELPER in view.message.text()
    prompt.reject()
    qtbot.waitUntil(lambda: any(REFUSED_HELPER in r[5] for r in _audit_rows(view)))
    refusal = next(r for r in _audit_rows(view) if REFUSED_HELPER in r[5])
    assert refusal[1] == "Amira Hussain"
    assert refusal[2] == "Asked to start a suspended mandate again"
    assert refusal[4] == "Refused"
    assert view.list.topLevelItem(0).text(0) == "Suspended"
    view.close()

    # Another worker of the person's team.
    win.sign_out()
    sign_in(qtbot, win, "tom")
    win.show_person(person_id)
    qtbot.waitUntil(
        lambda: win.person_panel.person is not None and win.person_panel.person.id == person_id
    )
    view = _view(qtbot, win)
    prompt = _lift_dialog(qtbot, view)
    assert _unnamed(prompt) == []
    keys = _access_keys(prompt)
    assert len(keys) == len(set(keys)) and "w" in keys and "t" in keys, sorted(keys)

    # No reason (only spaces): refused beside the field, and the spaces stay.
    prompt.reason.setText("   ")
    prompt.confirm.click()
    _refused(qtbot, view, prompt)
    assert "Write down why it is safe to start it again" in prompt.form.error_text("reason")
    assert prompt.reason.text() == "   ", "nothing typed is lost"
    assert prompt.grab().save(str(artifacts / "66-lift-needs-a-reason.png"))
    assert view.list.topLevelItem(0).text(0) == "Suspended"

    # With a reason, it starts again; the audit keeps the reason.
    prompt.reason.setText(REASON)
    prompt.confirm.click()
    qtbot.waitUntil(lambda: view.lifting is None)  # closed (and deleted)
    qtbot.waitUntil(lambda: view.list.topLevelItem(0).text(0) == "Active")
    qtbot.waitUntil(lambda: any(r[5] == REASON for r in _audit_rows(view)))
    lifted = next(r for r in _audit_rows(view) if r[5] == REASON)
    assert lifted[1] == "Tom Price" and lifted[4] == "Allowed"
    view.tabs.setCurrentIndex(1)
    screenshot(win, artifacts, "67-lifted-by-a-colleague")
    assert view.grab().save(str(artifacts / "68-lift-in-the-audit.png"))
    view.close()
