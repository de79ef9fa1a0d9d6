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
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from app.cli.common import open_profile, password_for
from casework.kernel.errors import AccessRefused, AlongsideError, InvalidInput
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casework.forms.definitions import Catalogue
    from casework.kernel.action import Action
    from casework.kernel.records import Actor
    from delegation.records import GrantOutcome, MandateRecord
    from delegation.scope import Scope, ScopeDetail

T = TypeVar("T")

GRANTABLE = (
    "consent",
    "lasting_power_of_attorney",
    "deputyship",
    "dwp_appointee",
    "parental_responsibility",
    "emergency",
)
CONSENT_METHODS = ("in_person", "signed_paper", "phone_callback")
# Each safeguarding question (``delegation.mandates.SAFEGUARDING_QUESTIONS``) and its flag.
SAFEGUARDING_FLAGS = {
    "pressured_by_anyone": "--pressured",
    "can_say_what_helper_will_do": "--can-say-what-helper-will-do",
    "knows_how_to_withdraw": "--knows-how-to-withdraw",
}


# -- reading what was typed (before anyone signs in) ------------------------------
def _word(code: str) -> str:
    """``lasting_power_of_attorney`` as typed on a command line: ``lasting-power-of-attorney``."""
    return code.replace("_", "-")


def _one_of(text: str, codes: Sequence[str], flag: str) -> str:
    code = text.strip().lower().replace("-", "_")
    if code not in codes:
        raise AlongsideError(
            _("Give {flag} as one of: {choices}.").format(
                flag=flag, choices=", ".join(_word(c) for c in codes)
            )
        )
    return code


def _names(text: str | None, allowed: Iterable[str], flag: str) -> frozenset[str]:
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


def _day(text: str, flag: str) -> date:
    """A date typed as 2027-03-27 or 27/03/2027."""
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise AlongsideError(
            _("Give {flag} as a date, like 2027-03-27 or 27/03/2027.").format(flag=flag)
        ) from None


def end_of_day(value: date) -> datetime:
    """The last minute of a local calendar day, in UTC (as the grant dialog reads it)."""
    return datetime.combine(value, time(23, 59)).astimezone().astimezone(UTC)


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
    actions = _names(args.actions, ACTIONS, "--actions")
    categories = _names(args.information, CATEGORIES, "--information")
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


# -- finding what was named (in the worker's transaction) ---------------------------
def worker_id(session: Session, username: str) -> int:
    from sqlalchemy import select

    from casework.kernel.models import Worker

    found = session.scalar(select(Worker.id).where(Worker.username == username.strip()))
    if found is None:
        raise InvalidInput({"to": _("There is no worker called '{name}'.").format(name=username)})
    return found


def team_id(session: Session, name: str) -> int:
    from sqlalchemy import select

    from casework.kernel.models import Team

    found = session.scalar(select(Team.id).where(Team.name == name.strip()))
    if found is None:
        raise InvalidInput({"to": _("There is no team called '{name}'.").format(name=name)})
    return found


def grantee(session: Session, to_worker: str | None, to_team: str | None) -> tuple[str, int]:
    """The kind and id of the helper named by ``--to`` or ``--to-team``."""
    from delegation.records import GranteeKind

    if (to_worker is None) == (to_team is None):
        raise InvalidInput({"to": _("Give --to WORKER or --to-team TEAM: one helper.")})
    if to_worker is not None:
        return GranteeKind.WORKER, worker_id(session, to_worker)
    assert to_team is not None
    return GranteeKind.TEAM, team_id(session, to_team)


def person_id(session: Session, actor: Actor, ref: str) -> int:
    """A person's id as typed, or the person of a case reference (``AL-7K3M9QX``),
    found through the policy decision like any case."""
    from casework.casefile.cases import case_id_for_reference
    from casework.kernel.models import Case

    text = ref.strip()
    if text.isdigit():
        return int(text)
    case = session.get(Case, case_id_for_reference(session, actor, text))
    assert case is not None
    return case.person_id


