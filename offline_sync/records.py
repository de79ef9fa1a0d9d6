"""Plain records of the outbox and of syncing, as the screens see them.

The facade (``app.outbox_actions``) fills them from the outbox and the sync
engine; the UI only reads them. Times are UTC. Connector and state values are
the outbox's own names (``notify_email``, ``needs_attention``); ``ui.labels``
turns them into words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OutboxRow:
    """One item on its way to a platform."""

    id: str
    connector: Connector
    case_id: int | None
    state: OutboxState
    reason: str  # the platform's reason (or what to check), "" when none
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    can_retry: bool
    can_cancel: bool
    # Who and what it is for. ``person`` is the name only when the reader may see
    # that person (``hidden`` is True when they may not; ``person`` and
    # ``case_reference`` are then ""); ``offline_sync.names.person_words`` says it.
    person: str = ""
    hidden: bool = False
    case_reference: str = ""
    service_id: str = ""  # "" when the item is for no service
    service: str = ""  # the service's title in the reader's language, "" when unknown


@dataclass(frozen=True)
class StoppedConnector:
    """A connector that cannot send until someone fixes something."""

    connector: Connector
    message: str  # exactly what to check


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    waiting: int  # queued or being sent
    needs_attention: int  # set aside or failed: a person has to act
    last_success: datetime | None
    online: bool | None  # as last observed; None before anything was tried
    running: bool
    stopped: tuple[StoppedConnector, ...] = ()


@dataclass(frozen=True)
class SyncProgress:
    """A snapshot of a running sync, for the progress bar."""

    running: bool
    total: int  # items due when the run started
    done: int  # items dealt with so far (sent, set aside, retried later)
    sent: int
    set_aside: int
    failed: int
    retrying: int
    aborted: bool
    stopped: tuple[StoppedConnector, ...] = ()


@dataclass(frozen=True)
class SyncOutcome:
    """How a sync run ended."""

    progress: SyncProgress
    finished: bool  # everything due went, was set aside or is held
    changed_case_ids: frozenset[int] = field(default_factory=frozenset)
    ran: bool = True  # False when another run was already going


@dataclass(frozen=True)
class ConnectorSetting:
    """One platform's settings, as the settings page shows them (never the key)."""

    platform: str  # "notify", "submission_api", "pay", "os_places", "postcodes_io"
    base_url: str
    default_url: str
    has_key: bool
    needs_key: bool = True  # postcodes.io has no key


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to "Test connection"."""

    ok: bool
    message: str


class Connector(enum.StrEnum):
    """The platform an item goes to, and how."""

    NOTIFY_EMAIL = "notify_email"
    NOTIFY_SMS = "notify_sms"
    NOTIFY_LETTER = "notify_letter"
    SUBMISSION_API = "submission_api"
    PAY = "pay"
    ADDRESS_LOOKUP = "address_lookup"


class OutboxState(enum.StrEnum):
    """Where an item stands on its way to the platform."""

    QUEUED = "queued"  # waiting for its next attempt
    SENDING = "sending"  # claimed under a lease; the outcome is not known yet
    SENT = "sent"  # the platform has it; its final status is being polled
    DELIVERED = "delivered"  # final: the platform says it arrived
    NEEDS_ATTENTION = "needs_attention"  # set aside: the platform refused it, with a reason
    CANCELLED = "cancelled"  # final: a person (or a revoked mandate) stopped it
    FAILED = "failed"  # final unless retried: the platform gave up on it
