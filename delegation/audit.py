"""The audit chain: every decision and every mandate change, append-only.

Each ``AuditEntry`` carries ``prev_hash`` (the hash of the entry before it)
and ``hash`` = SHA-256 over a canonical JSON serialisation of all its fields,
``prev_hash`` and ``seq`` included. ``verify`` walks the chain from seq 1 and
names the first entry that is missing, out of order, edited or re-linked.

Entries are written in the caller's transaction, so a decision and the work
it allowed are recorded together or not at all. Each is one read of the
head and one insert, both compiled once (every audited read pays for them);
the head it wrote is noted on the session (``written_head``), so signing a
checkpoint after the commit need not read it again. ``seq`` is the previous
maximum plus one: SQLite writers hold the database lock (``BEGIN IMMEDIATE``)
and PostgreSQL writers take a transaction-scoped advisory lock, so two
terminals never fork the chain.

What a chain on its own cannot show is the newest entries being cut off the
end; the database also refuses UPDATE and DELETE on the table (triggers in
migration 0005), and signed checkpoints of the head kept outside the
database (``delegation.anchor``, decision 0026) settle it.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from casework.kernel.i18n import _
from casework.kernel.models import utcnow
from delegation.models import AuditEntry

GENESIS = "0" * 64
ADVISORY_LOCK = 0x414C4E47  # "ALNG": one chain per database


class ReasonCode(enum.StrEnum):
    """Why a mandate changed: short codes a report can count."""

    GRANTED = "granted"
    CONSENT_RECORDED = "consent_recorded"
    EVIDENCE_CHECKED = "evidence_checked"
    PERSON_WITHDREW = "person_withdrew"
    SAFEGUARDING_CONCERN = "safeguarding_concern"
    EVIDENCE_NO_LONGER_VALID = "evidence_no_longer_valid"
    GRANTEE_LEFT = "grantee_left"
    REVIEWED = "reviewed"
    END_DATE_REACHED = "end_date_reached"
    LAPSED_UNUSED = "lapsed_unused"  # not used for six months
    PARENT_REVOKED = "parent_revoked"
    PARENT_ENDED = "parent_ended"
    ENTERED_IN_ERROR = "entered_in_error"
    SUSPENSION_LIFTED = "suspension_lifted"
    NARROWED = "narrowed"
    OTHER = "other"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    first_broken_seq: int | None
    reason: str
    entries: int


def _stamp(at: datetime) -> str:
    # Microseconds survive every backend we use; always UTC, always with offset.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 of the entry's canonical serialisation (``hash`` itself left out)."""
    return _hash(
        {
            "seq": entry.seq,
            "at": entry.at,
            "kind": entry.kind,
            "worker_id": entry.worker_id,
            "person_id": entry.person_id,
            "mandate_id": entry.mandate_id,
            "mandate_version": entry.mandate_version,
            "action": entry.action,
            "target": entry.target,
            "scope_detail": entry.scope_detail,
            "categories_disclosed": entry.categories_disclosed,
            "outcome": entry.outcome,
            "reason_code": entry.reason_code,
            "reason": entry.reason,
            "prev_hash": entry.prev_hash,
        }
    )


def _hash(fields: dict[str, Any]) -> str:
    """SHA-256 of an entry's fields (``at`` a datetime) as canonical JSON."""
    canonical = {**fields, "at": _stamp(fields["at"])}
    body = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(body.encode("ascii")).hexdigest()


# Built once, so SQLAlchemy compiles each once for every entry appended.
_HEAD = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
_INSERT = insert(AuditEntry)
# ``Session.info`` key: (seq, hash, at) of the last entry this transaction appended.
_WRITTEN = "alongside_audit_head"


def append(
    session: Session,
    *,
    kind: str,
    action: str,
    outcome: str,
    reason: str,
    worker_id: int | None,
    person_id: int | None,
    mandate_id: int | None = None,
    mandate_version: int | None = None,
    target: str = "",
    scope_detail: str = "",
    categories_disclosed: Iterable[str] = (),
    reason_code: str = "",
    at: datetime | None = None,
) -> None:
    """Add one entry at the end of the chain, in the caller's transaction.

    The session is flushed first, so anything the caller added before is
    written before the entry that records it. The entry is inserted as a
    plain row, with no ORM object made for it (every audited read pays for
    one): read it back with ``written_head`` or a query."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    session.flush()  # as a query would: what the caller added is written first
    connection = session.connection()  # asked once: each ask walks the session's state
    last = connection.execute(_HEAD).first()
    # Whole microseconds in UTC, so the stored value hashes the same when read back.
    moment = (at or utcnow()).astimezone(UTC)
    fields: dict[str, Any] = {
        "seq": (last.seq + 1) if last else 1,
        "at": moment,
        "kind": kind,
        "worker_id": worker_id,
        "person_id": person_id,
        "mandate_id": mandate_id,
        "mandate_version": mandate_version,
        "action": action,
        "target": target,
        "scope_detail": scope_detail,
        "categories_disclosed": json.dumps(sorted(categories_disclosed)),
        "outcome": outcome,
        "reason_code": reason_code,
        "reason": reason,
        "prev_hash": last.hash if last else GENESIS,
    }
    fields["hash"] = _hash(fields)
    connection.execute(_INSERT, fields)
    session.info[_WRITTEN] = (fields["seq"], fields["hash"], moment)


def written_head(session: Session) -> tuple[int, str, datetime] | None:
    """The (seq, hash, time) of the last entry ``session`` appended, if any.

    Once its transaction has committed, that is the chain's head: appending
    holds the write lock until the commit."""
    head: tuple[int, str, datetime] | None = session.info.get(_WRITTEN)
    return head


def verify(session: Session, batch: int = 1000) -> VerifyResult:
    """Walk the chain; the first entry that does not follow from the one before is named."""
    expected_seq = 1
    prev_hash = GENESIS
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(
                    False,
                    expected_seq,
                    _("Audit entry {seq} is missing: the next entry is {found}.").format(
                        seq=expected_seq, found=entry.seq
                    ),
                    expected_seq - 1,
                )
            if entry.prev_hash != prev_hash:
                return VerifyResult(
                    False,
                    entry.seq,
                    _(
                        "Audit entry {seq} does not follow the entry before it "
                        "(entries were removed or put in another order)."
                    ).format(seq=entry.seq),
                    expected_seq - 1,
                )
            if entry_hash(entry) != entry.hash:
                return VerifyResult(
                    False,
                    entry.seq,
                    _("Audit entry {seq} was changed after it was written.").format(seq=entry.seq),
                    expected_seq - 1,
                )
            prev_hash = entry.hash
            expected_seq += 1
        after = rows[-1].seq
    count = expected_seq - 1
    return VerifyResult(
        True, None, _("The audit trail is intact: {n} entries.").format(n=count), count
    )


def entry_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
