"""Every path Alongside writes to, in one place.

A profile is one folder holding the database, settings, logs, backups and
crash reports. It is chosen by ``--profile DIR``, else ``ALONGSIDE_PROFILE``,
else the platform's user data folder (platformdirs), so tests and demos never
touch a real profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

APP_NAME = "Alongside"
_PRIVATE_FLAGS = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
PROFILE_ENV = "ALONGSIDE_PROFILE"


def default_profile_dir() -> Path:
    import platformdirs  # only when no profile folder was named

    return platformdirs.user_data_path(APP_NAME, APP_NAME) / "default"


def resolve_profile_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The profile folder: the flag, then the environment, then the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(PROFILE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_profile_dir()


@dataclass(frozen=True)
class ProfilePaths:
    """The files and folders of one profile."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "alongside.db"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def crashes(self) -> Path:
        return self.root / "crash"

    def ensure(self) -> None:
        """Create the profile's folders, readable by this user only."""
        for folder in (self.root, self.logs, self.backups, self.crashes):
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                folder.chmod(0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file that only this user can read or write (0600)."""
    write_private(path, "")


def write_private(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, readable by this user only (0600).
    It must not exist yet, and a symbolic link there is refused, not followed."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | _PRIVATE_FLAGS, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # whatever the umask
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def open_private_append(path: Path) -> IO[str]:
    """``path`` opened to append text, created 0600; a symbolic link there is
    refused, and a file left readable by others is made private first."""
    fd = os.open(path, os.O_CREAT | os.O_APPEND | _PRIVATE_FLAGS, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")
