"""Paper returned…: scans of forms that came back, received onto their cases.

The worker adds files (PDF, PNG, JPEG or TIFF; several; or drops them on the
dialog) and presses Receive. The scans are read and matched on the read pool
with a progress bar and Cancel, then every copy is received in one write
transaction (``casework.paper.returns.batch``): Cancel, or an error, leaves
nothing attached. The result is one plain line per copy received and per
problem, in the words the CLI prints.

A blank copy nobody is linked to is not received at once: the dialog offers
to put it on a case, by searching for the person and choosing one of their
cases, and receives it onto that case; or to register a new person (the
window's own person dialog), open a case for the form's service, receive it
onto that, and have the window open the form to type it up (the usual form,
which offers what the record already knows: ask once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.backend import Backend
from ui.operations import Operations, cases, people, returns
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal

if TYPE_CHECKING:
    from casework.paper.returns.match import MatchedCopy, Matching

SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


class _Progress(QtCore.QObject):
    """Carries progress from the worker to the UI thread (it lives there)."""

    moved = Signal(int, int)


def _no_pause(done: int, total: int) -> None:
    """What the worker does as it moves to the next file (a test holds it here)."""


class ReceiveDialog(QtWidgets.QDialog):
    """Choose or drop scans, receive them, and see one line for each copy and problem."""

    # Called on the worker as each file is about to be read (files done, in all).
    worker_pause: Callable[[int, int], None] = staticmethod(_no_pause)

    finished_receiving = Signal(int, bool)  # copies received, cancelled
    received_onto_case = Signal(str)  # a blank copy, received onto the case chosen
    received_for_new_person = Signal(int)  # a blank copy, onto a new person's new case

    def __init__(
        self,
        backend: Backend,
        ops: Operations,
        *,
        case_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ops = ops
        self.case_id = case_id
        self._cancel = threading.Event()
        self._running = False
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.pending: list[MatchedCopy] = []  # blank copies waiting for a case
        self.person_dialog: QtWidgets.QDialog | None = None  # registering someone new
        self.setObjectName("paperReceiveDialog")
        self.setWindowTitle(_("Paper returned"))
        self.setAcceptDrops(True)
        self.resize(640, 560)

        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(
            _(
                "Scans or photos of paper forms that came back: PDF, PNG, JPEG or TIFF, "
                "pages in any order. Add the files, or drop them here."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        files_label = QtWidgets.QLabel(_("&Files:"))
        self.files = QtWidgets.QListWidget()
        self.files.setObjectName("receiveFiles")
        self.files.setAccessibleName(_("Files to receive"))
        files_label.setBuddy(self.files)
        layout.addWidget(files_label)
        layout.addWidget(self.files, 1)
        row = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton(_("&Add files…"))
        self.add_button.setObjectName("receiveAddFiles")
        self.add_button.setAccessibleName(_("Add scans to receive"))
        self.remove_button = QtWidgets.QPushButton(_("Re&move file"))
        self.remove_button.setObjectName("receiveRemoveFile")
        self.remove_button.setAccessibleName(_("Remove the chosen file"))
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("receiveProgress")
        self.bar.setAccessibleName(_("Progress of receiving"))
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        self.status = QtWidgets.QLabel(_("Add the scans, then Receive."))
        self.status.setObjectName("receiveStatus")
        self.status.setAccessibleName(_("Receiving status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.results = QtWidgets.QListWidget()
        self.results.setObjectName("receiveResults")
        self.results.setAccessibleName(_("What was received, and any problems"))
        self.results.setWordWrap(True)
        layout.addWidget(self.results, 1)

        self.place = self._place_box()
        layout.addWidget(self.place)

        buttons = QtWidgets.QHBoxLayout()
        self.receive_button = QtWidgets.QPushButton(_("Rec&eive"))
        self.receive_button.setObjectName("receiveStart")
        self.receive_button.setAccessibleName(_("Receive the scans"))
        self.receive_button.setDefault(True)
        self.cancel_button = QtWidgets.QPushButton(_("Ca&ncel"))
        self.cancel_button.setObjectName("receiveCancel")
        self.cancel_button.setAccessibleName(_("Cancel receiving: nothing is attached"))
        self.cancel_button.setEnabled(False)
        self.close_button = QtWidgets.QPushButton(_("Cl&ose"))
        self.close_button.setObjectName("receiveClose")
        self.close_button.setAccessibleName(_("Close"))
        buttons.addStretch(1)
        for button in (self.receive_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self._remove_file)
        self.receive_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

    # -- putting a blank copy on a case ----------------------------------------------
    def _place_box(self) -> QtWidgets.QGroupBox:
        box = QtWidgets.QGroupBox(_("Put a blank form on a case"))
        box.setObjectName("receivePlace")
        grid = QtWidgets.QGridLayout(box)
        self.place_note = QtWidgets.QLabel("")
        self.place_note.setObjectName("receivePlaceNote")
        self.place_note.setWordWrap(True)
        grid.addWidget(self.place_note, 0, 0, 1, 3)
        search_label = QtWidgets.QLabel(_("Search for the &person:"))
        self.person_search = QtWidgets.QLineEdit()
        self.person_search.setObjectName("receivePersonSearch")
        self.person_search.setAccessibleName(_("Search for the person the form belongs to"))
        search_label.setBuddy(self.person_search)
        self.find_button = QtWidgets.QPushButton(_("F&ind"))
        self.find_button.setObjectName("receiveFindPerson")
        self.find_button.setAccessibleName(_("Find the person"))
        grid.addWidget(search_label, 1, 0)
        grid.addWidget(self.person_search, 1, 1)
        grid.addWidget(self.find_button, 1, 2)
        case_label = QtWidgets.QLabel(_("Their ca&se:"))
        self.case_choice = QtWidgets.QComboBox()
        self.case_choice.setObjectName("receiveCaseChoice")
        self.case_choice.setAccessibleName(_("The case to put the form on"))
        case_label.setBuddy(self.case_choice)
        grid.addWidget(case_label, 2, 0)
        grid.addWidget(self.case_choice, 2, 1, 1, 2)
        row = QtWidgets.QHBoxLayout()
        self.place_button = QtWidgets.QPushButton(_("Receive onto &this case"))
        self.place_button.setObjectName("receiveOntoCase")
        self.place_button.setAccessibleName(_("Receive the blank form onto the case chosen"))
        self.place_button.setEnabled(False)
        self.new_person_button = QtWidgets.QPushButton(_("Register a ne&w person…"))
        self.new_person_button.setObjectName("receiveNewPerson")
        self.new_person_button.setAccessibleName(
            _("Register the person the form belongs to and receive it onto a new case for them")
        )
        row.addWidget(self.place_button)
        row.addWidget(self.new_person_button)
        row.addStretch(1)
        grid.addLayout(row, 3, 0, 1, 3)
        self.find_button.clicked.connect(self.find_person)
        self.place_button.clicked.connect(self.receive_onto_case)
        self.new_person_button.clicked.connect(self._new_person)
        box.hide()
        return box

    def _show_place(self) -> None:
        """The box for the first blank copy waiting for a case; while it shows,
        Enter finds the person (it does not receive the scans again)."""
        if not self.pending:
            self.place.hide()
            self.receive_button.setDefault(True)
            return
        self.find_button.setDefault(True)
        copy = self.pending[0]
        self.place_note.setText(
            _(
                "{reference} is a blank form not linked to anyone yet. Find the person it "
                "belongs to and choose their case, or register them as someone new."
            ).format(reference=copy.reference)
        )
        self.place.show()

    def find_person(self) -> None:
        """Search for the person; their open cases fill the case choice."""
        text = self.person_search.text().strip()
        if not text:
            self.person_search.setFocus()
            return
        self.case_choice.clear()
        self.place_button.setEnabled(False)

        def found(results: object) -> None:
            hits = getattr(results, "hits", ())
            person_ids = list(dict.fromkeys(hit.person_id for hit in hits))[:5]
            if not person_ids:
                self.status.setText(_("Nobody was found for {text}.").format(text=text))
                return
            for person_id in person_ids:
                self.ops.run(people.person_detail(person_id), self._person_loaded)

        self.ops.run(people.search(text), found, self._refused, on_failed=self._refused)

    def _person_loaded(self, person: object) -> None:
        name = f"{getattr(person, 'given_name', '')} {getattr(person, 'family_name', '')}".strip()
        for case in getattr(person, "cases", ()):
            reference = getattr(case, "reference", None)
            if reference and self.case_choice.findData(reference) < 0:
                title = getattr(case, "title", "")
                self.case_choice.addItem(
                    _("{person}, case {reference}: {title}").format(
                        person=name, reference=reference, title=title
                    ),
                    reference,
                )
        self.place_button.setEnabled(self.case_choice.count() > 0 and not self._running)

    def receive_onto_case(self) -> None:
        """Receive the first blank copy waiting onto the case chosen."""
        reference = self.case_choice.currentData()
        if not self.pending or not isinstance(reference, str) or self._running:
            return
        copy = self.pending[0]
        self._begin(_("Receiving onto case {case}…").format(case=reference))

        def done(outcomes: object) -> None:
            assert isinstance(outcomes, list)
            self._finish()
            self.pending.pop(0)
            for outcome in outcomes:
                self._add_line(outcome.line, problem=outcome.refused)
            self.status.setText(_("Done."))
            self._show_place()
            self.received_onto_case.emit(reference)

        self.ops.run(
            returns.receive_copies([copy], self._cancel.is_set, {copy.reference: reference}),
            done,
            self._refused,
            on_failed=self._refused,
        )

    def _new_person(self) -> None:
        """Register the person the first blank copy belongs to, open a case for
        its service, receive it onto that case, and ask the window to open the
        form to type it up (``received_for_new_person``)."""
        from ui.people.dialog import PersonDialog

        if not self.pending or self._running:
            return
        copy = self.pending[0]
        dialog = PersonDialog(None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.person_dialog = dialog

        def save(data: object) -> None:
            def refused(exc: BaseException) -> None:
                fields = getattr(exc, "fields", {}) or {}
                dialog.refused(fields, "" if fields else str(exc))

            def saved(person_id: object) -> None:
                dialog.accept()
                assert isinstance(person_id, int)
                self._open_case_for(person_id, copy)

            self.ops.run(people.save_person(None, data), saved, refused)  # type: ignore[arg-type]

        dialog.save_requested.connect(save)
        dialog.open()

    def _open_case_for(self, person_id: int, copy: MatchedCopy) -> None:
        self._begin(_("Opening a case for them…"))

        def titled(choices: object) -> None:
            titles = dict(choices) if isinstance(choices, list) else {}
            title = str(titles.get(copy.service_id) or _("Paper form that came back"))
            self.ops.run(
                cases.open_case(person_id, copy.service_id, title),
                opened,
                self._refused,
                on_failed=self._refused,
            )

        def opened(case_id: object) -> None:
            assert isinstance(case_id, int)
            self.ops.run(
                cases.case_detail(case_id),
                lambda detail: receive(case_id, str(getattr(detail, "reference", ""))),
                self._refused,
                on_failed=self._refused,
            )

        def receive(case_id: int, reference: str) -> None:
            def done(outcomes: object) -> None:
                assert isinstance(outcomes, list)
                self._finish()
                self.pending.remove(copy)
                for outcome in outcomes:
                    self._add_line(outcome.line, problem=outcome.refused)
                self.status.setText(_("Done."))
                self._show_place()
                if any(outcome.received is not None for outcome in outcomes):
                    self.received_for_new_person.emit(case_id)

            self.ops.run(
                returns.receive_copies([copy], self._cancel.is_set, {copy.reference: reference}),
                done,
                self._refused,
                on_failed=self._refused,
            )

        self.ops.run(cases.service_choices(), titled, self._refused, on_failed=self._refused)

    # -- files -----------------------------------------------------------------------
    def add_files(self, paths: list[Path]) -> None:
        """Add scans to the list (not twice). A file that is not a scan is
        refused, in a line of its own, when the scans are received."""
        have = {
            self.files.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.files.count())
        }
        for path in paths:
            if str(path) in have:
                continue
            item = QtWidgets.QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
            have.add(str(path))
        if self.files.count():
            self.files.setCurrentRow(self.files.count() - 1)
            self.status.setText(
                _("{n} files to receive. Press Receive.").format(n=self.files.count())
            )

    def paths(self) -> list[Path]:
        return [
            Path(str(self.files.item(i).data(Qt.ItemDataRole.UserRole)))
            for i in range(self.files.count())
        ]

    def _choose_files(self) -> None:
        names, _filter = QtWidgets.QFileDialog.getOpenFileNames(
            self,
            _("Scans of paper forms that came back"),
            str(Path.home()),
            _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"),
        )
        self.add_files([Path(name) for name in names])

    def _remove_file(self) -> None:
        row = self.files.currentRow()
        if row >= 0 and not self._running:
            self.files.takeItem(row)

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and not self._running:
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        self.add_files(paths)
        event.acceptProposedAction()

    # -- receiving -------------------------------------------------------------------
    def _begin(self, text: str) -> None:
        self._cancel.clear()
        self._running = True
        for button in (self.receive_button, self.close_button, self.add_button, self.place_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.bar.setRange(0, 0)
        self.status.setText(text)

    def _finish(self) -> None:
        self._running = False
        self.receive_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.add_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.place_button.setEnabled(self.case_choice.count() > 0)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)

    def start(self) -> None:
        """Read the scans, match their pages, and receive each copy."""
        if self._running:
            return
        paths = self.paths()
        if not paths:
            self.status.setText(_("Add the scans first: Add files…, or drop them here."))
            self.add_button.setFocus()
            return
        self.results.clear()
        self.pending = []
        self._show_place()
        self._begin(_("Reading the scans…"))
        moved, pause = self._progress.moved, type(self).worker_pause

        def progress(done: int, total: int) -> None:
            moved.emit(done, total)
            pause(done, total)

        self.ops.run(
            returns.read_scans(paths, progress, self._cancel.is_set),
            self._read,
            self._refused,
            on_failed=self._refused,
        )

    def _moved(self, done: int, total: int) -> None:
        if not self._running:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not self._cancel.is_set():
            self.status.setText(
                _("Reading scan {n} of {total}…").format(n=min(done + 1, total), total=total)
            )

    def _read(self, result: object) -> None:
        assert isinstance(result, tuple)
        problems: list[str] = result[0]
        matching: Matching | None = result[1]
        for problem in problems:
            self._add_line(problem, problem=True)
        if matching is None or self._cancel.is_set():
            self._done([], cancelled=self._cancel.is_set())
            return
        for problem in matching.problems:
            self._add_line(problem, problem=True)
        for note in matching.notes:
            self._add_line(note)
        if not matching.copies:
            self._done([])
            return
        self.bar.setRange(0, 0)
        self.status.setText(_("Receiving the paper forms…"))
        self.ops.run(
            returns.receive_copies(matching.copies, self._cancel.is_set),
            self._done,
            self._refused,
            on_failed=self._refused,
        )

    def _done(self, outcomes: object, cancelled: bool = False) -> None:
        assert isinstance(outcomes, list)
        self._finish()
        received = 0
        for outcome in outcomes:
            self._add_line(outcome.line, problem=outcome.refused)
            if outcome.needs_case is not None:
                self.pending.append(outcome.needs_case)
            if outcome.received is not None:
                received += 1
        if cancelled:
            self.status.setText(_("Cancelled. Nothing was attached."))
        elif received == 0 and not self.pending:
            self.status.setText(_("Nothing was received."))
        else:
            self.status.setText(_("Done."))
        self._show_place()
        if self.pending:
            self.person_search.setFocus()
        self.finished_receiving.emit(received, cancelled)

    def _add_line(self, text: str, problem: bool = False) -> None:
        item = QtWidgets.QListWidgetItem(text)
        if problem:
            item.setForeground(QtGui.QBrush(QtGui.QColor("#d4351c")))
        self.results.addItem(item)

    def _refused(self, error: BaseException) -> None:
        from casework.paper.returns.batch import Cancelled

        cancelled = isinstance(error, Cancelled)
        self._finish()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText(
            _("Cancelled. Nothing was attached.")
            if cancelled
            else _("{problem} Nothing was attached.").format(problem=str(error).rstrip())
        )
        self.finished_receiving.emit(0, True)

    def cancel(self) -> None:
        """Stop: nothing of this batch is attached."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping…"))

    def reject(self) -> None:
        if self._running:  # Escape while receiving cancels, and waits for the answer
            self.cancel()
            return
        super().reject()
