"""A stopped connector's notice in the window: its human name, in the worker's language.

The Notify fake refuses the key; the notice names "GOV.UK Notify emails"
(never ``notify_email``) and says what to check. Switching to Welsh shows
the same notice in Welsh, the engine's own reason included, without a new
sync: the reason is kept untranslated and translated each time it is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from casework.kernel.i18n import set_language
from tests.fakes.notify import FakeNotify, running_notify
from tests.sync_support import configure_notify, queue_emails
from tests.ui.conftest import sign_in
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


@pytest.fixture
def english() -> Iterator[None]:
    yield
    set_language("en")


def test_stopped_notice_uses_human_names_and_follows_a_switch_to_welsh(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify, artifacts: Path, english: None
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify, key=notify.api_key[:-4] + "beef")
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: not window.sync_ui.running and window.sync_ui.status is not None)
    queue_emails(backend._profile, 1)
    with qtbot.waitSignal(window.sync_ui.run_finished, timeout=20000):
        window.sync_ui.sync_now()
    banner = window.sync_ui._banner
    assert banner is not None
    qtbot.waitUntil(banner.notice.isVisible)
    text = banner.notice_text.text()
    assert text.startswith("GOV.UK Notify emails: not sending. GOV.UK Notify refused the API key")
    assert "for GOV.UK Notify emails" in text and "notify_email" not in text

    window.switch_language("cy")
    banner = window.sync_ui._banner
    assert banner is not None
    qtbot.waitUntil(
        lambda: banner.notice.isVisible() and "ddim yn anfon" in banner.notice_text.text()
    )
    welsh = banner.notice_text.text()
    assert welsh.startswith("Negeseuon e-bost GOV.UK Notify: ddim yn anfon. ")
    assert (
        "Gwrthododd GOV.UK Notify yr allwedd API ar gyfer Negeseuon e-bost GOV.UK Notify" in welsh
    )
    assert "refused" not in welsh and "notify_email" not in welsh
    assert not notify.notifications  # nothing was sent with the refused key
    window.grab().save(str(artifacts / "sync-welsh-stopped-notice.png"))
