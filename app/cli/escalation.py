"""``alongside escalations``: list open escalations with their due dates, or run the SLA check.

alongside escalations --profile DIR          one line per open escalation, most urgent first
alongside escalations check --profile DIR    re-escalate breaches, remind before them
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_profile
from casework.kernel.i18n import _


def cmd_escalations(args: argparse.Namespace) -> int:
    from app.backend.escalation import escalation_template_id
    from app.database import session_factory
    from casework.escalation import breaches, directory, lifecycle
    from casework.escalation.records import reason_label, urgency_label
    from casework.forms import definitions

    profile = open_profile(args)
    try:
        if args.action == "check":
            # Only the check builds messages, so only it reads the catalogue.
            report = breaches.check_due(
                session_factory(profile.engine, write=True),
                definitions.load_catalogue(route_check=directory.route_problem).service_of,
                template_id=escalation_template_id(profile),
            )
            print(
                _(
                    "Re-escalated {re}, reminders {reminded}, breached with no one further up "
                    "{top}, not passed on {refused}."
                ).format(
                    re=report.re_escalated,
                    reminded=report.reminded,
                    top=report.breached_at_top,
                    refused=report.refused,
                )
            )
            return 0
        with session_factory(profile.engine)() as session:
            rows = lifecycle.open_escalations(session, None)
        if not rows:
            print(_("No open escalations."))
        for row in rows:
            print(
                "\t".join(
                    [
                        row.case_reference,
                        urgency_label(row.urgency),
                        _("level {n}").format(n=row.level),
                        row.facilitator.name,
                        _("due {day}").format(day=row.facilitator.due_on.isoformat()),
                        reason_label(row.reason),
                    ]
                )
            )
        return 0
    finally:
        profile.close()


def add_parser(sub: Any) -> None:
    """Add ``escalations [list|check]`` to the ``alongside`` command."""
    parser = sub.add_parser(
        "escalations", help=_("list open escalations with due dates, or run the SLA check")
    )
    parser.add_argument("action", nargs="?", choices=("list", "check"), default="list")
    parser.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_escalations)
