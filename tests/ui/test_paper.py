"""The paper dialogs in the real window: preview a draft (English, then
Welsh large print), print it to a PDF file through QPrinter, save it, and
bulk-export blank forms to a folder, completed and cancelled."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from tests.ui.conftest import screenshot
from tests.unit.casework.paper.helpers import last_page_image, png_pages, squash
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops
from ui.paper.dialog import PaperDialog
from ui.qt import Qt, QtPrintSupport
from ui.window.main import MainWindow

A4_POINTS = (595, 842)
COPY = re.compile(r"AF-RTV-[0-9]{4}\.[0-9]+-(EN|CY)-[0-9A-Z]{4}-[0-9A-Z]{6}-[0-9]{2}")


def _draft(win: MainWindow) -> tuple[int, str]:
    return _draft_for(win.backend)


def _draft_for(backend: Any) -> tuple[int, str]:
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, "register-to-vote", "Register to vote").call(backend)
    record = forms_ops.start_form(case_id, "register-to-vote").call(backend)[0]
    forms_ops.save_form(
        record.case_id, record.id, record.version, {"given-name": "Eluned"}, None
    ).call(backend)
    return record.id, cases_ops.case_detail(case_id).call(backend).reference


def _a4(reader: PdfReader) -> bool:
    return all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4_POINTS
        for p in reader.pages
    )


def _first_page(dialog: Any) -> Any:
    item = dialog.pages_layout.itemAt(0)
    return item.widget() if item is not None else None


def test_preview_print_and_save_a_draft(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path, artifacts: Path
) -> None:
    draft_id, reference = _draft(signed_in)
    # From the case's Forms tab, as a worker would.
    case_id = forms_ops.form_draft(draft_id).call(signed_in.backend).case_id
    signed_in.open_case(case_id)
    qtbot.waitUntil(lambda: signed_in.case_view.forms.topLevelItemCount() == 1)
    signed_in.case_view.tabs.setCurrentIndex(4)
    assert signed_in.case_view.paper_button.isEnabled()
    screenshot(signed_in, artifacts, "63-paper-forms-tab")
    signed_in.case_view.paper_button.click()
    dialog = signed_in.paper_dialog
    assert dialog.draft_id == draft_id and reference in dialog.windowTitle()
    with qtbot.waitSignal(dialog.previewed, timeout=20000) as shown:
        pass
    pages = shown.args[0]
    assert pages >= 1 and dialog.print_button.isEnabled()
    assert dialog.pages_layout.count() == pages
    qtbot.waitUntil(lambda: _first_page(dialog).isVisible())
    dialog.grab().save(str(artifacts / "60-paper-preview.png"))

    with qtbot.waitSignal(dialog.previewed, timeout=20000):
        dialog.large_print.setChecked(True)
    with qtbot.waitSignal(dialog.previewed, timeout=20000) as welsh:
        dialog.language.setCurrentIndex(1)
    assert welsh.args[0] > pages  # large print takes more sheets
    qtbot.waitUntil(lambda: _first_page(dialog).isVisible())
    dialog.preview.verticalScrollBar().setValue(400)
    dialog.grab().save(str(artifacts / "61-paper-preview-welsh-large.png"))

    printer = dialog.new_printer()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    with qtbot.waitSignal(dialog.printed, timeout=30000) as done:
        dialog.print_to(printer)
    reader = PdfReader(printed)
    assert done.args[0] == welsh.args[0] == len(reader.pages)
    assert _a4(reader)
    png_pages(printed.read_bytes(), "printed-through-qprinter", 1, 1, dpi=60)
    # The printed (raster) page still carries a QR code that reads back.
    # Printed, the form is a copy of its own: its reference names the service,
    # the version, the language, this office and the copy's serial.
    codes = zxingcpp.read_barcodes(last_page_image(printed.read_bytes(), 1, dpi=150))
    [found] = [COPY.match(c.text) for c in codes]
    assert found is not None and found[1] == "CY"
    printed_reference = found[0]

    with qtbot.waitSignal(dialog.saved, timeout=20000) as saved:
        dialog.save_to(tmp_path / "copy")
    target = Path(saved.args[0])
    assert target == tmp_path / "copy.pdf"
    text = squash("".join(p.extract_text() for p in PdfReader(target).pages))
    saved_reference = COPY.search(text)
    assert "Eluned" in text and saved_reference is not None
    assert saved_reference[0] != printed_reference  # another copy, another reference
    assert not list(tmp_path.glob(".*.tmp"))
    dialog.close()


def test_a_blank_form_from_the_paper_menu(qtbot: QtBot, signed_in: MainWindow) -> None:
    menu = next(a for a in signed_in.menuBar().actions() if a.text() == "Pape&r").menu()
    blank, bulk, returned = menu.actions()
    assert blank.isEnabled() and bulk.isEnabled() and returned.isEnabled()  # signed in
    assert blank.shortcut().toString() == "Ctrl+P"
    assert returned.shortcut().toString() == "Ctrl+Shift+R"
    blank.trigger()
    dialog = signed_in.paper_dialog
    with qtbot.waitSignal(dialog.previewed, timeout=20000):
        pass
    assert dialog.service.count() == len(signed_in.backend.catalogue.services)
    assert dialog.pdf is not None and dialog.pdf.startswith(b"%PDF")
    dialog.close()


def _export(qtbot: QtBot, win: MainWindow, folder: Path) -> Any:
    folder.mkdir()
    dialog = win.paper.open_export()
    dialog.welsh.setChecked(True)
    dialog.english.setChecked(False)
    dialog.folder.setText(str(folder))
    return dialog


def test_bulk_export_of_every_blank_form_in_welsh(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path, artifacts: Path
) -> None:
    out = tmp_path / "out"  # tmp_path also holds the profile
    dialog = _export(qtbot, signed_in, out)
    with qtbot.waitSignal(dialog.finished_export, timeout=120000) as finished:
        dialog.export_button.click()
    total = len(signed_in.backend.catalogue.services)
    assert finished.args == [total, False]
    files = sorted(out.iterdir())
    assert len(files) == total and all(f.name.endswith("-blank-cy.pdf") for f in files)
    for path in files:
        assert _a4(PdfReader(path))
    assert str(out) in dialog.status.text() and f"{total} forms" in dialog.status.text()
    dialog.grab().save(str(artifacts / "62-paper-bulk-export.png"))
    dialog.close()


def test_cancelling_a_bulk_export_leaves_only_whole_files(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path, artifacts: Path
) -> None:
    out = tmp_path / "out"  # tmp_path also holds the profile
    dialog = _export(qtbot, signed_in, out)
    dialog.large_print.setChecked(True)
    total = len(signed_in.backend.catalogue.services)

    def cancel_after_the_first(done: int, _total: int) -> None:
        if done == 1:
            dialog.cancel_button.click()

    dialog._progress.moved.connect(cancel_after_the_first)
    with qtbot.waitSignal(dialog.finished_export, timeout=120000) as finished:
        dialog.export_button.click()
    written, cancelled = finished.args
    assert cancelled and 1 <= written < total
    files = list(out.iterdir())
    assert len(files) == written  # no partial or temporary file
    for path in files:
        assert len(PdfReader(path).pages) > 1
    assert "Cancelled" in dialog.status.text()
    assert dialog.export_button.isEnabled()
    dialog.close()


def test_the_paper_dialogs_name_every_control(qtbot: QtBot, signed_in: MainWindow) -> None:
    from tests.ui.test_accessibility import _unnamed

    preview = signed_in.paper.open_blank()
    with qtbot.waitSignal(preview.previewed, timeout=20000):
        pass
    qtbot.waitUntil(lambda: _first_page(preview).isVisible())
    assert _unnamed(preview) == []
    bulk = signed_in.paper.open_export()
    assert _unnamed(bulk) == []
    bulk.close()


def test_a_form_the_worker_may_not_print_is_refused_in_the_dialog(
    qtbot: QtBot, window: MainWindow, demo_profile: Any
) -> None:
    from app.backend import LocalBackend
    from app.demo.people import DEMO_PASSWORD
    from tests.ui.conftest import sign_in

    amira = LocalBackend(demo_profile)
    amira.sign_in("amira", DEMO_PASSWORD)
    draft_id, _reference = _draft_for(amira)
    sign_in(qtbot, window, "sam")  # Northgate: not Riverside's caseload, no mandate
    dialog = window.paper.open_draft(draft_id)
    with qtbot.waitSignal(dialog.failed, timeout=20000) as failed:
        pass
    assert "You may not print this form" in failed.args[0]
    assert dialog.status.text() == failed.args[0]
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.pdf is None
    dialog.close()


def test_closing_while_the_preview_is_made_drops_it(qtbot: QtBot, signed_in: MainWindow) -> None:
    draft_id, _reference = _draft(signed_in)
    dialog = signed_in.paper.open_draft(draft_id)
    shown: list[int] = []
    dialog.previewed.connect(shown.append)
    dialog.close()  # before the worker has finished
    assert signed_in.ops.wait_idle()
    assert shown == [] and dialog.pages_layout.count() == 0
    again = signed_in.paper.open_draft(draft_id)  # the old one is let go
    with qtbot.waitSignal(again.previewed, timeout=20000):
        pass
    again.close()


def test_a_long_form_shows_its_first_pages_and_keeps_all_for_printing(
    qtbot: QtBot, signed_in: MainWindow, monkeypatch: Any
) -> None:
    from ui.paper import dialog as paper_dialog

    monkeypatch.setattr(paper_dialog, "PREVIEW_PAGES", 2)
    dialog = signed_in.paper.open_blank()
    with qtbot.waitSignal(dialog.previewed, timeout=20000) as shown:
        pass
    total = shown.args[0]
    assert total > 2 and dialog.pages_layout.count() == 2
    assert "The first 2 are shown" in dialog.status.text()
    assert dialog.pdf is not None and len(PdfReader(io.BytesIO(dialog.pdf)).pages) == total
    dialog.close()


def test_bulk_export_by_keyboard_refuses_bad_input_and_writes_nothing(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path
) -> None:
    """A worker using only the keyboard: no language, then a folder typed that
    does not exist. Enter (the default button) explains each, starts nothing
    and writes nothing."""
    from ui.qt import Qt

    dialog = signed_in.paper.open_export()
    qtbot.waitExposed(dialog)
    dialog.english.setChecked(False)
    dialog.folder.setFocus()
    qtbot.keyClicks(dialog.folder, str(tmp_path / "nowhere"))
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert "Choose English, Cymraeg or both" in dialog.status.text()
    assert not dialog._running and dialog.export_button.isEnabled()

    qtbot.keyClick(dialog.english, Qt.Key.Key_Space)
    assert dialog.english.isChecked()
    dialog.folder.setFocus()
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert "Choose a folder that exists" in dialog.status.text()
    assert dialog.focusWidget() is dialog.folder and not dialog._running
    assert not (tmp_path / "nowhere").exists()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # not exporting: Escape closes
    assert not dialog.isVisible()


# -- the preview comes in page by page, and Stop stops it --------------------------------------


class _Hold:
    """Holds the preview's worker at one page until the test lets it go."""

    def __init__(self, stage: str, page: int) -> None:
        self.stage, self.page = stage, page
        self.held = threading.Event()
        self.go = threading.Event()

    def __call__(self, stage: str, page: int) -> None:
        if (stage, page) == (self.stage, self.page):
            self.held.set()
            self.go.wait(timeout=30)


