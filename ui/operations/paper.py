"""Paper and PDFs: the services with a paper form, a blank or pre-filled
form, a frozen draft or the "who acted for me" report as PDF, saving a PDF
(all of it or nothing), and the bulk export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ui.backend import Backend
from ui.operations.op import NOTHING, Op, Work, audited_read, query


def paper_services() -> Op[list[tuple[str, str]]]:
    return query(lambda b: b.paper_services())


def form_pdf(draft_id: int | None, service_id: str, language: str, large_print: bool) -> Op[bytes]:
    """A draft's form pre-filled, or (no draft) the service's blank form."""

    def make(b: Backend) -> bytes:
        if draft_id is not None:
            return b.draft_form_pdf(draft_id, language, large_print)
        return b.blank_form_pdf(service_id, language, large_print)

    # A draft's print decision is audited (a write); a blank form touches nothing.
    return query(make) if draft_id is None else audited_read(make)


def draft_pdf(draft_id: int) -> Op[bytes]:
    """A frozen draft, printable for the person."""
    return audited_read(lambda b: b.draft_pdf(draft_id))


def acted_for_report(person_id: int) -> Op[bytes]:
    return audited_read(lambda b: b.acted_for_report(person_id))


def save_pdf(make: Op[bytes] | bytes, path: Path) -> Op[Path]:
    """Make the PDF (when ``make`` is an operation) and write it to ``path``.

    On the write worker (saves happen in order), though it changes nothing
    the screens show: the file is outside the database."""

    def call(b: Backend) -> Path:
        data = make.call(b) if isinstance(make, Op) else make
        return b.save_pdf(data, path)

    return Op(call, Work.WRITE, NOTHING)


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

    def run(b: Backend) -> tuple[list[Path], list[str], int]:
        items = b.paper_batch(what, languages, large_print)
        progress(0, len(items))
        written, problems = b.export_paper_batch(items, folder, progress, cancelled)
        return written, problems, len(items)

    return query(run)
