"""The scan of a returned paper form, page by page, beside the form it is
typed into: a side panel (a dock on the main window) with the page's image,
next and previous page and zoom, all by keyboard.

The scan is the case document the copy became when it was received (a PDF);
reading it is an audited view decision, and its pages are drawn by PDFium
(``ui.paper.pages.page_images``) on the same worker. Keys, anywhere in the
window while the panel is shown: Ctrl+Page Down and Ctrl+Page Up turn the
page, Ctrl+= and Ctrl+- zoom, Ctrl+0 fits the page to the panel's width.
"""

from __future__ import annotations

from casework.kernel.i18n import _
from ui.operations import Operations, returns
from ui.paper.pages import page_images
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal

SCAN_DPI = 110
ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)


class ScanPanel(QtWidgets.QWidget):
    """One scan's pages, one at a time, with page and zoom controls."""

    shown = Signal(int, int)  # page shown (1-based), pages in all
    failed = Signal(str)

    def __init__(self, ops: Operations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperScanPanel")
        self.ops = ops
        self.images: list[QtGui.QImage] = []
        self.page = 0
        self.zoom: float | None = None  # None: fit the panel's width
        self._generation = 0
        column = QtWidgets.QVBoxLayout(self)
        self.note = QtWidgets.QLabel("")
        self.note.setObjectName("paperScanNote")
        self.note.setAccessibleName(_("The paper form being typed up"))
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self.status = QtWidgets.QLabel(_("Opening the scan…"))
        self.status.setObjectName("paperScanStatus")
        self.status.setAccessibleName(_("Page of the scan shown"))
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        self.picture = QtWidgets.QLabel()
        self.picture.setObjectName("paperScanPage")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroller = QtWidgets.QScrollArea()
        self.scroller.setObjectName("paperScanScroll")
        self.scroller.setAccessibleName(_("Scanned page"))
        self.scroller.setWidget(self.picture)
        self.scroller.setWidgetResizable(False)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroller.setBackgroundRole(QtGui.QPalette.ColorRole.Dark)
        column.addWidget(self.scroller, 1)
        row = QtWidgets.QHBoxLayout()
        self.previous_button = self._button(
            _("Previous page"), "paperScanPrevious", _("Previous page of the scan"), "Ctrl+PgUp"
        )
        self.next_button = self._button(
            _("Next page"), "paperScanNext", _("Next page of the scan"), "Ctrl+PgDown"
        )
        self.smaller_button = self._button(
            _("Zoom out"), "paperScanZoomOut", _("Make the scan smaller"), "Ctrl+-"
        )
        self.larger_button = self._button(
            _("Zoom in"), "paperScanZoomIn", _("Make the scan larger"), "Ctrl+="
        )
        self.fit_button = self._button(
            _("Fit width"), "paperScanFit", _("Fit the scan to the panel's width"), "Ctrl+0"
        )
        for button in (
            self.previous_button,
            self.next_button,
            self.smaller_button,
            self.larger_button,
            self.fit_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.previous_button.clicked.connect(lambda: self.turn(-1))
        self.next_button.clicked.connect(lambda: self.turn(1))
        self.smaller_button.clicked.connect(lambda: self.step_zoom(-1))
        self.larger_button.clicked.connect(lambda: self.step_zoom(1))
        self.fit_button.clicked.connect(self.fit)
        # Ctrl++ as well as Ctrl+= (the same key on most keyboards).
        plus = QtGui.QShortcut(QtGui.QKeySequence("Ctrl++"), self)
        plus.setContext(Qt.ShortcutContext.WindowShortcut)
        plus.activated.connect(lambda: self.step_zoom(1))
        self._controls(False)

    def _button(self, text: str, name: str, accessible: str, keys: str) -> QtWidgets.QPushButton:
        sequence = QtGui.QKeySequence(keys)
        button = QtWidgets.QPushButton(
            f"{text} ({sequence.toString(QtGui.QKeySequence.SequenceFormat.NativeText)})"
        )
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        shortcut = QtGui.QShortcut(sequence, self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(button.click)
        return button

    def _controls(self, on: bool) -> None:
        several = on and len(self.images) > 1
        self.previous_button.setEnabled(several and self.page > 0)
        self.next_button.setEnabled(several and self.page < len(self.images) - 1)
        for button in (self.smaller_button, self.larger_button, self.fit_button):
            button.setEnabled(on)

    def load(self, document_id: int) -> None:
        """Open the scan (a case document) and show its first page."""
        self._generation += 1
        generation = self._generation
        self.images = []
        self.page = 0
        self.picture.clear()
        self._controls(False)
        self.status.setText(_("Opening the scan…"))

        def pictures(pdf: bytes) -> list[QtGui.QImage]:
            images, _total = page_images(pdf, dpi=SCAN_DPI)
            return images

        def done(images: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(images, list)
            self.images = images
            if not images:
                self.status.setText(_("The scan has no pages to show."))
                self.failed.emit(self.status.text())
                return
            self.show_page(0)

        def refused(error: BaseException) -> None:
            if generation == self._generation:
                self.status.setText(str(error))
                self.failed.emit(str(error))

        self.ops.run(returns.scan_pdf(document_id).then(pictures), done, refused, on_failed=refused)

    def show_page(self, index: int) -> None:
        if not self.images:
            return
        self.page = max(0, min(index, len(self.images) - 1))
        self._draw()
        total = len(self.images)
        self.status.setText(
            _("Page {n} of {total} of the scan").format(n=self.page + 1, total=total)
        )
        self.picture.setAccessibleName(
            _("Scanned page {n} of {total}").format(n=self.page + 1, total=total)
        )
        self._controls(True)
        self.shown.emit(self.page + 1, total)

    def _scale(self) -> float:
        if self.zoom is not None or not self.images:
            return self.zoom or 1.0
        room = max(self.scroller.viewport().width() - 8, 100)
        return float(room) / max(self.images[self.page].width(), 1)

    def _draw(self) -> None:
        image = self.images[self.page]
        scale = self._scale()
        size = QtCore.QSize(round(image.width() * scale), round(image.height() * scale))
        self.picture.setPixmap(
            QtGui.QPixmap.fromImage(image).scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.picture.resize(size)

    def turn(self, step: int) -> None:
        """The next (1) or previous (-1) page."""
        if self.images:
            self.show_page(self.page + step)
            self.scroller.verticalScrollBar().setValue(0)

    def step_zoom(self, step: int) -> None:
        """One step larger (1) or smaller (-1)."""
        if not self.images:
            return
        now = self._scale()
        if step > 0:
            larger = [z for z in ZOOMS if z > now + 0.01]
            self.zoom = larger[0] if larger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < now - 0.01]
            self.zoom = smaller[-1] if smaller else ZOOMS[0]
        self._draw()

    def fit(self) -> None:
        """Fit the page to the panel's width."""
        self.zoom = None
        if self.images:
            self._draw()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.images:
            self._draw()


class ScanDock(QtWidgets.QDockWidget):
    """The scan panel as a side panel of the main window."""

    def __init__(self, ops: Operations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(_("Scan of the paper form"), parent)
        self.setObjectName("paperScanDock")
        self.setAccessibleName(_("Scan of the paper form"))
        self.setFeatures(
            QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.panel = ScanPanel(ops, self)
        self.setWidget(self.panel)
