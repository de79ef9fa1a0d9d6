"""Typed profile settings, declared once, stored as JSON, upgraded by version.

As in Picard's ``config_upgrade``: ``SETTINGS_VERSION`` names the shape, and
``_UPGRADES[n]`` turns a version-``n`` dict into version ``n + 1``. Writes are
atomic (a temporary file then a rename), so a crash never leaves half a file.
No secret is ever stored here.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from casework.kernel import files
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

SETTINGS_VERSION = 2
MAX_SETTINGS_BYTES = 1_048_576  # a few hundred bytes in practice


def _new_profile_id() -> str:
    # uuid (and the platform module it brings) loads only for a new profile.
    import uuid

    return uuid.uuid4().hex


@dataclass
class Settings:
    """Everything a profile remembers that is not in the database."""

    profile_id: str = field(default_factory=_new_profile_id)
    profile_name: str = "Alongside"
    demo: bool = False
    # None means the encrypted SQLite file in the profile; otherwise a
    # postgresql+psycopg:// URL (no password in it: libpq reads PGPASSWORD).
    database_url: str | None = None
    # Where the SQLite key comes from: "keyring" or "passphrase".
    key_source: str = "keyring"
    kdf_salt: str = field(default_factory=lambda: os.urandom(16).hex())
    idle_lock_minutes: int = 5
    language: str = "en"
    extra: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        """Read a setting by name (dotted names live in ``extra``)."""
        if key in _FIELD_NAMES:
            value = getattr(self, key)
            return "" if value is None else str(value)
        if key in self.extra:
            return self.extra[key]
        raise KeyError(key)

    def set(self, key: str, value: str) -> None:
        """Set a setting from text, converting and checking its type."""
        from casework.kernel.validators import require_text  # its patterns compile on import

        require_text({"key": key, "value": value})
        if key in _PROTECTED:
            raise AlongsideError(_("The setting '{key}' cannot be changed.").format(key=key))
        if key == "idle_lock_minutes":
            try:
                minutes = int(value)
            except ValueError:
                minutes = -1
            if not 1 <= minutes <= 240:
                raise AlongsideError(_("Enter a number of minutes from 1 to 240."))
            self.idle_lock_minutes = minutes
        elif key == "language":
            if value not in ("en", "cy"):
                raise AlongsideError(_("Choose 'en' for English or 'cy' for Welsh."))
            self.language = value
        elif key == "database_url":
            if value and not value.startswith("postgresql+psycopg://"):
                raise AlongsideError(
                    _("The database URL must start with postgresql+psycopg:// (or be empty).")
                )
            self.database_url = value or None
        elif key == "profile_name":
            self.profile_name = value.strip() or self.profile_name
        elif key == "notify.sms_template_id":  # text updates (decision 0027)
            self.extra[key] = _template_id(value)
        elif "." in key:
            self.extra[key] = value
        else:
            raise AlongsideError(_("There is no setting called '{key}'.").format(key=key))


def _template_id(value: str) -> str:
    """A GOV.UK Notify template id (a UUID), or empty to turn the feature off."""
    import uuid

    text = value.strip()
    try:
        return str(uuid.UUID(text)) if text else ""
    except ValueError:
        raise AlongsideError(
            _("Copy the template ID from GOV.UK Notify: it looks like {example}.").format(
                example="f33517ff-2a88-4f6e-b855-c550268ce08a"
            )
        ) from None


_FIELD_NAMES = {f.name for f in fields(Settings)} - {"extra"}
_PROTECTED = {"profile_id", "kdf_salt", "key_source", "demo"}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 called the idle lock "lock_after_seconds".
    seconds = int(data.pop("lock_after_seconds", 300))
    data["idle_lock_minutes"] = max(1, round(seconds / 60))
    return data


_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def _unreadable(path: Path, reason: object) -> AlongsideError:
    return AlongsideError(
        _(
            "The settings file {path} cannot be read ({reason}). Restore it from a backup, "
            "or move it away to start with default settings."
        ).format(path=path, reason=reason)
    )


def _check_types(path: Path, data: dict[str, Any]) -> None:
    """Each known setting must have the kind of value its default has."""
    defaults = Settings()
    for f in fields(Settings):
        if f.name not in data:
            continue
        value, default = data[f.name], getattr(defaults, f.name)
        allowed: tuple[type, ...] = (
            (str, type(None)) if f.name == "database_url" else (type(default),)
        )
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise _unreadable(path, _("'{name}' has the wrong kind of value").format(name=f.name))


def load_settings(path: Path) -> Settings:
    """Read and upgrade settings; a missing file gives the defaults."""
    if not os.path.lexists(path):
        return Settings()
    try:
        data = json.loads(files.read_bounded(path, MAX_SETTINGS_BYTES).decode("utf-8"))
    except files.FileRefused as exc:  # a pipe or a device there: said, never waited on
        raise _unreadable(path, exc.reason) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable(path, exc) from exc
    if not isinstance(data, dict):
        raise _unreadable(path, _("it does not hold a set of settings"))
    version = data.pop("settings_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _unreadable(path, _("its version is not a number Alongside knows"))
    if version > SETTINGS_VERSION:
        raise AlongsideError(
            _("These settings were written by a newer Alongside. Update Alongside to open them.")
        )
    try:
        while version < SETTINGS_VERSION:
            data = _UPGRADES[version](data)
            version += 1
    except (TypeError, ValueError) as exc:
        raise _unreadable(path, exc) from exc
    _check_types(path, data)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})


def save_settings(path: Path, settings: Settings) -> None:
    """Write settings atomically."""
    data = {"settings_version": SETTINGS_VERSION, **asdict(settings)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
