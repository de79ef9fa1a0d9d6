"""``PaperBackend``: what the paper-form screens need from the facade.

Every method may take seconds (a long form is dozens of pages): call them
from a worker (an operation on ``ui.operations``), never on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from casework.paper.items import PaperItem


class PaperBackend(Protocol):
    def paper_services(self) -> list[tuple[str, str]]:
        """(service id, title) of every service that has a paper form."""
        ...

    def blank_form_pdf(self, service_id: str, language: str, large_print: bool) -> bytes:
        """A service's blank paper form as PDF bytes."""
        ...

    def draft_form_pdf(self, draft_id: int, language: str, large_print: bool) -> bytes:
        """A draft's form pre-filled (once sent, what was sent), printing only what
        the policy decision discloses; ``AccessRefused`` when printing is not allowed."""
        ...

    def case_form_pdf(
        self, case_reference: str, submission_id: int | None, language: str, large_print: bool
    ) -> tuple[bytes, str]:
        """The case's newest form in progress (or the named submission) pre-filled,
        with a suggested file name."""
        ...

    def save_pdf(self, data: bytes, path: Path) -> Path:
        """Write a PDF atomically (all of it or nothing); returns the path."""
        ...

    def paper_batch(
        self, what: str, languages: tuple[str, ...], large_print: bool
    ) -> list[PaperItem]:
        """The files a bulk export would write: "blank" or "drafts" (the caseload's)."""
        ...

    def paper_item_pdf(self, item: PaperItem) -> bytes: ...

    def export_paper_batch(
        self,
        items: list[PaperItem],
        folder: Path,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> tuple[list[Path], list[str]]:
        """Write every item into ``folder``, each atomically, stopping between files
        once ``cancelled()``; returns (files written, one line per file refused)."""
        ...
