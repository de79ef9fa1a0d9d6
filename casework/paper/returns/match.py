"""Matching scanned pages to the printed copies they are pages of.

``match_pages(session, actor, catalogue, pages)`` reads each page's QR mark
(``reference.parse_page_mark``) and finds its copy: one of this office's
copies by its office code and serial, or, for a blank printed with no profile
(office ``0000``), the catalogue's service by its short code. Every page that
cannot be matched gets one plain sentence: no code found (cropped through the
QR code), upside down, a reference whose check digits fail, another office's
copy, a copy never printed here. A blank page in a file with form pages is
left out with a note; a file of blank pages only is refused.

A copy is received only when every file holding one of its pages is free of
refusals, so nothing is half-attached: the problems say what to scan again.
With a typed reference (``match_pages(..., typed_reference=TEXT)``, the line
printed under each page's QR code, typed by the worker when the code can't be
read), the scans are one copy's: pages with no readable code are taken as its
pages, in scan order, on the page numbers the readable ones left free
(``MatchedCopy.placed`` says which). A typed reference that fails its check
digits, is another office's or one this office never printed, or differs
from a readable page's raises ``TypedReferenceRefused``: nothing is matched.

Only reads: the session is the caller's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms.definitions import Catalogue, Service
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from casework.kernel.models import Case, FormDraft, Submission
from casework.kernel.records import Actor
from casework.paper.models import PaperCopy, PaperOffice
from casework.paper.reference import (
    NO_OFFICE,
    CopyReference,
    FormReference,
    InvalidReference,
    PageMark,
    parse_copy_reference,
    parse_form_reference,
    parse_page_mark,
    service_code,
)
from casework.paper.returns.scan import ScannedPage


@dataclass
class MatchedCopy:
    """The pages of one copy found in the scans."""

    reference: str
    service_id: str
    pages: int
    copy_id: int | None  # None: a blank printed with no profile, not recorded here
    found: dict[int, ScannedPage] = field(default_factory=dict)
    files: set[Path] = field(default_factory=set)
    # A form printed before copies had their own references: its case's draft
    # or sent form, named in the reference; its pages are numbered as scanned.
    older: FormReference | None = None
    case_id: int | None = None
    # pages with no readable QR code, put on these page numbers by a typed reference
    placed: set[int] = field(default_factory=set)

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(page for page in range(1, self.pages + 1) if page not in self.found)

    def in_order(self) -> list[ScannedPage]:
        """The pages found, first page first."""
        return [self.found[page] for page in sorted(self.found)]


@dataclass
class Matching:
    """What the scans hold: copies to receive, and what was refused and why."""

    copies: list[MatchedCopy]
    problems: list[str]  # one sentence each; any of them means exit 1
    notes: list[str]  # said, but refuse nothing (a blank back page left out)
    held_back: list[MatchedCopy]  # copies on a refused file: not received


class TypedReferenceRefused(AlongsideError):
    """A typed reference the scans can't be received by; the message says why."""


def typed_copy_reference(text: str) -> CopyReference:
    """The copy reference a worker typed, read forgivingly, or
    ``TypedReferenceRefused`` saying what is wrong with it. Spaces typed
    between the parts are read as the dashes printed there."""
    dashed = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*|\s+", "-", text.strip())
    try:
        return parse_copy_reference(dashed)
    except InvalidReference as exc:
        if "check digits" in str(exc):
            raise TypedReferenceRefused(
                _(
                    "The reference {reference} fails its check digits: a character is wrong. "
                    "Check it against the line under the QR code and type it again."
                ).format(reference=text.strip())
            ) from exc
        raise TypedReferenceRefused(
            _(
                "{reference} is not a paper form's reference: type the line printed under "
                "the QR code, starting AF-."
            ).format(reference=text.strip())
        ) from exc


def office_code(session: Session) -> str | None:
    """This profile's office code (made by the migration)."""
    return session.scalar(select(PaperOffice.code).limit(1))


def service_by_code(catalogue: Catalogue, code: str) -> Service | None:
    """The catalogue's service whose short code is ``code``."""
    for service in catalogue.services:
        if service_code(service.id) == code:
            return service
    return None


def _where(page: ScannedPage) -> dict[str, object]:
    return {"page": page.number, "file": page.file.name}


def _older(text: str) -> FormReference | None:
    """The reference of a form printed before copies had their own, or None."""
    try:
        return parse_form_reference(text)
    except InvalidReference:
        return None


