"""Printed documents beside the forms: a consent receipt, a "who acted for
me" report and an escalation letter.

Each is rendered from a plain dataclass (no database, no Qt), so the
delegation and escalation code can call them with what they already hold.
They share the forms' page furniture: A4, large print and Welsh as options,
page X of Y, a reference and its QR code on every page, and an optional
Notify letter address (then they pass ``check_letter``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.platypus import Table

    from casework.paper.layout import Styles

# The records below are plain data; the renderers import the page layout
# (reportlab) when a document is first rendered, not with this module.


@dataclass(frozen=True)
class DocumentOptions:
    language: str = "en"
    large_print: bool = False
    letter_address: Sequence[str] | None = None


@dataclass(frozen=True)
class SharedItem:
    """One kind of information shared under a consent."""

    what: str  # e.g. "your address and date of birth"
    with_whom: str  # e.g. "Riverside Council housing team"
    purpose: str = ""


@dataclass(frozen=True)
class ConsentReceipt:
    """What a person agreed to, printed for them to keep."""

    reference: str
    person_name: str
    given_to: str  # the worker or organisation acting for them
    given_on: date
    until: date | None
    shared: Sequence[SharedItem]
    how_to_withdraw: str
    version: str = "1"
    audit_record: str = ""  # the audit chain's head, so the person holds a copy


@dataclass(frozen=True)
class ActionTaken:
    """One thing someone did on a person's behalf."""

    when: datetime
    who: str
    organisation: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class ActedForReport:
    """Everything done for a person over a period ("who acted for me")."""

    reference: str
    person_name: str
    period_from: date
    period_to: date
    actions: Sequence[ActionTaken]
    version: str = "1"
    audit_record: str = ""  # the audit chain's head, so the person holds a copy


@dataclass(frozen=True)
class EscalationLetter:
    """A letter to a service's named facilitator about a stuck case."""

    reference: str
    facilitator_name: str
    facilitator_organisation: str
    service_title: str
    case_reference: str
    person_name: str
    summary: str
    steps_taken: Sequence[str]
    asked_for: str
    reply_within_working_days: int
    reply_by: date
    sender_name: str
    sender_organisation: str
    sender_contact: str
    sent_on: date
    version: str = "1"
    attachments: Sequence[str] = field(default_factory=tuple)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _render(
    title: str, reference: str, version: str, options: DocumentOptions, story: list[Any]
) -> bytes:
    from casework.paper.layout import Footer, Sizes, build_pdf

    sizes = Sizes.choose(options.large_print)
    return build_pdf(
        story,
        Footer(title, version, reference, sizes),
        title=title,
        language=options.language,
        letter_address=options.letter_address,
    )


def _table(
    headings: Sequence[str], rows: Iterable[Sequence[str]], shares: Sequence[float], st: Styles
) -> Table:
    """A gridded table the width of the page: a heading row repeated on each
    page, then plain-text cells (line breaks kept); ``shares`` split the width."""
    from reportlab.platypus import Table, TableStyle

    from casework.paper.layout import INK, SHADE, body_width, para

    width = body_width()
    cells: list[list[Any]] = [[para(h, st.cell_head) for h in headings]]
    cells += [[para(text, st.cell, line_breaks=True) for text in row] for row in rows]
    table = Table(cells, colWidths=[width * s for s in shares], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, INK),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_consent_receipt(
    receipt: ConsentReceipt, options: DocumentOptions | None = None
) -> bytes:
    """A receipt of consent the person keeps: what, with whom, until when, how to stop it."""
    from casework.paper.layout import Sizes, Styles, para
    from casework.paper.text import _, speaking

    options = options or DocumentOptions()
    with speaking(options.language):
        st = Styles.make(Sizes.choose(options.large_print))
        title = _("Your consent: what you agreed to share")
        story: list[Any] = [
            para(title, st.h1),
            para(_("For {name}").format(name=receipt.person_name), st.label),
            para(
                _("You gave this consent to {who} on {day}.").format(
                    who=receipt.given_to, day=_day(receipt.given_on)
                ),
                st.body,
            ),
            para(
                _("It lasts until {day}.").format(day=_day(receipt.until))
                if receipt.until
                else _("It lasts until you withdraw it."),
                st.body,
            ),
            para(_("What is shared, and with whom"), st.h2),
        ]
        story.append(
            _table(
                [_("What"), _("With whom"), _("Why")],
                ([item.what, item.with_whom, item.purpose] for item in receipt.shared),
                [0.35, 0.35, 0.3],
                st,
            )
        )
        story += [
            para(_("How to withdraw your consent"), st.h2),
            para(receipt.how_to_withdraw, st.body, line_breaks=True),
            para(
                _("Withdrawing it stops future sharing. It does not undo what was already sent."),
                st.body,
            ),
        ]
        if receipt.audit_record:
            story.append(para(receipt.audit_record, st.label))
        return _render(title, receipt.reference, receipt.version, options, story)


