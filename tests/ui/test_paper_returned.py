"""Paper returned… and typing a returned form up, in the real window, by keyboard.

Real copies are printed, turned into imperfect scans (rotated, noisy, pages
shuffled) and received through the dialog: one plain line per copy, in the
CLI's words; a file that is not a scan gets its own line and nothing of it is
attached; Cancel attaches nothing; a blank for nobody is put on a case found
by searching for the person. From the case, "Type it up" opens the form with
the scan beside it, turned and zoomed by keys.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backend import LocalBackend
from app.profile import OpenProfile
from casework.kernel.models import Document
from tests import paper_scans
from tests.ui.access_keys import clashes
from tests.ui.conftest import screenshot
from ui.operations import cases as cases_ops
from ui.operations import paper as paper_ops
from ui.operations import people as people_ops
from ui.paper.receive import ReceiveDialog
from ui.qt import Qt
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier
SERVICE = "register-to-vote"


def _case(backend: LocalBackend) -> tuple[int, int]:
    person_id = people_ops.list_person_ids().call(backend)[0]
    return person_id, cases_ops.open_case(person_id, SERVICE, "Register to vote").call(backend)


def _scan(backend: LocalBackend, folder: Path, case_id: int | None, name: str) -> Path:
    pdf = paper_ops.print_copy(None, SERVICE, "en", False, case_id=case_id).call(backend)
    return paper_scans.write(paper_scans.scans(pdf, seed=len(name)), folder / name)


def _documents(profile: OpenProfile) -> int:
    with Session(profile.engine) as session:
        return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def _open(qtbot: QtBot, win: MainWindow) -> ReceiveDialog:
    qtbot.keyClick(win, Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(win.paper.dialog, ReceiveDialog))
    dialog = win.paper.dialog
    assert isinstance(dialog, ReceiveDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # the window manager's part, offscreen
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _lines(dialog: ReceiveDialog) -> list[str]:
    return [dialog.results.item(i).text() for i in range(dialog.results.count())]


def test_receive_then_type_it_up_by_keyboard(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    win = signed_in
    _person, case_id = _case(fresh_backend)
    reference = cases_ops.case_detail(case_id).call(fresh_backend).reference
    good = _scan(fresh_backend, tmp_path, case_id, "came-back.pdf")
    not_a_scan = tmp_path / "notes.txt"
    not_a_scan.write_text("not a scan")
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    before = _documents(demo_profile)

    dialog = _open(qtbot, win)
    assert not clashes(dialog)
    dialog.add_files([good, not_a_scan])
    with qtbot.waitSignal(dialog.finished_receiving, timeout=120000) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_E, ALT)
    assert finished.args == [1, False]
    lines = _lines(dialog)
    assert any(
        line.startswith("Received paper form AF-") and f"for case {reference}" in line
        for line in lines
    ), lines
    assert any("notes.txt is not a scan" in line for line in lines), lines
    assert _documents(demo_profile) == before + 1
    screenshot(dialog, artifacts, "paper-returned-en")  # type: ignore[arg-type]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    win.activateWindow()  # the keyboard is back with the window behind
    qtbot.waitUntil(win.isActiveWindow)

    # On the case: the form that came back, typed up with its scan beside it.
    panel = win.case_view.paper_came_back
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=20000)
    qtbot.keyClick(win.case_view, Qt.Key.Key_F, ALT)  # the Forms tab
    qtbot.waitUntil(
        lambda: panel.type_button.isVisible() and panel.type_button.isEnabled(), timeout=10000
    )
    assert not clashes(win)
    qtbot.keyClick(win, Qt.Key.Key_W, ALT)  # Type it up with the scan
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible(), timeout=20000)
    dock = win.paper.typing.dock
    assert dock is not None
    scan = dock.panel
    qtbot.waitUntil(lambda: bool(scan.images), timeout=60000)
    total = len(scan.images)
    assert total >= 2 and scan.page == 0 and "Page 1 of" in scan.status.text()
    assert "AF-" in scan.note.text()
    assert win.form_view is not None and win.form_view.draft.case_id == case_id
    with qtbot.waitSignal(scan.shown):
        qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert scan.page == 1
    width = scan.picture.width()
    qtbot.keyClick(win, Qt.Key.Key_Equal, CTRL)
    assert scan.picture.width() > width
    qtbot.keyClick(win, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(win, Qt.Key.Key_Minus, CTRL)
    assert scan.picture.width() < width
    qtbot.keyClick(win, Qt.Key.Key_PageUp, CTRL)
    assert scan.page == 0
    for button in (scan.previous_button, scan.next_button, scan.fit_button):
        assert button.accessibleName()
    screenshot(win, artifacts, "paper-typing-up-en")


def test_cancel_attaches_nothing(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    tmp_path: Path,
) -> None:
    _person, case_id = _case(fresh_backend)
    paths = [
        _scan(fresh_backend, tmp_path, case_id, "one.png"),
        _scan(fresh_backend, tmp_path, case_id, "two.tif"),
    ]
    before = _documents(demo_profile)
    dialog = _open(qtbot, signed_in)
    dialog.add_files(paths)
    held = threading.Event()
    go_on = threading.Event()

    def hold_after_the_first(done: int, _total: int) -> None:
        if done == 1:  # the first file is read: wait here for the test
            held.set()
            go_on.wait(60)

    monkeypatch.setattr(ReceiveDialog, "worker_pause", staticmethod(hold_after_the_first))
    with qtbot.waitSignal(dialog.finished_receiving, timeout=120000) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_E, ALT)
        qtbot.waitUntil(held.is_set, timeout=60000)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape while receiving cancels
        go_on.set()
    assert finished.args == [0, True]
    assert "Nothing was attached" in dialog.status.text()
    assert _documents(demo_profile) == before
    assert dialog.isVisible()  # Escape cancelled, it did not close


def test_a_blank_for_nobody_goes_on_a_case_found_by_name_in_welsh(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    person_id, case_id = _case(fresh_backend)
    person = people_ops.person_detail(person_id).call(fresh_backend)
    reference = cases_ops.case_detail(case_id).call(fresh_backend).reference
    blank = _scan(fresh_backend, tmp_path, None, "blank-for-nobody.jpg")
    before = _documents(demo_profile)
    signed_in.switch_language("cy")
    try:
        dialog = _open(qtbot, signed_in)
        dialog.add_files([blank])
        with qtbot.waitSignal(dialog.finished_receiving, timeout=120000):
            qtbot.keyClick(dialog, Qt.Key.Key_D, ALT)  # Derbyn
        assert dialog.place.isVisible() and dialog.pending
        assert _documents(demo_profile) == before
        qtbot.keyClicks(dialog.person_search, person.family_name)
        qtbot.keyClick(dialog.person_search, Qt.Key.Key_Return)  # finds; does not receive again
        qtbot.waitUntil(lambda: dialog.case_choice.findData(reference) >= 0, timeout=20000)
        dialog.case_choice.setCurrentIndex(dialog.case_choice.findData(reference))
        assert not clashes(dialog)
        screenshot(dialog, artifacts, "paper-returned-place-cy")  # type: ignore[arg-type]
        with qtbot.waitSignal(dialog.received_onto_case, timeout=60000):
            qtbot.keyClick(dialog, Qt.Key.Key_W, ALT)  # Derbyn i'r achos h&wn
        assert _documents(demo_profile) == before + 1
        assert not dialog.pending and not dialog.place.isVisible()
        assert any(reference in line for line in _lines(dialog))
        screenshot(dialog, artifacts, "paper-returned-cy")  # type: ignore[arg-type]
        dialog.close()
        win = signed_in
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
        win.open_case(case_id)
        panel = win.case_view.paper_came_back
        qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=20000)
        qtbot.keyClick(win.case_view, Qt.Key.Key_F, ALT)  # Ffurflenni
        qtbot.waitUntil(lambda: panel.type_button.isVisible(), timeout=10000)
        assert not clashes(win)
        screenshot(win, artifacts, "paper-came-back-cy")
    finally:
        signed_in.switch_language("en")
