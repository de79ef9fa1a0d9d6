"""Paper and PDFs: the services with a paper form, a blank or pre-filled
form, a frozen draft or the "who acted for me" report as PDF, saving a PDF
(all of it or nothing), and the bulk export.

A pre-filled form is a core action (``casework.paper.case_print.print_job``:
its print decision is audited on the write worker); the PDF is laid out
after the transaction (``then``), so the database is not held meanwhile.
Writing files is the composition root's (``save_pdf``, ``export_paper_batch``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from casework.forms import actions
from casework.forms.definitions import Catalogue
from casework.kernel.action import act
from casework.kernel.i18n import _, current_language
from casework.paper import acted_for, case_print
from casework.paper.items import PaperItem

if TYPE_CHECKING:
    from casework.paper.copies import CopyItem
from ui.backend import Backend
from ui.operations.op import (
    Changes,
    Op,
    audited,
    audited_read,
    background,
    ids,
    query,
    reads,
    with_catalogue,
    write,
)


def paper_services() -> Op[list[tuple[str, str]]]:
    """(service id, title) of every service with a paper form, in the worker's language."""
    return with_catalogue(
        lambda catalogue: background(
            lambda: list(actions.titles(catalogue, current_language()).items())
        )
    )


def form_pdf(
    draft_id: int | None,
    service_id: str,
    language: str,
    large_print: bool,
    on_page: Callable[[int], None] | None = None,
    on_first_page: Callable[[bytes], None] | None = None,
) -> Op[bytes]:
    """A draft's form pre-filled, or (no draft) the service's blank form.

    ``on_page(n)`` is told (on the worker) as each page is laid out; an
    exception raised from it stops the rendering, and comes out of the
    operation. ``on_first_page(pdf)`` is handed the first page alone before
    the rest is laid out (its footer does not yet know the page count)."""

    def watched(make: Callable[[], bytes]) -> bytes:
        if on_page is None and on_first_page is None:
            return make()
        from casework.paper.layout import watching_pages  # reportlab: with the first PDF

        with watching_pages(on_page, first_page=on_first_page):
            return make()

    if draft_id is None:
        # A blank form touches no record: the read pool.
        return with_catalogue(
            lambda catalogue: background(
                lambda: watched(
                    lambda: case_print.blank_form(catalogue, service_id, language, large_print)
                )
            )
        )
    # A draft's print decision is audited (a write); the layout follows it.
    return with_catalogue(
        lambda catalogue: audited(
            act(
                case_print.print_job,
                catalogue,
                draft_id=draft_id,
                language=language,
                large_print=large_print,
                record=False,  # a preview: the copy is recorded when printed or saved
            )
        ).then(lambda job: watched(lambda: case_print.render(job)))
    )


def print_copy(
    draft_id: int | None,
    service_id: str,
    language: str,
    large_print: bool,
    *,
    case_id: int | None = None,
    due_back_on: date | None = None,
) -> Op[bytes]:
    """The copy to print or save, with its own reference, recorded with its
    print decision (``copies.print_recorded``): a draft's form pre-filled, or
    the service's blank form, given out for ``case_id`` when one is named."""

    def run(b: Backend) -> bytes:
        if draft_id is None:
            reserve = act(
                case_print.print_blank,
                b.catalogue,
                service_id,
                language,
                large_print,
                case_id=case_id,
                due_back_on=due_back_on,
            )
        else:
            reserve = act(
                case_print.print_job,
                b.catalogue,
                draft_id=draft_id,
                language=language,
                large_print=large_print,
            )
        from casework.paper import copies

        return copies.print_recorded(b, reserve, case_print.copy_id, case_print.render)

    return write(run, Changes(case_ids=ids(case_id))).named(_("Making the paper form"))


def draft_pdf(draft_id: int) -> Op[bytes]:
    """A frozen draft, printable for the person."""
    return with_catalogue(
        lambda catalogue: audited(
            act(case_print.frozen_draft_pdf, catalogue, draft_id, current_language())
        )
    )


def acted_for_report(person_id: int, large_print: bool = False) -> Op[bytes]:
    """The "who acted for me" PDF for a person (the request is audited)."""
    language = current_language()
    return with_catalogue(
        lambda catalogue: audited(
            act(
                acted_for.acted_for_report,
                person_id,
                language=language,
                large_print=large_print,
                catalogue=catalogue,
            )
        )
    )


def save_pdf(make: Op[bytes] | bytes, path: Path) -> Op[Path]:
    """Make the PDF (when ``make`` is an operation) and write it to ``path``.

    On the write worker (saves happen in order), though it changes nothing
    the screens show: the file is outside the database."""

    def call(b: Backend) -> Path:
        data = make.call(b) if isinstance(make, Op) else make
        return b.save_pdf(data, path)

    if isinstance(make, Op) and isinstance(make.changes, Changes) and make.changes:
        return write(call, make.changes)  # a copy given out changes its case
    return audited_read(call)


def paper_batch(what: str, languages: tuple[str, ...], large_print: bool) -> Op[list[PaperItem]]:
    """The files a bulk export would write: "blank" or "drafts" (the caseload's)."""
    return with_catalogue(
        lambda catalogue: reads(
            act(case_print.paper_batch, catalogue, what, languages, large_print)
        )
    )


def export_batch(
    what: str,
    languages: tuple[str, ...],
    large_print: bool,
    folder: Path,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> Op[tuple[list[Path], list[str], int]]:
    """Write every paper form of a bulk export; answers (written, refused, how many).

    On the read pool: the write worker stays free for autosaves while a long
    export runs (each print decision takes its own short write)."""
    batch = paper_batch(what, languages, large_print)

    def run(b: Backend) -> tuple[list[Path], list[str], int]:
        items = batch.call(b)
        progress(0, len(items))
        written, problems = b.export_paper_batch(items, folder, progress, cancelled)
        return written, problems, len(items)

    return query(run)


def _titled(catalogue: Catalogue, found: list[CopyItem]) -> list[tuple[CopyItem, str]]:
    titles = actions.titles(catalogue, current_language())
    return [(item, titles.get(item.service_id, item.service_id)) for item in found]


def waiting_copies(case_id: int) -> Op[list[tuple[CopyItem, str]]]:
    """The case's paper forms given out and not yet back, each with its form's title."""
    from casework.paper import copies  # on first use, not at start-up

    return with_catalogue(
        lambda catalogue: reads(act(copies.copies_out, case_id)).then(
            lambda found: _titled(catalogue, found)
        )
    )


def overdue_paper() -> Op[list[tuple[CopyItem, str]]]:
    """Every paper form the worker may see that is past its date, each with its title."""
    from casework.paper import copies

    return with_catalogue(
        lambda catalogue: reads(act(copies.overdue_copies)).then(
            lambda found: _titled(catalogue, found)
        )
    )


def due_back_default(case_id: int) -> Op[date]:
    """When a blank form given out on the case is expected back, unless the worker says."""
    from casework.paper import copies

    return reads(act(copies.due_back_for_case, case_id))
