"""Assisted sessions: a walk-in person helped with one service at a public terminal.

``start`` records, in one transaction, the person, a case for the one
service, a mandate on the ``assisted_session`` basis to the worker alone
(scope: that one service, its data categories, no sub-delegation) that ends
when the session ends (at most two hours), the person's in-person consent
to the exact task list shown, and its activation. A safeguarding concern
stops activation, and with it the whole start: nothing is kept.

``end`` closes the session either way, in one transaction:

- **keep**, only when the person agreed to open a case: the person and the
  case stay in the team's caseload; the session's mandate ends.
- **wipe**: every row that hangs off the person is deleted (cases, notes,
  tasks, documents, drafts, submissions, queued outbox items, mandates and
  consent records, and through the triggers the search index rows), found
  by following the foreign keys of the metadata, so a table added later is
  wiped too. SQLite's ``secure_delete`` overwrites the freed pages and the
  search index is optimised, so the text does not linger in the file. The
  audit chain keeps its entries (they hold ids, not the person's data) and
  gets one more: the wipe, with what was removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Table,
    delete,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from casework.casefile import cases, people
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import Base, Person
from casework.kernel.records import Actor, PersonInput
from delegation import audit, mandates, policy
from delegation.audit import ReasonCode
from delegation.models import Mandate
from delegation.records import Basis, ConsentMethod, MandateStatus, Outcome, SessionRecord
from delegation.scope import Action, ScopeDetail, make_scope
from delegation.scope_words import NO_NAMES, ScopeNames, describe, shown_as_built
from delegation.session_models import AssistedSession

LONGEST = timedelta(hours=2)
SHORTEST = timedelta(minutes=5)
# What a helper at a terminal may do within the one service.
SESSION_ACTIONS = frozenset({Action.VIEW, Action.DRAFT, Action.SUBMIT, Action.PRINT})


@dataclass(frozen=True)
class WipeReport:
    """What a wipe removed: rows per table (for the audit entry and the screen)."""

    rows: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def session_scope(service_id: str, categories: Iterable[str]) -> tuple[ScopeDetail, ...]:
    """The one-service scope of a session: its categories, the session's actions."""
    return make_scope(
        [ScopeDetail(service_id=service_id, actions=SESSION_ACTIONS, categories=categories)]
    )


def task_list(
    service_id: str,
    categories: Iterable[str],
    names: ScopeNames = NO_NAMES,
    language: str | None = None,
) -> str:
    """The exact plain-language task list the person is shown and agrees to."""
    return describe(session_scope(service_id, categories), names, language)


def _record(row: AssistedSession, name: str) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        person_id=row.person_id,
        person_name=name,
        case_id=row.case_id,
        mandate_id=row.mandate_id,
        service_id=row.service_id,
        started_at=row.started_at,
        ends_at=row.ends_at,
        outcome=Outcome(row.outcome),
    )


def _stored_record(session: Session, row: AssistedSession) -> SessionRecord:
    """The session as a record, named from the person's row (blank once wiped)."""
    person = session.get(Person, row.person_id)
    return _record(row, f"{person.given_name} {person.family_name}" if person else "")