def _open_blank_held(
    qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch, hold: _Hold
) -> PaperDialog:
    monkeypatch.setattr(PaperDialog, "worker_pause", staticmethod(hold))
    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = win.paper_dialog
    assert isinstance(dialog, PaperDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_first_page_shows_while_the_rest_are_made(
    qtbot: QtBot, signed_in: MainWindow, monkeypatch: pytest.MonkeyPatch, artifacts: Path
) -> None:
    hold = _Hold("shown", 1)
    dialog = _open_blank_held(qtbot, signed_in, monkeypatch, hold)
    previewed: list[int] = []
    dialog.previewed.connect(previewed.append)
    try:
        with qtbot.waitSignal(dialog.first_page, timeout=20000):
            pass
        qtbot.waitUntil(hold.held.is_set)
        # The worker is held after the first page: it is on screen, the rest are not.
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Showing page 1 of "))
        assert dialog.pages_layout.count() == 1
        qtbot.waitUntil(lambda: _first_page(dialog).isVisible())
        assert _first_page(dialog).accessibleName().startswith("Page 1 of ")
        assert dialog.bar.isVisible() and dialog.bar.value() == 1
        assert dialog.stop_button.isVisible() and dialog.stop_button.isEnabled()
        assert dialog.print_button.isEnabled()  # the PDF is whole: it can be printed already
        assert previewed == []
        dialog.grab().save(str(artifacts / "62-paper-preview-first-page.png"))
    finally:
        hold.go.set()
    with qtbot.waitSignal(dialog.previewed, timeout=20000) as shown:
        pass
    total = shown.args[0]
    assert total > 1 and dialog.pages_layout.count() == total
    assert not dialog.bar.isVisible() and not dialog.stop_button.isVisible()
    dialog.close()


def test_stop_while_the_pages_are_laid_out_leaves_nothing_to_print(
    qtbot: QtBot, signed_in: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = _Hold("laid out", 1)
    dialog = _open_blank_held(qtbot, signed_in, monkeypatch, hold)
    try:
        qtbot.waitUntil(hold.held.is_set, timeout=20000)
        # The first look at page 1 is on screen before the rest are laid out.
        qtbot.waitUntil(lambda: dialog.pages_layout.count() == 1)
        assert _first_page(dialog).accessibleName() == "Page 1"
        qtbot.waitUntil(lambda: dialog.status.text() == "Laying out page 1…")
        assert dialog.pdf is None and not dialog.print_button.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # S&top
        qtbot.waitUntil(lambda: dialog.status.text() == "Stopping…")
    finally:
        hold.go.set()
    with qtbot.waitSignal(dialog.stopped, timeout=20000):
        pass
    assert dialog.status.text() == "Stopped. Nothing was made to print or save."
    assert dialog.pdf is None
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.pages_layout.count() == 0
    # The same button makes the preview again, whole this time.
    monkeypatch.setattr(PaperDialog, "worker_pause", staticmethod(lambda stage, page: None))
    assert dialog.stop_button.text() == "&Make the preview"
    with qtbot.waitSignal(dialog.previewed, timeout=20000) as shown:
        qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert dialog.pages_layout.count() == shown.args[0] and dialog.print_button.isEnabled()
    dialog.close()


def test_stop_while_the_pages_are_shown_keeps_the_whole_pdf(
    qtbot: QtBot, signed_in: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = _Hold("shown", 1)
    dialog = _open_blank_held(qtbot, signed_in, monkeypatch, hold)
    try:
        qtbot.waitUntil(hold.held.is_set, timeout=20000)
        qtbot.waitUntil(lambda: dialog.pages_layout.count() == 1)
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.status.text() == "Stopping…")
    finally:
        hold.go.set()
    with qtbot.waitSignal(dialog.stopped, timeout=20000):
        pass
    assert dialog.pages_layout.count() == 1
    assert dialog.status.text().startswith("Stopped with 1 of ")
    assert dialog.pdf is not None
    pages = len(PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert pages > 1 and dialog.print_button.isEnabled()  # the PDF itself is whole
    dialog.close()
