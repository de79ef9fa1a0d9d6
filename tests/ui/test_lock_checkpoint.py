"""Locking the screen signs the audit chain's head (decision 0026): whatever
the write throttle left waiting is in the keyring once the lock engages."""

from __future__ import annotations

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app import audit_anchor, keys
from app.backend import LocalBackend
from delegation import anchor
from tests.audit_support import append_entries
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring


def _kept(backend: LocalBackend) -> int:
    profile_id = backend._profile.settings.profile_id
    stored = keyring.get_password(keys.KEYRING_SERVICE, f"audit-checkpoint:{profile_id}")
    return anchor.Checkpoint.from_json(stored).count if stored else 0


def test_locking_signs_what_is_waiting(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    backend = win.backend
    assert isinstance(backend, LocalBackend)
    win.ops.wait_idle()

    def add(session: object, actor: object) -> None:
        append_entries(session, [None])  # type: ignore[arg-type]  # one entry, now

    backend.perform(add, write=True)  # type: ignore[arg-type]  # within the throttle
    head = audit_anchor.current_head(backend._profile).count
    assert _kept(backend) < head  # waiting to be signed

    win.lock()
    assert win.stack.currentWidget() is win.lock_screen
    win.ops.wait_idle()
    assert _kept(backend) == head == audit_anchor.current_head(backend._profile).count
