"""Export open data: choose the period and a folder, export off the UI thread
with progress and Cancel, then send the CSV to a service owner.

A supervisor's "Send to the service owner…" asks an administrator, and
nothing is queued; an administrator's goes to the outbox at once, and the
dialog lists the requests waiting for them to approve. Neither says "sent":
the outbox says when GOV.UK Notify has it.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, current_language
from casework.kernel.records import Role
from casework.performance.open_data import OpenData
from casework.performance.open_data_send import SendRequest
from ui.backend import Backend
from ui.host import Host
from ui.operations import Operations
from ui.operations import open_data as performance
from ui.qt import QtCore, QtWidgets, Signal


class _Progress(QtCore.QObject):
    """Carries progress from the worker to the UI thread (it lives there)."""

    moved = Signal(int, int)


def _day(edit: QtWidgets.QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


class OpenDataDialog(QtWidgets.QDialog):
    """The period, the folder, Export and Cancel; then sending to a service owner."""

    exported = Signal(bool)  # True when the files were written

    def __init__(
        self, backend: Backend, ops: Operations, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ops = ops
        self._cancel = threading.Event()
        self._running = False
        self._period: tuple[date, date] | None = None
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        actor = backend.current_actor
        self.is_admin = actor is not None and actor.role is Role.ADMIN
        self.setObjectName("openDataDialog")
        self.setWindowTitle(_("Export open data"))
        self.resize(600, 460)

        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        today = QtCore.QDate.currentDate()
        self.start = QtWidgets.QDateEdit(today.addDays(-27))
        self.start.setObjectName("openDataFrom")
        self.start.setAccessibleName(_("First day of the period"))
        self.start.setCalendarPopup(True)
        self.end = QtWidgets.QDateEdit(today)
        self.end.setObjectName("openDataTo")
        self.end.setAccessibleName(_("Last day of the period"))
        self.end.setCalendarPopup(True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_("&From:"), self.start)
        form.addRow(_("&To:"), self.end)
        where = QtWidgets.QHBoxLayout()
        self.folder = QtWidgets.QLineEdit()
        self.folder.setObjectName("openDataFolder")
        self.folder.setAccessibleName(_("Folder for the open data files"))
        self.choose = QtWidgets.QPushButton(_("C&hoose…"))
        self.choose.setObjectName("openDataChooseFolder")
        self.choose.setAccessibleName(_("Choose the folder"))
        where.addWidget(self.folder, 1)
        where.addWidget(self.choose)
        folder_label = QtWidgets.QLabel(_("F&older:"))
        folder_label.setBuddy(self.folder)  # Alt+O reaches the field inside the row
        form.addRow(folder_label, where)
        layout.addLayout(form)
        note = QtWidgets.QLabel(
            _(
                "The files hold counts only, by week and service. Counts from 1 to 4 are "
                "left out and the rest are rounded to the nearest 5."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)

        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("openDataProgress")
        self.bar.setAccessibleName(_("Export progress"))
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        self.status = QtWidgets.QLabel(_("Choose the period and a folder, then Export."))
        self.status.setObjectName("openDataStatus")
        self.status.setAccessibleName(_("Export status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        send_box = QtWidgets.QGroupBox(_("Send to the service owner"))
        send_layout = QtWidgets.QFormLayout(send_box)
        self.email = QtWidgets.QLineEdit()
        self.email.setObjectName("openDataEmail")
        self.email.setAccessibleName(_("The service owner's email address"))
        send_layout.addRow(_("&Email:"), self.email)
        self.send_button = QtWidgets.QPushButton(_("&Send to the service owner…"))
        self.send_button.setObjectName("openDataSend")
        self.send_button.setAccessibleName(_("Send the open data to the service owner"))
        self.send_button.setEnabled(False)
        send_layout.addRow(self.send_button)
        self.waiting = QtWidgets.QListWidget()
        self.waiting.setObjectName("openDataWaiting")
        self.waiting.setAccessibleName(_("Requests waiting for your approval"))
        self.approve_button = QtWidgets.QPushButton(_("&Approve and send"))
        self.approve_button.setObjectName("openDataApprove")
        self.approve_button.setAccessibleName(_("Approve the chosen request and send it"))
        self.approve_button.setEnabled(False)
        if self.is_admin:
            send_layout.addRow(QtWidgets.QLabel(_("Waiting for your approval:")))
            send_layout.addRow(self.waiting)
            send_layout.addRow(self.approve_button)
        else:
            self.waiting.hide()
            self.approve_button.hide()
        layout.addWidget(send_box, 1)

        buttons = QtWidgets.QHBoxLayout()
        self.export_button = QtWidgets.QPushButton(_("E&xport"))
        self.export_button.setObjectName("openDataExport")
        self.export_button.setAccessibleName(_("Export the open data"))
        self.export_button.setDefault(True)
        self.cancel_button = QtWidgets.QPushButton(_("Ca&ncel export"))
        self.cancel_button.setObjectName("openDataCancel")
        self.cancel_button.setAccessibleName(_("Cancel the export"))
        self.cancel_button.setEnabled(False)
        self.close_button = QtWidgets.QPushButton(_("Cl&ose"))
        self.close_button.setObjectName("openDataClose")
        self.close_button.setAccessibleName(_("Close"))
        buttons.addStretch(1)
        for button in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.choose.clicked.connect(self._choose_folder)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        self.approve_button.clicked.connect(self.approve)
        self.waiting.currentRowChanged.connect(lambda row: self.approve_button.setEnabled(row >= 0))
        if self.is_admin:
            self.reload_waiting()

    # -- export ---------------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, _("Export open data into"), self.folder.text() or str(Path.home())
        )
        if folder:
            self.folder.setText(folder)

    def start_export(self) -> None:
        """Count on the write worker (an audited read), then write the three files."""
        if self._running:
            return
        text = self.folder.text().strip()
        if not text:
            self.status.setText(_("Choose a folder, then Export again."))
            self.folder.setFocus()
            return
        folder = Path(text).expanduser()
        start, end = _day(self.start), _day(self.end)
        self._cancel.clear()
        self._running = True
        self.export_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.bar.setRange(0, 0)
        self.status.setText(_("Counting…"))
        self.ops.run(
            performance.export_open_data(
                start, end, folder, current_language(), self._progress.moved.emit,
                self._cancel.is_set,
            ),
            lambda data: self._done(folder, data),
            self._refused,
            on_failed=self._refused,
        )  # fmt: skip

    def cancel(self) -> None:
        """Stop before the files are written."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping…"))

    def _moved(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _finish(self) -> None:
        self._running = False
        self.export_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, folder: Path, data: OpenData) -> None:
        self._finish()
        self._period = (data.first_week, data.last_day)
        self.status.setText(
            _("Done. The open data for the weeks from {start} to {end} is in {folder}.").format(
                start=data.first_week.isoformat(), end=data.last_day.isoformat(), folder=folder
            )
        )
        self.send_button.setEnabled(True)
        self.exported.emit(True)

    def _refused(self, error: BaseException) -> None:
        self._finish()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText(str(error) if isinstance(error, AlongsideError) else repr(error))
        self.exported.emit(False)

    # -- sending --------------------------------------------------------------------
    def send(self) -> None:
        """An administrator queues the email; anyone else asks one to approve it."""
        if self._period is None:
            return
        start, end = self._period
        address = self.email.text().strip()
        self.send_button.setEnabled(False)
        if self.is_admin:
            self.ops.run(
                performance.send_directly(start, end, address),
                lambda _item: self._said(
                    _(
                        "Waiting in the outbox to go to {email}. The outbox will say when "
                        "GOV.UK Notify has it."
                    ).format(email=address)
                ),
                self._send_refused,
            )
        else:
            self.ops.run(
                performance.request_send(start, end, address),
                lambda _n: self._said(
                    _(
                        "Asked an administrator to approve sending it to {email}. Nothing "
                        "goes until they do."
                    ).format(email=address)
                ),
                self._send_refused,
            )

    def _said(self, text: str) -> None:
        self.status.setText(text)
        self.send_button.setEnabled(self._period is not None)
        if self.is_admin:
            self.reload_waiting()

    def _send_refused(self, error: BaseException) -> None:
        self.status.setText(str(error))
        self.send_button.setEnabled(self._period is not None)

    def reload_waiting(self) -> None:
        self.ops.run(performance.pending_sends(), self._show_waiting, self._send_refused)

    def _show_waiting(self, requests: list[SendRequest]) -> None:
        self.waiting.clear()
        for request in requests:
            item = QtWidgets.QListWidgetItem(
                _("{who} asks to send the weeks from {start} to {end} to {email}").format(
                    who=request.asked_by,
                    start=request.start.isoformat(),
                    end=request.end.isoformat(),
                    email=request.email,
                )
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, request.number)
            self.waiting.addItem(item)
        self.approve_button.setEnabled(self.waiting.currentRow() >= 0)

    def approve(self) -> None:
        item = self.waiting.currentItem()
        if item is None:
            return
        number = int(item.data(QtCore.Qt.ItemDataRole.UserRole))
        self.approve_button.setEnabled(False)
        self.ops.run(
            performance.approve_send(number),
            lambda _item: self._said(
                _(
                    "Approved. It waits in the outbox; the outbox will say when "
                    "GOV.UK Notify has it."
                )
            ),
            self._send_refused,
        )

    def reject(self) -> None:
        if self._running:  # Escape while exporting cancels first
            self.cancel()
            return
        super().reject()


def open_dialog(host: Host) -> OpenDataDialog:
    """Open the dialog for the window (the "Export open data…" menu item)."""
    dialog = OpenDataDialog(host.backend, host.ops, parent=host.dialog_parent())
    dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
