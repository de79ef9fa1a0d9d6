"""Defaults an IT team sets once for every new profile on a computer.

A shared office pre-sets its PostgreSQL ``database_url`` (and, if it likes,
``language`` and ``idle_lock_minutes``) in one JSON file, so every person who
starts Alongside on that computer gets a profile on the office database:

    {"database_url": "postgresql+psycopg://alongside@db.office.example/alongside",
     "language": "cy", "idle_lock_minutes": 10}

The file is ``defaults.json`` in the platform's site configuration folder
(``/etc/xdg/Alongside/defaults.json`` on Linux), or the file named by
``ALONGSIDE_SITE_DEFAULTS``. It is read only when a new profile is created
(``app.profile.create_profile``); a profile that exists keeps its own
settings, and a value given at set-up (``setup --database-url``) wins. No
file means no site defaults. A file that holds anything else, or a value the
setting would refuse, stops set-up with one line naming the file and what to
fix, before anything is created. The throwaway demo profile ignores it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from app.paths import APP_NAME
from app.settings import Settings
from casework.forms.strict_json import DuplicateKeyError, loads_strict
from casework.kernel import files
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

SITE_DEFAULTS_ENV = "ALONGSIDE_SITE_DEFAULTS"
SITE_KEYS = ("database_url", "language", "idle_lock_minutes")
MAX_SITE_DEFAULTS_BYTES = 65_536  # a few lines in practice


def site_defaults_path() -> Path:
    """Where this computer's site defaults live (the environment can say elsewhere)."""
    named = os.environ.get(SITE_DEFAULTS_ENV)
    if named:
        return Path(named).expanduser()
    return platformdirs.site_config_path(APP_NAME) / "defaults.json"


def _refused(path: Path, reason: object) -> AlongsideError:
    return AlongsideError(
        _(
            "The site defaults file {path} cannot be used: {reason}. Correct it, or remove it "
            "to use Alongside's own defaults."
        ).format(path=path, reason=reason)
    )


def _as_text(path: Path, key: str, value: Any) -> str:
    """A JSON value as the text ``Settings.set`` takes, if it has the right kind."""
    if key == "idle_lock_minutes":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif isinstance(value, str):
        return value
    raise _refused(path, _("'{name}' has the wrong kind of value").format(name=key))


def load_site_defaults(path: Path | None = None) -> dict[str, str]:
    """The site's defaults, checked, as setting texts; empty when there is no file."""
    path = site_defaults_path() if path is None else path
    if not os.path.lexists(path):
        return {}
    try:
        text = files.read_bounded(path, MAX_SITE_DEFAULTS_BYTES).decode("utf-8")
        # A key given twice would silently take the last value: refuse it.
        data = loads_strict(text)
    except files.FileRefused as exc:  # a folder, a pipe, unreadable, too large
        raise _refused(path, exc.reason) from exc
    except DuplicateKeyError as exc:
        raise _refused(
            path, _("it sets '{key}' twice; keep the one you mean").format(key=exc.key)
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refused(path, _("it is not valid JSON ({error})").format(error=exc)) from exc
    if not isinstance(data, dict):
        raise _refused(path, _("it does not hold a set of settings"))
    texts: dict[str, str] = {}
    scratch = Settings()
    for key, value in data.items():
        if key not in SITE_KEYS:
            raise _refused(
                path,
                _(
                    "it may set only database_url, language and idle_lock_minutes, not '{key}'"
                ).format(key=key),
            )
        texts[key] = _as_text(path, key, value)
        try:
            scratch.set(key, texts[key])
        except AlongsideError as exc:
            raise _refused(
                path,
                _("'{key}' is refused ({why})").format(key=key, why=str(exc).rstrip(".")),
            ) from exc
    return texts


def apply_site_defaults(settings: Settings, defaults: dict[str, str]) -> None:
    """Give a new profile's settings the site's values (checked by ``load_site_defaults``)."""
    for key, value in defaults.items():
        settings.set(key, value)
