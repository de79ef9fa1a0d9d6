"""A service's figures as the headed groups of bars the page draws (no Qt):
what each group is called, its bars in words, and a line under it."""

from __future__ import annotations

from dataclasses import dataclass

from casework.kernel.i18n import _, ngettext
from casework.performance.counting import ABANDONED_RULE, REASON_PEOPLE, REASONS_RULE
from casework.performance.figures import Count, ServiceFigures
from offline_sync.payments.words import pounds
from ui.services.chart import Bar


@dataclass(frozen=True)
class Block:
    title: str
    bars: tuple[Bar, ...]
    note: str = ""
    number_header: str = ""  # the table's number column, where not just "Number"
    about: str = ""  # how the group is counted, in words (tooltip and description)


def _bar(words: str, n: int) -> Bar:
    return Bar(words, float(n), f"{n:,}")


def duration_words(minutes: float) -> str:
    """How long, in the largest unit that reads naturally."""
    whole = round(minutes)
    if whole < 60:
        return ngettext("{n} minute", "{n} minutes", whole).format(n=whole)
    if whole < 48 * 60:
        hours, rest = divmod(whole, 60)
        text = ngettext("{n} hour", "{n} hours", hours).format(n=hours)
        if rest:
            text += " " + ngettext("{n} minute", "{n} minutes", rest).format(n=rest)
        return text
    days = round(whole / (24 * 60))
    return ngettext("{n} day", "{n} days", days).format(n=days)


def _counts(counts: tuple[Count, ...]) -> tuple[Bar, ...]:
    return tuple(_bar(c.words, c.count) for c in counts)


def blocks(f: ServiceFigures) -> list[Block]:
    """The page's groups, in the order it shows them."""
    median = (
        _("Median time from starting a form to sending it: {time}.").format(
            time=duration_words(f.median_minutes)
        )
        if f.median_minutes is not None
        else _("No form was sent in this period.")
    )
    return [
        Block(
            _("Forms"),
            (
                _bar(_("Started"), f.started),
                _bar(_("Sent"), f.sent),
                _bar(_("Delivered, confirmed by the service"), f.delivered),
                _bar(_("Abandoned"), f.abandoned),
            ),
            median,
            about=_(ABANDONED_RULE),
        ),
        Block(_("Where forms not sent stopped"), _counts(f.drop_off)),
        Block(
            _("Why help was needed"),
            _counts(f.reasons),
            "" if f.reasons else _("No reasons were recorded in this period."),
            number_header=_(REASON_PEOPLE),
            about=_(REASONS_RULE),
        ),
        Block(
            _("Escalations"),
            (
                _bar(_("Escalated"), f.escalations),
                _bar(_("Reply times missed"), f.breaches),
                _bar(_("Passed up a level"), f.re_escalations),
            ),
        ),
        Block(
            _("Payments"),
            (
                _bar(_("Asked for"), f.payments_requested),
                _bar(_("Paid, confirmed by GOV.UK Pay"), f.payments_paid),
                _bar(_("Not paid"), f.payments_not_paid),
            ),
            _("Paid in total: {amount}.").format(amount=pounds(f.paid_pence)),
        ),
        Block(
            _("Paper copies"),
            (_bar(_("Copies printed"), f.paper_out), _bar(_("Came back"), f.paper_back)),
        ),
    ]