def start(
    session: Session,
    actor: Actor,
    *,
    person: PersonInput,
    service_id: str,
    service_title: str,
    categories: Iterable[str],
    task_list_shown: str,
    safeguarding_answers: Mapping[str, bool],
    seen_alone: bool,
    interpreter_used: bool = False,
    witness: str = "",
    minutes: int = 120,
    now: datetime | None = None,
    names: ScopeNames = NO_NAMES,
    task_list_language: str = "",
) -> SessionRecord:
    """Start a session: person, case, mandate, consent and activation, or nothing.

    ``task_list_shown`` must be ``task_list`` with ``names`` in ``task_list_language``."""
    moment = mandates.utc_moment(now)
    length = timedelta(minutes=minutes)
    if not SHORTEST <= length <= LONGEST:
        raise InvalidInput(
            {"minutes": _("A session lasts between 5 minutes and 2 hours. Choose a length.")}
        )
    scope = session_scope(service_id, categories)
    if not shown_as_built(task_list_shown, scope, names, task_list_language):
        raise InvalidInput(
            {"task_list": _("The task list shown is not the one for this session. Start again.")}
        )
    if current(session, actor) is not None:
        raise InvalidInput(
            {"session": _("A session is already running on your account. End it first.")}
        )
    person_id = people.create_person(session, actor, person)
    case_id = cases.open_case(session, actor, person_id, service_id, service_title)
    mandate = mandates.grant(
        session,
        actor,
        person_id=person_id,
        basis=Basis.ASSISTED_SESSION,
        scope=scope,
        starts_at=moment,
        ends_at=moment + length,
        grantee_worker_id=actor.worker_id,
        now=moment,
    )
    consent = mandates.record_consent(
        session,
        actor,
        mandate.id,
        method=ConsentMethod.IN_PERSON,
        task_list_shown=task_list_shown,
        seen_alone=seen_alone,
        safeguarding_answers=safeguarding_answers,
        interpreter_used=interpreter_used,
        witness=witness,
        now=moment,
    )
    # ``activate`` checks the screen only on the consent basis: check it here.
    if mandates.safeguarding_concern(consent):
        raise InvalidInput(
            {
                "safeguarding": _(
                    "The safeguarding questions raised a concern, so the session has not "
                    "started and nothing was saved. Do not go ahead: speak to your "
                    "supervisor or the duty safeguarding lead now."
                )
            }
        )
    mandates.activate(session, actor, mandate.id, now=moment)
    row = AssistedSession(
        worker_id=actor.worker_id,
        person_id=person_id,
        case_id=case_id,
        mandate_id=mandate.id,
        service_id=service_id,
        started_at=moment,
        ends_at=moment + length,
    )
    session.add(row)
    session.flush()
    return _record(row, f"{person.given_name} {person.family_name}".strip())


def _open_session(
    session: Session, actor: Actor, session_id: int, action: str, moment: datetime
) -> AssistedSession:
    row = policy.require_own_session(session, actor, session_id, action, moment)
    if row.outcome != Outcome.OPEN.value:
        raise InvalidInput({"session": _("This session has already ended.")})
    return row


