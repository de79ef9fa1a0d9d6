"""Reading what a ``mandates`` command names: the person, worker, team or
helper as the core's ids (found in the worker's transaction), and a day as
typed (2027-03-27 or 27/03/2027) as a date and as its last minute in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from app.cli.common import is_record_number
from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casework.kernel.records import Actor


def typed_day(text: str, flag: str) -> date:
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
    if text.isascii() and text.isdigit():
        if not is_record_number(text):
            raise AlongsideError(_("No person has the number {number}.").format(number=text))
        return int(text)
    case = session.get(Case, case_id_for_reference(session, actor, text))
    assert case is not None
    return case.person_id
