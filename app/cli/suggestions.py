"""``alongside suggestions``: a case's open suggestions of the next claim.

alongside suggestions --profile DIR --user NAME --case REF

The worker signs in as in the window (``common.signed_in``); the case's open
suggestions are read under the same policy decision as the case view (a
mandate shows only the services it covers) and printed one block each: the
claim, why (never a certainty), where it says so, and what it follows. A
case the worker may not see is refused with one line and exit 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import signed_in
from casework.kernel.i18n import _


def cmd_suggestions(args: argparse.Namespace) -> int:
    from casework.casefile.cases import case_id_for_reference
    from casework.entitlements.suggestions import case_suggestions
    from casework.kernel.action import act

    with signed_in(args) as backend:
        catalogue = backend.catalogue
        case_id = backend.perform(act(case_id_for_reference, args.case), write=True)
        found = backend.perform(act(case_suggestions, catalogue, case_id), write=True)
    if not found:
        print(_("No open suggestions on this case."))
        return 0
    blocks = []
    for record in found:
        blocks.append(
            "\n".join(
                [
                    record.title,
                    "  " + _("Why: {reason}").format(reason=record.reason),
                    "  " + _("Source: {url}").format(url=record.source),
                    "  " + _("Follows: {title}").format(title=record.from_title),
                ]
            )
        )
    print("\n\n".join(blocks))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``suggestions`` to the ``alongside`` command."""
    parser = sub.add_parser(
        "suggestions", help=_("list a case's open suggestions of the next claim")
    )
    parser.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    parser.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    parser.add_argument("--case", required=True, metavar="REF", help=_("the case's reference"))
    parser.set_defaults(func=cmd_suggestions)
