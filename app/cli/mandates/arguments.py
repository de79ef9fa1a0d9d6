"""Reading and checking what was typed for ``mandates``, before anyone signs
in, so bad input writes nothing: the kinds of mandate and ways of consenting
a command line may give, lists of actions and information, the safeguarding
answers, a mandate's number, and the ``GrantForm`` a grant is made from.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from app.cli.common import is_record_number
from app.cli.mandates.actions import GrantForm
from app.cli.mandates.lookups import end_of_day, typed_day
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from delegation.records import GRANTABLE_BASES

if TYPE_CHECKING:
    from casework.forms.definitions import Catalogue
    from delegation.scope import Scope, ScopeDetail

CONSENT_METHODS = ("in_person", "signed_paper", "phone_callback")
# Each safeguarding question (``delegation.mandates.SAFEGUARDING_QUESTIONS``) and its flag.
SAFEGUARDING_FLAGS = {
    "pressured_by_anyone": "--pressured",
    "can_say_what_helper_will_do": "--can-say-what-helper-will-do",
    "knows_how_to_withdraw": "--knows-how-to-withdraw",
}


def word(code: str) -> str:
    """``lasting_power_of_attorney`` as typed on a command line: ``lasting-power-of-attorney``."""
    return code.replace("_", "-")


def one_of(text: str, codes: Sequence[str], flag: str) -> str:
    code = text.strip().lower().replace("-", "_")
    if code not in codes:
        raise AlongsideError(
            _("Give {flag} as one of: {choices}.").format(
                flag=flag, choices=", ".join(word(c) for c in codes)
            )
        )
    return code


def names(text: str | None, allowed: Iterable[str], flag: str) -> frozenset[str]:
    """``view,draft`` as a set, each one known; AlongsideError naming the known ones."""
    known = sorted(allowed)
    chosen = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    if not chosen or not chosen <= set(known):
        raise AlongsideError(
            _("Give {flag} as a list separated by commas, from: {choices}.").format(
                flag=flag, choices=", ".join(known)
            )
        )
    return chosen


def _answer(text: str | None, flag: str) -> bool | None:
    if text is None:
        return None
    answer = text.strip().lower()
    if answer not in ("yes", "no"):
        raise AlongsideError(_("Give {flag} as yes or no.").format(flag=flag))
    return answer == "yes"


def _safeguarding(args: argparse.Namespace) -> dict[str, bool]:
    answers = {
        question: _answer(getattr(args, flag[2:].replace("-", "_")), flag)
        for question, flag in SAFEGUARDING_FLAGS.items()
    }
    missing = [SAFEGUARDING_FLAGS[q] for q, a in answers.items() if a is None]
    if missing:
        raise AlongsideError(
            _(
                "Ask the person the safeguarding questions and give every answer "
                "(yes or no): {flags}."
            ).format(flags=", ".join(missing))
        )
    return {question: bool(answer) for question, answer in answers.items()}


def _scope(details: Sequence[ScopeDetail]) -> Scope:
    from delegation.scope import ScopeError, make_scope

    try:
        return make_scope(details)
    except ScopeError as exc:
        raise AlongsideError(str(exc)) from None


def _grant_scope(args: argparse.Namespace, catalogue: Catalogue) -> Scope:
    from delegation.scope import ACTIONS, CATEGORIES, ScopeDetail, ScopeError, case_scope_id

    services, cases = args.service or [], args.case or []
    if not services and not cases:
        raise AlongsideError(_("Give --service ID or --case REF: what the helper may work on."))
    actions = names(args.actions, ACTIONS, "--actions")
    categories = names(args.information, CATEGORIES, "--information")
    for service_id in services:
        if catalogue.get(service_id) is None:
            raise AlongsideError(
                _("There is no service called '{id}'. The services are: {known}.").format(
                    id=service_id, known=", ".join(s.id for s in catalogue.services) or _("none")
                )
            )
    try:
        details = [
            ScopeDetail(service_id=s, actions=actions, categories=categories) for s in services
        ] + [
            ScopeDetail(case=case_scope_id(c), actions=actions, categories=categories)
            for c in cases
        ]
    except ScopeError as exc:
        raise AlongsideError(str(exc)) from None
    return _scope(details)


def grant_form(args: argparse.Namespace, catalogue: Catalogue) -> GrantForm:
    scope = _grant_scope(args, catalogue)
    person = args.person or (args.case[0] if args.case else None)
    if person is None:
        raise AlongsideError(_("Give --person: the person the mandate is for."))
    if not args.until:
        raise AlongsideError(_("Give --until DATE: every mandate has an end date."))
    ends = end_of_day(typed_day(args.until, "--until"))
    review = end_of_day(typed_day(args.review, "--review")) if args.review else None
    if not args.consent_method:
        raise AlongsideError(
            _("Give --consent-method: how the person agreed ({choices}).").format(
                choices=", ".join(word(c) for c in CONSENT_METHODS)
            )
        )
    method = one_of(args.consent_method, CONSENT_METHODS, "--consent-method")
    if not args.seen_alone and not (args.witness or "").strip():
        raise AlongsideError(
            _("Say that you saw the person alone (--seen-alone) or who was with them (--witness).")
        )
    return GrantForm(
        person=person,
        to_worker=args.to,
        to_team=args.to_team,
        basis=one_of(args.basis, GRANTABLE_BASES, "--basis"),
        scope=scope,
        ends_at=ends,
        review_at=review,
        consent_method=method,
        seen_alone=bool(args.seen_alone),
        witness=(args.witness or "").strip(),
        interpreter_used=bool(args.interpreter),
        safeguarding_answers=_safeguarding(args),
        may_pass_on=bool(args.may_pass_on),
        finish_queued=bool(args.finish_queued),
        evidence_reference=args.evidence or "",
        emergency_reason=args.emergency_reason or "",
        second_approver=args.second_approver,
    )


def mandate_number(text: str) -> int:
    """The mandate's number as a script has it (from ``--json``)."""
    if not is_record_number(text):
        raise AlongsideError(_("Give the mandate's number, as --json shows it."))
    return int(text)
