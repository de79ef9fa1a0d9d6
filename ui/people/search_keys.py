"""The search box's keys: Down moves into the list shown under it, and Enter
opens the highlighted result (searching first when the text has changed).

The window owns the box, the lists and what "open" means; this filter only
turns keys into calls, so the box behaves as the README's keyboard table says.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import Qt, QtCore, QtGui, QtWidgets

_DOWN = {Qt.Key.Key_Down, Qt.Key.Key_PageDown}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class SearchKeys(QtCore.QObject):
    """Installed on the search box.

    ``shown_list()`` is the list under the box now (people or results);
    ``enter()`` is what Enter in the box does.
    """

    def __init__(
        self,
        box: QtWidgets.QLineEdit,
        shown_list: Callable[[], QtWidgets.QAbstractItemView],
        enter: Callable[[], None],
    ) -> None:
        super().__init__(box)
        self._shown_list = shown_list
        self._enter = enter
        box.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() != QtCore.QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QtGui.QKeyEvent)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key in _DOWN:
            view = self._shown_list()
            model = view.model()
            if model is None or model.rowCount() == 0:
                return False
            if not view.currentIndex().isValid():
                view.setCurrentIndex(model.index(0, 0))
            view.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if key in _ENTER:
            self._enter()
            return True
        return False
