"""``LocalBackend``: the facade the UI calls, over one profile's database.

It implements ``ui.backend.Backend``. Each method is one user action in one
transaction (writes take the write lock at the start), returns plain records,
and turns low-level failures into ``AlongsideError``s a person can act on.
It is safe to call from worker threads: every call opens its own session.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit_anchor import AuditAnchor
from app.backend.access import AccessActions
from app.backend.address import AddressActions
from app.backend.escalation import EscalationActions
from app.backend.outbox import OutboxActions
from app.backend.paper import PaperActions
from app.database import explain, session_factory
from app.profile import OpenProfile
from app.settings import save_settings
from casework.casefile import documents
from casework.escalation import directory
from casework.forms import definitions
from casework.forms.definitions import Catalogue
from casework.forms.routes import RouteSettings
from casework.kernel import accounts, files
from casework.kernel.action import Action
from casework.kernel.errors import AccessRefused, AccountLocked, EditConflict, StorageFull
from casework.kernel.i18n import _, current_language, set_language
from casework.kernel.records import (
    Actor,
)
from delegation import audit
from delegation.anchor import ChainHead

T = TypeVar("T")
log = logging.getLogger("alongside.app")
CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "services.json"


class LocalBackend(AddressActions, OutboxActions, PaperActions, AccessActions, EscalationActions):
    """One profile, one signed-in worker at a time."""

    def __init__(self, profile: OpenProfile, services_dir: Path | None = None) -> None:
        self._profile = profile
        self._read = session_factory(profile.engine)
        self._write = session_factory(profile.engine, write=True)
        self._actor: Actor | None = None
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._catalogue_lock = threading.Lock()
        self._services_dir = services_dir or definitions.SERVICES_DIR
        self._anchor = AuditAnchor(profile)

    # -- transactions ---------------------------------------------------------
    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Session]:
        factory = self._write if write else self._read
        opened: list[Session] = []
        try:
            with self._anchored(write, opened), factory.begin() as session:
                opened.append(session)
                try:
                    yield session
                except AccessRefused:
                    # Keep the refusal's audit entry (decision 0014): a refusal
                    # comes before the action writes anything else.
                    session.commit()
                    raise
        except StaleDataError as exc:
            raise EditConflict(
                _(
                    "Someone else saved a change to this record at the same moment. "
                    "Your text is still on screen: reload, then save again."
                )
            ) from exc
        except DBAPIError as exc:
            message = str(exc.orig).lower()
            if "full" in message:
                raise StorageFull(
                    _(
                        "The disk is full, so nothing was saved. Your text is still on screen: "
                        "free some space, then save again."
                    )
                ) from exc
            raise explain(exc, self._profile.paths.database) from exc

    @contextmanager
    def _anchored(self, write: bool, opened: list[Session]) -> Iterator[None]:
        """After a write (refusals included), sign the audit chain's head if it
        grew. The head a transaction appended is handed over when it committed
        without an error (it is the head: the write lock was held until the
        commit); after anything else (a refusal, a failure) the anchor reads it."""
        committed = False
        try:
            yield
            committed = True
        finally:
            if write:
                written = audit.written_head(opened[0]) if committed and opened else None
                self._anchor.after_write(None if written is None else ChainHead(*written))

    def checkpoint_audit(self) -> None:
        """Sign the audit chain's head if a checkpoint is waiting (closing, backups)."""
        self._anchor.flush()

    def _need_actor(self) -> Actor:
        if self._actor is None:
            raise AccessRefused(_("Sign in first."))
        return self._actor

    # -- core actions -------------------------------------------------------------
    def perform(self, action: Action[T], *, write: bool) -> T:
        actor = self._need_actor()
        with self._tx(write=write) as session:
            return action(session, actor)

    # -- profile and session ----------------------------------------------------
    @property
    def profile_label(self) -> str:
        return _("DEMO") if self._profile.settings.demo else self._profile.settings.profile_name

    @property
    def is_demo(self) -> bool:
        return self._profile.settings.demo

    @property
    def idle_lock_minutes(self) -> int:
        return self._profile.settings.idle_lock_minutes

    @property
    def current_actor(self) -> Actor | None:
        return self._actor

    @property
    def language(self) -> str:
        return current_language()

    def set_language(self, language: str) -> None:
        set_language(language)
        self._profile.settings.language = language
        save_settings(self._profile.paths.settings, self._profile.settings)

    def sign_in(self, username: str, password: str) -> Actor:
        with self._tx(write=True) as session:
            outcome = accounts.attempt_sign_in(session, username, password)
        # The failure count is committed above before the error is raised.
        if outcome.error is not None:
            log.info("sign-in refused for a username")
            raise outcome.error
        assert outcome.actor is not None
        with self._lock:
            self._actor = outcome.actor
        log.info("worker %s signed in", outcome.actor.worker_id)
        return outcome.actor

    def verify_password(self, password: str) -> bool:
        """Unlock the screen: wrong passwords count towards the same lockout
        as sign-in, so a locked terminal cannot be guessed open. When the
        account locks, the worker is signed out and ``AccountLocked`` raised."""
        actor = self._need_actor()
        with self._tx(write=True) as session:
            outcome = accounts.attempt_sign_in(session, actor.username, password)
        if isinstance(outcome.error, AccountLocked):
            self.sign_out()
            raise outcome.error
        return outcome.actor is not None

    def sign_out(self) -> None:
        with self._lock:
            self._actor = None
        self._anchor.flush()

    # -- cases: what is not a core action (ui.operations has the rest) --------------
    def export_document(self, document_id: int, folder: Path) -> Path:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            name, data = documents.read_document(session, actor, document_id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        counter = 1
        while os.path.lexists(target):  # a copy beside one of the same name, never over it
            stem, dot, ext = name.rpartition(".")
            target = folder / (f"{stem} ({counter}).{ext}" if dot else f"{name} ({counter})")
            counter += 1
        return files.write_atomically(target, data)  # the whole copy or nothing

    def service_choices(self) -> list[tuple[str, str]]:
        language = current_language()
        choices = [(s.id, s.text("title", language)) for s in self.catalogue.services]
        known = {service_id for service_id, _title in choices}
        data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        # Services with no form yet (such as general advice) can still be a case.
        choices += [
            (item["id"], item["title"].get(language) or item["title"]["en"])
            for item in data["services"]
            if item["id"] not in known
        ]
        return choices

    # -- forms ----------------------------------------------------------------------
    @property
    def catalogue(self) -> Catalogue:
        """The service definitions, read once; bad ones are in ``problems``."""
        with self._catalogue_lock:  # two workers asking at once read the files once
            if self._catalogue is None:
                self._catalogue = definitions.load_catalogue(
                    self._services_dir, directory.route_problem
                )
                for problem in self._catalogue.problems:
                    log.warning("service definition skipped: %s", problem)
            return self._catalogue

    @property
    def route_settings(self) -> RouteSettings:
        """``routes.<service id>.inbox`` and ``notify.form_template_id`` from the settings."""
        return RouteSettings.from_settings(self._profile.settings.extra)