def render_acted_for_report(
    report: ActedForReport, options: DocumentOptions | None = None
) -> bytes:
    """Everything done on the person's behalf in the period, oldest first."""
    from casework.paper.layout import Sizes, Styles, para
    from casework.paper.text import _, speaking

    options = options or DocumentOptions()
    with speaking(options.language):
        st = Styles.make(Sizes.choose(options.large_print))
        title = _("Who acted for you")
        story: list[Any] = [
            para(title, st.h1),
            para(_("For {name}").format(name=report.person_name), st.label),
            para(
                _("Everything done on your behalf from {start} to {end}.").format(
                    start=_day(report.period_from), end=_day(report.period_to)
                ),
                st.body,
            ),
        ]
        if not report.actions:
            story.append(para(_("Nobody acted on your behalf in this period."), st.body))
        else:
            story.append(
                _table(
                    [_("When"), _("Who"), _("What they did")],
                    (
                        [
                            action.when.strftime("%d/%m/%Y %H:%M"),
                            f"{action.who}\n{action.organisation}",
                            action.action + (f"\n{action.detail}" if action.detail else ""),
                        ]
                        for action in sorted(report.actions, key=lambda a: a.when)
                    ),
                    [0.2, 0.3, 0.5],
                    st,
                )
            )
        story.append(
            para(
                _(
                    "If anything here looks wrong, tell us and quote the reference at the "
                    "foot of the page."
                ),
                st.body,
            )
        )
        if report.audit_record:
            story.append(para(report.audit_record, st.label))
        return _render(title, report.reference, report.version, options, story)


def render_escalation_letter(
    letter: EscalationLetter, options: DocumentOptions | None = None
) -> bytes:
    """A letter asking the named facilitator to help with a stuck case."""
    from casework.paper.layout import Sizes, Styles, para
    from casework.paper.text import _, speaking

    options = options or DocumentOptions()
    with speaking(options.language):
        st = Styles.make(Sizes.choose(options.large_print))
        title = _("Request for help with a case: {service}").format(service=letter.service_title)
        story: list[Any] = [
            para(_day(letter.sent_on), st.body),
            para(
                _("To {name}, {organisation}").format(
                    name=letter.facilitator_name, organisation=letter.facilitator_organisation
                ),
                st.body,
            ),
            para(title, st.h1),
            para(
                _("Case {case}, for {person}").format(
                    case=letter.case_reference, person=letter.person_name
                ),
                st.label,
            ),
            para(_("What has happened"), st.h2),
            para(letter.summary, st.body, line_breaks=True),
        ]
        if letter.steps_taken:
            story.append(para(_("What we have tried"), st.h2))
            story.extend(para("•  " + step, st.body) for step in letter.steps_taken)
        story += [
            para(_("What we are asking for"), st.h2),
            para(letter.asked_for, st.body, line_breaks=True),
            para(_("When we need a reply"), st.h2),
            para(
                _(
                    "Your service aims to reply within {days} working days, so by {day}. If we "
                    "have not heard by then, we will contact you again."
                ).format(days=letter.reply_within_working_days, day=_day(letter.reply_by)),
                st.body,
            ),
        ]
        if letter.attachments:
            story.append(para(_("Enclosed"), st.h2))
            story.extend(para("•  " + item, st.body) for item in letter.attachments)
        story += [
            para(_("From"), st.h2),
            para(
                f"{letter.sender_name}\n{letter.sender_organisation}\n{letter.sender_contact}",
                st.body,
                line_breaks=True,
            ),
        ]
        return _render(title, letter.reference, letter.version, options, story)
