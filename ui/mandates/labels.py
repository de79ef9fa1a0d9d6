"""Words the mandate screens show for core values: bases, statuses, reason
codes, actions, data categories and the safeguarding questions. Actions,
categories and scopes use the plain words of ``delegation.scope_words``, the
same the person hears at grant and reads on the receipt."""

from __future__ import annotations

from datetime import datetime

from casework.kernel.i18n import _
from delegation import scope_words
from delegation.scope import Scope
from delegation.scope_words import NO_NAMES, ScopeNames
from ui.labels import day


def basis_label(basis: str) -> str:
    labels = {
        "consent": _("The person's own consent"),
        "lasting_power_of_attorney": _("Lasting power of attorney"),
        "deputyship": _("Deputyship (Court of Protection)"),
        "dwp_appointee": _("DWP appointee"),
        "parental_responsibility": _("Parental responsibility"),
        "emergency": _("Emergency"),
        "assisted_session": _("Assisted session at a public terminal"),
    }
    return labels.get(basis, basis)


def mandate_status_label(status: str) -> str:
    labels = {
        "proposed": _("Waiting to start"),
        "active": _("Active"),
        "suspended": _("Suspended"),
        "expired": _("Ended"),
        "revoked": _("Revoked"),
        "rejected": _("Not started"),
    }
    return labels.get(status, status)


def reason_label(code: str) -> str:
    labels = {
        "granted": _("Granted"),
        "consent_recorded": _("Consent recorded"),
        "evidence_checked": _("Evidence checked"),
        "person_withdrew": _("The person withdrew their consent"),
        "safeguarding_concern": _("A safeguarding concern"),
        "evidence_no_longer_valid": _("The evidence is no longer valid"),
        "grantee_left": _("The helper left or changed role"),
        "reviewed": _("Reviewed"),
        "end_date_reached": _("The end date was reached"),
        "parent_revoked": _("The mandate it came from was revoked"),
        "parent_ended": _("The mandate it came from ended"),
        "entered_in_error": _("Entered in error"),
        "other": _("Another reason"),
    }
    return labels.get(code, code)


# Reasons a worker may pick when suspending or revoking.
END_REASONS = (
    "person_withdrew",
    "safeguarding_concern",
    "evidence_no_longer_valid",
    "grantee_left",
    "entered_in_error",
    "other",
)


def action_label(action: str) -> str:
    """What an action lets the helper do ("fill in forms")."""
    return scope_words.action_word(str(action)) or str(action)


def category_label(category: str) -> str:
    """A kind of information in plain words ("money and benefits")."""
    return scope_words.category_word(category) or category


def safeguarding_questions() -> dict[str, str]:
    """The coercion screen's questions (keys as in ``delegation.mandates``)."""
    return {
        "pressured_by_anyone": _("Has anyone pressured the person into agreeing to this?"),
        "can_say_what_helper_will_do": _(
            "Can the person say, in their own words, what the helper will do?"
        ),
        "knows_how_to_withdraw": _("Does the person know how to withdraw their consent?"),
    }


def scope_summary(scope: Scope, names: ScopeNames = NO_NAMES) -> str:
    """Short: "Blue Badge (look at the details, fill in forms)"; for the banner and lists."""
    return scope_words.summary(scope, names)


def until(ends_at: datetime) -> str:
    return day(ends_at.astimezone().date())