# -- the actions ---------------------------------------------------------------------
def visible_mandates(session: Session, actor: Actor, person_ref: str | None) -> list[MandateRecord]:
    """The person's mandates, or those of everyone whose mandates the worker may
    see (their team's caseload, and people whose live mandate names them)."""
    from sqlalchemy import and_, or_, select

    from casework.kernel.models import Person
    from delegation import listing, mandates
    from delegation.caseload import in_caseload
    from delegation.models import Mandate

    if person_ref is not None:
        records = listing.person_mandates(session, actor, person_id(session, actor, person_ref))
        return list(records)
    people = session.scalars(
        select(Mandate.person_id)
        .join(Person, Person.id == Mandate.person_id)
        .where(
            or_(
                in_caseload(actor),
                and_(mandates.granted_to(actor), Mandate.status.in_(mandates.LIVE)),
            )
        )
        .distinct()
        .order_by(Mandate.person_id)
    ).all()
    found: list[MandateRecord] = []
    for pid in people:
        try:
            records = listing.person_mandates(session, actor, pid)
        except AccessRefused:
            continue  # the policy said no (and wrote so): not one this worker may see
        found += records
    return found


@dataclass(frozen=True)
class GrantForm:
    """What ``mandates grant`` was given, read and checked before signing in."""

    person: str
    to_worker: str | None
    to_team: str | None
    basis: str
    scope: Scope
    ends_at: datetime
    review_at: datetime | None
    task_list: str
    consent_method: str
    seen_alone: bool
    witness: str
    interpreter_used: bool
    safeguarding_answers: dict[str, bool]
    may_pass_on: bool
    finish_queued: bool
    evidence_reference: str
    emergency_reason: str
    second_approver: str | None


def grant(session: Session, actor: Actor, form: GrantForm) -> GrantOutcome:
    """The window's grant (``mandate_actions.grant_mandate``), for the people named."""
    from delegation import mandate_actions
    from delegation.records import Basis, ConsentMethod, GranteeKind, GrantRequest

    kind, helper = grantee(session, form.to_worker, form.to_team)
    approver = worker_id(session, form.second_approver) if form.second_approver else None
    request = GrantRequest(
        person_id=person_id(session, actor, form.person),
        grantee_kind=GranteeKind(kind),
        grantee_id=helper,
        basis=Basis(form.basis),
        scope=form.scope,
        ends_at=form.ends_at,
        review_at=form.review_at,
        task_list_shown=form.task_list,
        consent_method=ConsentMethod(form.consent_method),
        seen_alone=form.seen_alone,
        safeguarding_answers=form.safeguarding_answers,
        interpreter_used=form.interpreter_used,
        witness=form.witness,
        evidence_reference=form.evidence_reference,
        emergency_reason=form.emergency_reason,
        second_approver_id=approver,
        finish_queued=form.finish_queued,
        sub_delegation_allowed=form.may_pass_on,
    )
    return mandate_actions.grant_mandate(session, actor, request)


@dataclass(frozen=True)
class PassOnForm:
    """What ``mandates pass-on`` was given: None keeps what the mandate holds."""

    parent_id: int
    to_worker: str
    targets: frozenset[str] | None  # services or case references to keep
    actions: frozenset[str] | None
    categories: frozenset[str] | None
    until: date | None
    may_pass_on: bool


def _narrowed(parent: Scope, form: PassOnForm) -> Scope:
    """The mandate's services and cases the worker kept, with the actions and
    information they chose; asking for more than it holds is the core's to refuse."""
    from delegation.scope import ScopeDetail, ScopeError

    kept = [d for d in parent if form.targets is None or (d.service_id or d.case) in form.targets]
    try:
        return tuple(
            ScopeDetail(
                service_id=d.service_id,
                case=d.case,
                actions=form.actions if form.actions is not None else d.actions,
                categories=form.categories if form.categories is not None else d.categories,
            )
            for d in kept
        )
    except ScopeError as exc:
        raise AlongsideError(str(exc)) from None


def pass_on(session: Session, actor: Actor, form: PassOnForm) -> GrantOutcome:
    """The window's pass-on (``mandate_actions.pass_on_mandate``): it starts at
    once when the worker's team manages the person, else it waits for that team."""
    from delegation import mandate_actions
    from delegation.records import PassOnRequest

    parent = mandate_actions.passable(session, actor, form.parent_id)  # refused first
    request = PassOnRequest(
        parent_id=form.parent_id,
        grantee_worker_id=worker_id(session, form.to_worker),
        scope=_narrowed(parent.scope, form),
        ends_at=end_of_day(form.until) if form.until is not None else None,
        sub_delegation_allowed=form.may_pass_on,
    )
    return mandate_actions.pass_on_mandate(session, actor, request)


