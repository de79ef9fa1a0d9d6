"""Words the mandate screens show for core values: bases, statuses, reason
codes, actions, data categories and the safeguarding questions."""

from __future__ import annotations

from datetime import datetime

from casework.kernel.i18n import _
from delegation.scope import Action, Scope
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
    labels = {
        "view": _("view"),
        "draft": _("draft"),
        "submit": _("submit"),
        "contact": _("contact"),
        "print": _("print"),
        "escalate": _("escalate"),
    }
    return labels.get(str(action), str(action))


def category_label(category: str) -> str:
    labels = {
        "identity": _("identity"),
        "contact": _("contact details"),
        "address": _("address"),
        "health": _("health"),
        "financial": _("money"),
        "household": _("household"),
        "care": _("care"),
        "other": _("other"),
    }
    return labels.get(category, category)


def safeguarding_questions() -> dict[str, str]:
    """The coercion screen's questions (keys as in ``delegation.mandates``)."""
    return {
        "pressured_by_anyone": _("Has anyone pressured the person into agreeing to this?"),
        "can_say_what_helper_will_do": _(
            "Can the person say, in their own words, what the helper will do?"
        ),
        "knows_how_to_withdraw": _("Does the person know how to withdraw their consent?"),
    }


def scope_summary(scope: Scope) -> str:
    """Short: "blue-badge (view, draft)"; for the banner and the mandates list."""
    parts = []
    for detail in scope:
        target = detail.service_id or (detail.case or "").upper()
        actions = ", ".join(action_label(a.value) for a in Action if a in detail.actions)
        parts.append(f"{target} ({actions})")
    return "; ".join(parts)


def until(ends_at: datetime) -> str:
    return day(ends_at.astimezone().date())
