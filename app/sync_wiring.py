"""Wiring the sync engine to a profile: connector settings, keyring credentials, summaries.

Base URLs and other non-secret connector settings live in the profile's
settings under dotted names (``notify.base_url``, ``submission_api.base_url``,
``pay.base_url``, ``os_places.base_url``, ``postcodes_io.base_url``,
``sync.timeout``). API keys and tokens live only in the OS keyring, service
"Alongside", entry ``credentials:<profile_id>:<connector>`` (a key saved for
the platform, ``credentials:<profile_id>:notify``, serves every Notify
connector). They are never written to the database, the settings file or the
logs, and never printed. A demo profile with no keyring keeps its sandbox
keys in this process's memory only (``remember_credential``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.database import session_factory
from app.keys import KEYRING_SERVICE
from app.profile import OpenProfile
from app.settings import Settings
from casework.kernel.i18n import _
from casework.paper.letter import check_letter
from offline_sync.address.connector import AddressLookupConnector
from offline_sync.address.lookup import AddressLookup
from offline_sync.address.platforms import (
    OS_PLACES_URL,
    POSTCODES_IO_URL,
    OSPlaces,
    PostcodesIO,
)
from offline_sync.connectors.base import PlatformConnector
from offline_sync.connectors.notify import DEFAULT_BASE_URL, NotifyConnector
from offline_sync.connectors.pay import DEFAULT_BASE_URL as PAY_BASE_URL
from offline_sync.connectors.pay import PayConnector
from offline_sync.connectors.submission import SubmissionConnector
from offline_sync.engine import DrainResult, SyncEngine
from offline_sync.names import connector_name, state_name
from offline_sync.outbox import ItemView, list_items
from offline_sync.records import Connector

log = logging.getLogger("alongside.sync")

NOTIFY = (Connector.NOTIFY_EMAIL, Connector.NOTIFY_SMS, Connector.NOTIFY_LETTER)
DEFAULT_TIMEOUT = 30.0


# Secrets held only in memory, for a throwaway demo profile where there is no
# keyring: never written anywhere, gone when the process ends.
_IN_MEMORY: dict[tuple[str, str], str] = {}
_IN_MEMORY_LOCK = threading.Lock()
# The names ``alongside credentials set`` takes: a connector, or "notify" for all three.
CREDENTIAL_NAMES = ("notify", *(c.value for c in Connector))


def remember_credential(profile_id: str, name: str, secret: str) -> None:
    """Hold a secret in this process's memory only (a demo profile with no keyring)."""
    with _IN_MEMORY_LOCK:
        _IN_MEMORY[(profile_id, name)] = secret


def forget_credentials(profile_id: str) -> None:
    with _IN_MEMORY_LOCK:
        for key in [k for k in _IN_MEMORY if k[0] == profile_id]:
            del _IN_MEMORY[key]


def credential_entry(profile_id: str, name: str) -> str:
    """The keyring entry holding a connector's (or platform's) secret."""
    return f"credentials:{profile_id}:{name}"


def read_credential(profile_id: str, connector: Connector) -> str | None:
    """The saved secret for ``connector`` (or its platform), or None."""
    names = [connector.value]
    if connector in NOTIFY:
        names.append("notify")
    return read_saved(profile_id, names)


def read_saved(profile_id: str, names: Iterable[str]) -> str | None:
    """The first secret saved under one of ``names`` (in memory, then the keyring)."""
    import keyring
    import keyring.errors

    names = list(names)
    with _IN_MEMORY_LOCK:
        for name in names:
            if (profile_id, name) in _IN_MEMORY:
                return _IN_MEMORY[(profile_id, name)]
    for name in names:
        try:
            secret = keyring.get_password(KEYRING_SERVICE, credential_entry(profile_id, name))
        except keyring.errors.KeyringError:
            log.warning("the keyring could not be read for %s", name)
            return None
        if secret:
            return secret
    return None


MAX_SECRET_BYTES = 4096
"""The longest secret Alongside keeps (UTF-8 bytes). Real API keys and tokens
are a few hundred bytes at most; anything longer is a wrong paste."""


