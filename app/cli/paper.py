"""``alongside export-pdf``: a paper form to a PDF file.

Blank: ``--service ID [--lang cy] [--large-print] -o FILE`` needs no
profile: the copy still has its own reference (office ``0000``, a random
serial), but it is recorded nowhere (``--profile`` alone says so), so a
returned scan of it matches no case. With ``--profile DIR --user NAME`` the
blank copy is recorded (this office's code) with its print decision, and
with ``--case REF`` as well it is given out for that case's person,
expected back by ``--due-back YYYY-MM-DD`` (default: 14 working days in
the person's nation). Pre-filled: ``--profile DIR --user NAME --case REF
[--submission ID] -o FILE``. The worker signs in (password from
``ALONGSIDE_PASSWORD`` or a prompt that does not echo), and the form goes
through the facade and the ``print`` policy decision like the window's;
every copy is recorded (``casework.paper.copies``). Either way the file is
written atomically: a reader never sees half a form, and a failure leaves
nothing (and no recorded copy).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import record_number, signed_in
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def _blank(args: argparse.Namespace) -> bytes:
    from casework.escalation import directory
    from casework.forms import definitions
    from casework.paper import form

    catalogue = definitions.load_catalogue(route_check=directory.route_problem)
    service = catalogue.get(args.service)
    if service is None:
        known = ", ".join(s.id for s in catalogue.services) or _("none")
        raise AlongsideError(
            _("There is no service called '{id}'. The services are: {known}.").format(
                id=args.service, known=known
            )
        )
    return form.render_form(
        service, form.PaperOptions(language=args.lang, large_print=args.large_print)
    )


def _prefilled(args: argparse.Namespace) -> bytes:
    from casework.kernel.action import act
    from casework.paper import case_print, copies

    with signed_in(args) as backend:
        if args.service is not None:  # a blank copy, recorded (and given out for --case)
            reserve = act(
                case_print.print_blank,
                backend.catalogue,
                args.service,
                args.lang,
                args.large_print,
                case_reference=args.case,
                due_back_on=args.due_back,
            )
        else:
            reserve = act(
                case_print.print_job,
                backend.catalogue,
                case_reference=args.case,
                submission_id=args.submission,
                language=args.lang,
                large_print=args.large_print,
            )
        # Laid out after the decision's transaction, as the window does.
        return copies.print_recorded(backend, reserve, case_print.copy_id, case_print.render)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date: write it as YYYY-MM-DD.").format(text=text)
        ) from None


def cmd_export_pdf(args: argparse.Namespace) -> int:
    """A blank or pre-filled paper form, written atomically to ``-o FILE``."""
    from casework.kernel import files

    target = Path(args.output)
    files.check_target(target)  # before signing in or rendering anything
    if args.service is not None and args.submission is not None:
        raise AlongsideError(_("--submission goes with --case, for a pre-filled form."))
    if args.due_back is not None and (args.service is None or args.case is None):
        raise AlongsideError(_("--due-back goes with --service and --case: a form given out."))
    if args.case is not None:
        if args.user is None:
            raise AlongsideError(_("A form for a case needs --user: the worker printing it."))
        data = _prefilled(args)
    elif args.service is None:
        if args.submission is not None:
            raise AlongsideError(_("--submission goes with --case."))
        raise AlongsideError(
            _("Give --service ID for a blank form, or --case REF for a pre-filled one.")
        )
    elif args.user is not None:
        data = _prefilled(args)  # a blank copy, recorded in the profile
    else:
        data = _blank(args)
    files.write_atomically(target, data)
    print(_("Wrote {path} ({n} bytes).").format(path=target, n=len(data)))
    if args.case is None and args.user is None and getattr(args, "profile", None) is not None:
        print(_("This copy is recorded nowhere: give --user as well to record it in the profile."))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``export-pdf`` to the ``alongside`` command."""
    export = sub.add_parser(
        "export-pdf", help=_("print a service's paper form, blank or from a case, to a PDF file")
    )
    export.add_argument(
        "--service", metavar="ID", help=_("the service's id (a blank form; with --case, given out)")
    )
    export.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    export.add_argument("--user", metavar="NAME", help=_("the worker printing a case's form"))
    export.add_argument("--case", metavar="REF", help=_("the case's reference (a pre-filled form)"))
    export.add_argument(
        "--submission",
        type=record_number,
        metavar="ID",
        help=_("a sent form of the case (default: its newest form in progress)"),
    )
    export.add_argument(
        "--due-back",
        type=_day,
        metavar="YYYY-MM-DD",
        help=_("when a blank form given out for --case is expected back"),
    )
    export.add_argument("--lang", choices=("en", "cy"), default="en", help=_("en or cy"))
    export.add_argument("--large-print", action="store_true", help=_("16 pt text and up"))
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.set_defaults(func=cmd_export_pdf)
