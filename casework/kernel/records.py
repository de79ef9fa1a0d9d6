"""Plain values that cross from the core to the UI.

Frozen dataclasses with no SQLAlchemy in them, so a worker thread can hand
them to the UI thread and the UI never holds a live database session.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Actor:
    """The signed-in worker on whose account every action is taken."""

    worker_id: int
    username: str
    display_name: str
    role: Role
    team_id: int
    team_name: str


@dataclass(frozen=True)
class PersonInput:
    """What a worker typed for a person, before validation."""

    given_name: str
    family_name: str
    date_of_birth: date | None = None
    ni_number: str = ""
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    preferred_language: str = "en"
    communication_needs: str = ""
    access_needs: str = ""


@dataclass(frozen=True)
class PersonRow:
    """One line of the people list."""

    id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str | None
    open_cases: int

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class CaseRow:
    """One line of a person's cases."""

    id: int
    reference: str
    service_id: str
    title: str
    status: CaseStatus
    opened_at: datetime
    assigned_to: str | None


@dataclass(frozen=True)
class WorkRow:
    """One open case on a worker's own list, with what is due next."""

    case_id: int
    reference: str
    person_id: int
    person_name: str
    title: str
    status: CaseStatus
    opened_at: datetime
    next_due: date | None
    overdue_tasks: int


@dataclass(frozen=True)
class PersonDetail:
    """A person with their details and cases, as far as the worker may see."""

    id: int
    version: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    ni_number: str | None
    nhs_number: str | None
    address: str
    postcode: str | None
    email: str | None
    phone: str | None
    preferred_language: str
    communication_needs: str
    access_needs: str
    cases: tuple[CaseRow, ...] = ()
    redacted: frozenset[str] = frozenset()  # data categories withheld (their fields are blank)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class NoteRecord:
    id: int
    version: int
    body: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class TaskRecord:
    id: int
    version: int
    title: str
    due_on: date | None
    done: bool
    assigned_to: str | None
    overdue: bool


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    name: str
    size: int
    media_type: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    summary: str
    worker: str | None


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case view shows, read in one transaction."""

    id: int
    version: int
    reference: str
    person_id: int
    person_name: str
    service_id: str
    title: str
    status: CaseStatus
    allowed_statuses: tuple[CaseStatus, ...]
    assigned_to: str | None
    opened_at: datetime
    closed_at: datetime | None
    notes: tuple[NoteRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    redacted: frozenset[str] = frozenset()  # data categories withheld (their parts are empty)


@dataclass(frozen=True)
class SearchHit:
    """One search result: a person, a case or a note, with a short snippet."""

    kind: HitKind
    person_id: int
    case_id: int | None
    title: str
    snippet: str
    score: float = 0.0


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DraftRecord:
    """A form in progress (or sent) on a case, with its answers so far."""

    id: int
    version: int
    case_id: int
    person_id: int
    service_id: str
    service_version: str
    answers: dict[str, object]
    current_page: str | None
    submitted: bool
    updated_at: datetime
    updated_by: str
    frozen: str = ""  # why it can no longer be changed or sent (its mandate ended), or ""


@dataclass(frozen=True)
class KnownAnswer:
    """A fact already known for the person, offered (never filled silently)."""

    question_id: str
    value: object
    source: str  # where it came from, ready to show
    at: datetime | None


@dataclass(frozen=True)
class SubmissionRecord:
    id: int
    uuid: str
    case_id: int
    service_id: str
    service_version: str
    submitted_at: datetime
    submitted_by: str
    answers: dict[str, object]
    mandate_id: int | None = None  # the mandate it was sent under, for the outbox
    mandate_version: int | None = None
    route: str | None = None  # casework.forms.routes: how it goes (None before routes)


@dataclass(frozen=True)
class ProfileDifference:
    """A form answer that differs from the person's record."""

    question_id: str
    label: str
    on_record: str
    in_form: str


class Role(enum.StrEnum):
    """What a worker does; decides what they may manage, not whose data they see."""

    ASSISTANT = "assistant"
    ADVISER = "adviser"
    RECEPTIONIST = "receptionist"
    CARER = "carer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class CaseStatus(enum.StrEnum):
    """Where a case stands; ``casework.casefile.cases.TRANSITIONS`` says how it moves."""

    OPEN = "open"
    WAITING_FOR_PERSON = "waiting_for_person"
    WAITING_FOR_SERVICE = "waiting_for_service"
    CLOSED = "closed"


class HitKind(enum.StrEnum):
    """What a search result is."""

    PERSON = "person"
    CASE = "case"
    NOTE = "note"
