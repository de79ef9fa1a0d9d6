"""The operations runner: one write worker (writes in order, never two at
once), reads beside it, a sync run that never holds up a save, and one
``changes_applied(Changes)`` after each successful write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from casework.kernel.errors import AlongsideError
from ui.operations import NOTHING, Changes, Op, Operations, Work, background, query, write
from ui.qt import QtWidgets

WAIT = 10.0  # seconds a worker waits for the test to let it go (a hung test fails)


class _Journal:
    """What the workers did, in order, and how many writes ran at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[str] = []
        self.writing = 0
        self.most_writing = 0

    def write(self, name: str, release: threading.Event | None = None) -> Any:
        def call(_backend: object) -> str:
            with self.lock:
                self.writing += 1
                self.most_writing = max(self.most_writing, self.writing)
                self.events.append(f"{name} started")
            if release is not None:
                assert release.wait(WAIT), "the test never let the write finish"
            with self.lock:
                self.events.append(f"{name} ended")
                self.writing -= 1
            return name

        return call


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[Operations]:
    ops = Operations(backend=None)  # type: ignore[arg-type]  # the ops here ignore it
    yield ops
    ops.wait_idle()


def test_two_writes_run_in_order_and_never_at_once(qtbot: QtBot, runner: Operations) -> None:
    journal = _Journal()
    release = threading.Event()
    done: list[str] = []
    runner.run(write(journal.write("first", release), NOTHING), done.append)
    runner.run(write(journal.write("second"), NOTHING), done.append)
    qtbot.waitUntil(lambda: journal.events == ["first started"])
    # A read runs meanwhile: the read pool is not behind the writer.
    read: list[int] = []
    runner.run(query(lambda _b: 42), read.append)
    qtbot.waitUntil(lambda: read == [42])
    assert journal.events == ["first started"], "the second write waited for the first"
    release.set()
    qtbot.waitUntil(lambda: done == ["first", "second"])
    assert journal.events == ["first started", "first ended", "second started", "second ended"]
    assert journal.most_writing == 1


def test_many_writes_keep_the_order_they_were_asked_in(qtbot: QtBot, runner: Operations) -> None:
    journal = _Journal()
    done: list[str] = []
    names = [f"save {n}" for n in range(12)]
    for name in names:
        runner.run(write(journal.write(name), NOTHING), done.append)
    qtbot.waitUntil(lambda: len(done) == len(names))
    assert done == names and journal.most_writing == 1


def test_a_sync_run_does_not_hold_up_a_save(qtbot: QtBot, runner: Operations) -> None:
    release = threading.Event()
    started = threading.Event()

    def long_run(_backend: object) -> str:
        started.set()
        assert release.wait(WAIT)
        return "synced"

    finished: list[str] = []
    runner.run(Op(long_run, Work.LONG), finished.append)
    qtbot.waitUntil(started.is_set)
    saved: list[str] = []
    runner.run(write(lambda _b: "saved", NOTHING), saved.append)
    qtbot.waitUntil(lambda: saved == ["saved"])
    assert finished == []
    release.set()
    qtbot.waitUntil(lambda: finished == ["synced"])


def test_a_successful_write_announces_its_changes_once(qtbot: QtBot, runner: Operations) -> None:
    seen: list[Changes] = []
    runner.changes_applied.connect(seen.append)
    changes = Changes(case_ids=frozenset({7}))
    done: list[int] = []
    with qtbot.waitSignal(runner.changes_applied) as blocker:
        runner.run(write(lambda _b: 1, changes), done.append)
    assert blocker.args == [changes]
    assert done == [1], "the caller hears first, then the views"
    runner.run(query(lambda _b: 2), done.append)  # a read changes nothing
    qtbot.waitUntil(lambda: done == [1, 2])
    runner.wait_idle()
    assert seen == [changes]


def test_changes_may_follow_from_the_answer(qtbot: QtBot, runner: Operations) -> None:
    def changed(person_id: int) -> Changes:
        return Changes(people=True, person_ids=frozenset({person_id}))

    op = write(lambda _b: 31, changed)
    with qtbot.waitSignal(runner.changes_applied) as blocker:
        runner.run(op)
    assert blocker.args == [Changes(people=True, person_ids=frozenset({31}))]


def test_a_refused_write_changes_nothing(qtbot: QtBot, runner: Operations) -> None:
    seen: list[Changes] = []
    runner.changes_applied.connect(seen.append)

    def refuse(_backend: object) -> None:
        raise AlongsideError("That case is closed.")

    refused: list[str] = []
    runner.run(write(refuse, Changes(outbox=True)), None, lambda exc: refused.append(exc.message))
    qtbot.waitUntil(lambda: refused == ["That case is closed."])
    runner.wait_idle()
    assert seen == []


