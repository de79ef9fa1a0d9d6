"""A label that wraps and is always as tall as its wrapped text.

A wrapped ``QLabel`` asks for the height its text needs at its preferred
width; inside a form layout, a scroll area or a stacked page it is then given
a narrower width and keeps the shorter height, and its last line is cut off
(the grant dialog's hints, a field's error under a long message, in Welsh
most of all). This one asks again whenever its width changes.
"""

from __future__ import annotations

from ui.qt import QtGui, QtWidgets


class WrappedLabel(QtWidgets.QLabel):
    """A word-wrapped label whose minimum height follows its width."""

    def __init__(self, text: str = "", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def _fit(self) -> None:
        if self.width() > 0:
            self.setMinimumHeight(max(self.heightForWidth(self.width()), 0))

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
