"""What each connector is called where a person reads it ("GOV.UK Notify emails").

``connector.value`` (``notify_email``) is for the command line and the logs;
these names are for the window and the messages in it, in the worker's
language. No database here, so ``ui/`` may import it.
"""

from __future__ import annotations

from casework.kernel.i18n import N_, _

CONNECTOR_NAMES = {
    "notify_email": N_("GOV.UK Notify emails"),
    "notify_sms": N_("GOV.UK Notify text messages"),
    "notify_letter": N_("GOV.UK Notify letters"),
    "submission_api": N_("Forms to the department"),
    "pay": N_("GOV.UK Pay payment requests"),
    "address_lookup": N_("Address lookup (OS Places)"),
}


def connector_name(value: str) -> str:
    """The human name of a connector, in the current language."""
    name = CONNECTOR_NAMES.get(str(value))
    return _(name) if name is not None else str(value)
