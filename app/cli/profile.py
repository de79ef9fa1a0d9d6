"""``alongside setup`` and ``alongside settings``: make a profile without the window,
and read or change one of its settings.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from app.cli.common import PASSWORD_ENV, profile_paths
from app.settings import load_settings, save_settings
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def cmd_settings(args: argparse.Namespace) -> int:
    paths = profile_paths(args)
    if not paths.settings.exists():  # app.profile.profile_exists, without the database code
        raise AlongsideError(_("There is no Alongside profile at {path}.").format(path=paths.root))
    settings = load_settings(paths.settings)
    if args.action == "set":
        settings.set(args.key, args.value)
        save_settings(paths.settings, settings)
        print(_("{key} is now {value}.").format(key=args.key, value=settings.get(args.key)))
    else:
        try:
            print(settings.get(args.key))
        except KeyError as exc:
            raise AlongsideError(
                _("There is no setting called '{key}'.").format(key=args.key)
            ) from exc
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Create a profile and its first administrator without the window."""
    from app.database import session_factory
    from app.profile import create_profile, discard_new_profile
    from casework.kernel import accounts
    from casework.kernel.records import Role

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise AlongsideError(
                _("Set {env} or run this in a terminal to choose the password.").format(
                    env=PASSWORD_ENV
                )
            )
        password = getpass.getpass(_("Password for {user}: ").format(user=args.admin))
    passphrase = os.environ.get("ALONGSIDE_PASSPHRASE") if args.passphrase else None
    if args.passphrase and not passphrase:
        passphrase = getpass.getpass(_("Profile passphrase: "))
    profile = create_profile(
        profile_paths(args), name=args.name, passphrase=passphrase, database_url=args.database_url
    )
    try:
        with session_factory(profile.engine, write=True).begin() as session:
            team = accounts.get_or_create_team(session, args.team)
            accounts.create_worker(
                session,
                username=args.admin,
                display_name=args.display_name or args.admin,
                password=password,
                role=Role.ADMIN,
                team=team,
            )
    except BaseException:
        # No half-made profile without an administrator: set-up can be run again.
        discard_new_profile(profile)
        raise
    profile.close()
    print(_("Profile created at {path}.").format(path=profile.paths.root))
    return 0


def add_settings_parser(sub: Any) -> None:
    """Add ``settings get|set`` to the ``alongside`` command."""
    settings = sub.add_parser("settings", help=_("read or change a profile setting"))
    settings_sub = settings.add_subparsers(dest="action", required=True)
    setter = settings_sub.add_parser("set", help=_("change a setting"))
    setter.add_argument("key")
    setter.add_argument("value")
    setter.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    getter = settings_sub.add_parser("get", help=_("show a setting"))
    getter.add_argument("key")
    getter.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    settings.set_defaults(func=cmd_settings)


def add_setup_parser(sub: Any) -> None:
    """Add ``setup`` to the ``alongside`` command."""
    setup = sub.add_parser(
        "setup", help=_("create a profile and its first administrator without the window")
    )
    setup.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    setup.add_argument("--admin", required=True, metavar="USERNAME")
    setup.add_argument("--display-name", metavar="NAME")
    setup.add_argument("--team", default="Administrators", metavar="NAME")
    setup.add_argument("--name", default="Alongside", metavar="PROFILE_NAME")
    setup.add_argument(
        "--passphrase",
        action="store_true",
        help=_(
            "protect the key with a passphrase (ALONGSIDE_PASSPHRASE or a prompt) "
            "instead of the keyring"
        ),
    )
    setup.add_argument("--database-url", metavar="URL", help=_("a postgresql+psycopg:// URL"))
    setup.set_defaults(func=cmd_setup)
