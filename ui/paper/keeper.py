"""Saving, then offering to print, the PDFs a mandate leaves for the person:
a frozen draft ("Print for the person…") and the "who acted for me" report.

The worker chooses a file; the PDF is made and written on a worker thread
(``ui.operations.paper.save_pdf`` writes the whole file or nothing); then Qt's print
dialog is offered, and printing also runs on a worker.
"""

from __future__ import annotations

from pathlib import Path

from casework.kernel.errors import AlongsideError
from ui.operations import Op, Operations, background, paper
from ui.qt import Qt, QtCore, QtWidgets, Signal
from ui.widgets import pdf_chooser


class PdfKeeper(QtCore.QObject):
    """Choose a file, save the PDF there off the UI thread, then offer to print it."""

    saved = Signal(object)  # Path written
    printed = Signal(int)  # pages sent to the printer
    failed = Signal(str)  # a message for the worker

    def __init__(self, ops: Operations, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.ops = ops
        self.file_dialog: QtWidgets.QFileDialog | None = None
        self.print_dialog: QtWidgets.QDialog | None = None
        self.printer: object | None = None
        self.path: Path | None = None

    def keep(
        self,
        parent: QtWidgets.QWidget,
        title: str,
        file_name: str,
        make: Op[bytes],
        print_title: str,
    ) -> None:
        """Ask where to save; ``make`` (an operation answering the PDF) runs in a worker."""
        chooser = pdf_chooser(parent, title, file_name, "pdfFileDialog")
        chooser.fileSelected.connect(lambda name: self.save(Path(name), make, print_title))
        self.file_dialog = chooser
        chooser.open()

    def save(self, path: Path, make: Op[bytes], print_title: str) -> None:
        def done(written: object) -> None:
            self.path = Path(str(written))
            self.saved.emit(self.path)
            self.offer_print(self.path, print_title)

        self.ops.run(paper.save_pdf(make, path), done, self._failed, on_failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, AlongsideError):  # the port says why, in words
            self.failed.emit(exc.message)
        else:
            raise exc

    def _print_failed(self, exc: BaseException) -> None:
        # Not "could not be saved": the file is saved; the printer failed.
        if isinstance(exc, OSError):
            self.failed.emit(str(exc))
        else:
            raise exc

    def offer_print(self, path: Path, title: str) -> None:
        from PySide6 import QtPrintSupport

        from ui.paper.printing import print_pdf

        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        dialog = QtPrintSupport.QPrintDialog(printer, QtWidgets.QApplication.activeWindow() or None)
        dialog.setObjectName("pdfPrintDialog")
        dialog.setWindowTitle(title)
        self.print_dialog = dialog
        self.printer = printer

        def chosen() -> None:
            self.ops.run(
                background(lambda: print_pdf(path, printer)),
                self.printed.emit,
                on_failed=self._print_failed,
            )

        dialog.accepted.connect(chosen)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
