"""Typing up a returned paper form: the form opened with empty answers and
the scan beside it in a side panel, and, once it is sent, the record that it
came from paper and from which copy.

``TypingUp.start`` starts (or reopens) the draft for the copy through
``ui.operations.returns``, asks the window to open it, and shows the scan in
a dock on the window. When the form view says it was sent, the submission is
linked to the copy (``record_typed``: ``PaperReturn.typed_submission_id`` and
a timeline line) and the panel says so; closing the form closes the panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casework.kernel.i18n import _
from ui.host import Host
from ui.labels import day
from ui.operations import returns
from ui.qt import Qt, QtCore, QtWidgets, Signal

if TYPE_CHECKING:
    from casework.paper.typed_up import CameBack
    from ui.paper.scan_panel import ScanDock


class TypingUp(QtCore.QObject):
    """The one typing-up under way in the window, with its scan panel."""

    opened = Signal(int)  # the draft opened to type into
    recorded = Signal(str)  # the copy's reference, once the sent form is linked to it
    refused = Signal(str)

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.dock: ScanDock | None = None
        self.item: CameBack | None = None
        self.draft_id: int | None = None

    def start(self, item: CameBack, case_id: int) -> None:
        """Open the form for ``item`` with the scan beside it."""

        def started(draft_id: object) -> None:
            assert isinstance(draft_id, int)
            self.host.open_form(draft_id, lambda view: self._beside(view, item, draft_id))

        def refused(error: BaseException) -> None:
            self.host.show_status(str(error))
            self.refused.emit(str(error))

        self.host.ops.run(
            returns.start_typing(item.return_id, case_id), started, refused, on_failed=refused
        )

    def _beside(self, view: Any, item: CameBack, draft_id: int) -> None:
        from ui.paper.scan_panel import ScanDock

        window = self.host.dialog_parent()
        if self.dock is None:
            self.dock = ScanDock(self.host.ops, window)
            if isinstance(window, QtWidgets.QMainWindow):
                window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
                window.resizeDocks([self.dock], [460], Qt.Orientation.Horizontal)
        self.item = item
        self.draft_id = draft_id
        dock = self.dock
        dock.panel.note.setText(
            _("Typing up paper form {reference}, which came back on {day}.").format(
                reference=item.reference, day=day(item.received_on)
            )
        )
        dock.show()
        if item.document_id is not None:
            dock.panel.load(item.document_id)
        view.submitted.connect(lambda record: self._sent(record, item))
        view.closed.connect(self.close)
        self.opened.emit(draft_id)

    def _sent(self, record: Any, item: CameBack) -> None:
        def done(reference: object) -> None:
            if isinstance(reference, str):
                if self.dock is not None and self.item is item:
                    self.dock.panel.note.setText(
                        _(
                            "Sent. The case records that it was typed up from paper form "
                            "{reference}."
                        ).format(reference=reference)
                    )
                self.recorded.emit(reference)

        def refused(error: BaseException) -> None:
            self.host.show_status(str(error))
            self.refused.emit(str(error))

        self.host.ops.run(
            returns.record_typed(record.id, record.case_id), done, refused, on_failed=refused
        )

    def close(self) -> None:
        """The form was closed: so is its scan."""
        if self.dock is not None:
            self.dock.hide()
        self.item = None
        self.draft_id = None
