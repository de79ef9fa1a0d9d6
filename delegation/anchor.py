"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain (``delegation.audit``) shows an entry edited, removed from
the middle or moved; it cannot show the newest entries cut off the end, nor
an older copy of the whole database put back, because what is left is still
a valid chain. A checkpoint settles that. Like a signed tree head in
Certificate Transparency (RFC 6962, section 3.5), it is a small statement,
"this chain had ``count`` entries and ended in ``head_hash``", signed with a
key that is not in the database (Ed25519; the app keeps the private key in
the OS keyring) and stored where the database's holder does not write
(the keyring, beside each backup, an append-only table on the shared
store, and on paper as the head printed on reports). As in Crosby and
Wallach's tamper-evident logging, a later chain must *extend* every
checkpoint: have at least ``count`` entries, with entry ``count`` still
hashing to ``head_hash``. Because each entry's hash covers the one before,
that one comparison vouches for every entry up to ``count``.

``verify_anchored`` walks the chain, then compares it with the newest
checkpoint whose signature holds, and names what changed in one sentence.
A checkpoint whose signature fails is named too, never quietly skipped.

What this does not protect against (decision 0026): someone holding both the
database key and the signing key (the keyring, so the OS login) can rewrite
the chain and sign a new checkpoint; entries written after the newest
checkpoint can be removed unseen; and deleting every checkpoint turns the
check back into the chain-only one (verify says so).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.i18n import _, current_language, ngettext
from casework.kernel.models import utcnow
from delegation.audit import GENESIS, VerifyResult, verify
from delegation.models import AuditEntry

CHECKPOINT_VERSION = 1
# Signed bytes start with this, so a checkpoint signature can never be
# mistaken for a signature over anything else made with the same key.
_DOMAIN = b"alongside-audit-checkpoint\n"
_LOCALES = {"en": "en_GB", "cy": "cy_GB"}


@dataclass(frozen=True)
class ChainHead:
    """How long the chain is and what its newest entry hashes to."""

    count: int
    head_hash: str
    head_at: datetime | None

    @property
    def short_hash(self) -> str:
        """The first 16 hex of the head hash, as printed on paper."""
        return self.head_hash[:16]