def current(session: Session, actor: Actor) -> SessionRecord | None:
    """The worker's open session, if any (a terminal runs one at a time)."""
    row = session.scalar(
        select(AssistedSession)
        .where(
            AssistedSession.worker_id == actor.worker_id,
            AssistedSession.outcome == Outcome.OPEN.value,
        )
        .order_by(AssistedSession.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return _stored_record(session, row)


def _end_mandate(session: Session, actor: Actor | None, mandate_id: int, moment: datetime) -> None:
    mandate = session.get(Mandate, mandate_id)
    if mandate is not None and mandate.status in mandates.LIVE:
        mandates.move(
            session,
            actor,
            mandate,
            mandates.Change(MandateStatus.EXPIRED, ReasonCode.END_DATE_REACHED),
            "expire",
            moment,
        )


def _close(
    session: Session,
    actor: Actor | None,
    row: AssistedSession,
    outcome: Outcome,
    action: str,
    reason: str,
    code: ReasonCode,
    moment: datetime,
) -> None:
    """Mark the session ended with ``outcome`` and write its lifecycle audit entry."""
    row.ended_at = moment
    row.outcome = outcome.value
    audit.append(
        session,
        kind="lifecycle",
        action=action,
        outcome="allow",
        reason=reason,
        reason_code=code.value,
        worker_id=actor.worker_id if actor else None,
        person_id=row.person_id,
        mandate_id=row.mandate_id,
        target=row.service_id,
        at=moment,
    )
    session.flush()


def keep(
    session: Session,
    actor: Actor,
    session_id: int,
    *,
    person_agreed_to_case: bool,
    now: datetime | None = None,
) -> SessionRecord:
    """End the session keeping the person and their case (only with their agreement)."""
    moment = mandates.utc_moment(now)
    row = _open_session(session, actor, session_id, "keep", moment)
    if not person_agreed_to_case:
        raise InvalidInput(
            {
                "keep": _(
                    "Keep the details only if the person agrees to open a case. "
                    "Otherwise wipe them."
                )
            }
        )
    _end_mandate(session, actor, row.mandate_id, moment)
    _close(
        session,
        actor,
        row,
        Outcome.KEPT,
        "session_keep",
        "assisted session ended; the person agreed to open a case",
        ReasonCode.CONSENT_RECORDED,
        moment,
    )
    return _stored_record(session, row)


def wipe(
    session: Session,
    actor: Actor | None,
    session_id: int,
    *,
    timed_out: bool = False,
    now: datetime | None = None,
) -> WipeReport:
    """End the session and delete everything about the person, in this transaction.

    ``timed_out``: the time ran out and nobody answered keep-or-wipe.
    ``actor`` None is a sweep of a session left open (the app was closed or
    crashed mid-session); the session must then be past its end.
    """
    moment = mandates.utc_moment(now)
    if actor is not None:
        row = _open_session(session, actor, session_id, "wipe", moment)
    else:
        found = session.get(AssistedSession, session_id)
        if found is None:
            raise NotFound(_("There is no such assisted session."))
        if found.outcome != Outcome.OPEN.value:
            raise InvalidInput({"session": _("This session has already ended.")})
        if moment < found.ends_at:
            raise AccessRefused(_("Only the worker can end a session before its time is up."))
        row = found
    _end_mandate(session, actor, row.mandate_id, moment)
    report = wipe_person(session, row.person_id)
    _close(
        session,
        actor,
        row,
        Outcome.WIPED,
        "session_wipe",
        (
            "assisted session timed out with no answer; the person's data was wiped: "
            if timed_out
            else "assisted session ended; the person's data was wiped: "
        )
        + json.dumps(dict(report.rows), sort_keys=True),
        ReasonCode.PERSON_WITHDREW,
        moment,
    )
    return report


def wipe_abandoned(session: Session, now: datetime | None = None) -> list[int]:
    """Wipe every session left open past its end (the app was closed or crashed
    mid-session, so nobody could answer keep-or-wipe); returns their ids."""
    moment = mandates.utc_moment(now)
    rows = session.scalars(
        select(AssistedSession)
        .where(AssistedSession.outcome == Outcome.OPEN.value)
        .order_by(AssistedSession.id)
    ).all()
    wiped = []
    for row in rows:
        if row.ends_at <= moment:
            wipe(session, None, row.id, timed_out=True, now=moment)
            wiped.append(row.id)
    return wiped


def wipe_left_open(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """``wipe_abandoned`` as the worker signing in runs it; how many were wiped.
    The wipes are Alongside's own (the audit names no worker)."""
    return len(wipe_abandoned(session, now))


def _doomed(person_id: int) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table holding rows that hang off the person, parents first, each
    with the condition that picks those rows (by following foreign keys)."""
    people_table = Person.__table__
    assert isinstance(people_table, Table)
    found: dict[str, tuple[Table, ColumnElement[bool]]] = {
        people_table.name: (people_table, people_table.c.id == person_id)
    }
    for table in Base.metadata.sorted_tables:
        if table.name in found:
            continue
        conditions = []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name in found and parent is not table:
                parent_cond = found[parent.name][1]
                picked = select(fk.column).where(parent_cond).scalar_subquery()
                conditions.append(fk.parent.in_(picked))
        if conditions:
            found[table.name] = (table, or_(*conditions))
    return list(found.values())


def wipe_person(session: Session, person_id: int) -> WipeReport:
    """Delete the person and every row that hangs off them (children first)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(text("PRAGMA secure_delete = ON"))
    doomed = _doomed(person_id)
    # Count first (the conditions read parent rows that are deleted later).
    counts = {
        table.name: int(session.scalar(select(func.count()).select_from(table).where(cond)) or 0)
        for table, cond in doomed
    }
    for table, cond in reversed(doomed):
        session.execute(delete(table).where(cond))
    if sqlite:
        session.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))
    session.expire_all()
    return WipeReport({name: n for name, n in counts.items() if n})
