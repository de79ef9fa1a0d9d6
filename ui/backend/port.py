"""The port the UI calls: what the window needs from the rest of Alongside.

``app.backend.LocalBackend`` implements it over the database. Every method is
one user action in one transaction, takes and returns plain values from
``casework.kernel.records``, and raises ``casework.kernel.errors.AlongsideError`` subclasses
whose text is ready to show. Methods may be slow (disk, big queries): call
them from a worker (an operation on ``ui.operations``), never on the UI thread, except where noted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, TypeVar

from casework.forms.definitions import Catalogue
from casework.forms.routes import RouteSettings
from casework.kernel.action import Action
from casework.kernel.records import (
    Actor,
)
from ui.backend.address import AddressBackend
from ui.backend.escalation import EscalationBackend
from ui.backend.outbox import OutboxBackend
from ui.backend.paper import PaperBackend

T = TypeVar("T")


class Backend(
    AddressBackend,
    OutboxBackend,
    PaperBackend,
    EscalationBackend,
    Protocol,
):
    # Core actions ----------------------------------------------------------
    def perform(self, action: Action[T], *, write: bool) -> T:
        """Run a core action in one transaction (a write transaction when
        ``write``; a refusal's audit entry is kept) as the signed-in worker,
        turning storage failures into errors a person can act on."""
        ...

    # Profile and session ---------------------------------------------------
    @property
    def profile_label(self) -> str:
        """A short label for the window title, e.g. "DEMO" or the profile name."""
        ...

    @property
    def is_demo(self) -> bool: ...

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes of no input before the screen locks (a setting; fast to read)."""
        ...

    @property
    def current_actor(self) -> Actor | None: ...

    @property
    def language(self) -> str:
        """The language the screens are in: "en" or "cy"."""
        ...

    def set_language(self, language: str) -> None:
        """Switch the language now and remember it in the profile (fast)."""
        ...

    def sign_in(self, username: str, password: str) -> Actor:
        """Raises SignInFailed or AccountLocked with a message to show."""
        ...

    def verify_password(self, password: str) -> bool:
        """Check the signed-in worker's password, to unlock the screen.

        Wrong tries count towards the sign-in lockout; the one that locks the
        account signs the worker out and raises AccountLocked.
        """
        ...

    def sign_out(self) -> None: ...

    def checkpoint_audit(self) -> None:
        """Sign the audit chain's head if a checkpoint is waiting (decision 0026)."""
        ...

    # Cases: what is not a core action (ui.operations has the rest) ----------
    def export_document(self, document_id: int, folder: Path) -> Path:
        """Write the document into ``folder`` under its safe name; returns the path.

        Not a core action: it writes a file where the worker chose."""
        ...

    def service_choices(self) -> list[tuple[str, str]]:
        """(service id, title) pairs for opening a case.

        Not a core action: the catalogue this port keeps, in the screens' language."""
        ...

    # Forms -------------------------------------------------------------------
    @property
    def catalogue(self) -> Catalogue:
        """The service definitions (read once); ``problems`` lists skipped ones."""
        ...

    @property
    def route_settings(self) -> RouteSettings:
        """Local settings for sending forms: inboxes and the email template (settings; fast)."""
        ...
