"""``alongside complaint``: where a complaint about a service goes, and its evidence pack.

alongside complaint route --service ID --postcode PC
    the steps and bodies in order, with their time limits (no profile needed)
alongside complaint consent --profile DIR --user NAME --case REF [--on YYYY-MM-DD]
    record the person's yes to an evidence pack (default today), as the
    window's "They agreed" does: the same check, timeline line and audit
alongside complaint pack --profile DIR --user NAME --case REF [--lang cy] [--large-print] -o FILE
    the evidence pack as one PDF, after the print decision and the person's
    recorded consent; written atomically, or nothing is written
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import signed_in
from casework.kernel import files
from casework.kernel.i18n import _


def cmd_complaint_route(args: argparse.Namespace) -> int:
    from casework.complaints.routes import nation_words, route_for_postcode
    from casework.forms.definitions import load_catalogue
    from casework.forms.versions import version_for
    from casework.kernel.i18n import current_language
    from casework.kernel.nations import nation_of_postcode

    catalogue = load_catalogue()
    service = catalogue.get(args.service)
    where = nation_of_postcode(args.postcode)
    if service is not None and where is not None:  # the route follows the nation's version
        version = version_for(catalogue, args.service, where)
        if version.service.id != service.id:
            print(version.reason)
            service = version.service
    nation, steps = route_for_postcode(service.id if service else args.service, args.postcode)
    title = service.text("title", current_language()) if service else args.service
    print(
        _("Complaint route for {service} in {nation}:").format(
            service=title or args.service, nation=nation_words(nation)
        )
    )
    for step in steps:
        print(f"{step.number}. {step.body.name}")
        print("   " + step.body.what)
        print("   " + _("Time limit: {limit}").format(limit=step.time_limit))
        print("   " + _("Needs first: {needs}").format(needs=step.needs_first))
        print("   " + _("How to contact: {contact}").format(contact=step.body.contact))
        print("   " + step.body.url)
    return 0


def cmd_complaint_pack(args: argparse.Namespace) -> int:
    from casework.complaints import pack, pack_pdf
    from casework.kernel.action import act

    target = Path(args.output)
    files.check_target(target)  # before signing in: a refused path prints nothing
    with signed_in(args) as backend:
        made = backend.perform(
            act(
                pack.evidence_pack,
                backend.catalogue,
                args.case,
                language=args.lang,
                large_print=args.large_print,
            ),
            write=True,
        )
    data = pack_pdf.render(made)  # after the transaction, as the window does
    files.write_atomically(target, data)
    print(_("Wrote {path} ({n} bytes).").format(path=target, n=len(data)))
    return 0


def cmd_complaint_consent(args: argparse.Namespace) -> int:
    from casework.casefile.cases import case_id_for_reference
    from casework.complaints import steps
    from casework.kernel import timeline
    from casework.kernel.action import act

    given_on = args.on if args.on is not None else steps.today_in_uk()
    with signed_in(args) as backend:
        case_id = backend.perform(act(case_id_for_reference, args.case), write=True)
        backend.perform(act(steps.record_consent, case_id, given_on), write=True)
    print(
        _("Recorded the person's consent to an evidence pack for case {case}, given {day}.").format(
            case=args.case, day=timeline.render(timeline.day(given_on))
        )
    )
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date: write it as YYYY-MM-DD.").format(text=text)
        ) from None


def add_parser(sub: Any) -> None:
    """Add ``complaint route``, ``consent`` and ``pack`` to the ``alongside`` command."""
    complaint = sub.add_parser(
        "complaint", help=_("where a complaint about a service goes, and its evidence pack")
    )
    kinds = complaint.add_subparsers(dest="complaint", required=True, metavar="WHAT")
    route = kinds.add_parser("route", help=_("the steps and bodies in order, with time limits"))
    route.add_argument("--service", required=True, metavar="ID", help=_("the service's id"))
    route.add_argument("--postcode", required=True, metavar="PC", help=_("the person's postcode"))
    route.set_defaults(func=cmd_complaint_route)
    agreed = kinds.add_parser(
        "consent", help=_("record the person's consent to an evidence pack for a case")
    )
    agreed.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    agreed.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    agreed.add_argument("--case", required=True, metavar="REF", help=_("the case's reference"))
    agreed.add_argument(
        "--on", type=_day, metavar="YYYY-MM-DD", help=_("the day they agreed (default today)")
    )
    agreed.set_defaults(func=cmd_complaint_consent)
    made = kinds.add_parser("pack", help=_("the evidence pack for a case, as a PDF file"))
    made.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    made.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    made.add_argument("--case", required=True, metavar="REF", help=_("the case's reference"))
    made.add_argument("--lang", choices=("en", "cy"), default="en", help=_("en or cy"))
    made.add_argument("--large-print", action="store_true", help=_("16 pt text and up"))
    made.add_argument("-o", "--output", required=True, metavar="FILE")
    made.set_defaults(func=cmd_complaint_pack)
