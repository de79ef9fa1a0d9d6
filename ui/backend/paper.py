"""``PaperBackend``: writing the paper forms' PDFs to files the worker chose.

Making a PDF is a core action (``ui.operations.paper`` names it); writing
files stays at the composition root. Both methods may take seconds: call
them from a worker (an operation on ``ui.operations``), never on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from casework.paper.items import PaperItem


class PaperBackend(Protocol):
    def save_pdf(self, data: bytes, path: Path) -> Path:
        """Write a PDF atomically (all of it or nothing); returns the path."""
        ...

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
