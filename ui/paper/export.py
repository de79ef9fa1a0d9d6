"""Bulk paper export: every blank form, or every form in progress in the
worker's caseload, in English and/or Welsh, normal or large print, into a
folder.

The work runs on a worker with a progress bar and Cancel. Each file is
written whole or not at all, and Cancel stops between files, so a cancelled
export leaves only complete forms. The summary says how many were written
and where, and names any form the worker may not print.
"""

from __future__ import annotations

import threading
from pathlib import Path

from casework.kernel.i18n import _
from ui.backend import Backend
from ui.operations import Operations, paper
from ui.qt import QtCore, QtWidgets, Signal


class _Progress(QtCore.QObject):
    """Carries progress from the worker to the UI thread (it lives there)."""

    moved = Signal(int, int)


class PaperExportDialog(QtWidgets.QDialog):
    """Choose what to export and where; watch it go; cancel at any time."""

    finished_export = Signal(int, bool)  # files written, cancelled

    def __init__(
        self, backend: Backend, ops: Operations, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ops = ops
        self._cancel = threading.Event()
        self._running = False
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.setObjectName("paperExportDialog")
        self.setWindowTitle(_("Export paper forms"))
        self.resize(560, 380)

        layout = QtWidgets.QVBoxLayout(self)
        what = QtWidgets.QGroupBox(_("What to export"))
        what_layout = QtWidgets.QVBoxLayout(what)
        self.blank = QtWidgets.QRadioButton(_("Every &blank form"))
        self.blank.setObjectName("exportBlank")
        self.blank.setAccessibleName(_("Every blank form"))
        self.blank.setChecked(True)
        self.drafts = QtWidgets.QRadioButton(_("Every form in progress in my &caseload"))
        self.drafts.setObjectName("exportDrafts")
        self.drafts.setAccessibleName(_("Every form in progress in my caseload"))
        what_layout.addWidget(self.blank)
        what_layout.addWidget(self.drafts)
        layout.addWidget(what)

        options = QtWidgets.QHBoxLayout()
        self.english = QtWidgets.QCheckBox("&English")
        self.english.setObjectName("exportEnglish")
        self.english.setAccessibleName("English")
        self.english.setChecked(True)
        self.welsh = QtWidgets.QCheckBox("C&ymraeg")
        self.welsh.setObjectName("exportWelsh")
        self.welsh.setAccessibleName("Cymraeg")
        self.large_print = QtWidgets.QCheckBox(_("&Large print"))
        self.large_print.setObjectName("exportLargePrint")
        self.large_print.setAccessibleName(_("Large print"))
        for box in (self.english, self.welsh, self.large_print):
            options.addWidget(box)
        options.addStretch(1)
        layout.addLayout(options)

        where = QtWidgets.QHBoxLayout()
        folder_label = QtWidgets.QLabel(_("&Folder:"))
        self.folder = QtWidgets.QLineEdit()
        self.folder.setObjectName("exportFolder")
        self.folder.setAccessibleName(_("Folder to export into"))
        folder_label.setBuddy(self.folder)
        self.choose = QtWidgets.QPushButton(_("C&hoose…"))
        self.choose.setObjectName("exportChooseFolder")
        self.choose.setAccessibleName(_("Choose the folder"))
        where.addWidget(folder_label)
        where.addWidget(self.folder, 1)
        where.addWidget(self.choose)
        layout.addLayout(where)

        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("exportProgress")
        self.bar.setAccessibleName(_("Export progress"))
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        self.status = QtWidgets.QLabel(_("Choose what to export and a folder, then Export."))
        self.status.setObjectName("exportStatus")
        self.status.setAccessibleName(_("Export status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status, 1)

        buttons = QtWidgets.QHBoxLayout()
        self.export_button = QtWidgets.QPushButton(_("E&xport"))
        self.export_button.setObjectName("exportStart")
        self.export_button.setAccessibleName(_("Export the forms"))
        self.export_button.setDefault(True)
        self.cancel_button = QtWidgets.QPushButton(_("Ca&ncel export"))
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.setAccessibleName(_("Cancel the export"))
        self.cancel_button.setEnabled(False)
        self.close_button = QtWidgets.QPushButton(_("Cl&ose"))
        self.close_button.setObjectName("exportClose")
        self.close_button.setAccessibleName(_("Close"))
        buttons.addStretch(1)
        for button in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.choose.clicked.connect(self._choose_folder)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

    def _choose_folder(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, _("Export paper forms into"), self.folder.text() or str(Path.home())
        )
        if folder:
            self.folder.setText(folder)

    def _languages(self) -> tuple[str, ...]:
        return tuple(
            code for code, box in (("en", self.english), ("cy", self.welsh)) if box.isChecked()
        )

    def start(self) -> None:
        """Work out the files, then write them one by one on a worker."""
        if self._running:
            return
        languages = self._languages()
        if not languages:
            self.status.setText(_("Choose English, Cymraeg or both."))
            return
        text = self.folder.text().strip()
        folder = Path(text) if text else None
        if folder is None or not folder.is_dir():
            self.status.setText(_("Choose a folder that exists, then Export again."))
            self.folder.setFocus()
            return
        what = "blank" if self.blank.isChecked() else "drafts"
        large = self.large_print.isChecked()
        self._cancel.clear()
        self._running = True
        self.export_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.bar.setRange(0, 0)
        self.status.setText(_("Working out what to export…"))
        # On the read pool: the write worker stays free for autosaves meanwhile.
        self.ops.run(
            paper.export_batch(
                what, languages, large, folder, self._progress.moved.emit, self._cancel.is_set
            ),
            lambda result: self._done(folder, result),
            self._failed,
            on_failed=self._failed,
        )

    def cancel(self) -> None:
        """Stop after the file being made now (which is not written)."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping…"))

    def _moved(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if total and self._running and not self._cancel.is_set():
            self.status.setText(_("Exported {done} of {total}…").format(done=done, total=total))

    def _finish(self) -> None:
        self._running = False
        self.export_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, folder: Path, result: object) -> None:
        assert isinstance(result, tuple)
        written, problems, total = result
        self._finish()
        cancelled = self._cancel.is_set() and len(written) + len(problems) < total
        if cancelled:
            lines = [
                _("Cancelled. {n} of {total} forms were written to {folder}.").format(
                    n=len(written), total=total, folder=folder
                )
            ]
        else:
            lines = [
                _("Done. {n} forms were written to {folder}.").format(n=len(written), folder=folder)
            ]
        if problems:
            lines.append(_("Not printed (you may not print these):"))
            lines.extend(problems)
        self.status.setText("\n".join(lines))
        self.finished_export.emit(len(written), cancelled)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.bar.setRange(0, 1)
        self.status.setText(str(error))
        self.finished_export.emit(0, True)

    def reject(self) -> None:
        if self._running:  # Escape while exporting cancels, and waits for the summary
            self.cancel()
            return
        super().reject()
