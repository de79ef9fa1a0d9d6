"""Sending the open data to a service owner: asked for, approved, then one email.

The CSV goes through the outbox as a GOV.UK Notify email with the file
attached (``casework.forms.payload.email_with_file``), and only with an
administrator's approval:

- ``request_send``: a supervisor (anyone who may export) asks; the request
  is recorded in the audit chain, with the period and the owner's address,
  and waits. Nothing is queued.
- ``pending_sends``: an administrator sees the requests still waiting.
- ``approve_send``: an administrator approves one; the figures are made
  again for its period (with the same disclosure control) and exactly one
  outbox item is queued, its id derived from the request, so a second
  approval is refused and could not queue a second email anyway.
- ``send_directly``: an administrator asks and approves in one step.

Anyone else is refused (audited) and nothing is queued. The outbox's own
states say when the platform has it: nobody is told "sent" before then.
Requests live in the audit chain rather than a table of their own (no
schema change; decision 0032).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms import definitions, payload
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.i18n import _
from casework.kernel.models import Worker
from casework.kernel.records import Actor, Role
from casework.kernel.validators import normalise_email
from casework.performance import open_data, open_data_files
from delegation import audit
from delegation.models import AuditEntry
from offline_sync import outbox
from offline_sync.records import Connector

KIND = "open_data"
REQUEST = "open_data.send_request"
APPROVE = "open_data.send_approve"
REFUSE = "open_data.send_refused"
FILE_RETENTION = "26 weeks"
# Fixed, so an approval of the same request always names the same outbox item.
_NAMESPACE = uuid.UUID("5b0f6c2e-3f43-4c8e-9a55-2d1f0c7a9e31")


@dataclass(frozen=True)
class SendRequest:
    """A request to send the open data, waiting for an administrator."""

    number: int  # its place in the audit chain
    asked_by: str  # the worker's name, for the administrator
    asked_at: datetime
    start: date
    end: date
    email: str


def _refused(session: Session, actor: Actor, reason: str) -> AccessRefused:
    audit.append(
        session, kind=KIND, action=REFUSE, outcome="refuse", reason=reason,
        worker_id=actor.worker_id, person_id=None,
    )  # fmt: skip
    return AccessRefused(reason)


def _require_admin(session: Session, actor: Actor) -> None:
    worker = session.get(Worker, actor.worker_id)
    if worker is None or not worker.active or Role(worker.role) is not Role.ADMIN:
        raise _refused(
            session, actor, _("Only an administrator can send the open data to a service owner.")
        )


def request_send(session: Session, actor: Actor, start: date, end: date, email: str) -> int:
    """Ask for the open data of ``start``..``end`` to go to ``email``; returns
    the request's number. Only someone who may export may ask."""
    try:
        address = normalise_email(email)
    except ValueError as exc:
        raise InvalidInput({"email": str(exc)}) from None
    first, last = open_data.whole_weeks(start, end)
    from delegation.office import require_office_read

    require_office_read(session, actor, "open_data")
    audit.append(
        session, kind=KIND, action=REQUEST, outcome="allow",
        reason=_("Asked to send the open data to a service owner."),
        worker_id=actor.worker_id, person_id=None,
        scope_detail=json.dumps(
            {"from": first.isoformat(), "to": last.isoformat(), "email": address}, sort_keys=True
        ),
    )  # fmt: skip
    head = audit.written_head(session)
    assert head is not None
    return head[0]


def _decided(session: Session) -> set[str]:
    return set(session.scalars(select(AuditEntry.target).where(AuditEntry.action == APPROVE)))


def pending_sends(session: Session, actor: Actor) -> list[SendRequest]:
    """The requests still waiting, oldest first (an administrator's list)."""
    _require_admin(session, actor)
    done = _decided(session)
    rows = session.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.scope_detail, Worker.display_name)
        .join(Worker, Worker.id == AuditEntry.worker_id)
        .where(AuditEntry.action == REQUEST)
        .order_by(AuditEntry.seq)
    ).all()
    waiting = []
    for seq, at, detail, name in rows:
        if _target(seq) in done:
            continue
        asked = json.loads(detail)
        waiting.append(
            SendRequest(
                seq, name, at, date.fromisoformat(asked["from"]),
                date.fromisoformat(asked["to"]), asked["email"],
            )
        )  # fmt: skip
    return waiting


def _target(number: int) -> str:
    return f"request {number}"


def approve_send(
    session: Session,
    actor: Actor,
    number: int,
    template_id: str,
    *,
    catalogue: definitions.Catalogue | None = None,
) -> str:
    """Approve a waiting request: queue one Notify email with the CSV attached;
    returns the outbox item's id. Only an administrator may approve."""
    _require_admin(session, actor)
    request = next((r for r in pending_sends(session, actor) if r.number == number), None)
    if request is None:
        raise _refused(
            session, actor, _("That request has been approved already, or is not there.")
        )
    data = open_data.export_open_data(
        session, actor, request.start, request.end, catalogue=catalogue
    )
    subject = _("Open data from {team}: the weeks from {start} to {end}").format(
        team=actor.team_name, start=data.first_week.isoformat(), end=data.last_day.isoformat()
    )
    body = payload.email_with_file(
        request.email,
        template_id,
        # The form email's template (``casework.forms.routes``): its title line
        # and the line naming what is attached; the file is its download link.
        {"form_title": subject, "case_reference": _("open data, counts only")},
        "link_to_file",
        open_data_files.csv_bytes(data),
        filename=open_data_files.CSV_NAME,
        confirm_email_before_download=True,
        retention_period=FILE_RETENTION,
    )
    item_id = str(uuid.uuid5(_NAMESPACE, f"{actor.team_id}:{number}"))
    outbox.enqueue(session, Connector.NOTIFY_EMAIL, body, None, item_id=item_id)
    audit.append(
        session, kind=KIND, action=APPROVE, outcome="allow",
        reason=_("Approved sending the open data to a service owner."),
        worker_id=actor.worker_id, person_id=None, target=_target(number),
    )  # fmt: skip
    return item_id


def send_directly(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    email: str,
    template_id: str,
    *,
    catalogue: definitions.Catalogue | None = None,
) -> str:
    """An administrator asks and approves at once; returns the outbox item's id."""
    _require_admin(session, actor)
    number = request_send(session, actor, start, end, email)
    return approve_send(session, actor, number, template_id, catalogue=catalogue)
