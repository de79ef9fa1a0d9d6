"""Plain values about mandates that cross from the core to the UI.

Frozen dataclasses with no SQLAlchemy in them (the UI may import this
module), like ``casework.kernel.records``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from delegation.scope import Scope
from delegation.scope_words import NO_NAMES, ScopeNames


@dataclass(frozen=True)
class MandateRecord:
    """One mandate as the mandates view and the banner show it."""

    id: int
    version: int
    person_id: int
    person_name: str
    grantee: str  # the worker's or team's name, ready to show
    basis: Basis
    status: MandateStatus
    status_reason: str
    starts_at: datetime
    ends_at: datetime
    review_at: datetime
    scope: Scope
    task_list: str  # ``delegation.scope_words.describe`` of the scope, with ``names``
    evidence_reference: str = ""
    longest_days: int = 0  # the cap for the basis, for renewal
    parent_id: int | None = None  # passed on from this mandate
    sub_delegation_allowed: bool = False
    grantee_worker_id: int | None = None
    grantee_team_id: int | None = None
    names: ScopeNames = NO_NAMES  # what the scope's services and cases are called


@dataclass(frozen=True)
class AuditRecord:
    """One line of a person's audit view: who did what, when, the outcome."""

    seq: int
    at: datetime
    worker: str
    action: str
    target: str
    outcome: str
    reason: str
    mandate_id: int | None
    names: ScopeNames = NO_NAMES  # what ``target`` (a service) is called


@dataclass(frozen=True)
class Grantee:
    """Someone a mandate can be given to: the worker or their team."""

    kind: GranteeKind
    id: int
    label: str


@dataclass(frozen=True)
class ScopeChoice:
    """A service a scope can name, with the data categories its questions use."""

    service_id: str
    title: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class GrantChoices:
    """What the grant-mandate dialog offers: the services a scope can name,
    who may be given the mandate (me, my team), who may be the second approver
    of an emergency mandate, and the longest each basis may run, in days."""

    scopes: list[ScopeChoice]
    grantees: list[Grantee]
    supervisors: list[Grantee]
    longest_days: dict[str, int]
    names: ScopeNames = NO_NAMES  # the services' titles, for the task list


@dataclass(frozen=True)
class GrantRequest:
    """Everything the grant-mandate dialog collected, before it is checked."""

    person_id: int
    grantee_kind: GranteeKind
    grantee_id: int
    basis: Basis
    scope: Scope
    ends_at: datetime
    task_list_shown: str
    consent_method: ConsentMethod
    seen_alone: bool
    safeguarding_answers: Mapping[str, bool]
    interpreter_used: bool = False
    witness: str = ""
    evidence_reference: str = ""
    evidence_next_check: datetime | None = None
    emergency_reason: str = ""
    second_approver_id: int | None = None
    finish_queued: bool = False  # queued submissions may still be sent if it ends
    sub_delegation_allowed: bool = False
    review_at: datetime | None = None  # None: the end date
    task_list_language: str = ""  # the language the task list was shown in ("" = current)


@dataclass(frozen=True)
class GrantOutcome:
    """The mandate as granted, and whether it could be made active."""

    mandate: MandateRecord
    active: bool
    message: str = ""


@dataclass(frozen=True)
class PassOnChoices:
    """What the pass-on dialog offers: the mandate passed on (only what it
    holds may be ticked), a title for each of its services and cases (keyed
    by ``target_key``), and the colleagues it may be passed to."""

    parent: MandateRecord
    titles: dict[str, str]
    colleagues: list[Grantee]


@dataclass(frozen=True)
class PassOnRequest:
    """Everything the pass-on dialog collected, before it is checked."""

    parent_id: int
    grantee_worker_id: int
    scope: Scope
    ends_at: datetime | None = None  # None: when the mandate passed on ends
    sub_delegation_allowed: bool = False


def target_key(service_id: str | None, case: str | None) -> str:
    """The key of a scope detail's service or case in ``PassOnChoices.titles``."""
    return f"service:{service_id}" if service_id else f"case:{case}"


@dataclass(frozen=True)
class AssistedStart:
    """What the kiosk's start screen collected for a walk-in person."""

    given_name: str
    family_name: str
    service_id: str
    task_list_shown: str
    seen_alone: bool
    safeguarding_answers: Mapping[str, bool] = field(default_factory=dict)
    interpreter_used: bool = False
    witness: str = ""
    minutes: int = 120
    task_list_language: str = ""  # the language the task list was shown in ("" = current)


@dataclass(frozen=True)
class SessionRecord:
    """An assisted session as the screens see it."""

    id: int
    person_id: int
    person_name: str
    case_id: int
    mandate_id: int
    service_id: str
    started_at: datetime
    ends_at: datetime
    outcome: Outcome


@dataclass(frozen=True)
class EndingSoon:
    """A mandate to the worker (or their team) that ends within 30 days."""

    mandate_id: int
    person_id: int
    person_name: str
    ends_at: datetime
    days_left: int


@dataclass(frozen=True)
class Effects:
    """What ending some mandates did to the work done under them."""

    mandate_ids: tuple[int, ...] = ()
    cancelled: tuple[str, ...] = ()  # outbox item ids stopped
    left_to_finish: tuple[str, ...] = ()  # queued, and the person agreed they may go
    flagged: tuple[str, ...] = ()  # already sent: flagged on the case timeline
    expired: tuple[int, ...] = ()
    lapsed: tuple[int, ...] = ()


class Basis(enum.StrEnum):
    """Why the helper may act: the legal footing of the mandate."""

    CONSENT = "consent"
    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"
    DEPUTYSHIP = "deputyship"
    DWP_APPOINTEE = "dwp_appointee"
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    EMERGENCY = "emergency"
    ASSISTED_SESSION = "assisted_session"  # a walk-in helped at a public terminal


# The bases a worker grants by hand, in the order they are offered (an assisted
# session starts from the kiosk).
GRANTABLE_BASES: tuple[str, ...] = tuple(
    basis.value for basis in Basis if basis is not Basis.ASSISTED_SESSION
)


class MandateStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REJECTED = "rejected"


class WorkInProgress(enum.StrEnum):
    """What happens to queued work when the mandate ends (GNAP's "durable")."""

    FREEZE = "freeze"  # drafts freeze, queued outbox items are cancelled
    FINISH_QUEUED = "finish_queued"  # submissions already queued may still be sent


class ConsentMethod(enum.StrEnum):
    IN_PERSON = "in_person"
    SIGNED_PAPER = "signed_paper"
    PHONE_CALLBACK = "phone_callback"  # we rang back on a number we already held


class Outcome(enum.StrEnum):
    OPEN = "open"
    KEPT = "kept"
    WIPED = "wiped"


class GranteeKind(enum.StrEnum):
    """Who a mandate is given to: one worker, or their whole team."""

    WORKER = "worker"
    TEAM = "team"
