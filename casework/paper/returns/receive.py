"""Receiving one returned copy onto its case, in one transaction.

``receive_copy(session, actor, catalogue, copy, case_reference=None)`` takes
a copy matched by ``match`` and, in the caller's one transaction: links a
blank copy to the case it is given (a copy not linked to anyone needs one),
attaches the pages found, in page order, as one PDF document (through
``attach_bytes`` and so the one policy decision on the case, audited), adds
a ``PaperReturn`` row, marks the copy returned, writes a timeline line, and
starts the service's SLA clock: the reply is due the facilitator's
``sla_working_days`` after the day it came back, on the person's nation's
calendar. Anything failing part way rolls the whole copy back.

Pages a typed reference placed (``MatchedCopy.placed``) are received like
the others; ``Received.placed`` says which they were.

The same scan received again (the same files, for the same copy) is known by
its ``scan_sha256`` and not attached again: ``Received.already`` says when.
A later scan of the rest of a copy is attached as its own document, and the
pages an earlier scan brought are not called missing.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.documents import attach_bytes
from casework.forms.definitions import Catalogue
from casework.kernel import timeline
from casework.kernel.errors import AlongsideError, NotFound
from casework.kernel.i18n import N_, _, current_language
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.nations import Nation, nation_of_postcode
from casework.kernel.records import Actor
from casework.kernel.working_days import add_working_days, local_date
from casework.paper.models import PaperCopy, PaperOffice, PaperReturn
from casework.paper.reference import (
    NO_OFFICE,
    SERIAL_LENGTH,
    parse_copy_reference,
    random_code,
)
from casework.paper.returns.match import MatchedCopy
from casework.paper.returns.scan import ScannedPage

if TYPE_CHECKING:
    from PIL.Image import Image

A4_WIDTH_INCHES = 8.27
KEEP_SIDE = 1754  # an A4 page's long side at 150 dpi
KEEP_QUALITY = 60  # JPEG, as the PDF keeps each page


class NotReceived(AlongsideError):
    """A copy that cannot be received as asked; the message says what to do."""


@dataclass(frozen=True)
class Received:
    """One copy received (or recognised as received before)."""

    reference: str
    case_reference: str
    service_title: str
    found: tuple[int, ...]
    pages: int
    missing: tuple[int, ...]
    sla_due_on: date | None
    document_id: int | None
    already: date | None = None  # the day the same scan was received before
    placed: tuple[int, ...] = ()  # pages put on this copy by a typed reference


def scan_digest(copy: MatchedCopy) -> str:
    """What recognises the same scan of the same copy received again."""
    files = sorted({page.scan_sha256 for page in copy.found.values()})
    return hashlib.sha256("\n".join([copy.reference, *files]).encode()).hexdigest()


def scan_pdf(pages: list[ScannedPage]) -> bytes:
    """The pages as one PDF, in the order given, each the width of A4."""
    images = [_for_keeping(page.image) for page in pages if page.image is not None]
    if not images:
        raise ValueError("the scanned pages were read without their images")
    out = io.BytesIO()
    first, *rest = images
    first.save(
        out,
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=max(first.width, 1) / A4_WIDTH_INCHES,
        quality=KEEP_QUALITY,
    )
    return out.getvalue()


def _for_keeping(image: Image) -> Image:
    """A page brought down to about 150 dpi on A4: readable, and a 42-page
    form from a phone stays well under the document limit."""
    from PIL import Image as PILImage

    longest = max(image.size)
    if longest <= KEEP_SIDE:
        return image
    ratio = KEEP_SIDE / longest
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, PILImage.Resampling.LANCZOS)


def pages_words(numbers: tuple[int, ...]) -> str:
    """``1–3, 5, 7–9``: page numbers with runs joined."""
    runs: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}\u2013{previous}")
        start = previous = number
    return ", ".join(runs)


def _case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFound(
            _("There is no case with the reference {ref}. Check it and try again.").format(
                ref=reference
            )
        )
    return case


def _copy_row(session: Session, copy: MatchedCopy) -> PaperCopy:
    """The copy's row; a blank printed with no profile gets one the first time."""
    row = session.scalar(select(PaperCopy).where(PaperCopy.reference == copy.reference))
    if row is not None:
        return row
    if copy.copy_id is not None:
        raise NotFound(_("That paper copy no longer exists."))
    if copy.older is not None:
        return _older_row(session, copy)
    parsed = parse_copy_reference(copy.reference)
    row = PaperCopy(
        reference=parsed.text,
        office=parsed.office,
        serial=parsed.serial,
        service_id=copy.service_id,
        version=parsed.version,
        language=parsed.language,
        kind="blank",
        pages=copy.pages,
    )
    session.add(row)
    session.flush()
    return row


