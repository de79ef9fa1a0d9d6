"""The UI's longest event-loop stall while the background engine drains the
outbox to the Notify fake, against the same heartbeat with no drain, in the
same run.

A QTimer beats every 10 ms on the UI thread; the largest gap between beats is
the longest time the window could not have answered a key press. The drain
is the real one: "Sync now" in the real window, the engine on its own
thread, progress polled on the UI thread, 2,000 emails (paced under Notify's
published limit, so about 45 s) over loopback to the fake.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from tests.fakes.notify import running_notify
from tests.sync_support import configure_notify, queue_emails
from ui.qt import QtCore
from ui.window.main import MainWindow

ITEMS = int(os.environ.get("ALONGSIDE_BENCH_SYNC_ITEMS", "2000"))
BEAT_MS = 10
BASELINE_SECONDS = 8.0


class Heartbeat:
    """Gaps between beats of a 10 ms timer on the UI thread."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = 0.0
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def run_while(self, qtbot: QtBot, until: Callable[[], bool], timeout_ms: int) -> list[float]:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()
        try:
            qtbot.waitUntil(until, timeout=timeout_ms)
        finally:
            self.timer.stop()
        return self.gaps


def _line(name: str, gaps: list[float]) -> tuple[float, float]:
    ordered = sorted(gaps)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(
        f"  {name:34} beats {len(gaps):6}  median gap {statistics.median(ordered):6.1f} ms"
        f"  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  longest {ordered[-1]:7.1f} ms"
    )
    return ordered[-1], p99


@pytest.mark.keyring
def test_ui_stall_while_draining(qtbot: QtBot, demo_profile: OpenProfile) -> None:
    backend = LocalBackend(demo_profile)
    win = MainWindow(backend)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    with running_notify() as notify:
        configure_notify(demo_profile, notify)
        win.sign_in_page.username.setText("amira")
        win.sign_in_page.password.setText(DEMO_PASSWORD)
        win.sign_in_page.button.click()
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.work_page)
        qtbot.waitUntil(lambda: not win.sync_ui.running and win.sync_ui.status is not None)
        win.sync_ui.sync_timer.stop()  # only the drain we start
        heartbeat = Heartbeat()

        deadline = time.perf_counter() + BASELINE_SECONDS
        idle = heartbeat.run_while(qtbot, lambda: time.perf_counter() > deadline, 30_000)

        queue_emails(demo_profile, ITEMS)
        finished: list[object] = []
        win.sync_ui.run_finished.connect(finished.append)
        win.sync_ui.open_outbox()  # the progress bar is on screen, as a worker would see it
        started = time.perf_counter()
        win.sync_ui.sync_now()
        draining = heartbeat.run_while(qtbot, lambda: bool(finished), 600_000)
        seconds = time.perf_counter() - started
        assert len(notify.notifications) == ITEMS

    print(f"\n[bench] UI event-loop stall, {ITEMS} emails drained in {seconds:.1f} s")
    idle_max, idle_p99 = _line(f"no drain ({BASELINE_SECONDS:.0f} s)", idle)
    busy_max, busy_p99 = _line("background drain", draining)
    print(
        f"  ratio longest gap {busy_max / idle_max:5.2f}x  p99 {busy_p99 / idle_p99:5.2f}x"
        f"  ({ITEMS / seconds:.0f} items/s)"
    )
    win.sync_ui.shut_down()
    win.ops.wait_idle()
    # A frame at 60 Hz is 16.7 ms; a stall a person notices is ~100 ms.
    assert busy_max < 250, f"the UI stalled for {busy_max:.0f} ms while draining"
