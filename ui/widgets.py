"""Small building blocks the screens share: headings, a centred panel, a
dialog's button row and the flat table model the lists are built on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.kernel.i18n import _
from ui.error_form import ERROR_STYLE
from ui.qt import QtCore, QtWidgets

if TYPE_CHECKING:
    from ui.qt import Qt

_ROOT = QtCore.QModelIndex()
# Qt.ItemDataRole.DisplayRole's value, written out: this module is on the
# sign-in window's path, which paints before the ``Qt`` namespace is touched.
_DISPLAY_ROLE = 0


def message_label(name: str) -> QtWidgets.QLabel:
    """A hidden, red, wrapping line for a refusal shown beside the action."""
    label = QtWidgets.QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def read_only_text(height: int) -> QtWidgets.QPlainTextEdit:
    """A fixed-height box of text to read, not edit, that Tab moves on from."""
    box = QtWidgets.QPlainTextEdit()
    box.setReadOnly(True)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def heading(text: str, name: str, scale: float = 1.5) -> QtWidgets.QLabel:
    """A bold, larger label that wraps (a page or section title)."""
    label = QtWidgets.QLabel(text)
    label.setObjectName(name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def centred_panel(outer: QtWidgets.QVBoxLayout, width: int = 420) -> QtWidgets.QVBoxLayout:
    """Add a narrow column centred in ``outer``; returns the column's layout."""
    box = QtWidgets.QWidget()
    box.setMaximumWidth(width)
    column = QtWidgets.QVBoxLayout(box)
    row = QtWidgets.QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return column


def dialog_buttons(
    dialog: QtWidgets.QDialog, text: str, name: str, on_accept: Callable[[], None]
) -> tuple[QtWidgets.QDialogButtonBox, QtWidgets.QPushButton]:
    """The main button (default, runs ``on_accept``) and Cancel (closes)."""
    buttons = QtWidgets.QDialogButtonBox()
    main = buttons.addButton(text, QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    main.setAccessibleName(name)
    main.setDefault(True)
    cancel = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(_("Cancel"))
    main.clicked.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, main


def pdf_chooser(
    parent: QtWidgets.QWidget | None, title: str, file_name: str, name: str
) -> QtWidgets.QFileDialog:
    """A Save dialog for a PDF, offering ``file_name`` in the home folder and
    deleting itself when closed; the caller connects ``fileSelected`` and opens it."""
    chooser = QtWidgets.QFileDialog(parent, title)
    chooser.setObjectName(name)
    chooser.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    chooser.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
    chooser.setNameFilter(_("PDF files (*.pdf)"))
    chooser.setDefaultSuffix("pdf")
    chooser.selectFile(str(Path.home() / file_name))
    chooser.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    return chooser


class FlatTableModel(QtCore.QAbstractTableModel):
    """A table with no child rows: ``row_total()`` rows of ``columns``, headed
    by ``headers()`` (translated when asked, so they follow a language switch)."""

    columns: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def row_header(self, section: int) -> Any:
        """What the vertical header shows for a row (nothing, unless overridden)."""
        return None

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY_ROLE
    ) -> Any:
        if role != QtCore.Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal:
            return self.headers()[section] if 0 <= section < len(self.columns) else None
        return self.row_header(section)


def fit_columns(
    view: QtWidgets.QTableView | QtWidgets.QTreeView,
    widths: tuple[int, ...] = (),
    *,
    claim_width: bool = False,
) -> None:
    """Each column at least its usual width (``widths``, else its present one)
    and never narrower than its header's title (Welsh titles are longer). With
    ``claim_width`` the view asks for room for them all, so a stretched last
    column is not squeezed under its title either; without, it scrolls."""
    header = view.horizontalHeader() if isinstance(view, QtWidgets.QTableView) else view.header()
    count = header.count()
    total = 0
    for number in range(count):
        wanted = widths[number] if number < len(widths) else header.sectionSize(number)
        fitted = max(wanted, header.sectionSizeHint(number))
        if number < count - 1 or not header.stretchLastSection():
            view.setColumnWidth(number, fitted)
        total += fitted
    if claim_width:
        scrollbar = view.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent)
        view.setMinimumWidth(total + scrollbar + 2 * view.frameWidth())


def fit_to_screen(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """Size ``window`` to ``width`` × ``height``, or less on a screen too small
    for it (leaving room for the title bar and the panel)."""
    screen = window.screen() or QtWidgets.QApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 20), min(height, room.height() - 60)
    window.resize(width, height)
