"""Keys on a form page: Tab stays on the page, Enter continues, and the arrow
keys choose radios.

- Tab and Shift+Tab go round the page's own controls: the questions first,
  then Continue and Back, then Task list and Back to the case, and round
  again. Nothing else in the window is a Tab stop while a form is shown (the
  search box's Space once wiped a search), yet nothing traps: Shift+Tab goes
  back, and the window's shortcuts (Ctrl+K, Alt+Left, the menus) still work.
- Enter on a radio or check box continues, as it does in a text box; Enter on
  a button presses it.
- Up/Down and Left/Right in a group of radios choose the next or previous
  answer (Qt only moves the focus while nothing is chosen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ui.qt import Qt, QtCore, QtGui, QtWidgets

_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_NEXT = {Qt.Key.Key_Down, Qt.Key.Key_Right}
_PREVIOUS = {Qt.Key.Key_Up, Qt.Key.Key_Left}


def tab_stop(widget: QtWidgets.QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )


def _one_per_radio_group(widgets: list[QtWidgets.QWidget]) -> list[QtWidgets.QWidget]:
    """A group of radios is one Tab stop: its chosen radio, or its first."""
    kept: list[QtWidgets.QWidget] = []
    seen: set[int] = set()
    for widget in widgets:
        group = widget.group() if isinstance(widget, QtWidgets.QRadioButton) else None
        if group is None or not group.exclusive():
            kept.append(widget)
            continue
        if id(group) in seen:
            continue
        seen.add(id(group))
        members = [b for b in group.buttons() if b in widgets]
        kept.append(next((b for b in members if b.isChecked()), members[0]))
    return kept


def tab_ring(
    view: QtWidgets.QWidget, body: QtWidgets.QWidget | None, after: Sequence[QtWidgets.QWidget]
) -> list[QtWidgets.QWidget]:
    """The Tab stops of ``view`` in order: those in ``body`` (in focus-chain
    order), then ``after`` (those shown and enabled)."""
    inside: list[QtWidgets.QWidget] = []
    if body is not None:
        widget = body.nextInFocusChain()
        while widget is not body and widget is not None and len(inside) < 2000:
            if body.isAncestorOf(widget) and tab_stop(widget):
                inside.append(widget)
            widget = widget.nextInFocusChain()
    ring = _one_per_radio_group(inside)
    ring += [w for w in after if view.isAncestorOf(w) and tab_stop(w)]
    return ring


def move_in_ring(ring: list[QtWidgets.QWidget], forward: bool) -> bool:
    """Focus the stop after (or before) the focused one; False if the ring is empty."""
    if not ring:
        return False
    focused = QtWidgets.QApplication.focusWidget()
    at = next(
        (
            n
            for n, w in enumerate(ring)
            if focused is not None and (w is focused or w.isAncestorOf(focused))
        ),
        None,
    )
    if at is None:
        target = ring[0] if forward else ring[-1]
    else:
        target = ring[(at + (1 if forward else -1)) % len(ring)]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    return True


def enter_pressed(event: QtGui.QKeyEvent, go_on: Callable[[], None]) -> bool:
    """Enter on a focused radio or check box continues; on a button, presses it."""
    if event.key() not in _ENTER:
        return False
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    focused = QtWidgets.QApplication.focusWidget()
    if not isinstance(focused, QtWidgets.QAbstractButton):
        return False
    if focused.isCheckable():
        go_on()
    else:
        focused.click()
    return True


class RadioArrows(QtCore.QObject):
    """Installed on each radio of one question: the arrows choose, not just move."""

    def __init__(self, buttons: Sequence[QtWidgets.QAbstractButton], parent: QtCore.QObject):
        super().__init__(parent)
        self._buttons = list(buttons)
        for button in self._buttons:
            button.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() != QtCore.QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QtGui.QKeyEvent)
        key = event.key()
        if key not in _NEXT | _PREVIOUS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        shown = [b for b in self._buttons if b.isVisible() and b.isEnabled()]
        if watched not in shown:
            return False
        step = 1 if key in _NEXT else -1
        target = shown[(shown.index(watched) + step) % len(shown)]
        target.setChecked(True)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
