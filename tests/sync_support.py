"""Helpers for the sync UI tests: point a profile at the loopback fakes with
keys in the real keyring, and fill its outbox with realistic items."""

from __future__ import annotations

from app.database import session_factory
from app.profile import OpenProfile
from app.settings import save_settings
from app.sync_wiring import store_credential
from offline_sync import outbox
from offline_sync.records import Connector
from tests.fakes.notify import FakeNotify
from tests.unit.offline_sync import samples


def configure_notify(profile: OpenProfile, notify: FakeNotify, key: str | None = None) -> None:
    """Notify's address in the settings and its key in the keyring (``key`` to use a bad one)."""
    settings = profile.settings
    settings.set("notify.base_url", notify.url)
    settings.set("sync.timeout", "2")
    save_settings(profile.paths.settings, settings)
    store_credential(settings.profile_id, "notify", key or notify.api_key)


def queue_emails(
    profile: OpenProfile, n: int, case_id: int | None = None, *, bad: int = 0, start: int = 0
) -> list[str]:
    """``n`` good emails, then ``bad`` with an address Notify refuses; their ids."""
    sessions = session_factory(profile.engine, write=True)
    ids = []
    with sessions.begin() as session:
        for i in range(start, start + n):
            ids.append(outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(i), case_id))
        for i in range(bad):
            body = samples.email(i, email_address="not-an-email-address")
            ids.append(outbox.enqueue(session, Connector.NOTIFY_EMAIL, body, case_id))
    return ids
