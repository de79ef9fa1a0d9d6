"""Running the backend's work off the UI thread.

Like Anki's ``CollectionOp``/``QueryOp``: a call is wrapped in a small job,
run on a thread pool, and its result or error comes back to the UI thread
through a queued signal. Writes go through a one-thread pool (one writer,
many readers, as Anki's ``taskman`` does), so saves happen in the order the
worker made them. Results of a superseded job (an older search) can be
dropped by the caller with a generation number.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ui.qt import QtCore, Signal, Slot

log = logging.getLogger("alongside.ui")

Success = Callable[[Any], object]
Failure = Callable[[BaseException], None]


class _Relay(QtCore.QObject):
    """Carries a finished job back to the UI thread (it lives there)."""

    finished = Signal(int, bool, object)


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._id = job_id
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.finished.emit(self._id, False, exc)
        else:
            self._relay.finished.emit(self._id, True, result)


@dataclass
class _Pending:
    success: Success
    failure: Failure | None
    label: str


class TaskRunner(QtCore.QObject):
    """Runs callables on worker threads; calls back on the UI thread.

    ``busy_changed`` tells the window to show or hide its progress bar;
    ``failed`` carries errors that had no handler of their own.
    """

    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._reads = QtCore.QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QtCore.QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        success: Success,
        failure: Failure | None = None,
        *,
        write: bool = False,
        label: str = "",
    ) -> int:
        """Start ``fn`` on a worker; returns the job id."""
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = _Pending(success, failure, label)
        pool = self._writes if write else self._reads
        pool.start(_Job(job_id, fn, self._relay))
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def forget(self, job_id: int) -> None:
        """Drop the callbacks of a job whose answer is no longer wanted."""
        if self._pending.pop(job_id, None) is not None and not self.busy:
            self.busy_changed.emit(False)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until every job has finished (for shutdown and tests)."""
        ok = self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return ok

    @Slot(int, bool, object)
    def _finished(self, job_id: int, ok: bool, payload: object) -> None:
        pending = self._pending.pop(job_id, None)
        if not self.busy:
            self.busy_changed.emit(False)
        if pending is None:
            return
        if ok:
            pending.success(payload)
            return
        assert isinstance(payload, BaseException)
        if pending.failure is not None:
            pending.failure(payload)
        else:
            self.failed.emit(payload)
