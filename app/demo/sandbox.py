"""The demo's own sandbox platform: ``alongside --demo`` starts it and points at it.

``attach_sandbox`` starts every fake on free loopback ports in background
threads, sets the demo profile's connector settings (``notify.base_url``
and the rest) to them, stores the sandbox keys as the profile's credentials
(in the keyring, removed again at exit; where there is no keyring, in this
process's memory only, never on disk) and sets ``sandbox.enabled`` so the
window can say SANDBOX. ``queue_demo_items`` leaves a few realistic
submissions and messages waiting in the outbox, so a newcomer sees sync
work end to end.
"""

from __future__ import annotations

import atexit
import logging
from datetime import UTC, datetime

import keyring.errors
from sqlalchemy import select

from app import sync_wiring
from app.database import session_factory
from app.keys import keyring_available
from app.profile import OpenProfile
from app.sandbox.platform import SandboxPlatform
from app.settings import save_settings
from casework.kernel.models import Case, Person
from offline_sync import outbox
from offline_sync.records import Connector

log = logging.getLogger("alongside.sandbox")
# The sandboxes this process started (the window, or a test, may stop them early).
RUNNING: list[SandboxPlatform] = []


def attach_sandbox(profile: OpenProfile, *, use_keyring: bool | None = None) -> SandboxPlatform:
    """Start the sandbox and point ``profile`` (a demo profile) at it."""
    platform = SandboxPlatform().start()
    RUNNING.append(platform)
    atexit.register(platform.stop)
    for key, value in platform.settings().items():
        profile.settings.set(key, value)
    save_settings(profile.paths.settings, profile.settings)
    profile_id = profile.settings.profile_id
    in_keyring = keyring_available() if use_keyring is None else use_keyring
    for name, secret in platform.credentials().items():
        if in_keyring:
            try:
                sync_wiring.store_credential(profile_id, name, secret)
            except keyring.errors.KeyringError:
                log.warning("the keyring refused the sandbox keys; keeping them in memory")
                in_keyring = False
            else:
                atexit.register(sync_wiring.delete_credential, profile_id, name)
                continue
        sync_wiring.remember_credential(profile_id, name, secret)
    log.info("sandbox platform started for the demo: %s", ", ".join(platform.urls().values()))
    return platform


def queue_demo_items(profile: OpenProfile, cases: int = 3) -> list[str]:
    """A form submission and a confirmation email for the first few demo cases."""
    sessions = session_factory(profile.engine, write=True)
    queued: list[str] = []
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with sessions.begin() as session:
        rows = session.execute(
            select(Case.id, Case.reference, Person.given_name, Person.family_name)
            .join(Person, Person.id == Case.person_id)
            .order_by(Case.id)
            .limit(cases)
        ).all()
        for case_id, reference, given, family in rows:
            body = {
                "form_name": "Apply for a Blue Badge",
                "submission_reference": reference,
                "submitted_at": stamp,
                "answers": [
                    {"question_id": "full-name", "question_text": "What is your full name?",
                     "answer_text": f"{given} {family}"},
                    {"question_id": "reason", "question_text": "Why do you need a badge?",
                     "answer_text": "I cannot walk more than 50 metres without stopping."},
                ],
            }  # fmt: skip
            queued.append(outbox.enqueue(session, Connector.SUBMISSION_API, body, case_id))
            email = {
                "email_address": "demo.person@example.com",
                "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
                "personalisation": {"first_name": given, "reference": reference},
            }
            queued.append(outbox.enqueue(session, Connector.NOTIFY_EMAIL, email, case_id))
    return queued
