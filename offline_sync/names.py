"""What each connector is called where a person reads it ("GOV.UK Notify emails").

``connector.value`` (``notify_email``) is for the command line and the logs;
these names are for the window and the messages in it, in the worker's
language. The outbox lists one item's route (``route_name``), its state
(``state_name``) and who it is for (``person_words``) in words too, and how a
sync the worker started ended (``run_words``) in the same words. No
database here, so ``ui/`` may import it.
"""

from __future__ import annotations

from casework.kernel.i18n import N_, _, ngettext

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


# One item's route and state, as the outbox lists them (the window and ``alongside outbox``).
ROUTE_NAMES = {
    "notify_email": N_("Email"),
    "notify_sms": N_("Text message"),
    "notify_letter": N_("Letter"),
    "submission_api": N_("Form to the department"),
    "pay": N_("Payment request"),
    "address_lookup": N_("Address lookup"),
}

STATE_NAMES = {
    "queued": N_("Waiting to send"),
    "sending": N_("Sending"),
    "sent": N_("Sent, waiting for news"),
    "delivered": N_("Delivered"),
    "needs_attention": N_("Needs attention"),
    "cancelled": N_("Cancelled"),
    "failed": N_("Not delivered"),
}
# A payment request is not a delivery: it is "paid" only when GOV.UK Pay says so.
PAY_STATE_NAMES = {
    "sent": N_("Payment page ready, not paid yet"),
    "delivered": N_("Paid"),
    "failed": N_("Not paid"),
}

# Who an item is for, when the reader may not see that person, or it is for no one.
SOMEONE_ELSE = N_("Someone in another team's caseload")
NO_ONE = N_("No one: not for a case")


def route_name(value: str) -> str:
    """How one item goes ("Email", "Form to the department"), in the current language."""
    name = ROUTE_NAMES.get(str(value))
    return _(name) if name is not None else _("Another route")


def state_name(value: str, connector: str = "") -> str:
    """Where one item stands ("Waiting to send"; a payment: "Paid"), in the current language."""
    name = (PAY_STATE_NAMES if str(connector) == "pay" else {}).get(str(value))
    name = name or STATE_NAMES.get(str(value))
    return _(name) if name is not None else _("Unknown")


def person_words(name: str, *, hidden: bool, for_a_case: bool) -> str:
    """Who an item is for: the person's name, or words that give no one away."""
    if hidden:
        return _(SOMEONE_ELSE)
    if not for_a_case:
        return _(NO_ONE)
    return name


def run_words(sent: int, needs_attention: int, stopped: bool = False) -> str:
    """How a sync the worker started ended, in the outbox's own words: items
    the platform refused are "Needs attention" there, so they are here."""
    if stopped:
        return ngettext(
            "Sync stopped after sending {n} item; the rest will go at the next sync.",
            "Sync stopped after sending {n} items; the rest will go at the next sync.",
            sent,
        ).format(n=sent)
    done = ngettext("Sync finished: {n} item sent.", "Sync finished: {n} items sent.", sent).format(
        n=sent
    )
    if not needs_attention:
        return done
    return (
        done
        + " "
        + ngettext(
            "{n} item is marked “{state}” in the outbox.",
            "{n} items are marked “{state}” in the outbox.",
            needs_attention,
        ).format(n=needs_attention, state=_(STATE_NAMES["needs_attention"]))
    )
