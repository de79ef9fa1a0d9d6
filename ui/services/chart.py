"""A bar chart drawn with QPainter, and the same numbers as a table.

PySide6-Essentials has no QtCharts. ``BarChart`` paints one horizontal bar
per figure, each labelled with its words and its number, so a person takes
it in at a glance; ``FigureTable`` holds exactly the same rows for a screen
reader (``FigureBlock`` puts the two side by side under one heading, both
keyboard stops with accessible names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casework.kernel.i18n import _
from ui.qt import QtCore, QtGui, QtWidgets
from ui.widgets import FlatTableModel

_ROOT = QtCore.QModelIndex()
BAR_HEIGHT = 22
GAP = 8
# Colours with at least 4.5:1 contrast against white for the numbers beside them.
COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#b58840", "#505a5f")


@dataclass(frozen=True)
class Bar:
    """One figure: its words, its number, and how the number reads."""

    words: str
    value: float
    shown: str


class FigureTable(FlatTableModel):
    """The chart's figures as rows: what, and how many."""

    columns = ("what", "number")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[Bar, ...] = ()
        self.number_header = ""

    def set_bars(self, bars: Sequence[Bar], number_header: str = "") -> None:
        self.beginResetModel()
        self.bars = tuple(bars)
        self.number_header = number_header
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.bars)

    def headers(self) -> tuple[str, ...]:
        return (_("What"), self.number_header or _("Number"))

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = QtCore.Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.bars):
            return None
        bar = self.bars[index.row()]
        if role in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.AccessibleTextRole):
            return bar.words if index.column() == 0 else bar.shown
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        return None


class BarChart(QtWidgets.QWidget):
    """Horizontal bars, longest figure full width; says "Nothing yet" when empty."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[Bar, ...] = ()
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed
        )

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = tuple(bars)
        self.setAccessibleDescription(
            "; ".join(f"{b.words}: {b.shown}" for b in self.bars) or _("Nothing in this period.")
        )
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        rows = max(1, len(self.bars))
        return QtCore.QSize(420, rows * (BAR_HEIGHT + GAP) + GAP)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QtGui.QPalette.ColorRole.Base))
        metrics = painter.fontMetrics()
        text_colour = palette.color(QtGui.QPalette.ColorRole.Text)
        if not self.bars:
            painter.setPen(text_colour)
            painter.drawText(
                self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, _("Nothing in this period.")
            )
            painter.end()
            return
        label_width = min(
            max(metrics.horizontalAdvance(b.words) for b in self.bars) + 12, self.width() // 2
        )
        number_width = max(metrics.horizontalAdvance(b.shown) for b in self.bars) + 12
        room = max(10, self.width() - label_width - number_width - GAP)
        biggest = max((b.value for b in self.bars), default=0) or 1
        for row, bar in enumerate(self.bars):
            top = GAP + row * (BAR_HEIGHT + GAP)
            painter.setPen(text_colour)
            label = metrics.elidedText(
                bar.words, QtCore.Qt.TextElideMode.ElideRight, label_width - 8
            )
            painter.drawText(
                QtCore.QRect(0, top, label_width - 8, BAR_HEIGHT),
                int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            length = round(room * bar.value / biggest)
            painter.fillRect(
                QtCore.QRect(label_width, top, length, BAR_HEIGHT),
                QtGui.QColor(COLOURS[row % len(COLOURS)]),
            )
            painter.drawText(
                QtCore.QRect(label_width + length + 6, top, number_width, BAR_HEIGHT),
                int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
                bar.shown,
            )
        if self.hasFocus():
            painter.setPen(QtGui.QPen(palette.color(QtGui.QPalette.ColorRole.Highlight), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()


class FigureBlock(QtWidgets.QGroupBox):
    """One heading, its chart and its table (the same numbers)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = BarChart()
        self.model = FigureTable(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QtWidgets.QGridLayout(self)
        layout.addWidget(self.chart, 0, 0)
        layout.addWidget(self.table, 0, 1)
        layout.addWidget(self.note, 1, 0, 1, 2)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)

    def show_figures(
        self,
        title: str,
        bars: Sequence[Bar],
        note: str = "",
        *,
        number_header: str = "",
        about: str = "",
    ) -> None:
        """Show ``bars`` under ``title``; ``about`` says how they are counted
        (the group's tooltip and the table's description)."""
        self.setTitle(title)
        self.setToolTip(about)
        self.table.setAccessibleDescription(about)
        self.chart.setAccessibleName(_("{title}, as a chart").format(title=title))
        self.table.setAccessibleName(_("{title}, as a table").format(title=title))
        self.chart.set_bars(bars)
        self.model.set_bars(bars, number_header)
        rows = max(1, len(bars))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.note.setText(note)
        self.note.setVisible(bool(note))
