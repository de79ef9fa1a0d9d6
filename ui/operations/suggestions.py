"""The next claim, suggested: a case's open suggestions, the worker's own, and
starting, dismissing and recording a decision (``casework.entitlements``).

Each read is audited (its policy decision writes an audit entry); each write
names the case it changes, so the case view and My cases reload.
"""

from __future__ import annotations

from datetime import date

from casework.entitlements import actions, suggestions
from casework.entitlements.records import DecisionRecord, StartedSuggestion, SuggestionRecord
from casework.kernel.action import act
from ui.operations.op import Changes, Op, audited, ids, with_catalogue, writes


def case_suggestions(case_id: int) -> Op[list[SuggestionRecord]]:
    return with_catalogue(
        lambda catalogue: audited(act(suggestions.case_suggestions, catalogue, case_id))
    )


def my_suggestions() -> Op[list[SuggestionRecord]]:
    return with_catalogue(lambda catalogue: audited(act(suggestions.my_suggestions, catalogue)))


def start_suggestion(case_id: int, suggestion_id: int, version: int) -> Op[StartedSuggestion]:
    return with_catalogue(
        lambda catalogue: writes(
            act(suggestions.start, catalogue, suggestion_id, version),
            Changes(case_ids=ids(case_id)),
        )
    )


def dismiss_suggestion(
    case_id: int, suggestion_id: int, version: int, reason: str, note: str
) -> Op[SuggestionRecord]:
    return with_catalogue(
        lambda catalogue: writes(
            act(suggestions.dismiss, catalogue, suggestion_id, version, reason, note),
            Changes(case_ids=ids(case_id)),
        )
    )


def record_decision(
    case_id: int, draft_id: int, outcome: str, decided_on: date
) -> Op[DecisionRecord]:
    """What was decided on the case's sent form ``draft_id`` (an award suggests more)."""
    return with_catalogue(
        lambda catalogue: writes(
            act(actions.record_decision_on_form, catalogue, draft_id, outcome, decided_on),
            Changes(case_ids=ids(case_id)),
        )
    )
