"""``PaperActions``: the paper work that stays at the composition root
(``ui.backend.paper.PaperBackend``): writing PDFs to files the worker chose.

Making a PDF is a core action the window names (``casework.paper.case_print``
through ``ui.operations.paper``). Writing files is not: ``save_pdf`` writes
one file atomically, and ``export_paper_batch`` writes a bulk export into a
folder the worker chose, with progress and cancel between files. Each
pre-filled form of an export is its own short action (one write transaction
takes and audits its print decision; the PDF is laid out after it commits),
so the write worker stays free for autosaves while an export runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from casework.kernel import files
from casework.kernel.action import act
from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.i18n import _
from casework.paper import case_print, copies
from casework.paper.items import PaperItem

if TYPE_CHECKING:
    from casework.forms.definitions import Catalogue
    from casework.kernel.action import Action

T = TypeVar("T")


class PaperActions:
    """Mixed into ``LocalBackend``."""

    if TYPE_CHECKING:

        def perform(self, action: Action[T], *, write: bool) -> T: ...

        @property
        def catalogue(self) -> Catalogue: ...

    def save_pdf(self, data: bytes, path: Path) -> Path:
        """Write the PDF atomically: the whole file, or nothing. A target that
        is not an ordinary file, or a place the system will not write to, is
        the worker's to fix, said in words (``FileRefused``)."""
        return files.write_atomically(path, data)

    def _item_pdf(self, item: PaperItem) -> bytes:
        # Every file is a printed copy, recorded with its decision (``copies``).
        if item.draft_id is None:
            reserve = act(
                case_print.print_blank,
                self.catalogue,
                item.service_id,
                item.language,
                item.large_print,
            )
        else:
            reserve = act(
                case_print.print_job,
                self.catalogue,
                draft_id=item.draft_id,
                language=item.language,
                large_print=item.large_print,
            )
        return copies.print_recorded(self, reserve, case_print.copy_id, case_print.render)

    def export_paper_batch(
        self,
        items: list[PaperItem],
        folder: Path,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> tuple[list[Path], list[str]]:
        """Write each item into ``folder`` (each file atomically); stops between
        files when ``cancelled()``; returns (written, problems). A file that
        cannot be written is a problem; the others are still written."""
        if not folder.is_dir():
            raise NotFound(
                _("The folder {path} does not exist. Nothing was written.").format(path=folder)
            )
        written: list[Path] = []
        problems: list[str] = []
        for done, item in enumerate(items):
            if cancelled():
                break
            try:
                data = self._item_pdf(item)
            except (AccessRefused, NotFound) as exc:
                problems.append(f"{item.file_name}: {exc}")
                progress(done + 1, len(items))
                continue
            if cancelled():  # rendered but not yet written: write nothing
                break
            try:
                written.append(files.write_atomically(folder / item.file_name, data))
            except files.FileRefused as exc:  # a pipe or folder of that name: the rest still go
                problems.append(exc.message)
            progress(done + 1, len(items))
        return written, problems
