"""Python's garbage collector, run only on the UI thread.

The cyclic collector runs in whichever thread happens to allocate when a
threshold is crossed. If that is a worker thread, it can free Qt widgets
there, which crashes Qt. As Anki and pyqtgraph do, automatic collection is
turned off and a timer on the UI thread collects each generation when its
count passes the usual threshold.

A full collection walks every object the app holds (its modules, models,
widgets: well over 100 ms on a modest laptop), and that is time the window
cannot answer a key. So what survives a full collection is frozen
(``gc.freeze``): it is long-lived, and the next full collections walk only
what came after. Now and then (``SWEEP_SECONDS``) a full collection first
unfreezes everything, so a cycle among old objects that has since become
garbage is still freed.
"""

from __future__ import annotations

import gc
import time

from ui.qt import QtCore, QtWidgets

INTERVAL_MS = 500
SWEEP_SECONDS = 1800.0


class MainThreadCollector(QtCore.QObject):
    def __init__(self, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.swept_at = time.monotonic()
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        counts = gc.get_count()
        if counts[0] > self.thresholds[0]:
            generation = 0
            if counts[1] > self.thresholds[1]:
                generation = 2 if counts[2] > self.thresholds[2] else 1
            if generation == 2:
                self.collect_full()
            else:
                gc.collect(generation)

    def collect_full(self, now: float | None = None) -> None:
        """A full collection of what is not frozen; then freeze what survived."""
        now = time.monotonic() if now is None else now
        if now - self.swept_at >= SWEEP_SECONDS:
            gc.unfreeze()  # the occasional sweep of everything
            self.swept_at = now
        gc.collect(2)
        gc.freeze()


def settle() -> None:
    """A full collection now, freezing what survives (after signing in, while the
    person is waiting for the page anyway), so none comes during the work."""
    app = QtWidgets.QApplication.instance()
    collector = app.findChild(MainThreadCollector) if app is not None else None
    if collector is not None:
        collector.collect_full()


def install() -> None:
    """Collect on the UI thread from now on (once per application)."""
    app = QtWidgets.QApplication.instance()
    if app is None or app.findChild(MainThreadCollector) is not None:
        return
    MainThreadCollector(app)
