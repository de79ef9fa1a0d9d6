"""Open data: a team's weekly figures per service, safe to publish.

``export_open_data(session, actor, start, end)`` counts, for each ISO week
(named by its Monday) and each service, the forms started, sent, delivered
and abandoned, the escalations and SLA breaches, payments made, paper copies
given out and returned, the median minutes from starting a form to sending
it, and how many people needed help for each failure-demand reason (in
words). It reads only counts, keys and times: no name, date of birth,
postcode, note (a case's or a reason's), reference or worker leaves the
database, and no date finer than a week. The period is widened to whole
weeks (Monday to Sunday), so two exports a day apart cannot be subtracted to
isolate one day. Forms abandoned and people per reason follow ``counting``,
the rules the service page shares (a week is the period).

Disclosure control (decision 0032), applied before anything is returned:
a count of 1 to 4 is suppressed (``None``), every other count is rounded to
the nearest 5 (0 stays 0); a median is given only where at least 5 forms
were completed, rounded to 5 minutes. The raw counts never leave this module.

Who may export is an office-level read (``delegation.office``), audited.
"""

from __future__ import annotations

import gettext
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from casework.escalation.models import Escalation, EscalationLevel
from casework.forms import definitions
from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import DOMAIN, LOCALE_DIR, N_, _
from casework.kernel.models import Case, FormDraft, Submission, Worker, utcnow
from casework.kernel.records import Actor
from casework.paper.models import PaperCopy, PaperReturn
from casework.performance.counting import (
    REASON_PEOPLE,
    abandoned,
    people_per_reason,
    reason_picks,
)
from casework.performance.reasons import REASON_WORDS, REASONS
from delegation.office import require_office_read
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState

OFFICE_ZONE = ZoneInfo("Europe/London")
SMALLEST_SHOWN = 5  # counts from 1 to SMALLEST_SHOWN - 1 are suppressed
ROUND_TO = 5
MEDIAN_ROUND_MINUTES = 5
PAID = "success"  # GOV.UK Pay's status for a payment made

# The measures, in the order of the file, with their words (en; cy through gettext).
MEASURES: tuple[tuple[str, str], ...] = (
    ("forms_started", N_("Forms started")),
    ("forms_sent", N_("Forms sent")),
    ("forms_delivered", N_("Forms delivered (confirmed by the platform)")),
    ("forms_abandoned", N_("Forms abandoned")),
    ("escalations", N_("Escalations")),
    ("sla_breaches", N_("Escalations not answered in time")),
    ("payments", N_("Payments made")),
    ("paper_out", N_("Paper copies given out")),
    ("paper_back", N_("Paper copies returned")),
    ("median_minutes", N_("Median minutes to complete a form")),
)
MEASURE_WORDS = dict(MEASURES)
REASON_MEASURE = "reason"
REASON_MEASURE_WORDS = REASON_PEOPLE


@dataclass(frozen=True)
class OpenDataRow:
    """One figure: a week, a service, what is counted, and the published value.

    ``value`` is None where the figure is suppressed. ``reason`` is "" except
    for a failure-demand reason's count, where it holds the reason's words."""

    week: date  # the Monday
    service: str  # the service's title in English
    service_cy: str  # and in Welsh
    measure: str  # a column key, e.g. forms_sent (explained in the README)
    measure_words: str
    measure_words_cy: str
    reason: str
    reason_cy: str
    value: int | None


@dataclass(frozen=True)
class OpenData:
    """What an export holds: the period (whole weeks) and its rows."""

    first_week: date  # the Monday the period starts
    last_day: date  # the Sunday it ends
    rows: tuple[OpenDataRow, ...]