def _mark(page: ScannedPage) -> tuple[PageMark | FormReference | None, str | None]:
    """The page's mark, or the sentence saying why it has none."""
    if not page.codes:
        if page.blank:
            return None, None
        return None, _(
            "No Alongside reference found on page {page} of {file}: is it cropped through "
            "the QR code? Scan the whole page."
        ).format(**_where(page))
    failed: InvalidReference | None = None
    for text in page.codes:
        mark: PageMark | FormReference | None
        try:
            mark = parse_page_mark(text)
        except InvalidReference as exc:
            mark = _older(text)
            if mark is None:
                failed = failed or exc
                continue
        if page.upside_down:
            return None, _(
                "Page {page} of {file} is upside down: turn it and scan it again."
            ).format(**_where(page))
        return mark, None
    if failed is not None and "check digits" in str(failed):
        return None, _(
            "The reference on page {page} of {file} fails its check digits: it was changed "
            "or not printed by Alongside."
        ).format(**_where(page))
    return None, _(
        "The QR code on page {page} of {file} is not an Alongside form's. "
        "Scan only the pages of forms printed by Alongside."
    ).format(**_where(page))


def match_pages(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    pages: list[ScannedPage],
    typed_reference: str | None = None,
) -> Matching:
    """Each scanned page matched to its copy, with a sentence for each that can't
    be; with ``typed_reference``, pages with no readable code are that copy's."""
    del actor  # matching reads no one's data; receiving a copy decides on its case
    office = office_code(session)
    copies: dict[str, MatchedCopy] = {}
    typed = None
    if typed_reference is not None:
        typed = _typed_copy(session, catalogue, office, typed_copy_reference(typed_reference))
        copies[typed.reference] = typed
    unread: list[ScannedPage] = []
    problems: list[str] = []
    notes: list[str] = []
    refused_files: set[Path] = set()
    by_file: dict[Path, list[ScannedPage]] = defaultdict(list)
    for page in pages:
        by_file[page.file].append(page)
    for file, file_pages in by_file.items():
        if all(page.blank for page in file_pages):
            problems.append(
                _("{file} is blank: scan the printed side of the form.").format(file=file.name)
            )
            refused_files.add(file)
            continue
        for page in file_pages:
            mark, problem = _mark(page)
            if mark is None and typed is not None and not page.codes and not page.blank:
                unread.append(page)  # cropped through its code: the typed copy's
                continue
            if mark is not None and typed is not None and mark_text(mark) != typed.reference:
                raise TypedReferenceRefused(
                    _(
                        "Page {page} of {file} is from copy {other}, not {reference} as typed: "
                        "receive each copy on its own."
                    ).format(**_where(page), other=mark_text(mark), reference=typed.reference)
                )
            if mark is None:
                if problem is None:
                    notes.append(
                        _("Page {page} of {file} is blank: it was left out.").format(**_where(page))
                    )
                else:
                    problems.append(problem)
                    refused_files.add(file)
                continue
            if isinstance(mark, FormReference):
                copy, problem = _older_copy(session, mark, page, copies)
            else:
                copy, problem = _copy(session, catalogue, office, mark, page, copies)
            if copy is None:
                problems.append(problem or "")
                refused_files.add(file)
                continue
            if isinstance(mark, FormReference):  # no page numbers: as they were scanned
                copy.pages += 1
                copy.found[copy.pages] = page
            else:
                copy.pages = copy.pages or mark.pages  # a typed blank's length, from its marks
                copy.found.setdefault(mark.page, page)
            copy.files.add(file)
    if typed is not None:
        _place(typed, unread)
        if not typed.found:
            del copies[typed.reference]
    if refused_files:
        names = ", ".join(sorted(file.name for file in refused_files))
        problems.append(_("Nothing from {files} was attached.").format(files=names))
    received = [copy for copy in copies.values() if not copy.files & refused_files]
    held = [copy for copy in copies.values() if copy.files & refused_files]
    return Matching(received, problems, notes, held)


def mark_text(mark: PageMark | FormReference) -> str:
    """The reference of the copy a page's mark names."""
    return mark.text if isinstance(mark, FormReference) else mark.reference.text


