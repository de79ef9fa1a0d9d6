"""Local additions to the facilitator directory, made by an administrator.

Stored in ``local_facilitators`` (migration 0008). A new entry for the same
service, area and level retires the old one, so the history stays in the
table and in the audit chain.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.escalation.directory import Facilitator, LocalFacilitatorInput, check_input
from casework.escalation.models import LocalFacilitator
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.i18n import _
from casework.kernel.models import utcnow
from casework.kernel.records import Actor, Role
from casework.kernel.validators import require_text


def _rows(session: Session, service_id: str | None = None) -> list[LocalFacilitator]:
    stmt = select(LocalFacilitator).where(LocalFacilitator.active.is_(True))
    if service_id is not None:
        stmt = stmt.where(LocalFacilitator.service_id == service_id)
    order = (LocalFacilitator.service_id, LocalFacilitator.area, LocalFacilitator.level)
    return list(session.scalars(stmt.order_by(*order)))


def _from_row(row: Any) -> Facilitator:
    return Facilitator(
        service_id=row.service_id,
        area=row.area,
        level=row.level,
        name=row.name,
        role=row.role,
        organisation=row.organisation,
        email=row.email,
        phone=row.phone,
        days=tuple(json.loads(row.days)),
        opens=row.opens,
        closes=row.closes,
        languages=tuple(json.loads(row.languages)),
        channel=row.channel,
        postal_address=tuple(json.loads(row.postal_address)),
        sla_working_days=row.sla_working_days,
        source="local",
    )


def for_service(session: Session, service_id: str) -> list[Facilitator]:
    """The active local entries for one service, every area."""
    return [_from_row(r) for r in _rows(session, service_id)]


def local_entries(session: Session) -> list[Facilitator]:
    return [_from_row(r) for r in _rows(session)]


def local_facilitators(session: Session, actor: Actor) -> list[Facilitator]:
    """Every active local entry, for a signed-in worker (the directory dialog)."""
    return local_entries(session)


def add_local(
    session: Session, actor: Actor, data: LocalFacilitatorInput, now: datetime | None = None
) -> int:
    """An administrator adds a local facilitator (audited)."""
    require_text(vars(data))
    from delegation import audit

    if actor.role != Role.ADMIN:
        raise AccessRefused(_("Only an administrator can change the facilitator directory."))
    errors = check_input(data)
    if errors:
        raise InvalidInput(errors)
    for old in _rows(session, data.service_id):
        if old.area == data.area and old.level == data.level:
            old.active = False
    row = LocalFacilitator(
        service_id=data.service_id,
        area=data.area,
        level=data.level,
        name=data.name.strip(),
        role=data.role.strip(),
        organisation=data.organisation.strip(),
        email=data.email.strip(),
        phone=data.phone.strip(),
        days=json.dumps(list(data.days)),
        opens=data.opens,
        closes=data.closes,
        languages=json.dumps(list(data.languages)),
        channel=data.channel,
        postal_address=json.dumps([ln.strip() for ln in data.postal_address if ln.strip()]),
        sla_working_days=data.sla_working_days,
        active=True,
        created_by_id=actor.worker_id,
        created_at=now or utcnow(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        kind="directory",
        action="add_facilitator",
        outcome="allow",
        reason=_("Local facilitator added for {service} in {area}, level {level}.").format(
            service=data.service_id, area=data.area, level=data.level
        ),
        worker_id=actor.worker_id,
        person_id=None,
        target=data.service_id,
    )
    return row.id
