"""A bare Qt window that quits on its first paint: the benchmark's yardstick.

Built into the bundle only when ``ALONGSIDE_BUNDLE_BASELINE=1`` is set at
build time, so the shipped bundle never carries it. It shares the bundle's
``_internal`` folder, so it starts the same Python and Qt as ``alongside``.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
app.installEventFilter(FirstPaint(window))
window.show()
sys.exit(app.exec())
