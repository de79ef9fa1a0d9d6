"""The paper form dialog: preview a form as it will print, print it through
the system's print dialog, or save it as a PDF.

It shows a blank form of a chosen service, or one draft pre-filled (what the
worker may print of it: the facade leaves withheld answers blank). Welsh and
large print are options here, not separate forms. Making the PDF and its
page images, printing and saving all run on workers; a newer request makes
an older preview's answer stale, and it is dropped.

The preview comes in as it is made. The renderer lays the first page out
alone before the whole form (a few hundredths of a second), and PDFium's
image of it is shown at once, its footer saying "Page 1" as the count is not
yet known; a progress bar follows the pages being laid out; when the PDF is
whole its pages replace that first look one by one. Print and Save are ready
from the moment the PDF is whole. Stop (or Escape, or a new choice of
language or print size) stops the worker at its next page: a form stopped
while it is laid out leaves no PDF at all, so nothing half-made can be
printed or saved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from casework.kernel.i18n import _
from ui.backend import Backend
from ui.operations import Op, Operations, background, paper
from ui.operations import cases as cases_ops
from ui.paper.pages import page_images, print_pdf
from ui.paper.post import PostRow
from ui.qt import Qt, QtCore, QtGui, QtPrintSupport, QtWidgets, Signal

PREVIEW_PAGES = 60  # page images shown at most (a page at 72 dpi is 1.5 MB)


class _Stop(Exception):
    """The preview was stopped (from the page watcher, on the worker)."""


class _Progress(QtCore.QObject):
    """Carries a preview's progress from the worker to the UI thread (it lives
    there); each signal carries the preview's generation first."""

    laid_out = Signal(int, int)  # page laid out
    made = Signal(int, object)  # the whole PDF
    image = Signal(int, int, object, int)  # page index, its image, pages in all


def _no_pause(stage: str, page: int) -> None:
    """What the worker does after each page it lays out or draws (a test holds it here)."""


