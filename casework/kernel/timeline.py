"""The case timeline: one line for everything that happens on a case.

A line is stored as an event: the English message (the gettext key) and its
parameters, as JSON, and is rendered when it is read, in the reader's language.
A parameter is either text shown as it was written (a note, a name, a reason
already in words), or itself a word to translate: another message
(``line``), a day (``day``), or a name that has an English and a Welsh form
(``both``: a service's title, a facilitator's role). Lines written before
events were stored, or whose text matched no known template, are literal text
and are shown as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.i18n import N_, _, current_language
from casework.kernel.models import TimelineEvent, Worker, utcnow
from casework.kernel.records import Actor, TimelineEntry

Line = dict[str, Any]
Param = str | int | Mapping[str, Any]

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def line(message: str, **params: Param) -> Line:
    """An event: the English ``message`` (marked with ``N_``) and its parameters."""
    event: Line = {"m": message}
    if params:
        event["p"] = {name: _param(value) for name, value in params.items()}
    return event


def day(value: date) -> Line:
    """A day, written in the reader's language ("5 December 2026", "5 Rhagfyr 2026")."""
    return {"day": value.isoformat()}


def both(en: str, cy: str, key: str | None = None) -> Line:
    """A name with an English and a Welsh form (``key``: what it names, kept, never shown)."""
    value: Line = {"en": en, "cy": cy or en}
    if key:
        value["id"] = key
    return value


def _param(value: Param) -> Param:
    if isinstance(value, bool) or not isinstance(value, str | int | Mapping):
        raise TypeError(f"a timeline parameter must be text, a number or a word, not {value!r}")
    return dict(value) if isinstance(value, Mapping) else value


def render(
    value: Any, language: str | None = None, translate: Callable[[str], str] | None = None
) -> str:
    """``value`` (an event, a parameter or literal text) in words, in the current
    language (``language`` is only told to names with two forms), or through
    ``translate`` (a paper's own language, without switching the app's)."""
    lang = language or current_language()
    tr = translate or _
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Mapping):
        if "m" in value:
            params = value.get("p") or {}
            text = tr(str(value["m"]))
            if not params:
                return text
            words = {str(k): render(v, lang, tr) for k, v in params.items()}
            try:
                return text.format(**words).strip()
            except (KeyError, IndexError, ValueError):
                return str(value["m"]).format_map(_Keep(words)).strip()
        if "day" in value:
            try:
                when = date.fromisoformat(str(value["day"]))
            except ValueError:
                return str(value["day"])
            return f"{when.day} {tr(MONTHS[when.month - 1])} {when.year}"
        if "en" in value:
            return str(value.get(lang) or value["en"])
    return ""


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def record(
    session: Session, case_id: int, kind: str, summary: Line | str, actor: Actor | None
) -> None:
    """Add a timeline line in the caller's transaction: ``summary`` is an event
    (``line(...)``) rendered when read, or literal text shown as written."""
    event = json.dumps(summary, ensure_ascii=False) if isinstance(summary, dict) else None
    session.add(
        TimelineEvent(
            case_id=case_id,
            at=utcnow(),
            kind=kind,
            summary=render(summary, "en") if event is not None else summary,
            event=event,
            worker_id=actor.worker_id if actor else None,
        )
    )


def text_of(summary: str, event: str | None) -> str:
    """A stored line in the reader's language: its event rendered, else its text."""
    if event:
        try:
            return render(json.loads(event))
        except ValueError:
            pass
    return summary


def entries(session: Session, case_id: int, limit: int = 500) -> tuple[TimelineEntry, ...]:
    """The newest ``limit`` lines, newest first, in the current language."""
    stmt = (
        select(TimelineEvent, Worker.display_name)
        .outerjoin(Worker, Worker.id == TimelineEvent.worker_id)
        .where(TimelineEvent.case_id == case_id)
        .order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())
        .limit(limit)
    )
    return tuple(
        TimelineEntry(
            at=event.at, kind=event.kind, summary=text_of(event.summary, event.event), worker=name
        )
        for event, name in session.execute(stmt)
    )
