"""``alongside db upgrade|check|backup``: the profile's database schema and copies."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import open_profile, profile_paths
from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.i18n import _


def cmd_db(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app import audit_anchor, migrate

    if args.action == "upgrade":
        profile = open_profile(args, upgrade=False)
        try:
            backup = migrate.upgrade(profile.engine, profile.paths.backups)
            if backup:
                audit_anchor.write_checkpoint(profile, beside=Path(backup))
            print(_("Database is at {rev}.").format(rev=migrate.current_revision(profile.engine)))
            if backup:
                print(_("A copy from before the upgrade is at {path}.").format(path=backup))
        finally:
            profile.close()
        return 0
    if args.action == "check":
        paths = profile_paths(args)
        try:
            profile = open_profile(args, upgrade=False)
        except DatabaseUnavailable as exc:
            if migrate.newest_backup(paths.backups) is None:
                raise
            # A file too damaged to open: name the copy to restore.
            raise DatabaseUnavailable(
                f"{exc.message} {migrate.restore_advice(paths.backups)}"
            ) from exc
        try:
            problems = migrate.check(profile.engine, paths.backups)
        finally:
            profile.close()
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(_("The database is sound and up to date."))
        return 1 if problems else 0
    profile = open_profile(args, upgrade=False)
    try:
        path = audit_anchor.backup(profile, reason="manual")
    finally:
        profile.close()
    print(_("Backup written to {path} (encrypted with the profile's key).").format(path=path))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``db`` to the ``alongside`` command."""
    db = sub.add_parser("db", help=_("upgrade, check or back up the database"))
    db.add_argument("action", choices=("upgrade", "check", "backup"))
    db.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    db.set_defaults(func=cmd_db)
