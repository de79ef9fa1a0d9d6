"""``alongside forms submit``: send a whole form's answers from a file, as the window sends them.

alongside forms submit --profile DIR --user NAME --case REF --service ID --answers FILE [--route R]

The worker signs in as in the window (``common.signed_in``); the answers are
read and checked as the window checks them (``casework.forms.answer_file``),
then a draft is started on the case, filled in and sent under the same
policy decision, queueing the one delivery of its route. It prints the
submission reference and the route in words; bad answers or a refusal exit 1
with the first problems on one line, and nothing is sent.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from app.cli.common import signed_in
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

MAX_ANSWERS_BYTES = 4 * 1024 * 1024


def _answers_from(path: Path) -> object:
    from casework.forms.strict_json import DuplicateKeyError, loads_strict
    from casework.kernel import files

    if not os.path.lexists(path):
        raise AlongsideError(_("There is no answers file at {path}.").format(path=path))
    # The one bounded reader: no folder, pipe or device, and never more than
    # the limit read into memory (FileRefused is already one plain line).
    data = files.read_bounded(path, MAX_ANSWERS_BYTES)
    try:
        return loads_strict(data.decode("utf-8"))
    except DuplicateKeyError as exc:
        raise AlongsideError(
            _("The answers file gives an answer twice ({where}).").format(where=exc)
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise AlongsideError(
            _("The answers file is not JSON ({reason}).").format(reason=str(exc).splitlines()[0])
        ) from None


def cmd_forms_submit(args: argparse.Namespace) -> int:
    from casework.casefile.cases import case_id_for_reference
    from casework.entitlements import actions as sent
    from casework.forms import actions, answer_file
    from casework.kernel.action import act
    from casework.kernel.i18n import current_language
    from casework.paper.form_routes import PAPER

    data = _answers_from(Path(args.answers))
    with signed_in(args) as backend:
        catalogue = backend.catalogue
        service = actions.service_for(catalogue, args.service)
        answers = answer_file.read_answers(service, data, current_language())
        case_id = backend.perform(act(case_id_for_reference, args.case), write=True)
        record, route = backend.perform(
            act(
                sent.submit_answers,
                catalogue,
                case_id,
                service.id,
                answers,
                args.route,
                settings=backend.route_settings,
                paper=PAPER,
            ),
            write=True,
        )
    print(record.uuid)
    if route.queues:
        print(_("Queued to go {route}.").format(route=route.words))
    else:
        print(_("To print and send by post: nothing is queued."))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``forms submit`` to the ``alongside`` command."""
    forms = sub.add_parser("forms", help=_("send a form's answers from a file"))
    forms_sub = forms.add_subparsers(dest="action", required=True)
    submit = forms_sub.add_parser(
        "submit",
        help=_("check a form's answers as the window does and send them; print the reference"),
    )
    submit.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    submit.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    submit.add_argument("--case", required=True, metavar="REF", help=_("the case's reference"))
    submit.add_argument("--service", required=True, metavar="ID", help=_("the service's id"))
    submit.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help=_("the answers as JSON (as 'alongside services sample' prints them)"),
    )
    submit.add_argument(
        "--route",
        metavar="R",
        help=_(
            "how it goes: submission_api, notify_email, paper_letter, paper_print or paper "
            "(default: the first open route)"
        ),
    )
    submit.set_defaults(func=cmd_forms_submit)