def revoke(
    session: Session, actor: Actor, mandate_id: int, reason_code: str
) -> list[MandateRecord]:
    """Revoke a mandate through the one door (``offline_sync.revocation``: its
    passed-on mandates end too, queued work stops); the mandates that ended,
    the revoked one first."""
    from delegation import listing, mandate_actions
    from delegation.models import Mandate
    from offline_sync import revocation

    code = mandate_actions.reason(reason_code)
    effects = revocation.revoke(session, actor, mandate_id, code)
    ended = [mandate_id, *sorted(set(effects.mandate_ids) - {mandate_id})]
    rows = [session.get(Mandate, mid) for mid in ended]
    return [listing.record(session, m) for m in rows if m is not None]


# -- printing ------------------------------------------------------------------------
def _what(scope: Scope, catalogue: Catalogue) -> str:
    from casework.kernel.i18n import current_language
    from delegation.scope import Action
    from ui.mandates.labels import action_label, category_label

    language = current_language()
    parts = []
    for detail in scope:
        service = catalogue.get(detail.service_id) if detail.service_id else None
        if service is not None:
            target = service.text("title", language) or service.id
        elif detail.service_id:
            target = detail.service_id
        else:
            target = _("case {ref}").format(ref=(detail.case or "").upper())
        parts.append(
            _("{target}: {actions} (information: {categories})").format(
                target=target,
                actions=", ".join(action_label(a) for a in Action if a in detail.actions),
                categories=", ".join(category_label(c) for c in sorted(detail.categories)),
            )
        )
    return "; ".join(parts)


def line(record: MandateRecord, catalogue: Catalogue, helpers: dict[int, str]) -> str:
    """Who, for whom, what, until when, and the state, in words (no ids)."""
    from ui.labels import day
    from ui.mandates.labels import mandate_status_label

    helper = record.grantee
    if record.parent_id is not None and record.parent_id in helpers:
        helper = _("{helper}, passed on by {by}").format(
            helper=helper, by=helpers[record.parent_id]
        )
    return "\t".join(
        [
            record.person_name,
            helper,
            _what(record.scope, catalogue),
            _("until {day}").format(day=day(record.ends_at.astimezone().date())),
            mandate_status_label(record.status),
        ]
    )


def as_json(record: MandateRecord) -> dict[str, Any]:
    """One mandate for scripts: stable keys, ids and codes allowed."""
    return {
        "id": record.id,
        "version": record.version,
        "parent_id": record.parent_id,
        "person_id": record.person_id,
        "person": record.person_name,
        "helper": record.grantee,
        "basis": record.basis.value,
        "status": record.status.value,
        "status_reason": record.status_reason,
        "starts_at": record.starts_at.isoformat(),
        "ends_at": record.ends_at.isoformat(),
        "review_at": record.review_at.isoformat(),
        "may_pass_on": record.sub_delegation_allowed,
        "scope": [detail.to_json() for detail in record.scope],
    }


def _print_lines(found: Sequence[MandateRecord], catalogue: Catalogue, prefix: str = "") -> None:
    helpers = {record.id: record.grantee for record in found}
    for record in found:
        print(prefix + line(record, catalogue, helpers))


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


# -- the commands --------------------------------------------------------------------
def _catalogue() -> Catalogue:
    from casework.escalation import directory
    from casework.forms import definitions

    return definitions.load_catalogue(route_check=directory.route_problem)


def _as_worker(args: argparse.Namespace, action: Action[T]) -> T:
    """Sign the worker in, run ``action`` as them in one write transaction, sign out."""
    from app.backend import LocalBackend

    password = password_for(args.user)
    profile = open_profile(args)
    try:
        backend = LocalBackend(profile)
        backend.sign_in(args.user, password)
        try:
            return backend.perform(action, write=True)
        finally:
            backend.sign_out()
    finally:
        profile.close()


