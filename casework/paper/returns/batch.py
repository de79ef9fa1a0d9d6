"""Receiving the copies found in a batch of scans from the window, in one
transaction, and the words said for each (the same as the CLI's).

``receive_all`` receives each matched copy in a savepoint of the caller's one
transaction, so a copy that is refused (another office's, say) leaves the
others received, while Cancel, checked between copies and again at the end,
rolls the whole batch back: nothing is attached. A blank copy not linked to
anyone, with no case chosen for it, is not received: its outcome says it
needs a case, and keeps the copy so the window can receive it onto the case
the worker chooses (``cases``: copy reference to case reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms.definitions import Catalogue
from casework.kernel import timeline
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from casework.kernel.models import Case
from casework.kernel.records import Actor
from casework.paper.models import PaperCopy
from casework.paper.returns.match import MatchedCopy
from casework.paper.returns.receive import Received, pages_words, receive_copy


class Cancelled(AlongsideError):
    """The worker cancelled: the transaction is rolled back, nothing attached."""


@dataclass(frozen=True)
class Outcome:
    """What became of one copy: its line, and what the window may do next."""

    line: str
    received: Received | None = None
    needs_case: MatchedCopy | None = None  # a blank not linked to anyone: choose its case
    refused: bool = False
    case_id: int | None = None  # the case it was received onto


def received_line(received: Received) -> str:
    """One copy received (or recognised as received before), in the CLI's words."""
    count = _("{found} of {total} pages").format(found=len(received.found), total=received.pages)
    if received.placed:
        count += (
            _("; page {pages} placed by the typed reference")
            if len(received.placed) == 1
            else _("; pages {pages} placed by the typed reference")
        ).format(pages=pages_words(received.placed))
    if received.missing:
        count += (
            _("; page {pages} missing")
            if len(received.missing) == 1
            else _("; pages {pages} missing")
        ).format(pages=pages_words(received.missing))
    if received.already is not None:
        return _(
            "{reference} ({service}) was already received for case {case} on {day}: "
            "not attached again."
        ).format(
            reference=received.reference,
            service=received.service_title,
            case=received.case_reference,
            day=timeline.render(timeline.day(received.already)),
        )
    line = _("Received paper form {reference} ({service}) for case {case} ({count}).").format(
        service=received.service_title,
        reference=received.reference,
        case=received.case_reference,
        count=count,
    )
    if received.sla_due_on is not None:
        line = line[:-1] + _("; reply due by {day}.").format(
            day=timeline.render(timeline.day(received.sla_due_on))
        )
    return line


def needs_a_case(session: Session, copy: MatchedCopy) -> bool:
    """A blank copy not linked to anyone (receiving it needs a case chosen)."""
    if copy.older is not None:
        return False  # an older form names its own case
    case_id = session.scalar(select(PaperCopy.case_id).where(PaperCopy.reference == copy.reference))
    return case_id is None


def receive_all(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    copies: Sequence[MatchedCopy],
    cancelled: Callable[[], bool] = lambda: False,
    cases: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """Receive every copy (see the module's docstring); ``Cancelled`` rolls all back."""
    chosen = dict(cases or {})
    outcomes: list[Outcome] = []
    for copy in copies:
        if cancelled():
            raise Cancelled(_("Cancelled. Nothing was attached."))
        case_reference = chosen.get(copy.reference)
        if case_reference is None and needs_a_case(session, copy):
            service = catalogue.get(copy.service_id)
            title = service.text("title", _language()) if service is not None else copy.service_id
            outcomes.append(
                Outcome(
                    _(
                        "{reference} ({service}) is a blank form not linked to anyone yet: "
                        "put it on a case to receive it."
                    ).format(reference=copy.reference, service=title),
                    needs_case=copy,
                )
            )
            continue
        try:
            with session.begin_nested():  # a refused copy undoes itself only
                received = receive_copy(session, actor, catalogue, copy, case_reference)
        except AlongsideError as exc:
            outcomes.append(Outcome(exc.message, refused=True))
            continue
        case_id = session.scalar(select(Case.id).where(Case.reference == received.case_reference))
        outcomes.append(Outcome(received_line(received), received=received, case_id=case_id))
    if cancelled():
        raise Cancelled(_("Cancelled. Nothing was attached."))
    return outcomes


def _language() -> str:
    from casework.kernel.i18n import current_language

    return "cy" if current_language() == "cy" else "en"