def chain_head(session: Session) -> ChainHead:
    """The newest entry's number, hash and time (``GENESIS`` for an empty chain)."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.hash, AuditEntry.at)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return ChainHead(0, GENESIS, None)
    return ChainHead(row.seq, row.hash, row.at)


def _stamp(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a checkpoint time is not text")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a checkpoint time has no offset")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the chain's head at one moment."""

    version: int
    profile_id: str
    count: int
    head_hash: str
    head_at: datetime | None
    signed_at: datetime
    key_id: str
    signature: str  # hex of the 64-byte Ed25519 signature

    def _fields(self) -> dict[str, object]:
        return {
            "version": self.version,
            "profile_id": self.profile_id,
            "count": self.count,
            "head_hash": self.head_hash,
            "head_at": _stamp(self.head_at),
            "signed_at": _stamp(self.signed_at),
            "key_id": self.key_id,
        }

    def payload(self) -> bytes:
        """The exact bytes signed: canonical JSON of every field but the signature."""
        body = json.dumps(self._fields(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return _DOMAIN + body.encode("ascii")

    def to_json(self) -> str:
        return json.dumps({**self._fields(), "signature": self.signature}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Read a checkpoint back; ``ValueError`` when it is not one."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError("not JSON") from exc
        if not isinstance(data, dict):
            raise ValueError("not a checkpoint")
        try:
            signed_at = _moment(data["signed_at"])
            if signed_at is None:
                raise ValueError("no signing time")
            checkpoint = cls(
                version=int(data["version"]),
                profile_id=str(data["profile_id"]),
                count=int(data["count"]),
                head_hash=str(data["head_hash"]),
                head_at=_moment(data["head_at"]),
                signed_at=signed_at,
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError("a field is missing or of the wrong kind") from exc
        if checkpoint.version != CHECKPOINT_VERSION:
            raise ValueError("an unknown checkpoint version")
        return checkpoint

    def signed_by(self, public_key: bytes) -> bool:
        """True when the signature holds for ``public_key`` (raw 32 bytes)."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if self.key_id != key_id(public_key):
            return False
        try:
            signature = bytes.fromhex(self.signature)
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, self.payload())
        except (ValueError, InvalidSignature):
            return False
        return True


def new_signing_key() -> bytes:
    """A fresh Ed25519 private key, as its raw 32 bytes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )


def public_key_of(private_key: bytes) -> bytes:
    """The raw 32-byte public key for a raw private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public_key: bytes) -> str:
    """A short name for a public key: the first 16 hex of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def sign(
    private_key: bytes,
    head: ChainHead,
    *,
    profile_id: str,
    signed_at: datetime | None = None,
) -> Checkpoint:
    """Sign ``head`` for ``profile_id`` with a raw Ed25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    unsigned = Checkpoint(
        version=CHECKPOINT_VERSION,
        profile_id=profile_id,
        count=head.count,
        head_hash=head.head_hash,
        head_at=None if head.head_at is None else head.head_at.astimezone(UTC),
        signed_at=(signed_at or utcnow()).astimezone(UTC),
        key_id=key_id(public_key_of(private_key)),
        signature="",
    )
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(unsigned.payload())
    return Checkpoint(**{**unsigned.__dict__, "signature": signature.hex()})


@dataclass(frozen=True)
class Stored:
    """A checkpoint as found: where it was kept (plain words) and its text."""

    where: str
    text: str


def _locale() -> str:
    return _LOCALES.get(current_language(), "en_GB")


def audit_record_line(head: ChainHead) -> str:
    """The head as printed at the foot of the person's papers, in plain words."""
    from babel.numbers import format_decimal

    return ngettext(
        "Audit record: {n} entry, ending {head}",
        "Audit record: {n} entries, ending {head}",
        head.count,
    ).format(n=format_decimal(head.count, locale=_locale()), head=head.short_hash)


def format_day(at: datetime) -> str:
    """A day in the reader's language and local time, e.g. "5 Dec 2026"."""
    from babel.dates import format_date

    return format_date(at.astimezone(), "d MMM y", locale=_locale())


def format_clock(at: datetime) -> str:
    from babel.dates import format_time

    return format_time(at.astimezone(), "HH:mm", locale=_locale())


def _span(after: datetime | None, until: datetime | None) -> str:
    """When the missing entries were written, from the surviving and the signed head."""
    if until is None:
        return ""
    if after is None:
        return _("written on or before {day} at {time}").format(
            day=format_day(until), time=format_clock(until)
        )
    if format_day(after) == format_day(until):
        return _("written on {day} between {start} and {end}").format(
            day=format_day(after), start=format_clock(after), end=format_clock(until)
        )
    return _("written between {start_day} {start} and {end_day} {end}").format(
        start_day=format_day(after),
        start=format_clock(after),
        end_day=format_day(until),
        end=format_clock(until),
    )


def _hash_at(session: Session, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))


def _signed_on(checkpoint: Checkpoint) -> str:
    return _("{day} at {time}").format(
        day=format_day(checkpoint.signed_at), time=format_clock(checkpoint.signed_at)
    )


def verify_anchored(
    session: Session,
    stored: Iterable[Stored],
    public_key: bytes | None,
    *,
    profile_id: str,
) -> VerifyResult:
    """Walk the chain, then hold it against the newest checkpoint whose signature holds.

    ``public_key`` is None when the signing key cannot be found; any
    checkpoint then cannot be trusted and is named as such.
    """
    chain = verify(session)
    if not chain.ok:
        return chain
    checkpoints: list[Checkpoint] = []
    for item in stored:
        try:
            checkpoint = Checkpoint.from_json(item.text)
        except ValueError:
            return _refused(
                chain,
                _(
                    "The audit checkpoint kept in {where} cannot be read: "
                    "it was damaged or replaced."
                ).format(where=item.where),
            )
        if public_key is None:
            return _refused(
                chain,
                _(
                    "There are audit checkpoints in {where}, but this profile's signing key is "
                    "not in this computer's keyring, so they cannot be checked."
                ).format(where=item.where),
            )
        if checkpoint.profile_id != profile_id or not checkpoint.signed_by(public_key):
            return _refused(
                chain,
                _(
                    "The audit checkpoint kept in {where} is not signed by this profile's key: "
                    "it was forged or altered."
                ).format(where=item.where),
            )
        checkpoints.append(checkpoint)
    if not checkpoints:
        return VerifyResult(
            True,
            None,
            ngettext(
                "The audit trail is intact: {n} entry. There is no signed checkpoint yet, so "
                "entries cut off the end would not show.",
                "The audit trail is intact: {n} entries. There is no signed checkpoint yet, so "
                "entries cut off the end would not show.",
                chain.entries,
            ).format(n=chain.entries),
            chain.entries,
        )
    checkpoints.sort(key=lambda c: (c.count, c.signed_at))
    newest = checkpoints[-1]
    head = chain_head(session)
    if head.count < newest.count:
        missing = newest.count - head.count
        return _refused(
            chain,
            ngettext(
                "The newest audit entry, {span}, is gone (the trail was cut short or an older "
                "copy of the database was restored).",
                "The {n} newest audit entries, {span}, are gone (the trail was cut short or an "
                "older copy of the database was restored).",
                missing,
            ).format(n=missing, span=_span(head.head_at, newest.head_at)),
            first_broken=head.count + 1,
        )
    if _hash_at(session, newest.count) != newest.head_hash:
        kept = 0
        for older in reversed(checkpoints):
            if older.count <= head.count and _hash_at(session, older.count) == older.head_hash:
                kept = older.count
                break
        if kept:
            reason = _(
                "The audit trail was rewritten after entry {kept}: entry {seq} is not the one "
                "signed on {when} (an older copy of the database was restored and then "
                "written to, or entries were replaced)."
            ).format(kept=kept, seq=newest.count, when=_signed_on(newest))
        else:
            reason = _(
                "The audit trail no longer matches the checkpoint of {when}: entry {seq} is not "
                "the one signed then (an older copy of the database was restored and then "
                "written to, or entries were replaced)."
            ).format(seq=newest.count, when=_signed_on(newest))
        return _refused(chain, reason, first_broken=kept + 1)
    return VerifyResult(
        True,
        None,
        ngettext(
            "Intact: {n} entry, matches the checkpoint of {when}.",
            "Intact: {n} entries, matches the checkpoint of {when}.",
            chain.entries,
        ).format(n=chain.entries, when=_signed_on(newest)),
        chain.entries,
    )


def _refused(chain: VerifyResult, reason: str, first_broken: int | None = None) -> VerifyResult:
    return VerifyResult(False, first_broken, reason, chain.entries)
