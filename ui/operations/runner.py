"""The one runner of operations for the whole app.

Like Anki's ``taskman``: a read pool for queries, ONE write worker (a
one-thread pool, so writes happen one at a time and in the order the worker
made them) and one long-work thread for network work that must not hold up
a save (a sync run). Answers come back to the UI thread through a queued
signal. After a successful operation that changed something the runner
emits ``changes_applied`` once with its ``Changes``; each view decides
whether that is something it shows.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6

from casework.kernel.errors import AlongsideError
from ui.backend import Backend
from ui.operations.op import Op, Work
from ui.qt import QtCore, Signal, Slot

log = logging.getLogger("alongside.ui")

T = TypeVar("T")
Refused = Callable[[AlongsideError], object]
Failed = Callable[[BaseException], object]


_here = threading.local()


def on_write_worker() -> bool:
    """Whether this thread is running a job of the one write worker now."""
    return bool(getattr(_here, "writing", False))


class _Relay(QtCore.QObject):
    """Carries a finished job back to the UI thread (it lives there)."""

    finished = Signal(int, bool, object)


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay, *, writing: bool) -> None:
        super().__init__()
        self._id = job_id
        self._fn = fn
        self._relay = relay
        self._writing = writing
        self.setAutoDelete(True)

    def run(self) -> None:
        _here.writing = self._writing
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.finished.emit(self._id, False, exc)
        else:
            self._relay.finished.emit(self._id, True, result)
        finally:
            _here.writing = False


def _owners(handler: Callable[..., object]) -> Iterator[object]:
    """What ``handler`` answers to: the object of a method, and what a closure
    captured (the panel a ``loaded(rows)`` defined inside a method writes to)."""
    yield getattr(handler, "__self__", None)
    for cell in getattr(handler, "__closure__", None) or ():
        try:
            yield cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue


def _alive(handler: Callable[..., object] | None) -> Callable[..., object] | None:
    """``handler``, unless it is a method of a widget that has since been deleted,
    or a closure over one (a language switch rebuilds the views): its answer then
    goes nowhere, as a Qt signal to a deleted receiver would."""
    if handler is None:
        return None
    for owner in _owners(handler):
        if isinstance(owner, QtCore.QObject) and not shiboken6.isValid(owner):
            return None
    return handler


@dataclass
class _Pending:
    op: Op[Any]
    done: Callable[[Any], object] | None
    refused: Refused | None
    failed: Failed | None


class Operations(QtCore.QObject):
    """Runs operations against the backend off the UI thread.

    ``busy_changed`` shows or hides the window's progress bar; ``failed``
    carries errors nobody handled; ``changes_applied(Changes)`` follows
    every successful operation that changed something.
    """

    busy_changed = Signal(bool)
    failed = Signal(object)
    changes_applied = Signal(object)  # Changes

    def __init__(self, backend: Backend, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self._reads = QtCore.QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QtCore.QThreadPool(self)  # the one writer
        self._writes.setMaxThreadCount(1)
        self._long = QtCore.QThreadPool(self)  # a sync run: network, never a save
        self._long.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def labels(self) -> list[str]:
        """What the unfinished operations say they are doing (those that say)."""
        return [p.op.label for p in self._pending.values() if p.op.label]

    def run(
        self,
        op: Op[T],
        on_done: Callable[[T], object] | None = None,
        on_refused: Refused | None = None,
        *,
        on_failed: Failed | None = None,
    ) -> int:
        """Start ``op``; returns its job id (for ``forget``).

        A refusal (``AlongsideError``) goes to ``on_refused``; anything else to
        ``on_failed``; either, without a handler, to ``failed``."""
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = _Pending(op, on_done, on_refused, on_failed)
        pool = {Work.READ: self._reads, Work.WRITE: self._writes, Work.LONG: self._long}[op.work]
        backend = self.backend
        pool.start(_Job(job_id, lambda: op.call(backend), self._relay, writing=op.writes))
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def forget(self, job_id: int) -> None:
        """Drop the callbacks of a job whose answer is no longer wanted."""
        if self._pending.pop(job_id, None) is not None and not self.busy:
            self.busy_changed.emit(False)

    def forget_all(self) -> None:
        """Drop the callbacks of every unfinished job: the worker they were for
        has signed out, so their answers (or refusals) must not reach the
        screen. Work already queued still runs, in order."""
        if self._pending:
            self._pending.clear()
            self.busy_changed.emit(False)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until every job has finished (for shutdown and tests)."""
        ok = all(p.waitForDone(msecs) for p in (self._writes, self._reads, self._long))
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
            if (done := _alive(pending.done)) is not None:
                done(payload)
            changes = pending.op.changes_for(payload)
            if changes:
                self.changes_applied.emit(changes)
            return
        assert isinstance(payload, BaseException)
        refused, failed = _alive(pending.refused), _alive(pending.failed)
        if isinstance(payload, AlongsideError) and pending.refused is not None:
            if refused is not None:
                refused(payload)
        elif pending.failed is not None:
            if failed is not None:
                failed(payload)
        else:
            self.failed.emit(payload)