def _place(copy: MatchedCopy, unread: list[ScannedPage]) -> None:
    """Pages with no readable code put, in scan order, on the page numbers the
    readable ones left free; a copy of unknown length is as long as its pages."""
    if not copy.pages:
        copy.pages = len(unread)
    free = [number for number in range(1, copy.pages + 1) if number not in copy.found]
    if len(unread) > len(free):
        raise TypedReferenceRefused(
            _(
                "The scans hold more pages than {reference} has ({pages}): "
                "scan only this copy's pages."
            ).format(reference=copy.reference, pages=copy.pages)
        )
    for number, page in zip(free, unread, strict=False):
        copy.found[number] = page
        copy.placed.add(number)
        copy.files.add(page.file)


def _typed_copy(
    session: Session, catalogue: Catalogue, office: str | None, reference: CopyReference
) -> MatchedCopy:
    """The copy a typed reference names, or ``TypedReferenceRefused`` saying why
    the scans can't be received by it."""
    if reference.office == NO_OFFICE:
        service = service_by_code(catalogue, reference.service_code)
        if service is None:
            raise TypedReferenceRefused(
                _("{reference} is a form for a service this profile does not have.").format(
                    reference=reference.text
                )
            )
        return MatchedCopy(reference.text, service.id, 0, None)
    if reference.office != office:
        raise TypedReferenceRefused(
            _("{reference} is a copy printed by another office: it must be received there.").format(
                reference=reference.text
            )
        )
    row = session.scalar(
        select(PaperCopy).where(
            PaperCopy.office == reference.office, PaperCopy.serial == reference.serial
        )
    )
    if row is None or row.reference != reference.text:
        raise TypedReferenceRefused(
            _("{reference} is a copy this office has no record of printing.").format(
                reference=reference.text
            )
        )
    return MatchedCopy(row.reference, row.service_id, row.pages, row.id)


def _copy(
    session: Session,
    catalogue: Catalogue,
    office: str | None,
    mark: PageMark,
    page: ScannedPage,
    copies: dict[str, MatchedCopy],
) -> tuple[MatchedCopy | None, str | None]:
    """The copy ``mark`` is a page of (one object per reference), or why not."""
    reference = mark.reference
    known = copies.get(reference.text)
    if known is not None:
        return known, None
    where = {**_where(page), "reference": reference.text}
    if reference.office == NO_OFFICE:
        service = service_by_code(catalogue, reference.service_code)
        if service is None:
            return None, _(
                "Page {page} of {file} is a form ({reference}) for a service this "
                "profile does not have."
            ).format(**where)
        copy = MatchedCopy(reference.text, service.id, mark.pages, None)
    elif reference.office != office:
        return None, _(
            "Page {page} of {file} is from a copy printed by another office ({reference}): "
            "it must be received there."
        ).format(**where)
    else:
        row = session.scalar(
            select(PaperCopy).where(
                PaperCopy.office == reference.office, PaperCopy.serial == reference.serial
            )
        )
        if row is None or row.reference != reference.text:
            return None, _(
                "Page {page} of {file} is from a copy ({reference}) this office has no "
                "record of printing."
            ).format(**where)
        # the pages the paper itself says it has: the mark was printed with the copy
        copy = MatchedCopy(row.reference, row.service_id, mark.pages, row.id)
    copies[reference.text] = copy
    return copy, None


def _older_copy(
    session: Session, reference: FormReference, page: ScannedPage, copies: dict[str, MatchedCopy]
) -> tuple[MatchedCopy | None, str | None]:
    """A form printed before copies had their own references: found by the case
    and the draft or sent form its reference names; a blank one names no service."""
    known = copies.get(reference.text)
    if known is not None:
        return known, None
    where = {**_where(page), "reference": reference.text}
    if reference.case_reference is None or reference.record_id is None:
        return None, _(
            "Page {page} of {file} is an older blank form ({reference}) that does not say "
            "which service it is for: attach it to the case as a document."
        ).format(**where)
    case = session.scalar(select(Case).where(Case.reference == reference.case_reference))
    record: Submission | FormDraft | None = (
        session.get(Submission, reference.record_id)
        if reference.kind == "submission"
        else session.get(FormDraft, reference.record_id)
    )
    if case is None or record is None or record.case_id != case.id:
        return None, _(
            "Page {page} of {file} is from a form ({reference}) whose case this profile "
            "does not have."
        ).format(**where)
    copy = MatchedCopy(reference.text, record.service_id, 0, None, older=reference, case_id=case.id)
    copies[reference.text] = copy
    return copy, None
