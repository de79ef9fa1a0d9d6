"""A short list of mandates under "My cases" with one button for the chosen
row: the mandates ending soon (Renew) and the reviews due (Review) are both
built on ``MandateRowsPanel``."""

from __future__ import annotations

from ui.qt import Qt, QtWidgets, Signal


class MandateRowsPanel(QtWidgets.QWidget):
    """A bold title over the list and its button; hidden when there are no rows.

    The button, or Enter on a row, emits ``chosen(mandate id, person id)`` for
    the current row."""

    chosen = Signal(int, int)

    def __init__(
        self,
        names: tuple[str, str, str],
        title: str,
        list_label: str,
        headers: list[str],
        button: tuple[str, str],
        height: int,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        """``names``: the object names of the panel, the list and the button;
        ``button``: its text and accessible name; ``height``: the list's most."""
        super().__init__(parent)
        panel_name, list_name, button_name = names
        self.setObjectName(panel_name)
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        self.title = QtWidgets.QLabel(title)
        self.title.setStyleSheet("font-weight: bold;")
        column.addWidget(self.title)
        self.list = QtWidgets.QTreeWidget()
        self.list.setObjectName(list_name)
        self.list.setAccessibleName(list_label)
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(headers)
        self.list.setMaximumHeight(height)
        self.title.setBuddy(self.list)
        column.addWidget(self.list)
        self.button = QtWidgets.QPushButton(button[0])
        self.button.setObjectName(button_name)
        self.button.setAccessibleName(button[1])
        column.addWidget(self.button)
        self.button.clicked.connect(self._choose)
        self.list.itemActivated.connect(lambda _item, _col: self._choose())
        self.hide()

    def fill(self, rows: list[tuple[list[str], tuple[int, int]]]) -> None:
        """Show ``(columns, (mandate id, person id))`` rows, the first chosen."""
        self.list.clear()
        for columns, ids in rows:
            item = QtWidgets.QTreeWidgetItem(columns)
            item.setData(0, Qt.ItemDataRole.UserRole, ids)
            self.list.addTopLevelItem(item)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        for number in range(self.list.columnCount()):
            self.list.resizeColumnToContents(number)
        self.setVisible(bool(rows))

    def _choose(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            mandate_id, person_id = item.data(0, Qt.ItemDataRole.UserRole)
            self.chosen.emit(int(mandate_id), int(person_id))
