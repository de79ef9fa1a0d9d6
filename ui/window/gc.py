"""Python's garbage collector, run only on the UI thread.

The cyclic collector runs in whichever thread happens to allocate when a
threshold is crossed. If that is a worker thread, it can free Qt widgets
there, which crashes Qt. As Anki and pyqtgraph do, automatic collection is
turned off and a timer on the UI thread collects each generation when its
count passes the usual threshold.
"""

from __future__ import annotations

import gc

from ui.qt import QtCore, QtWidgets

INTERVAL_MS = 500


class MainThreadCollector(QtCore.QObject):
    def __init__(self, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
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
            gc.collect(generation)


def install() -> None:
    """Collect on the UI thread from now on (once per application)."""
    app = QtWidgets.QApplication.instance()
    if app is None or app.findChild(MainThreadCollector) is not None:
        return
    MainThreadCollector(app)
