"""Who may manage a mandate: one table, by action, side and state (decision 0025).

A worker stands on one or more *sides* of a mandate:

- ``person_team``: the person is in their team's caseload;
- ``helper``: they are the worker the mandate names, or a member of the team
  it names;
- ``admin``: their role is administrator.

``RULES`` says, for each management action and each mandate state, which
sides may take it. A worker on several sides may do what any of them may,
except that lifting a suspension for a safeguarding concern needs someone
who is not the helper (nor in the team named as helper) and a written reason.
Passing on also needs the mandate to allow it; a mandate that was passed on
is started only by the person's own team. Final states allow nothing.

Pure data and one lookup, ``verdict``; ``delegation.policy.decide_management``
works out the sides and the facts, asks here, and audits the answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from casework.kernel.i18n import _
from delegation.records import MandateStatus


class ManageAction(enum.StrEnum):
    """What can be done to a mandate once it exists."""

    SUSPEND = "suspend"
    LIFT = "lift"  # suspended -> active
    RENEW = "renew"
    WIDEN = "widen"  # only ever through a new grant the person agrees to
    NARROW = "narrow"
    REVOKE = "revoke"
    PASS_ON = "pass_on"  # noqa: S105 - an action, not a password
    REVIEW = "review"
    # The grant's own steps, while the mandate is still proposed.
    CONSENT = "consent"
    ACTIVATE = "activate"
    REJECT = "reject"


class Side(enum.StrEnum):
    PERSON_TEAM = "person_team"
    HELPER = "helper"
    ADMIN = "admin"


M = MandateStatus
A = ManageAction
TEAM = Side.PERSON_TEAM
HELPER = Side.HELPER
ADMIN = Side.ADMIN
LIVE = (M.ACTIVE, M.SUSPENDED)
FINAL = frozenset({M.REVOKED, M.EXPIRED, M.REJECTED})

# (action, state) -> the sides that may take it. Anything absent is refused.
RULES: dict[tuple[ManageAction, MandateStatus], frozenset[Side]] = {
    (A.SUSPEND, M.ACTIVE): frozenset({TEAM, ADMIN}),
    (A.LIFT, M.SUSPENDED): frozenset({TEAM}),
    **{(A.RENEW, s): frozenset({TEAM}) for s in LIVE},
    **{(A.WIDEN, s): frozenset({TEAM}) for s in LIVE},
    **{(A.NARROW, s): frozenset({TEAM, HELPER}) for s in LIVE},
    **{(A.REVOKE, s): frozenset({TEAM, HELPER, ADMIN}) for s in LIVE},
    (A.PASS_ON, M.ACTIVE): frozenset({HELPER}),
    **{(A.REVIEW, s): frozenset({TEAM}) for s in LIVE},
    (A.CONSENT, M.PROPOSED): frozenset({TEAM}),
    (A.ACTIVATE, M.PROPOSED): frozenset({TEAM, HELPER}),
    (A.REJECT, M.PROPOSED): frozenset({TEAM, HELPER, ADMIN}),
}


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know beyond the action, the state and the sides."""

    sub_delegation_allowed: bool = False
    safeguarding_suspension: bool = False  # suspended for a safeguarding concern
    reason_given: bool = False  # the worker wrote down why
    passed_on: bool = False  # it was passed on from another mandate


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str
    refused_field: str = ""  # the written field the refusal is about ("reason"), if any


def verdict(
    action: ManageAction, state: MandateStatus, sides: frozenset[Side], facts: Facts
) -> Verdict:
    """May a worker on ``sides`` take ``action`` on a mandate in ``state``?"""
    if state in FINAL:
        return Verdict(
            False,
            _(
                "This mandate has ended, so nothing more can be done with it. "
                "If the person wants help again, grant a new one with them."
            ),
        )
    allowed = RULES.get((action, state))
    if allowed is None:
        return Verdict(False, _wrong_state(action))
    if not sides & allowed:
        return Verdict(False, _not_your_side(action, sides))
    if action is A.PASS_ON and not facts.sub_delegation_allowed:
        return Verdict(
            False,
            _("This mandate does not allow the helper to pass it on. Ask the person's own team."),
        )
    if action is A.ACTIVATE and facts.passed_on and TEAM not in sides:
        return Verdict(
            False,
            _(
                "A mandate that was passed on is started by the person's own team, "
                "who check it with the person. Ask them."
            ),
        )
    if action is A.LIFT and facts.safeguarding_suspension:
        if HELPER in sides:
            return Verdict(
                False,
                _(
                    "This mandate was paused because of a safeguarding concern, so someone "
                    "other than its helper must decide to start it again. Ask a colleague "
                    "in the person's own team."
                ),
            )
        if not facts.reason_given:
            return Verdict(
                False,
                _(
                    "This mandate was paused because of a safeguarding concern. Write down "
                    "why it is safe to start it again."
                ),
                refused_field="reason",
            )
    return Verdict(True, _("You may do this: {why}").format(why=_side_label(sides & allowed)))


def _side_label(sides: frozenset[Side]) -> str:
    if TEAM in sides:
        return _("the person is in your team's caseload.")
    if HELPER in sides:
        return _("you are the helper named in this mandate.")
    return _("you are an administrator.")


def _wrong_state(action: ManageAction) -> str:
    messages = {
        A.SUSPEND: _("Only an active mandate can be paused."),
        A.LIFT: _("Only a paused mandate can be started again."),
        A.RENEW: _("Only an active or paused mandate can be renewed. Grant a new one."),
        A.WIDEN: _("Only an active or paused mandate can be widened, through a new grant."),
        A.NARROW: _("Only an active or paused mandate can be narrowed."),
        A.REVOKE: _("A mandate still waiting for consent is turned down, not ended."),
        A.PASS_ON: _("Only an active mandate can be passed on."),
        A.REVIEW: _("Only an active or paused mandate can be reviewed."),
        A.CONSENT: _("Consent is recorded only while a mandate is being granted."),
        A.ACTIVATE: _("Only a mandate being granted can be started this way."),
        A.REJECT: _("Only a mandate still waiting for consent can be turned down. End it instead."),
    }
    return messages[action]


def _not_your_side(action: ManageAction, sides: frozenset[Side]) -> str:
    if not sides:
        return _("This mandate is not one your team manages.")
    if action is A.PASS_ON:
        return _("Only the helper named in a mandate can pass it on.")
    if action is A.SUSPEND and HELPER in sides:
        return _(
            "Only the person's own team or an administrator can pause this mandate. "
            "If you no longer want it, give it up instead."
        )
    if HELPER in sides:
        messages = {
            A.LIFT: _("Only the person's own team can lift this suspension. Ask them."),
            A.RENEW: _(
                "Only the person's own team can renew this mandate, with the person's "
                "agreement. Ask them."
            ),
            A.WIDEN: _(
                "Only the person's own team can give this mandate more, through a new "
                "grant the person agrees to. Ask them."
            ),
            A.REVIEW: _(
                "Only the person's own team can record a review of this mandate. Ask them."
            ),
            A.CONSENT: _("Only the person's own team can record their consent. Ask them."),
        }
        return messages.get(action, _("This mandate is not one your team manages."))
    return _(
        "An administrator can pause or end a mandate, but not change it or start it "
        "again. Ask the person's own team."
    )
