"""Post it to them, in the paper dialog of a pre-filled form, by keyboard.

A short form with the person's address: the dialog names the address and
Alt+O queues the letter in the outbox (the line says it waits to go, never
that it was posted). A long large-print form: the dialog says why it cannot
be posted, in Welsh too, and Print stays on offer.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.backend import LocalBackend
from app.profile import OpenProfile
from offline_sync.models import OutboxItem
from offline_sync.records import Connector
from tests.ui.access_keys import clashes
from tests.ui.conftest import screenshot
from tests.unit.casework.paper.helpers import answers_for
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops
from ui.paper.dialog import PaperDialog
from ui.qt import Qt
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def _draft(backend: LocalBackend, service_id: str, answers: dict[str, object]) -> int:
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, service_id, "A claim").call(backend)
    record = forms_ops.start_form(case_id, service_id).call(backend)[0]
    forms_ops.save_form(record.case_id, record.id, record.version, answers, None).call(backend)
    return record.id


def _letters(profile: OpenProfile) -> int:
    with Session(profile.engine) as session:
        return len(
            session.scalars(
                select(OutboxItem).where(OutboxItem.connector == Connector.NOTIFY_LETTER)
            ).all()
        )


def _open(qtbot: QtBot, win: MainWindow, draft_id: int) -> PaperDialog:
    dialog = win.paper.open_draft(draft_id)
    assert dialog.post_row is not None
    return dialog


def test_a_short_form_is_posted_to_them_by_keyboard(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    artifacts: Path,
) -> None:
    draft_id = _draft(fresh_backend, "register-to-vote", {"given-name": "Eluned"})
    dialog = _open(qtbot, signed_in, draft_id)
    row = dialog.post_row
    assert row is not None
    with qtbot.waitSignal(row.checked, timeout=60000) as checked:
        pass
    assert checked.args == [True] and row.button.isEnabled()
    assert "It can go by post to" in row.note.text() and "GOV.UK Notify" in row.note.text()
    assert row.button.accessibleName() and row.note.accessibleName()
    assert not clashes(dialog)
    screenshot(dialog, artifacts, "paper-post-offer-en")  # type: ignore[arg-type]
    with qtbot.waitSignal(row.queued, timeout=30000):
        qtbot.keyClick(dialog, Qt.Key.Key_O, ALT)
    assert "waiting to go to GOV.UK Notify" in row.note.text()
    assert "posted" not in row.note.text().lower()
    assert not row.button.isEnabled()  # once
    assert _letters(demo_profile) == 1
    screenshot(dialog, artifacts, "paper-post-queued-en")  # type: ignore[arg-type]
    dialog.close()


def test_a_long_form_says_why_not_in_welsh_and_offers_print(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    service = fresh_backend.catalogue.get("attendance-allowance")
    assert service is not None
    draft_id = _draft(fresh_backend, service.id, answers_for(service))
    signed_in.switch_language("cy")
    try:
        dialog = _open(qtbot, signed_in, draft_id)
        row = dialog.post_row
        assert row is not None
        with qtbot.waitSignal(row.checked, timeout=60000):
            pass
        with qtbot.waitSignal(row.checked, timeout=120000) as checked:
            qtbot.keyClick(dialog, Qt.Key.Key_B, ALT)  # Print &bras: large print
        assert checked.args == [False] and not row.button.isEnabled()
        note = row.note.text()
        assert "10" in note and "Argraffwch" in note, note
        assert dialog.print_button.isEnabled()
        assert not clashes(dialog)
        screenshot(dialog, artifacts, "paper-post-refused-cy")  # type: ignore[arg-type]
        dialog.close()
    finally:
        signed_in.switch_language("en")