def suppressed(count: int) -> int | None:
    """A count as published: 0 stays 0, 1 to 4 is None, the rest to the nearest 5."""
    if count < 0:
        raise ValueError("a count is never negative")
    if count == 0:
        return 0
    if count < SMALLEST_SHOWN:
        return None
    return (count + ROUND_TO // 2) // ROUND_TO * ROUND_TO


def median_published(minutes: Iterable[float]) -> int | None:
    """The median to 5 minutes, or None where fewer than 5 forms were completed."""
    values = list(minutes)
    if len(values) < SMALLEST_SHOWN:
        return None
    middle = statistics.median(values)
    return int((middle + MEDIAN_ROUND_MINUTES / 2) // MEDIAN_ROUND_MINUTES * MEDIAN_ROUND_MINUTES)


def week_of(moment: datetime) -> date:
    """The Monday of the office's week that ``moment`` falls in."""
    day = moment.astimezone(OFFICE_ZONE).date()
    return day - timedelta(days=day.weekday())


def whole_weeks(start: date, end: date) -> tuple[date, date]:
    """``start`` back to its Monday and ``end`` on to its Sunday, checked:
    a start after the end or a period over a year is refused."""
    if start > end:
        raise InvalidInput({"start": _("The start of the period is after its end.")})
    if end >= _a_year_on(start):
        raise InvalidInput({"end": _("Choose a period of a year or less.")})
    return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 3, 1)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    begin = datetime.combine(first, time(0), OFFICE_ZONE).astimezone(UTC)
    finish = datetime.combine(last + timedelta(days=1), time(0), OFFICE_ZONE).astimezone(UTC)
    return begin, finish


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language``, whatever the current language is."""
    return gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    ).gettext


Events = dict[str, list[tuple[str, datetime]]]  # measure -> (service id, when)


def _team_cases(actor: Actor) -> Select[int]:
    return select(Case.id).where(Case.team_id == actor.team_id)


def _events(
    session: Session, actor: Actor, begin: datetime, finish: datetime, now: datetime
) -> Events:
    cases = _team_cases(actor)

    def pairs(stmt: Select[str, datetime | None]) -> list[tuple[str, datetime]]:
        return [(str(s), w) for s, w in session.execute(stmt) if w is not None]

    found: Events = {}
    found["forms_started"] = pairs(
        select(FormDraft.service_id, FormDraft.created_at).where(
            FormDraft.case_id.in_(cases),
            FormDraft.created_at >= begin,
            FormDraft.created_at < finish,
        )
    )
    found["forms_sent"] = pairs(
        select(Submission.service_id, Submission.submitted_at).where(
            Submission.case_id.in_(cases),
            Submission.submitted_at >= begin,
            Submission.submitted_at < finish,
        )
    )
    found["forms_delivered"] = pairs(
        select(Submission.service_id, OutboxItem.updated_at)
        .join(OutboxItem, OutboxItem.idempotency_key == Submission.uuid)
        .where(
            Submission.case_id.in_(cases),
            OutboxItem.state == OutboxState.DELIVERED,
            OutboxItem.updated_at >= begin,
            OutboxItem.updated_at < finish,
        )
    )
    found["forms_abandoned"] = pairs(  # in the week the form was started
        select(FormDraft.service_id, FormDraft.created_at)
        .join(Case, Case.id == FormDraft.case_id)
        .where(
            Case.team_id == actor.team_id,
            FormDraft.created_at >= begin,
            FormDraft.created_at < finish,
            abandoned(now),
        )
    )
    found["escalations"] = pairs(
        select(Escalation.service_id, Escalation.raised_at).where(
            Escalation.case_id.in_(cases),
            Escalation.raised_at >= begin,
            Escalation.raised_at < finish,
        )
    )
    found["sla_breaches"] = pairs(
        select(Escalation.service_id, EscalationLevel.breached_at)
        .join(Escalation, Escalation.id == EscalationLevel.escalation_id)
        .where(
            Escalation.case_id.in_(cases),
            EscalationLevel.breached_at >= begin,
            EscalationLevel.breached_at < finish,
        )
    )
    found["payments"] = pairs(
        select(Case.service_id, OutboxItem.updated_at)
        .join(Case, Case.id == OutboxItem.case_id)
        .where(
            Case.team_id == actor.team_id,
            OutboxItem.connector == Connector.PAY,
            OutboxItem.remote_status == PAID,
            OutboxItem.updated_at >= begin,
            OutboxItem.updated_at < finish,
        )
    )
    team_workers = select(Worker.id).where(Worker.team_id == actor.team_id)
    found["paper_out"] = pairs(
        select(PaperCopy.service_id, PaperCopy.given_out_at).where(
            PaperCopy.printed_by_id.in_(team_workers),
            PaperCopy.given_out_at >= begin,
            PaperCopy.given_out_at < finish,
        )
    )
    found["paper_back"] = pairs(
        select(PaperCopy.service_id, PaperReturn.received_at)
        .join(PaperCopy, PaperCopy.id == PaperReturn.copy_id)
        .where(
            PaperReturn.case_id.in_(cases),
            PaperReturn.received_at >= begin,
            PaperReturn.received_at < finish,
        )
    )
    return found


def _completion_minutes(
    session: Session, actor: Actor, begin: datetime, finish: datetime
) -> dict[tuple[date, str], list[float]]:
    minutes: dict[tuple[date, str], list[float]] = defaultdict(list)
    rows = session.execute(
        select(Submission.service_id, FormDraft.created_at, Submission.submitted_at)
        .join(FormDraft, FormDraft.id == Submission.draft_id)
        .where(
            Submission.case_id.in_(_team_cases(actor)),
            Submission.submitted_at >= begin,
            Submission.submitted_at < finish,
        )
    )
    for service_id, started, sent in rows:
        taken = max(0.0, (sent - started).total_seconds() / 60)
        minutes[(week_of(sent), str(service_id))].append(taken)
    return minutes


ReasonCounts = dict[tuple[date, str, str], int]  # (week, service id, reason key) -> people


def export_open_data(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    *,
    catalogue: definitions.Catalogue | None = None,
    now: datetime | None = None,
) -> OpenData:
    """The team's weekly figures per service from ``start`` to ``end`` (widened
    to whole weeks), with small counts suppressed and the rest rounded; a
    form untouched for 28 days before ``now`` counts as idle (``counting``).
    Refused, and audited, unless the actor may read the office's figures."""
    first, last = whole_weeks(start, end)
    require_office_read(
        session, actor, "open_data", {"from": first.isoformat(), "to": last.isoformat()}
    )
    begin, finish = _bounds(first, last)
    counts: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    services = catalogue if catalogue is not None else definitions.load_catalogue()

    def known(service_id: str) -> str:  # every service gone from the catalogue counts as one
        return service_id if services.get(service_id) is not None else ""

    for measure, events in _events(session, actor, begin, finish, now or utcnow()).items():
        for service_id, moment in events:
            counts[(week_of(moment), known(service_id))][measure] += 1
    minutes: dict[tuple[date, str], list[float]] = defaultdict(list)
    for (week, service_id), taken in _completion_minutes(session, actor, begin, finish).items():
        minutes[(week, known(service_id))].extend(taken)
    reasons: ReasonCounts = defaultdict(int)
    for (week, service_id, reason), n in _reason_counts(session, actor, begin, finish).items():
        reasons[(week, known(service_id), reason)] += n
    keys = set(counts) | set(minutes) | {(w, s) for w, s, _r in reasons}
    cy = translator("cy")
    en = translator("en")
    titles = _titles(services)
    rows: list[OpenDataRow] = []
    for week, service_id in sorted(keys, key=lambda k: (k[0], titles(k[1], "en"))):
        service_en, service_cy = titles(service_id, "en"), titles(service_id, "cy")
        counted = counts.get((week, service_id), {})
        for measure, words in MEASURES:
            if measure == "median_minutes":
                value = median_published(minutes.get((week, service_id), []))
            else:
                value = suppressed(counted.get(measure, 0))
            rows.append(
                OpenDataRow(
                    week, service_en, service_cy, measure, en(words), cy(words), "", "", value
                )
            )
        for reason in REASONS:
            rows.append(
                OpenDataRow(
                    week,
                    service_en,
                    service_cy,
                    REASON_MEASURE,
                    en(REASON_MEASURE_WORDS),
                    cy(REASON_MEASURE_WORDS),
                    en(REASON_WORDS[reason]),
                    cy(REASON_WORDS[reason]),
                    suppressed(reasons.get((week, service_id, reason.value), 0)),
                )
            )
    return OpenData(first, last, tuple(rows))


def _reason_counts(
    session: Session, actor: Actor, begin: datetime, finish: datetime
) -> ReasonCounts:
    """How many people gave each failure-demand reason, per week and service
    (``counting``: each person once per week, service and reason, by the week
    of the pick). Reads the reasons' keys and when they were picked, never a
    pick's note."""
    known = {r.value for r in REASONS}
    picks = [
        (week_of(at), str(service_id), str(reason), int(person_id))
        for service_id, at, reason, person_id in session.execute(
            reason_picks(actor.team_id, begin, finish)
        )
        if reason in known
    ]
    return people_per_reason(picks)


def _titles(services: definitions.Catalogue) -> Callable[[str, str], str]:
    """A service's title in a language; a service no longer in the catalogue is
    named as such (its id is internal, never published)."""
    unknown = {
        "en": translator("en")(N_("Another service")),
        "cy": translator("cy")(N_("Another service")),
    }

    def title(service_id: str, language: str) -> str:
        found = services.get(service_id)
        if found is None:
            return unknown[language]
        return found.text("title", language)

    return title
