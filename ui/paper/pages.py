"""PDF pages as images, and PDF pages onto a printer, with PDFium (pypdfium2).

Qt's own PDF module ships in the PySide6-WebEngine wheels from 6.8 on (not
in PySide6-Addons), which is far too much to carry for a preview; PDFium is
the same engine, in one small wheel (decision 0019). PDFium is not thread
safe, so every use goes through one lock. Both functions are meant for
worker threads: ``QImage`` and painting on a ``QPrinter`` are allowed off
the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.qt import QtCore, QtGui, QtPrintSupport

if TYPE_CHECKING:
    import pypdfium2

# pypdfium2 is imported when a preview is first made (40 ms), not at start-up.
_PDFIUM = threading.Lock()


def page_images(
    pdf: bytes,
    dpi: float = 96,
    limit: int | None = None,
    on_image: Callable[[int, QtGui.QImage, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[list[QtGui.QImage], int]:
    """The first ``limit`` pages of ``pdf`` (all when None) as images at ``dpi``,
    and how many pages it has.

    ``on_image(index, image, total)`` is told each image as soon as it is
    made, so a preview can show the first page while the rest are made;
    ``cancelled`` is asked before each page, and True stops there."""
    import pypdfium2

    images: list[QtGui.QImage] = []
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            total = len(document)
            for index in range(total if limit is None else min(limit, total)):
                if cancelled():
                    break
                image = _render(document, index, dpi)
                images.append(image)
                if on_image is not None:
                    on_image(index, image, total)
        finally:
            document.close()
    return images, total


def _render(document: pypdfium2.PdfDocument, index: int, dpi: float) -> QtGui.QImage:
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB(A) byte order
        picture = bitmap.to_pil().convert("RGB")
    finally:
        page.close()
    width, height = picture.size
    data = picture.tobytes()
    image = QtGui.QImage(data, width, height, width * 3, QtGui.QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` goes away


def print_pdf(
    pdf: bytes,
    printer: QtPrintSupport.QPrinter,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Paint every page of ``pdf`` on ``printer``, one page per sheet at the
    printer's resolution; returns the pages printed."""
    import pypdfium2

    printer.setFullPage(True)
    dpi = min(printer.resolution(), 300)
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started. Check that it is on, then try again."))
    printed = 0
    try:
        with _PDFIUM:
            document = pypdfium2.PdfDocument(pdf)
            try:
                for index in range(len(document)):
                    if cancelled():
                        break
                    if index:
                        printer.newPage()
                    image = _render(document, index, dpi)
                    target = printer.paperRect(QtPrintSupport.QPrinter.Unit.DevicePixel)
                    painter.drawImage(target, image, QtCore.QRectF(image.rect()))
                    printed += 1
            finally:
                document.close()
    finally:
        painter.end()
    return printed