def _older_row(session: Session, copy: MatchedCopy) -> PaperCopy:
    """A row for a form printed before copies were recorded, on its own case."""
    older = copy.older
    assert older is not None and copy.case_id is not None
    case = session.get(Case, copy.case_id)
    if case is None:
        raise NotFound(_("That case no longer exists."))
    office = session.scalar(select(PaperOffice.code)) or NO_OFFICE
    row = PaperCopy(
        reference=older.text,
        office=office,
        serial=random_code(SERIAL_LENGTH),
        service_id=copy.service_id,
        version=older.version,
        language="en",  # not in an older reference
        kind=older.kind,
        pages=copy.pages,
        draft_id=older.record_id if older.kind == "draft" else None,
        submission_id=older.record_id if older.kind == "submission" else None,
        case_id=case.id,
        person_id=case.person_id,
    )
    session.add(row)
    session.flush()
    return row


def _target_case(session: Session, row: PaperCopy, case_reference: str | None) -> Case:
    """The case the copy comes back to: its own, or the one given for a blank."""
    if row.case_id is not None:
        own = session.get(Case, row.case_id)
        if own is None:
            raise NotFound(_("That case no longer exists."))
        if case_reference is not None and own.reference != case_reference.strip().upper():
            raise NotReceived(
                _(
                    "{reference} was given out for case {case}, not {given}: "
                    "receive it without a case, or onto {case}."
                ).format(reference=row.reference, case=own.reference, given=case_reference)
            )
        return own
    if case_reference is None:
        raise NotReceived(
            _(
                "{reference} is a blank form not linked to anyone yet. Give the case it "
                'belongs to with --case REF, or use "Paper returned…" in the window.'
            ).format(reference=row.reference)
        )
    return _case(session, case_reference)


def _line(
    title: timeline.Line,
    found: tuple[int, ...],
    total: int,
    missing: tuple[int, ...],
    due: date | None,
) -> timeline.Line:
    gaps: timeline.Param = ""
    if missing:
        gaps = timeline.line(
            N_("; page {pages} missing") if len(missing) == 1 else N_("; pages {pages} missing"),
            pages=pages_words(missing),
        )
    if due is None:
        return timeline.line(
            N_("Paper form came back: {service} (pages {found} of {total}{missing})."),
            service=title,
            found=pages_words(found),
            total=total,
            missing=gaps,
        )
    return timeline.line(
        N_(
            "Paper form came back: {service} (pages {found} of {total}{missing}). "
            "Reply due by {due}."
        ),
        service=title,
        found=pages_words(found),
        total=total,
        missing=gaps,
        due=timeline.day(due),
    )


def receive_copy(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    copy: MatchedCopy,
    case_reference: str | None = None,
) -> Received:
    """Receive one matched copy onto its case (see the module's docstring)."""
    service = catalogue.get(copy.service_id)
    if service is None:
        raise NotReceived(
            _("{reference} is a form for a service this profile does not have.").format(
                reference=copy.reference
            )
        )
    title_en, title_cy = service.text("title", "en"), service.text("title", "cy")
    row = _copy_row(session, copy)
    case = _target_case(session, row, case_reference)
    found = tuple(sorted(copy.found))
    digest = scan_digest(copy)
    before = session.scalar(select(PaperReturn).where(PaperReturn.scan_sha256 == digest))
    title_now = title_cy if current_language() == "cy" else title_en
    if before is not None:
        return Received(
            row.reference,
            case.reference,
            title_now,
            tuple(int(n) for n in before.pages_found.split(",") if n),
            row.pages,
            tuple(int(n) for n in before.pages_missing.split(",") if n),
            before.sla_due_on,
            before.document_id,
            already=local_date(before.received_at),
        )
    name = f"{title_en} - {row.reference}.pdf"
    document_id = attach_bytes(session, actor, case.id, scan_pdf(copy.in_order()), name)
    if row.case_id is None:  # a blank given out: now it is this case's
        row.case_id, row.person_id = case.id, case.person_id
    now = utcnow()
    today = local_date(now)
    person = session.get(Person, case.person_id)
    nation = (nation_of_postcode(person.postcode) if person else None) or Nation.ENGLAND
    facilitator = service.raw.get("facilitator")
    days = facilitator.get("sla_working_days") if isinstance(facilitator, dict) else None
    due = add_working_days(today, int(days), nation) if isinstance(days, int) else None
    # Pages that came back in an earlier scan of this copy are not missing now.
    earlier = session.scalars(
        select(PaperReturn.pages_found).where(PaperReturn.copy_id == row.id)
    ).all()
    had = {int(n) for pages in earlier for n in pages.split(",") if n}
    missing = tuple(page for page in copy.missing if page not in had)
    row.returned_at = now
    session.add(
        PaperReturn(
            copy_id=row.id,
            case_id=case.id,
            document_id=document_id,
            scan_sha256=digest,
            pages_found=",".join(str(page) for page in found),
            pages_missing=",".join(str(page) for page in missing),
            received_by_id=actor.worker_id,
            received_at=now,
            sla_due_on=due,
        )
    )
    title = timeline.both(title_en, title_cy, service.id)
    timeline.record(
        session, case.id, "paper_returned", _line(title, found, copy.pages, missing, due), actor
    )
    session.flush()
    return Received(
        row.reference,
        case.reference,
        title_now,
        found,
        copy.pages,
        missing,
        due,
        document_id,
        placed=tuple(sorted(copy.placed)),
    )
