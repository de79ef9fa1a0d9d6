"""Errors the worker can act on.

Each carries a plain-English message that says what is wrong and what to do,
so the UI and the command line show it as it is. None of them holds a secret.
"""

from __future__ import annotations

from collections.abc import Mapping

from casework.kernel.i18n import _


class AlongsideError(Exception):
    """Base of every error that reaches a person: ``str(err)`` is for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(AlongsideError):
    """One or more fields are wrong; ``fields`` maps field name to message."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        summary = " ".join(self.fields.values())
        super().__init__(summary or _("Check the details you entered."))


class SignInFailed(AlongsideError):
    """Wrong username or password (deliberately not saying which)."""


class AccountLocked(AlongsideError):
    """Too many failed sign-ins, or an administrator turned the account off."""


class AccessRefused(AlongsideError):
    """The policy decision refused this action; the reason says why. When the
    refusal is about something the worker wrote, ``fields`` maps that field's
    name to the reason, so the window can show it beside the field."""

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class NotFound(AlongsideError):
    """The thing asked for does not exist (or is not visible to this worker)."""


class EditConflict(AlongsideError):
    """Someone else saved this record since it was opened.

    ``current_version`` lets the UI reload the other change while keeping
    what this worker typed on screen.
    """

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class DocumentRejected(AlongsideError):
    """An attachment that cannot be stored (too big, empty, unreadable)."""


class StorageFull(AlongsideError):
    """The disk is full: nothing was saved, the worker's text is kept."""


class DatabaseUnavailable(AlongsideError):
    """The database cannot be opened: wrong key, corrupt, missing or too new."""
