"""``alongside audit verify``: check the audit trail's hash chain has not been changed."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_profile
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def cmd_audit(args: argparse.Namespace) -> int:
    """Check the audit trail's hash chain: 0 when intact, 1 naming the first broken entry."""
    from app.database import session_factory
    from delegation.audit import verify

    profile = open_profile(args)
    try:
        with session_factory(profile.engine)() as session:
            result = verify(session)
    finally:
        profile.close()
    if not result.ok:
        raise AlongsideError(result.reason)
    print(result.reason)
    return 0


def add_parser(sub: Any) -> None:
    """Add ``audit verify`` to the ``alongside`` command."""
    audit = sub.add_parser("audit", help=_("check the audit trail has not been changed"))
    audit.add_argument("action", choices=("verify",))
    audit.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    audit.set_defaults(func=cmd_audit)
