"""What the entitlements package hands out: states, reasons and plain records."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from casework.kernel.i18n import N_, _
from casework.kernel.records import DraftRecord, KnownAnswer


class SuggestionStatus(enum.StrEnum):
    """Where a suggestion stands."""

    OPEN = "open"
    STARTED = "started"  # a form for it was started
    DISMISSED = "dismissed"


class Outcome(enum.StrEnum):
    """A decision recorded on a sent form."""

    AWARDED = "awarded"
    REFUSED = "refused"
    WAITING = "waiting"


class DismissReason(enum.StrEnum):
    """Why a suggestion was put aside (with an optional note)."""

    NOT_ELIGIBLE = "not_eligible"
    ALREADY_GETS_IT = "already_gets_it"
    DOES_NOT_WANT_IT = "does_not_want_it"
    APPLIED_ELSEWHERE = "applied_elsewhere"
    FOR_SOMEONE_ELSE = "for_someone_else"
    OTHER = "other"


_OUTCOME_WORDS = {
    Outcome.AWARDED: N_("Awarded"),
    Outcome.REFUSED: N_("Refused"),
    Outcome.WAITING: N_("Still waiting"),
}
_DISMISS_WORDS = {
    DismissReason.NOT_ELIGIBLE: N_("Checked: not eligible"),
    DismissReason.ALREADY_GETS_IT: N_("They already get it"),
    DismissReason.DOES_NOT_WANT_IT: N_("They do not want to claim"),
    DismissReason.APPLIED_ELSEWHERE: N_("Claimed another way"),
    DismissReason.FOR_SOMEONE_ELSE: N_("Passed to the person who would claim it"),
    DismissReason.OTHER: N_("Another reason"),
}


def outcome_words(outcome: Outcome) -> str:
    """The outcome as a worker reads it, in their language."""
    return _(_OUTCOME_WORDS[outcome])


def dismiss_words(reason: DismissReason) -> str:
    """The dismissal reason as a worker reads it, in their language."""
    return _(_DISMISS_WORDS[reason])


@dataclass(frozen=True)
class SuggestionRecord:
    """One suggestion, in the reader's language."""

    id: int
    version: int
    case_id: int
    case_reference: str
    person_name: str
    from_title: str  # the award it follows
    title: str  # the claim suggested
    reason: str  # plain words, never a certainty
    source: str  # the public page that says so
    service_id: str | None  # the service to start, when it is one in the catalogue
    can_start: bool  # a form here, for this person (not an outside scheme, not the carer's)
    status: SuggestionStatus
    created_at: datetime
    dismissal: str = ""  # why it was dismissed, in words (with the note)
    acted_by: str = ""
    acted_at: datetime | None = None
    draft_id: int | None = None


@dataclass(frozen=True)
class DecisionRecord:
    """A decision recorded on a sent form."""

    id: int
    submission_id: int
    outcome: Outcome
    decided_on: date
    recorded_by: str
    recorded_at: datetime
    suggested: int  # suggestions it added


@dataclass(frozen=True)
class StartedSuggestion:
    """A suggestion started: the new draft, and what is already known to offer in it."""

    suggestion: SuggestionRecord
    draft: DraftRecord
    known: dict[str, KnownAnswer]
