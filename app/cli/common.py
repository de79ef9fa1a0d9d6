"""What every ``alongside`` subcommand shares: the profile folder it names,
opening that profile, asking for a passphrase or a worker's password without
echo, signing a worker in for a command (``signed_in``), and argparse's
number types.

The subcommand modules import from here; nothing here imports them, so the
arrows run one way: ``app.cli`` -> a subcommand module -> ``app.cli.common``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.paths import ProfilePaths, resolve_profile_dir
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from app.backend import LocalBackend
    from app.profile import OpenProfile

# SQLAlchemy, Alembic and the casework models are imported by the commands
# that open a database, so --version, --help and settings answer at once.

PASSWORD_ENV = "ALONGSIDE_PASSWORD"  # noqa: S105 - a variable name, not a secret


def profile_paths(args: argparse.Namespace) -> ProfilePaths:
    """The profile folder the command was given (``--profile``), or the default one."""
    return ProfilePaths(resolve_profile_dir(getattr(args, "profile", None)))


def ask_passphrase() -> str:
    """The profile's passphrase, typed at a terminal without echo."""
    if not sys.stdin.isatty():
        raise AlongsideError(
            _(
                "This profile needs its passphrase, and there is no terminal to type it in. "
                "Set ALONGSIDE_DB_KEY instead."
            )
        )
    return getpass.getpass(_("Profile passphrase: "))


def open_profile(args: argparse.Namespace, upgrade: bool = True) -> OpenProfile:
    """Open the command's profile (asking for its passphrase if it has one)."""
    from app.profile import open_profile as open_at

    return open_at(profile_paths(args), ask_passphrase, upgrade=upgrade)


@contextmanager
def signed_in(args: argparse.Namespace) -> Iterator[LocalBackend]:
    """The profile of ``--profile`` with the ``--user`` worker signed in, as
    the window signs in (the same policy, audit and lockout); signed out
    (which signs the audit checkpoint) and closed on the way out."""
    from app.backend import LocalBackend

    password = password_for(args.user)
    profile = open_profile(args)
    try:
        backend = LocalBackend(profile)
        backend.sign_in(args.user, password)
        try:
            yield backend
        finally:
            backend.sign_out()
    finally:
        profile.close()


def password_for(user: str) -> str:
    """The worker's password from ALONGSIDE_PASSWORD, or asked for with no echo."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise AlongsideError(
            _("Set {env} or run this in a terminal to type the password.").format(env=PASSWORD_ENV)
        )
    return getpass.getpass(_("Password for {user}: ").format(user=user))


def whole_number_up_to(limit: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 0 to ``limit`` (a count that must end)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = -1
        if not 0 <= value <= limit:
            raise argparse.ArgumentTypeError(
                _("give a whole number from 0 to {limit}").format(limit=f"{limit:,}")
            )
        return value

    return parse


# SQLite and PostgreSQL keep a record's number in 64 bits; a longer one would
# overflow the driver rather than find nothing.
LARGEST_NUMBER = 2**63 - 1


def is_record_number(text: str) -> bool:
    """Whether ``text`` is a number a record could have (1 to ``LARGEST_NUMBER``)."""
    digits = text.strip()
    return digits.isascii() and digits.isdigit() and 0 < int(digits) <= LARGEST_NUMBER


def record_number(text: str) -> int:
    """An argparse type: a record's number (a person's, a sent form's)."""
    if not is_record_number(text):
        raise argparse.ArgumentTypeError(_("give a number as Alongside shows it, 1 or more"))
    return int(text)
