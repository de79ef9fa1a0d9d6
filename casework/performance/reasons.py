"""Why help was needed: the fixed list of failure-demand reasons, and the
moments and outcomes a case records.

Keys are stored; words are shown (``_()`` when read, so English and Welsh
read right). The order of ``REASONS`` is the order on screen and the key a
worker presses (1 to 8). Add a reason only at the end: the keys and the
numbers workers learnt stay put.
"""

from __future__ import annotations

import enum

from casework.kernel.i18n import N_, _


class Reason(enum.StrEnum):
    ONLINE_SERVICE = "online_service"
    NO_DEVICE = "no_device"
    NOT_UNDERSTOOD = "not_understood"
    CHASING = "chasing"
    EVIDENCE_LOST = "evidence_lost"
    WRONG_DECISION = "wrong_decision"
    LANGUAGE = "language"
    ACCESS_NEEDS = "access_needs"


REASONS: tuple[Reason, ...] = tuple(Reason)

REASON_WORDS: dict[Reason, str] = {
    Reason.ONLINE_SERVICE: N_("Could not use the online service"),
    Reason.NO_DEVICE: N_("No device or internet"),
    Reason.NOT_UNDERSTOOD: N_("Did not understand a letter or the form"),
    Reason.CHASING: N_("Chasing a decision or a delay"),
    Reason.EVIDENCE_LOST: N_("Evidence lost or asked for twice"),
    Reason.WRONG_DECISION: N_("Wrong decision"),
    Reason.LANGUAGE: N_("Needed it in Welsh or another language"),
    Reason.ACCESS_NEEDS: N_("Disability or access needs"),
}


class Moment(enum.StrEnum):
    """When the reasons were picked."""

    CASE_OPENED = "case_opened"
    FORM_STARTED = "form_started"
    SESSION_ENDED = "session_ended"
    LATER = "later"  # from the case, at any time


MOMENT_WORDS: dict[Moment, str] = {
    Moment.CASE_OPENED: N_("when the case was opened"),
    Moment.FORM_STARTED: N_("when a form was started"),
    Moment.SESSION_ENDED: N_("when the assisted session ended"),
    Moment.LATER: N_("on the case"),
}


class CaseOutcome(enum.StrEnum):
    """How the case ended for the person."""

    SENT = "sent"
    PAPER = "paper"
    ESCALATED = "escalated"
    ABANDONED = "abandoned"


OUTCOMES: tuple[CaseOutcome, ...] = tuple(CaseOutcome)

OUTCOME_WORDS: dict[CaseOutcome, str] = {
    CaseOutcome.SENT: N_("Sent"),
    CaseOutcome.PAPER: N_("On paper"),
    CaseOutcome.ESCALATED: N_("Escalated"),
    CaseOutcome.ABANDONED: N_("Abandoned"),
}


def reason_words(reason: Reason | str) -> str:
    """A reason in the reader's language (an unknown key is shown as nothing)."""
    try:
        return _(REASON_WORDS[Reason(reason)])
    except ValueError:
        return ""


def outcome_words(outcome: CaseOutcome | str) -> str:
    try:
        return _(OUTCOME_WORDS[CaseOutcome(outcome)])
    except ValueError:
        return ""