class PaperDialog(QtWidgets.QDialog):
    """Preview, Print and Save as PDF for one form."""

    previewed = Signal(int)  # pages shown
    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)  # the file written
    failed = Signal(str)  # a message already shown in the dialog
    stopped = Signal()  # the preview was stopped before it was whole
    first_page = Signal()  # the first look at a preview's first page is on screen
    due_defaulted = Signal()  # "Expect it back by" shows the given-out case's default

    # Called on the worker after each page is laid out ("laid out", n) and after
    # each page image is handed over ("shown", n): a test holds the worker here
    # to look at the dialog mid-way.
    worker_pause: Callable[[str, int], None] = staticmethod(_no_pause)

    def __init__(
        self,
        backend: Backend,
        ops: Operations,
        *,
        draft_id: int | None = None,
        service_id: str | None = None,
        title: str = "",
        case_id: int | None = None,
        case_label: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ops = ops
        self.draft_id = draft_id
        self.pdf: bytes | None = None
        self._generation = 0
        self._stop = threading.Event()
        self._working = False
        self._progress = _Progress(self)
        self._progress.laid_out.connect(self._laid_out)
        self._progress.made.connect(self._made)
        self._progress.image.connect(self._image)
        self._title = title
        self._file_stem = title or _("form")
        self.setObjectName("paperDialog")
        self.setWindowTitle(
            _("Paper form: {title}").format(title=title) if title else _("Paper form")
        )
        self.resize(760, 860)

        layout = QtWidgets.QVBoxLayout(self)
        options = QtWidgets.QHBoxLayout()
        self.service = QtWidgets.QComboBox()
        self.service.setObjectName("paperService")
        self.service.setAccessibleName(_("Form to print"))
        service_label = QtWidgets.QLabel(_("&Form:"))
        service_label.setBuddy(self.service)
        self.language = QtWidgets.QComboBox()
        self.language.setObjectName("paperLanguage")
        self.language.setAccessibleName(_("Language of the paper form"))
        self.language.addItem("English", "en")  # each language named in itself
        self.language.addItem("Cymraeg", "cy")
        self.language.setCurrentIndex(1 if backend.language == "cy" else 0)
        language_label = QtWidgets.QLabel(_("&Language:"))
        language_label.setBuddy(self.language)
        self.large_print = QtWidgets.QCheckBox(_("Lar&ge print"))
        self.large_print.setObjectName("paperLargePrint")
        self.large_print.setAccessibleName(_("Large print"))
        if draft_id is None:
            options.addWidget(service_label)
            options.addWidget(self.service, 1)
        else:
            self.service.hide()
        options.addWidget(language_label)
        options.addWidget(self.language)
        options.addWidget(self.large_print)
        options.addStretch(1)
        layout.addLayout(options)
        if draft_id is None:
            layout.addLayout(self._given_out_row(case_id, case_label))

        self.status = QtWidgets.QLabel(_("Making the preview…"))
        self.status.setObjectName("paperStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Paper form status"))
        layout.addWidget(self.status)

        progress_row = QtWidgets.QHBoxLayout()
        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("paperProgress")
        self.bar.setAccessibleName(_("Progress of the preview"))
        self.bar.setRange(0, 0)
        self.stop_button = QtWidgets.QPushButton(_("S&top"))
        self.stop_button.setObjectName("paperStop")
        self.stop_button.setAccessibleName(_("Stop making the preview"))
        progress_row.addWidget(self.bar, 1)
        progress_row.addWidget(self.stop_button)
        layout.addLayout(progress_row)

        self.pages = QtWidgets.QWidget()
        self.pages_layout = QtWidgets.QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.preview = QtWidgets.QScrollArea()
        self.preview.setObjectName("paperPreview")
        self.preview.setAccessibleName(_("Preview of the paper form"))
        self.preview.setWidgetResizable(True)
        self.preview.setWidget(self.pages)
        self.preview.setBackgroundRole(QtGui.QPalette.ColorRole.Dark)
        layout.addWidget(self.preview, 1)

        buttons = QtWidgets.QHBoxLayout()
        self.print_button = QtWidgets.QPushButton(_("&Print…"))
        self.print_button.setObjectName("paperPrint")
        self.print_button.setAccessibleName(_("Print the form"))
        self.save_button = QtWidgets.QPushButton(_("&Save as PDF…"))
        self.save_button.setObjectName("paperSave")
        self.save_button.setAccessibleName(_("Save the form as a PDF file"))
        self.close_button = QtWidgets.QPushButton(_("&Close"))
        self.close_button.setObjectName("paperClose")
        self.close_button.setAccessibleName(_("Close"))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.post_row: PostRow | None = None  # a pre-filled form may be posted to the person
        if draft_id is not None:
            self.post_row = PostRow(ops, draft_id, self)
            layout.insertWidget(layout.count() - 1, self.post_row)
            self.previewed.connect(lambda _n: self._check_post())
        self._ready(False)

        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        self.close_button.clicked.connect(self.reject)
        self.stop_button.clicked.connect(self._stop_or_start)
        self.language.currentIndexChanged.connect(lambda _i: self.refresh())
        self.large_print.toggled.connect(lambda _on: self.refresh())
        self.service.currentIndexChanged.connect(lambda _i: self.refresh())

        if draft_id is None:
            if service_id is not None:
                self.service.addItem(title or service_id, service_id)
            self.ops.run(
                paper.paper_services(), self._services_loaded, self._failed, on_failed=self._failed
            )
        else:
            self.refresh()

    # -- given out ---------------------------------------------------------------------
    def _given_out_row(self, case_id: int | None, case_label: str) -> QtWidgets.QHBoxLayout:
        """ "Given out to" (nobody yet, or one of the worker's open cases and its
        person; the case shown when the dialog was opened) and "Expect it back by"."""
        row = QtWidgets.QHBoxLayout()
        self.given_to = QtWidgets.QComboBox()
        self.given_to.setObjectName("paperGivenTo")
        self.given_to.setAccessibleName(_("Given out to"))
        self.given_to.addItem(_("Nobody yet"), None)
        if case_id is not None:
            self.given_to.addItem(case_label or _("This case"), case_id)
            self.given_to.setCurrentIndex(1)
        given_label = QtWidgets.QLabel(_("Gi&ven out to:"))
        given_label.setBuddy(self.given_to)
        self.due_back = QtWidgets.QDateEdit()
        self.due_back.setObjectName("paperDueBack")
        self.due_back.setAccessibleName(_("Expect it back by"))
        self.due_back.setDisplayFormat("dd/MM/yyyy")
        self.due_back.setCalendarPopup(True)
        self.due_back.setMinimumDate(QtCore.QDate.currentDate().addDays(1))
        due_label = QtWidgets.QLabel(_("E&xpect it back by:"))
        due_label.setBuddy(self.due_back)
        row.addWidget(given_label)
        row.addWidget(self.given_to, 1)
        row.addWidget(due_label)
        row.addWidget(self.due_back)
        self._due_default: QtCore.QDate | None = None
        self.given_to.currentIndexChanged.connect(lambda _i: self._given_to_changed())
        self.ops.run(cases_ops.my_cases(), self._cases_loaded)
        self._given_to_changed()
        return row

    def _cases_loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        for row in rows:
            if self.given_to.findData(row.case_id) < 0:
                self.given_to.addItem(
                    _("{person}, case {reference}").format(
                        person=row.person_name, reference=row.reference
                    ),
                    row.case_id,
                )

    def given_case(self) -> int | None:
        """The case the blank copy is given out for, if any."""
        if self.draft_id is not None:
            return None
        found = self.given_to.currentData()
        return found if isinstance(found, int) else None

    def _given_to_changed(self) -> None:
        case_id = self.given_case()
        self.due_back.setEnabled(case_id is not None)
        self._due_default = None
        if case_id is None:
            return

        def shown(due: object) -> None:
            if self.given_case() == case_id and isinstance(due, date):
                self._due_default = QtCore.QDate(due.year, due.month, due.day)
                self.due_back.setDate(self._due_default)
                self.due_defaulted.emit()

        self.ops.run(paper.due_back_default(case_id), shown, self._failed, on_failed=self._failed)

    def _copy(self) -> Op[bytes]:
        """The copy to print or save, recorded (and given out) as it is made."""
        case_id = self.given_case()
        due: date | None = None  # until the default has come: the default
        if case_id is not None and self._due_default is not None:
            chosen = self.due_back.date()
            due = date(chosen.year(), chosen.month(), chosen.day())
        return paper.print_copy(
            self.draft_id,
            str(self.service.currentData()),
            str(self.language.currentData()),
            self.large_print.isChecked(),
            case_id=case_id,
            due_back_on=due,
        )

    # -- the preview -----------------------------------------------------------------
    def _services_loaded(self, choices: object) -> None:
        chosen = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        assert isinstance(choices, list)
        for service_id, title in choices:
            self.service.addItem(title, service_id)
        index = self.service.findData(chosen)
        self.service.setCurrentIndex(max(index, 0))
        self.service.blockSignals(False)
        self.refresh()

    def _ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def refresh(self) -> None:
        """Make the PDF and its preview again with the options chosen now."""
        self._generation += 1
        generation = self._generation
        language = str(self.language.currentData())
        large = self.large_print.isChecked()
        draft_id = self.draft_id
        service_id = self.service.currentData()
        if draft_id is None and not service_id:
            return
        self._stop.set()  # an older preview's worker stops at its next page
        if self.post_row is not None:
            self.post_row.reset()
        stop = self._stop = threading.Event()
        self._ready(False)
        self._working = True
        self.status.setText(_("Making the preview…"))
        self.bar.setRange(0, 0)
        self.bar.show()
        self._show_stop(True)

        def failed(error: BaseException) -> None:
            self._failed(error, generation)

        progress = self._progress
        pause = type(self).worker_pause

        def laid_out(page: int) -> None:
            if stop.is_set():
                raise _Stop
            progress.laid_out.emit(generation, page)
            pause("laid out", page)

        def first_look(pdf: bytes) -> None:
            images, _total = page_images(pdf, dpi=72, limit=1)
            progress.image.emit(generation, 0, images[0], 0)  # 0: the count is not known yet
            pause("first look", 1)

        def on_image(index: int, image: object, total: int) -> None:
            progress.image.emit(generation, index, image, total)
            pause("shown", index + 1)

        def pictures(pdf: bytes) -> tuple[bytes, int, int]:
            progress.made.emit(generation, pdf)
            images, total = page_images(
                pdf, dpi=72, limit=PREVIEW_PAGES, on_image=on_image, cancelled=stop.is_set
            )
            return pdf, len(images), total

        # The PDF and its preview images are both made in the worker, page by page.
        self.ops.run(
            paper.form_pdf(
                draft_id,
                str(service_id),
                language,
                large,
                on_page=laid_out,
                on_first_page=first_look,
            )
            .then(pictures)
            .named(_("Making the paper form")),
            lambda result: self._shown(generation, result),
            failed,
            on_failed=failed,
        )
        suffix = "-large" if large else ""
        if draft_id is not None:
            what = f"{self._title or 'form'}-D{draft_id}"
        else:
            what = f"{service_id}-blank"
        self._file_stem = f"{what}-{language}{suffix}"

    def _check_post(self) -> None:
        if self.post_row is not None:
            self.post_row.check(str(self.language.currentData()), self.large_print.isChecked())

    def _show_stop(self, working: bool) -> None:
        """The Stop button while a preview is made; after a stop, the button that
        makes it again; neither once the preview is whole."""
        if working:
            self.stop_button.setText(_("S&top"))
            self.stop_button.setAccessibleName(_("Stop making the preview"))
        else:
            self.stop_button.setText(_("&Make the preview"))
            self.stop_button.setAccessibleName(_("Make the preview again"))
        self.stop_button.setEnabled(True)
        self.stop_button.show()

    def _stop_or_start(self) -> None:
        if self._working:
            self.stop()
        else:
            self.refresh()

    def stop(self) -> None:
        """Stop making the preview at the worker's next page."""
        if self._working:
            self._stop.set()
            self.stop_button.setEnabled(False)
            self.status.setText(_("Stopping…"))

    def _laid_out(self, generation: int, page: int) -> None:
        if generation == self._generation and not self._stop.is_set():
            self.status.setText(_("Laying out page {n}…").format(n=page))

    def _made(self, generation: int, pdf: object) -> None:
        if generation != self._generation:
            return
        assert isinstance(pdf, bytes)
        self.pdf = pdf
        self._ready(True)

    def _image(self, generation: int, index: int, image: object, total: int) -> None:
        if generation != self._generation:
            return
        assert isinstance(image, QtGui.QImage)
        if index == 0:
            self._clear_pages()
        label = QtWidgets.QLabel()
        label.setPixmap(QtGui.QPixmap.fromImage(image))
        label.setFrameShape(QtWidgets.QFrame.Shape.Box)
        self.pages_layout.addWidget(label)
        if not total:  # the first page, before the rest are laid out
            label.setAccessibleName(_("Page {n}").format(n=1))
            self.first_page.emit()
            return
        label.setAccessibleName(_("Page {n} of {total}").format(n=index + 1, total=total))
        shown = min(total, PREVIEW_PAGES)
        self.bar.setRange(0, shown)
        self.bar.setValue(index + 1)
        if not self._stop.is_set():
            self.status.setText(_("Showing page {n} of {total}…").format(n=index + 1, total=total))

    def _shown(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # an older option's preview
        assert isinstance(result, tuple)
        pdf, shown, total = result
        self.pdf = pdf
        self._working = False
        self._ready(True)
        if shown < min(total, PREVIEW_PAGES):
            self.status.setText(
                _(
                    "Stopped with {n} of {total} pages shown. All of them are printed and saved."
                ).format(n=shown, total=total)
            )
            self._show_stop(False)
            self.stopped.emit()
            return
        self.bar.hide()
        self.stop_button.hide()
        if total > shown:
            message = _(
                "{total} pages. The first {n} are shown here; all of them are printed and saved."
            ).format(total=total, n=shown)
        elif total == 1:
            message = _("1 page. Check it, then print or save.")
        else:
            message = _("{n} pages. Check them, then print or save.").format(n=total)
        self.status.setText(message)
        self._ready(True)
        self.previewed.emit(total)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            old = self.pages_layout.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()

    def _failed(self, error: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        if generation is not None:
            self._working = False
            self._show_stop(False)
        if isinstance(error, _Stop):
            self._clear_pages()  # a first look at page 1 is not a preview of the form
            self.status.setText(_("Stopped. Nothing was made to print or save."))
            self.stopped.emit()
            return
        self.status.setText(str(error))
        self.failed.emit(str(error))

    def done(self, result: int) -> None:
        """Closing lets the page images go (a long form's are tens of megabytes) and
        drops any preview still being made; a print already started finishes."""
        self._generation += 1
        self._stop.set()
        self._clear_pages()
        super().done(result)

    # -- print and save -------------------------------------------------------------
    def new_printer(self) -> QtPrintSupport.QPrinter:
        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
        printer.setDocName(self._file_stem)
        return printer

    def choose_printer(self) -> None:
        printer = self.new_printer()
        dialog = QtPrintSupport.QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the paper form"))
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QtPrintSupport.QPrinter) -> None:
        """Print the form as previewed, as a copy with its own reference,
        recorded as it is made (on workers; ``printed`` when done)."""
        if self.pdf is None:
            return
        self._ready(False)
        self.status.setText(_("Printing…"))
        self._printer = printer  # kept alive until the worker is done with it

        def done(pages: object) -> None:
            self._ready(True)
            self.status.setText(_("Sent {n} pages to the printer.").format(n=pages))
            assert isinstance(pages, int)
            self.printed.emit(pages)

        def failed(error: BaseException) -> None:
            self._ready(True)
            self._failed(error)

        def made(pdf: object) -> None:
            assert isinstance(pdf, bytes)
            printing = background(lambda: print_pdf(pdf, printer)).named(_("Printing"))
            self.ops.run(printing, done, failed, on_failed=failed)

        self.ops.run(self._copy(), made, failed, on_failed=failed)

    def choose_file(self) -> None:
        start = str(Path.home() / f"{self._file_stem}.pdf")
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Save the paper form"), start, _("PDF files (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the form as previewed to ``path`` (atomically, on a worker), as
        a copy with its own reference, recorded as it is made."""
        if self.pdf is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.status.setText(_("Saving…"))

        def done(written: object) -> None:
            self.status.setText(_("Saved to {path}.").format(path=written))
            self.saved.emit(str(written))

        self.ops.run(paper.save_pdf(self._copy(), path), done, self._failed, on_failed=self._failed)