def cmd_list(args: argparse.Namespace) -> int:
    from casework.kernel.action import act

    catalogue = _catalogue()
    found = _as_worker(args, act(visible_mandates, args.person))
    if args.json:
        _print_json([as_json(record) for record in found])
    elif not found:
        print(_("No mandates you may see."))
    else:
        _print_lines(found, catalogue)
    return 0


def _grant_form(args: argparse.Namespace, catalogue: Catalogue) -> GrantForm:
    from delegation.scope import describe

    scope = _grant_scope(args, catalogue)
    person = args.person or (args.case[0] if args.case else None)
    if person is None:
        raise AlongsideError(_("Give --person: the person the mandate is for."))
    if not args.until:
        raise AlongsideError(_("Give --until DATE: every mandate has an end date."))
    ends = end_of_day(_day(args.until, "--until"))
    review = end_of_day(_day(args.review, "--review")) if args.review else None
    if not args.consent_method:
        raise AlongsideError(
            _("Give --consent-method: how the person agreed ({choices}).").format(
                choices=", ".join(_word(c) for c in CONSENT_METHODS)
            )
        )
    method = _one_of(args.consent_method, CONSENT_METHODS, "--consent-method")
    if not args.seen_alone and not (args.witness or "").strip():
        raise AlongsideError(
            _("Say that you saw the person alone (--seen-alone) or who was with them (--witness).")
        )
    return GrantForm(
        person=person,
        to_worker=args.to,
        to_team=args.to_team,
        basis=_one_of(args.basis, GRANTABLE, "--basis"),
        scope=scope,
        ends_at=ends,
        review_at=review,
        task_list=describe(scope),
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


def cmd_grant(args: argparse.Namespace) -> int:
    from casework.kernel.action import act

    catalogue = _catalogue()
    form = _grant_form(args, catalogue)
    # The task list first: it is what the person is read and agrees to.
    if not args.json:
        print(_("The task list to read to the person:"))
        for task in form.task_list.splitlines():
            print("  " + task)
    if not args.person_agreed:
        if args.json:
            _print_json({"task_list": form.task_list})
        raise AlongsideError(
            _(
                "Nothing was granted. Read the task list to the person; if they agree, "
                "run the command again with --person-agreed."
            )
        )
    outcome = _as_worker(args, act(grant, form))
    if args.json:
        _print_json(
            as_json(outcome.mandate) | {"active": outcome.active, "task_list": form.task_list}
        )
    if not outcome.active:
        raise AlongsideError(" ".join(outcome.message.split()))
    if not args.json:
        print(_("Granted:"))
        _print_lines([outcome.mandate], catalogue, "  ")
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
        parent_id=_mandate(args.mandate),
        to_worker=args.to,
        targets=targets,
        actions=_names(args.actions, ACTIONS, "--actions") if args.actions else None,
        categories=_names(args.information, CATEGORIES, "--information")
        if args.information
        else None,
        until=_day(args.until, "--until") if args.until else None,
        may_pass_on=bool(args.may_pass_on),
    )
    outcome = _as_worker(args, act(pass_on, form))
    if args.json:
        _print_json(as_json(outcome.mandate) | {"active": outcome.active})
        return 0
    print(_("Passed on:"))
    _print_lines([outcome.mandate], catalogue, "  ")
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
                choices=", ".join(_word(c) for c in END_REASONS)
            )
        )
    code = _one_of(args.reason, END_REASONS, "--reason")
    ended = _as_worker(args, act(revoke, _mandate(args.mandate), code))
    if args.json:
        _print_json([as_json(record) for record in ended])
        return 0
    print(_("Revoked:"))
    _print_lines(ended[:1], catalogue, "  ")
    if len(ended) > 1:
        print(_("Ended with it, because they were passed on from it:"))
        helpers = {record.id: record.grantee for record in ended}
        for record in ended[1:]:
            print("  " + line(record, catalogue, helpers))
    return 0


def _mandate(text: str) -> int:
    """The mandate's number as a script has it (from ``--json``)."""
    if not text.strip().isdigit():
        raise AlongsideError(_("Give the mandate's number, as --json shows it."))
    return int(text)


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
