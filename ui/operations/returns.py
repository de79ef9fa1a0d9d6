"""Paper that came back: the case's returned copies, the scan of one, typing
one up into a draft, and recording that a sent form was typed up from paper.

Reading a scan is reading a case document (an audited view decision, on the
write worker); its pages are turned into images by the caller, after it.
Receiving ("Paper returned…") reads and matches the scans on the read pool,
then receives every copy in one write transaction (``returns.batch``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casework.casefile.documents import read_document
from casework.forms import actions
from casework.kernel.action import act
from casework.kernel.i18n import _, current_language
from casework.paper import typed_up
from ui.backend import Backend
from ui.operations.op import Changes, Op, audited, ids, query, reads, with_catalogue, writes

if TYPE_CHECKING:
    # Reading scans loads zxing-cpp and Pillow: with the first scan, not at start-up.
    from casework.paper.returns.batch import Outcome
    from casework.paper.returns.match import MatchedCopy, Matching


def came_back(case_id: int) -> Op[tuple[list[typed_up.CameBack], dict[str, str]]]:
    """The case's paper forms that came back, newest first, with each service's
    title in the worker's language."""
    return with_catalogue(
        lambda catalogue: reads(act(typed_up.came_back, case_id)).then(
            lambda found: (found, actions.titles(catalogue, current_language()))
        )
    )


def scan_pdf(document_id: int) -> Op[bytes]:
    """The received scan as a PDF (the case document it became)."""
    return audited(act(read_document, document_id)).then(lambda found: found[1])


def start_typing(return_id: int, case_id: int) -> Op[int]:
    """The draft to type the returned copy into (its id)."""
    return with_catalogue(
        lambda catalogue: writes(
            act(typed_up.start_typing, catalogue, return_id), Changes(case_ids=ids(case_id))
        )
    )


def record_typed(submission_id: int, case_id: int) -> Op[str | None]:
    """Record that the sent form was typed up from paper (the copy's reference)."""
    return writes(act(typed_up.record_typed, submission_id), Changes(case_ids=ids(case_id)))


def read_scans(
    paths: Sequence[Path], progress: Callable[[int, int], None], cancelled: Callable[[], bool]
) -> Op[tuple[list[str], Matching | None]]:
    """Read each scan and match its pages to their copies (on the read pool):
    the files refused, in words, and what the pages matched. Cancel stops
    between files (``Cancelled``)."""
    from casework.paper.returns.batch import Cancelled
    from casework.paper.returns.match import match_pages
    from casework.paper.returns.scan import ScannedPage, ScanRefused, read_scan

    def run(b: Backend) -> tuple[list[str], Matching | None]:
        pages: list[ScannedPage] = []
        problems: list[str] = []
        for done, path in enumerate(paths):
            if cancelled():
                raise Cancelled(_("Cancelled. Nothing was attached."))
            progress(done, len(paths))
            try:
                pages.extend(read_scan(path))
            except ScanRefused as exc:
                problems.append(exc.message)
        progress(len(paths), len(paths))
        if cancelled():
            raise Cancelled(_("Cancelled. Nothing was attached."))
        if not pages:
            return problems, None
        return problems, b.perform(act(match_pages, b.catalogue, pages), write=False)

    return query(run).named(_("Reading the scans"))


def receive_copies(
    copies: Sequence[MatchedCopy],
    cancelled: Callable[[], bool],
    cases: Mapping[str, str] | None = None,
) -> Op[list[Outcome]]:
    """Receive the matched copies onto their cases, in one transaction."""
    from casework.paper.returns.batch import receive_all

    return with_catalogue(
        lambda catalogue: writes(
            act(receive_all, catalogue, list(copies), cancelled, cases),
            lambda outcomes: Changes(
                case_ids=frozenset(o.case_id for o in outcomes if o.case_id is not None)
            ),
        ).named(_("Receiving the paper forms"))
    )
