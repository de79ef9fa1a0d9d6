"""Print a saved PDF (the consent receipt, a mandate's PDFs) on a printer
chosen in Qt's print dialog.

The pages are painted by ``ui.paper.pages.print_pdf``, the one place that
drives PDFium for printing: it holds the PDFium lock (PDFium is not thread
safe, and a preview may be rendering on another worker) and closes each
page even when painting fails. Painting on a ``QPrinter`` is allowed off the
UI thread, so this runs in a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casework.kernel import files
from ui.paper.pages import print_pdf as print_pdf_bytes

if TYPE_CHECKING:
    from ui.qt import QtPrintSupport  # loaded lazily by ui.qt


MAX_PDF_BYTES = 200 * 1_048_576  # far above any form or receipt Alongside writes


def print_pdf(path: Path, printer: QtPrintSupport.QPrinter) -> int:
    """Print every page of ``path``; returns how many pages were printed. The
    file is read as any file a worker names is: an ordinary file, bounded."""
    return print_pdf_bytes(files.read_bounded(path, MAX_PDF_BYTES), printer)
