"""Print a saved PDF (the consent receipt) on a printer chosen in Qt's print dialog.

The binding has no QtPdf, so each page is rendered with PDFium (pypdfium2)
at up to 300 dpi into a ``QImage`` and painted onto the ``QPrinter``, scaled
to the printable area. Painting on a ``QPrinter`` is allowed off the UI
thread, so this runs in a worker.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

# Imported here, not in ui.qt, so start-up does not load print support.
from PySide6 import QtPrintSupport

from ui.qt import QtCore, QtGui

MAX_DPI = 300


def print_pdf(path: Path, printer: QtPrintSupport.QPrinter) -> int:
    """Print every page of ``path``; returns how many pages were printed."""
    document = pdfium.PdfDocument(str(path))
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for number in range(len(document)):
            if number:
                printer.newPage()
            page = document[number]
            bitmap = page.render(scale=dpi / 72, prefer_bgrx=True)
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            data = bytes(bitmap.buffer)
            image = QtGui.QImage(data, width, height, stride, QtGui.QImage.Format.Format_RGB32)
            target = QtCore.QRect(0, 0, area.width(), area.height())
            scaled = image.size().scaled(target.size(), QtCore.Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QtCore.QRect(QtCore.QPoint(0, 0), scaled), image)
            page.close()
        return len(document)
    finally:
        painter.end()
        document.close()
