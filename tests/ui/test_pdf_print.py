"""Printing a saved PDF (the consent receipt, a mandate's PDFs) through
QPrinter: every page reaches the printer, on A4, through the shared
PDFium page painter."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from casework.forms import definitions
from casework.paper import form
from ui.paper.printing import print_pdf
from ui.qt import QtPrintSupport


def test_a_saved_pdf_prints_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    service = definitions.load_catalogue().get("register-to-vote")
    assert service is not None
    saved = tmp_path / "saved.pdf"
    saved.write_bytes(form.render_form(service, form.PaperOptions()))
    pages = len(PdfReader(saved).pages)

    printer = QtPrintSupport.QPrinter()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(72)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))

    assert print_pdf(saved, printer) == pages
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    assert [round(float(p.mediabox.width)) for p in reader.pages] == [595] * pages


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_will_not_start_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    """The file is saved; the printer fails: the worker is told about the
    printer (not "could not be saved"), and the PDF is left as it was."""
    from ui.paper.keeper import PdfKeeper
    from ui.qt import QtCore

    service = definitions.load_catalogue().get("register-to-vote")
    assert service is not None
    saved = tmp_path / "saved.pdf"
    saved.write_bytes(form.render_form(service, form.PaperOptions()))
    printer = QtPrintSupport.QPrinter()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "printed.pdf"))
    with pytest.raises(OSError, match="printer could not be started") as raised:
        print_pdf(saved, printer)

    parent = QtCore.QObject()
    keeper = PdfKeeper(None, parent)  # type: ignore[arg-type]
    messages: list[str] = []
    keeper.failed.connect(messages.append)
    keeper._print_failed(raised.value)
    assert messages == [str(raised.value)] and "saved" not in messages[0]
    assert len(PdfReader(saved).pages) >= 1
