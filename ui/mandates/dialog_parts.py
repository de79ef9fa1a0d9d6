"""What the mandate dialogs share: a titled dialog with a line of
introduction, and a main button that sends what the form read to the window
(which answers with a refusal shown beside the fields, or closes it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ui.error_form import ErrorForm
from ui.qt import QtWidgets
from ui.widgets import heading

Request = TypeVar("Request")


def titled(
    dialog: QtWidgets.QDialog, title: str, names: tuple[str, str], intro: str
) -> QtWidgets.QVBoxLayout:
    """Name the dialog and give it ``title`` as a heading over a wrapping
    ``intro``; ``names`` are the object names of the dialog and the heading.
    Returns the dialog's layout for the rest."""
    dialog.setObjectName(names[0])
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    layout = QtWidgets.QVBoxLayout(dialog)
    layout.addWidget(heading(title, names[1], 1.3))
    label = QtWidgets.QLabel(intro)
    label.setWordWrap(True)
    layout.addWidget(label)
    return layout


def send(
    form: ErrorForm,
    button: QtWidgets.QPushButton,
    collect: Callable[[], Request],
    emit: Callable[[Request], object],
) -> None:
    """Emit what ``collect`` read, with ``button`` disabled until the window
    answers; when it raises ``ValueError({field: message})``, show that instead."""
    try:
        request = collect()
    except ValueError as exc:
        form.show_errors(exc.args[0])
        return
    form.clear_errors()
    button.setEnabled(False)
    emit(request)


def refuse(
    form: ErrorForm, button: QtWidgets.QPushButton, fields: dict[str, str], general: str = ""
) -> None:
    """The window said no: show why, and let the worker try again."""
    button.setEnabled(True)
    form.show_errors(fields, general)