def test_errors_without_a_handler_go_to_failed(qtbot: QtBot, runner: Operations) -> None:
    def broken(_backend: object) -> None:
        raise ValueError("a bug")

    with qtbot.waitSignal(runner.failed) as blocker:
        runner.run(background(lambda: broken(None)))
    assert isinstance(blocker.args[0], ValueError)
    caught: list[BaseException] = []
    runner.run(query(broken), on_failed=caught.append)
    qtbot.waitUntil(lambda: len(caught) == 1)


def test_a_forgotten_answer_is_dropped(qtbot: QtBot, runner: Operations) -> None:
    release = threading.Event()
    answers: list[str] = []

    def slow(_backend: object) -> str:
        assert release.wait(WAIT)
        return "old search"

    job = runner.run(query(slow), answers.append)
    assert runner.busy
    with qtbot.waitSignal(runner.busy_changed) as blocker:
        runner.forget(job)
    assert blocker.args == [False]
    release.set()
    runner.wait_idle()
    assert answers == []


def test_then_runs_in_the_worker_and_keeps_the_label(qtbot: QtBot, runner: Operations) -> None:
    worker: list[bool] = []

    def after(value: int) -> int:
        worker.append(threading.current_thread() is not threading.main_thread())
        return value * 2

    op = query(lambda _b: 21).named("Making the paper form").then(after)
    assert op.label == "Making the paper form" and not op.writes
    answers: list[int] = []
    runner.run(op, answers.append)
    assert runner.labels() == ["Making the paper form"]
    qtbot.waitUntil(lambda: answers == [42])
    assert worker == [True]
    with pytest.raises(TypeError):
        write(lambda _b: 1, lambda n: Changes(person_ids=frozenset({n}))).then(str)


def test_changes_is_a_typed_frozen_value() -> None:
    note = Changes(case_ids=frozenset({3}))
    assert note and not NOTHING
    assert note.touches_case(3) and not note.touches_case(4) and not note.touches_case(None)
    assert not note.touches_person(1)
    assert Changes(people=True).touches_person(1)
    both = note | Changes(person_ids=frozenset({1}), outbox=True)
    assert both == Changes(person_ids=frozenset({1}), case_ids=frozenset({3}), outbox=True)
    with pytest.raises(AttributeError):
        note.people = True  # type: ignore[misc]


def test_after_signing_out_no_answer_reaches_the_screen(qtbot: QtBot, runner: Operations) -> None:
    """``forget_all``: the worker has gone, so neither an answer nor a refusal of
    their unfinished work reaches a handler, and the runner is no longer busy."""
    release = threading.Event()
    answered: list[object] = []

    def refused_later(_backend: object) -> None:
        assert release.wait(WAIT), "the test never let the read finish"
        raise AlongsideError("Sign in first.")

    runner.run(query(refused_later), answered.append, answered.append, on_failed=answered.append)
    runner.failed.connect(answered.append)
    with qtbot.waitSignal(runner.busy_changed) as blocker:
        runner.forget_all()
    assert blocker.args == [False] and not runner.busy
    release.set()
    runner.wait_idle()
    assert answered == []


def test_an_answer_for_a_deleted_widget_goes_nowhere(qtbot: QtBot, runner: Operations) -> None:
    """A language switch rebuilds the views while a reload is on its way: the
    answer for the old, deleted view is dropped, and its changes still go out."""
    release = threading.Event()

    def slow(_backend: object) -> str:
        assert release.wait(WAIT)
        return "rows"

    label = QtWidgets.QLabel()
    runner.run(write(slow, Changes(escalations=True)), label.setText)
    shiboken6.delete(label)
    with qtbot.waitSignal(runner.changes_applied) as blocker:
        release.set()
    assert blocker.args == [Changes(escalations=True)]  # and no "already deleted" error


def test_an_answer_for_a_closure_over_a_deleted_widget_goes_nowhere(
    qtbot: QtBot, runner: Operations
) -> None:
    """The same when the handler is a closure made inside a view's method
    (``def loaded(rows): panel.show(rows)``): the widget it captured is gone."""
    release = threading.Event()

    def slow(_backend: object) -> str:
        assert release.wait(WAIT)
        return "rows"

    label = QtWidgets.QLabel()

    def loaded(rows: str) -> None:
        label.setText(rows)

    runner.run(write(slow, Changes(escalations=True)), loaded)
    shiboken6.delete(label)
    with qtbot.waitSignal(runner.changes_applied) as blocker:
        release.set()
    assert blocker.args == [Changes(escalations=True)]  # and no "already deleted" error
