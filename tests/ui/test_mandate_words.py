"""Every mandate screen a worker reads, in English and in Welsh, for a
demo-like mandate (two services and one case): the "Acting for" banner, the
mandates list, its task list, the audit view, the grant dialog's scope and
task list, and the kiosk's task list. Services by their titles, actions and
kinds of information in plain words: no id, action value or category id."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from casework.kernel.models import utcnow
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import GrantRequest
from delegation.scope import case_scope_id
from delegation.scope_words import describe
from tests.ui.conftest import screenshot
from tests.ui.test_mandates import _grant_dialog, _open_first_person
from tests.unit.casework.forms.test_mandate_names import demo_scope
from tests.unit.plain_words import internal_terms
from ui.mandates.kiosk import KioskWindow
from ui.mandates.view import MandatesDialog
from ui.operations import mandates as mandates_ops
from ui.window.main import MainWindow

TITLES = {"en": "Apply for a Blue Badge", "cy": "Gwneud cais am Fathodyn Glas"}
LOOK = {"en": "look at the details", "cy": "edrych ar y manylion"}


def _grant_demo_mandate(win: MainWindow, person_id: int) -> str:
    """A team mandate for two services and the person's first case; its reference."""
    person = win.person_panel.person
    assert person is not None and person.cases
    reference = person.cases[0].reference
    choices = mandates_ops.grant_choices().call(win.backend)
    scope = demo_scope(reference)
    names = choices.names.with_cases({case_scope_id(reference): person.cases[0].service_id})
    actor = win.backend.current_actor
    assert actor is not None
    request = GrantRequest(
        person_id=person_id,
        grantee_kind="team",  # type: ignore[arg-type]
        grantee_id=actor.team_id,
        basis="consent",  # type: ignore[arg-type]
        scope=scope,
        ends_at=utcnow() + timedelta(days=90),
        task_list_shown=describe(scope, names),
        consent_method="in_person",  # type: ignore[arg-type]
        seen_alone=True,
        safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
    )
    assert mandates_ops.grant(request).call(win.backend).active
    return reference


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_mandate_screens_use_titles_and_plain_words(
    qtbot: QtBot, signed_in: MainWindow, artifacts: Path, language: str
) -> None:
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    reference = _grant_demo_mandate(win, person_id)
    win.show_person(person_id)  # the grant's changes reload the banner
    win.switch_language(language)
    try:
        shown: dict[str, str] = {}
        qtbot.waitUntil(lambda: win.acting_banner.isVisible() and win.acting_banner.text() != "")
        qtbot.waitUntil(lambda: TITLES[language] in win.acting_banner.text())
        shown["banner"] = win.acting_banner.text()
        assert reference in shown["banner"]

        win.mandates.show_mandates()
        qtbot.waitUntil(lambda: isinstance(win.mandates.mandates_dialog, MandatesDialog))
        view = win.mandates.mandates_dialog
        assert isinstance(view, MandatesDialog)
        qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1)
        qtbot.waitUntil(lambda: view.audit.topLevelItemCount() > 0)
        shown["mandates list"] = view.list.topLevelItem(0).text(3)
        shown["task list"] = view.task_list.text()
        shown["audit"] = "\n".join(
            view.audit.topLevelItem(i).text(c)
            for i in range(view.audit.topLevelItemCount())
            for c in range(5)
        )
        assert LOOK[language] in shown["task list"] and TITLES[language] in shown["task list"]
        view.close()

        dialog = _grant_dialog(qtbot, win)
        dialog.service.setCurrentIndex(dialog.service.findData("attendance-allowance"))
        dialog.action_boxes["draft"].setChecked(True)
        for category, check in dialog.category_boxes.items():
            check.setChecked(check.isEnabled() and category != "identity")
        dialog.add_detail.click()
        shown["grant scope"] = dialog.scope_list.item(0).text()
        shown["grant task list"] = dialog.task_list.toPlainText()
        shown["grant choices"] = "\n".join(
            [c.text() for c in dialog.action_boxes.values()]
            + [c.text() for c in dialog.category_boxes.values()]
        )
        assert dialog.task_list_language == language
        assert dialog.grab().save(str(artifacts / f"words-grant-dialog-{language}.png"))
        dialog.close()

        win.mandates.start_kiosk(full_screen=False)
        qtbot.waitUntil(lambda: isinstance(win.mandates.kiosk, KioskWindow))
        kiosk = win.mandates.kiosk
        assert isinstance(kiosk, KioskWindow)
        kiosk.service.setCurrentIndex(kiosk.service.findData("blue-badge"))
        qtbot.waitUntil(lambda: TITLES[language] in kiosk.task_list.toPlainText())
        shown["kiosk task list"] = kiosk.task_list.toPlainText()
        assert kiosk.task_list_language == language
        kiosk.close()
        screenshot(win, artifacts, f"words-banner-{language}")
        for where, text in shown.items():
            assert text.strip(), where
            assert internal_terms(text, [reference.lower()]) == [], (where, text)
    finally:
        win.switch_language("en")
