"""The UI thread's garbage collector: survivors of a full collection are frozen, so
later full collections do not walk the whole app; a periodic sweep still frees old cycles."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import sign_in
from ui.qt import QtCore
from ui.window.gc import SWEEP_SECONDS, MainThreadCollector
from ui.window.main import MainWindow


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def collector(qtbot: QtBot) -> Iterator[MainThreadCollector]:
    parent = QtCore.QObject()
    made = MainThreadCollector(parent)
    made.timer.stop()  # collections happen when the test says
    yield made
    gc.unfreeze()
    gc.collect()


def test_what_survives_a_full_collection_is_frozen(collector: MainThreadCollector) -> None:
    gc.unfreeze()
    collector.collect_full(now=collector.swept_at)
    assert gc.get_freeze_count() > 0  # the next full collections skip these


def test_a_sweep_frees_old_cycles_that_became_garbage(collector: MainThreadCollector) -> None:
    node = _Node()
    gone = weakref.ref(node)
    start = collector.swept_at
    collector.collect_full(now=start)  # node is alive: frozen with the rest
    del node
    collector.collect_full(now=start + 1)
    assert gone() is not None  # frozen: an ordinary full collection leaves it
    collector.collect_full(now=start + SWEEP_SECONDS)
    assert gone() is None  # the sweep unfroze and freed it


def test_signing_in_settles_the_heap(qtbot: QtBot) -> None:
    from ui.qt import QtWidgets
    from ui.window import gc as ui_gc

    ui_gc.install()
    gc.unfreeze()
    ui_gc.settle()
    app = QtWidgets.QApplication.instance()
    assert app is not None and app.findChild(MainThreadCollector) is not None
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_the_heap_settles_after_the_work_page_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    """Signing in freezes the long-lived objects, after the work page has been
    shown (the full collection does not hold up its first paint)."""
    gc.unfreeze()
    sign_in(qtbot, window)
    assert window.stack.currentWidget() is window.work_page
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    gc.unfreeze()
