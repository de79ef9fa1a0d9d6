"""``alongside report acted-for``: the "who acted for me" PDF for a person.

The worker signs in as themselves (``--user``; the password comes from
``ALONGSIDE_PASSWORD`` or is asked for on a terminal), so the request is
decided and audited like any other.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import record_number, signed_in
from casework.kernel import files
from casework.kernel.i18n import _


def cmd_report_acted_for(args: argparse.Namespace) -> int:
    from casework.kernel.action import act
    from casework.kernel.i18n import current_language
    from casework.paper import acted_for

    target = Path(args.output)
    files.check_target(target)  # before signing in: a refused path prints nothing
    with signed_in(args) as backend:
        pdf = backend.perform(
            act(
                acted_for.acted_for_report,
                args.person,
                language=current_language(),
                large_print=args.large_print,
            ),
            write=True,
        )
    files.write_atomically(target, pdf)
    print(_("Wrote {path} ({n} bytes).").format(path=target, n=len(pdf)))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``report acted-for`` to the ``alongside`` command."""
    report = sub.add_parser("report", help=_("print reports for a person"))
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    acted = kinds.add_parser("acted-for", help=_("who acted for a person, from the audit trail"))
    acted.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    acted.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    acted.add_argument("--person", required=True, type=record_number, metavar="ID")
    acted.add_argument("--large-print", action="store_true", help=_("16 pt text and up"))
    acted.add_argument("-o", "--output", required=True, metavar="FILE")
    acted.set_defaults(func=cmd_report_acted_for)
