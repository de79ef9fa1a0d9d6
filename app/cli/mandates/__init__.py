"""``alongside mandates``: list, grant, pass on and revoke mandates, for
administrators and scripts.

alongside mandates list    --user NAME [--person REF|ID] [--json]
alongside mandates grant   --user NAME --person REF|ID --to WORKER|--to-team TEAM
                           --service ID|--case REF --actions view,draft --information identity,...
                           --until DATE [--review DATE] [--basis consent] [--may-pass-on]
                           --consent-method in-person --seen-alone|--witness NAME
                           --pressured no --can-say-what-helper-will-do yes
                           --knows-how-to-withdraw yes --person-agreed
alongside mandates pass-on MANDATE --user NAME --to WORKER [--services ID,...]
                           [--actions ...] [--information ...] [--until DATE] [--may-pass-on]
alongside mandates revoke  MANDATE --user NAME --reason person-withdrew

The worker signs in (the password comes from ``ALONGSIDE_PASSWORD`` or is
asked for without echo) and each command is one core action run through the
facade, like the window's: the same policy decision and audit, and a
refusal's audit entry is committed. What can be checked without the
database (dates, actions, kinds of information, the safeguarding answers)
is checked before signing in, so bad input writes nothing. A grant prints
the task list first: it is the text the person agrees to and the consent
fingerprints, and nothing is granted without ``--person-agreed``.

Lines name people, helpers and services in words; ``--json`` adds the ids a
script needs (to pass on or revoke a mandate).

This module builds the parser and runs each command; ``arguments`` reads
what was typed, ``lookups`` finds what it names, ``actions`` does the work
and ``output`` prints it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TypeVar

from app.cli.common import signed_in
from app.cli.mandates.actions import (
    PassOnForm,
    grant,
    pass_on,
    revoke,
    task_list,
    visible_mandates,
)
from app.cli.mandates.arguments import grant_form, mandate_number, names, one_of, word
from app.cli.mandates.lookups import typed_day
from app.cli.mandates.output import as_json, line, print_json, print_lines
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from casework.forms.definitions import Catalogue
    from casework.kernel.action import Action

T = TypeVar("T")


def _catalogue() -> Catalogue:
    from casework.escalation import directory
    from casework.forms import definitions

    return definitions.load_catalogue(route_check=directory.route_problem)


def _as_worker(args: argparse.Namespace, action: Action[T]) -> T:
    """Sign the worker in, run ``action`` as them in one write transaction, sign out."""
    with signed_in(args) as backend:
        return backend.perform(action, write=True)


def cmd_list(args: argparse.Namespace) -> int:
    from casework.kernel.action import act

    catalogue = _catalogue()
    found = _as_worker(args, act(visible_mandates, args.person))
    if args.json:
        print_json([as_json(record) for record in found])
    elif not found:
        print(_("No mandates you may see."))
    else:
        print_lines(found, catalogue)
    return 0


def _print_task_list(shown: str) -> None:
    print(_("The task list to read to the person:"))
    for task in shown.splitlines():
        print("  " + task)


def cmd_grant(args: argparse.Namespace) -> int:
    from casework.kernel.action import act

    catalogue = _catalogue()
    form = grant_form(args, catalogue)
    if not args.person_agreed:
        # Nothing is written: the task list is what the person is read and agrees to.
        shown = _as_worker(args, act(task_list, catalogue, form.scope))
        if args.json:
            print_json({"task_list": shown})
        else:
            _print_task_list(shown)
        raise AlongsideError(
            _(
                "Nothing was granted. Read the task list to the person; if they agree, "
                "run the command again with --person-agreed."
            )
        )
    outcome, shown = _as_worker(args, act(grant, catalogue, form))
    if args.json:
        print_json(as_json(outcome.mandate) | {"active": outcome.active, "task_list": shown})
    else:
        _print_task_list(shown)
    if not outcome.active:
        raise AlongsideError(" ".join(outcome.message.split()))
    if not args.json:
        print(_("Granted:"))
        print_lines([outcome.mandate], catalogue, "  ")
    return 0


def cmd_pass_on(args: argparse.Namespace) -> int:
    from casework.kernel.action import act
    from delegation.scope import ACTIONS, CATEGORIES

    catalogue = _catalogue()
    targets = None
    if args.services:
        targets = frozenset(p.strip().lower() for p in args.services.split(",") if p.strip())
    if not args.to:
        raise AlongsideError(_("Give --to WORKER: the colleague to pass it on to."))
    form = PassOnForm(
        parent_id=mandate_number(args.mandate),
        to_worker=args.to,
        targets=targets,
        actions=names(args.actions, ACTIONS, "--actions") if args.actions else None,
        categories=names(args.information, CATEGORIES, "--information")
        if args.information
        else None,
        until=typed_day(args.until, "--until") if args.until else None,
        may_pass_on=bool(args.may_pass_on),
    )
    outcome = _as_worker(args, act(pass_on, form))
    if args.json:
        print_json(as_json(outcome.mandate) | {"active": outcome.active})
        return 0
    print(_("Passed on:"))
    print_lines([outcome.mandate], catalogue, "  ")
    if outcome.message:
        print(outcome.message)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from casework.kernel.action import act
    from ui.mandates.labels import END_REASONS

    catalogue = _catalogue()
    if not args.reason:
        raise AlongsideError(
            _("Give --reason: why the mandate ends ({choices}).").format(
                choices=", ".join(word(c) for c in END_REASONS)
            )
        )
    code = one_of(args.reason, END_REASONS, "--reason")
    ended = _as_worker(args, act(revoke, mandate_number(args.mandate), code))
    if args.json:
        print_json([as_json(record) for record in ended])
        return 0
    print(_("Revoked:"))
    print_lines(ended[:1], catalogue, "  ")
    if len(ended) > 1:
        print(_("Ended with it, because they were passed on from it:"))
        helpers = {record.id: record.grantee for record in ended}
        for record in ended[1:]:
            print("  " + line(record, catalogue, helpers))
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    parser.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    parser.add_argument(
        "--json", action="store_true", help=_("print for scripts (with ids) instead of lines")
    )


def _helper(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", metavar="WORKER", help=_("the helper's username"))
    parser.add_argument("--to-team", metavar="TEAM", help=_("a whole team as the helper, by name"))


def add_parser(sub: Any) -> None:
    """Add ``mandates list|grant|pass-on|revoke`` to the ``alongside`` command."""
    parser = sub.add_parser(
        "mandates", help=_("list, grant, pass on or revoke permissions to act for a person")
    )
    actions = parser.add_subparsers(dest="mandates", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help=_("the mandates you may see, one a line"))
    _common(listing)
    listing.add_argument(
        "--person", metavar="REF|ID", help=_("one person: a case reference or their number")
    )
    listing.set_defaults(func=cmd_list)

    grant_ = actions.add_parser(
        "grant", help=_("record a mandate the person agreed to, after reading them its tasks")
    )
    _common(grant_)
    grant_.add_argument(
        "--person", metavar="REF|ID", help=_("the person: a case reference or their number")
    )
    _helper(grant_)
    grant_.add_argument(
        "--service", action="append", metavar="ID", help=_("a service the helper may work on")
    )
    grant_.add_argument(
        "--case", action="append", metavar="REF", help=_("a single case the helper may work on")
    )
    grant_.add_argument(
        "--actions", metavar="LIST", help=_("what the helper may do, such as view,draft")
    )
    grant_.add_argument(
        "--information", metavar="LIST", help=_("the kinds of information, such as identity")
    )
    grant_.add_argument("--until", metavar="DATE", help=_("the last day of the mandate"))
    grant_.add_argument("--review", metavar="DATE", help=_("when to look at it again"))
    grant_.add_argument(
        "--basis", default="consent", metavar="BASIS",
        help=_("why the helper may act (default: the person's consent)"),
    )  # fmt: skip
    grant_.add_argument(
        "--may-pass-on", action="store_true", help=_("the helper may pass part of it on")
    )
    grant_.add_argument(
        "--consent-method", metavar="HOW", help=_("in-person, signed-paper or phone-callback")
    )
    grant_.add_argument(
        "--seen-alone", action="store_true", help=_("you saw the person on their own")
    )
    grant_.add_argument("--witness", metavar="NAME", help=_("who was with the person"))
    grant_.add_argument("--interpreter", action="store_true", help=_("an interpreter helped"))
    for flag, question in (
        ("--pressured", _("has anyone pressured the person into this? yes or no")),
        ("--can-say-what-helper-will-do", _("can they say what the helper will do? yes or no")),
        ("--knows-how-to-withdraw", _("do they know how to withdraw? yes or no")),
    ):
        grant_.add_argument(flag, metavar="ANSWER", help=question)
    grant_.add_argument(
        "--person-agreed", action="store_true",
        help=_("the person heard the task list and agreed to it"),
    )  # fmt: skip
    grant_.add_argument("--evidence", metavar="REF", help=_("the document you checked"))
    grant_.add_argument("--emergency-reason", metavar="TEXT", help=_("why it cannot wait"))
    grant_.add_argument(
        "--second-approver", metavar="WORKER", help=_("the supervisor approving an emergency")
    )
    grant_.add_argument(
        "--finish-queued", action="store_true",
        help=_("queued forms may still be sent if it ends"),
    )  # fmt: skip
    grant_.set_defaults(func=cmd_grant)

    pass_ = actions.add_parser("pass-on", help=_("pass part of a mandate on to a colleague"))
    pass_.add_argument("mandate", metavar="MANDATE")
    _common(pass_)
    pass_.add_argument("--to", metavar="WORKER", help=_("the colleague's username"))
    pass_.add_argument(
        "--services", metavar="LIST", help=_("only these services or cases (default: all)")
    )
    pass_.add_argument("--actions", metavar="LIST", help=_("only these actions"))
    pass_.add_argument("--information", metavar="LIST", help=_("only these kinds of information"))
    pass_.add_argument("--until", metavar="DATE", help=_("an earlier last day"))
    pass_.add_argument(
        "--may-pass-on", action="store_true", help=_("the colleague may pass it on again")
    )
    pass_.set_defaults(func=cmd_pass_on)

    revoke_ = actions.add_parser(
        "revoke", help=_("end a mandate, and every mandate passed on from it")
    )
    revoke_.add_argument("mandate", metavar="MANDATE")
    _common(revoke_)
    revoke_.add_argument(
        "--reason", metavar="WHY",
        help=_("person-withdrew, safeguarding-concern, evidence-no-longer-valid, "
               "grantee-left, entered-in-error or other"),
    )  # fmt: skip
    revoke_.set_defaults(func=cmd_revoke)