def secret_too_long() -> str:
    return _(
        "That is too long to be a key: a key is at most {limit:,} bytes. Copy only the key itself."
    ).format(limit=MAX_SECRET_BYTES)


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` cannot be a key (too long, or a control character in it),
    in one sentence, or None. Spaces and line breaks are the caller's to judge."""
    if len(secret.encode("utf-8", "surrogatepass")) > MAX_SECRET_BYTES:
        return secret_too_long()
    if not all(ch.isprintable() or ch.isspace() for ch in secret):
        return _(
            "The key has a control character in it (such as a null byte or an escape). "
            "Copy only the key itself."
        )
    return None


def store_credential(profile_id: str, name: str, secret: str) -> None:
    """Save a connector's (or a platform's) secret in the OS keyring, and only there."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, credential_entry(profile_id, name), secret)


def delete_credential(profile_id: str, name: str) -> None:
    import keyring
    import keyring.errors

    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(KEYRING_SERVICE, credential_entry(profile_id, name))


@dataclass
class Wiring:
    """The connectors that can run, and why the others cannot."""

    connectors: dict[Connector, PlatformConnector] = field(default_factory=dict)
    missing: dict[Connector, str] = field(default_factory=dict)


def build_connectors(settings: Settings) -> Wiring:
    wiring = Wiring()
    timeout = _timeout(settings)
    notify_url = settings.extra.get("notify.base_url") or DEFAULT_BASE_URL
    for connector in NOTIFY:
        key = read_credential(settings.profile_id, connector)
        if key is None:
            wiring.missing[connector] = _no_secret(settings, _("API key"), connector, "notify")
            continue
        wiring.connectors[connector] = NotifyConnector(
            connector, key, base_url=notify_url, timeout=timeout, letter_check=check_letter
        )
    submission_url = settings.extra.get("submission_api.base_url")
    token = read_credential(settings.profile_id, Connector.SUBMISSION_API)
    if not submission_url:
        wiring.missing[Connector.SUBMISSION_API] = _(
            "no address is set for {connector}: alongside settings set submission_api.base_url URL"
        ).format(connector=connector_name(Connector.SUBMISSION_API.value))
    elif token is None:
        wiring.missing[Connector.SUBMISSION_API] = _no_secret(
            settings, _("access token"), Connector.SUBMISSION_API, "submission_api"
        )
    else:
        wiring.connectors[Connector.SUBMISSION_API] = SubmissionConnector(
            token, base_url=submission_url, timeout=timeout
        )
    pay_key = read_credential(settings.profile_id, Connector.PAY)
    if pay_key is None:
        wiring.missing[Connector.PAY] = _no_secret(settings, _("API key"), Connector.PAY, "pay")
    else:
        wiring.connectors[Connector.PAY] = PayConnector(
            pay_key,
            base_url=settings.extra.get("pay.base_url") or PAY_BASE_URL,
            timeout=timeout,
        )
    return wiring


def _no_secret(settings: Settings, what: str, connector: Connector, entry: str) -> str:
    return _(
        "no {what} is saved for {connector}: save it with "
        "'alongside credentials set {entry} --profile DIR' (it goes to this computer's keyring "
        "under service '{service}', entry '{name}')"
    ).format(
        what=what,
        connector=connector_name(connector.value),
        entry=entry,
        service=KEYRING_SERVICE,
        name=credential_entry(settings.profile_id, entry),
    )


def _timeout(settings: Settings) -> float:
    try:
        return float(settings.extra.get("sync.timeout", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def build_address_lookup(profile: OpenProfile, *, timeout: float | None = None) -> AddressLookup:
    """Address lookup for a profile: postcodes.io always (it needs no key), OS Places
    when a key is saved for address_lookup."""
    settings = profile.settings
    wait = _timeout(settings) if timeout is None else timeout
    key = read_credential(settings.profile_id, Connector.ADDRESS_LOOKUP)
    os_places = None
    if key is not None:
        os_places = OSPlaces(
            key, base_url=settings.extra.get("os_places.base_url") or OS_PLACES_URL, timeout=wait
        )
    postcodes = PostcodesIO(
        base_url=settings.extra.get("postcodes_io.base_url") or POSTCODES_IO_URL, timeout=wait
    )
    return AddressLookup(
        session_factory(profile.engine, write=True), postcodes=postcodes, os_places=os_places
    )


def make_engine(profile: OpenProfile, wiring: Wiring) -> SyncEngine:
    if Connector.ADDRESS_LOOKUP not in wiring.connectors:
        wiring.connectors[Connector.ADDRESS_LOOKUP] = AddressLookupConnector(
            build_address_lookup(profile)
        )
    return SyncEngine(session_factory(profile.engine, write=True), wiring.connectors)


def summary(result: DrainResult, wiring: Wiring, held: Iterable[ItemView]) -> list[str]:
    """Plain lines for a person: what went, what needs attention, what is held
    and why, in the outbox's own words for each state."""
    progress = result.progress
    lines = [
        _(
            "Sent {sent}, delivered {delivered}, needing attention {set_aside}, "
            "not delivered {failed}, to try again {retrying}."
        ).format(
            sent=progress.sent,
            delivered=progress.delivered,
            set_aside=progress.set_aside,
            failed=progress.failed,
            retrying=progress.retrying,
        )
    ]
    counts = "; ".join(f"{state_name(state)}: {n}" for state, n in sorted(result.counts.items()))
    lines.append(_("Outbox: {counts}.").format(counts=counts or _("empty")))
    for connector, message in progress.stopped.items():
        lines.append(
            _("{connector} stopped: {message}").format(
                connector=connector_name(connector), message=message
            )
        )
    held_by: dict[Connector, int] = {}
    for item in held:
        if item.connector not in wiring.connectors:
            held_by[item.connector] = held_by.get(item.connector, 0) + 1
    for connector, n in sorted(held_by.items()):
        reason = wiring.missing.get(
            connector,
            _("{connector} is not available yet").format(connector=connector_name(connector.value)),
        )
        lines.append(
            _("{n} waiting for {connector}: {reason}").format(
                n=n, connector=connector_name(connector.value), reason=reason
            )
        )
    return lines


def waiting_items(profile: OpenProfile) -> list[ItemView]:
    from offline_sync.records import OutboxState

    with session_factory(profile.engine)() as session:
        return list_items(session, states=[OutboxState.QUEUED, OutboxState.SENDING], limit=100_000)
