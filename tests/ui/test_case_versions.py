"""The new-case dialog offers the version of a service for where the person
lives and says why; at a border postcode it asks which nation first. Driven
by keyboard on the real window, with a PIP / Adult Disability Payment pair of
small fixture definitions beside the shipped ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.backend import LocalBackend
from app.database import session_factory
from app.profile import OpenProfile
from casework.kernel.models import Person
from tests.unit.casework.forms.test_versions import ADP, PIP
from ui.cases.dialog import CaseDialog
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

SHOTS = Path(os.environ.get("ALONGSIDE_SHOTS", "/work/shots/B1"))


@pytest.fixture
def services_dir(services_dir: Path) -> Path:
    for service in (PIP, ADP):
        (services_dir / f"{service['id']}.json").write_text(json.dumps(service), encoding="utf-8")
    return services_dir


@pytest.fixture
def person_at(form_backend: LocalBackend) -> tuple[int, str]:
    person_id = people_ops.list_person_ids().call(form_backend)[0]
    return person_id, people_ops.person_detail(person_id).call(form_backend).full_name


def _live_at(demo_profile: OpenProfile, person_id: int, postcode: str) -> None:
    with session_factory(demo_profile.engine, write=True).begin() as session:
        session.execute(update(Person).where(Person.id == person_id).values(postcode=postcode))


def _dialog(qtbot: QtBot, win: MainWindow, person_id: int) -> CaseDialog:
    win.show_person(person_id)
    qtbot.waitUntil(
        lambda: win.person_panel.person is not None and win.person_panel.person.id == person_id
    )
    win.case_dialog = None
    qtbot.keyClick(win, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.case_dialog is not None and win.case_dialog.isVisible())
    dialog = win.case_dialog
    assert isinstance(dialog, CaseDialog)
    return dialog


def _choose(qtbot: QtBot, combo: QtWidgets.QComboBox, value: str) -> None:
    """Arrow down the focused combo until ``value`` is chosen."""
    qtbot.waitUntil(combo.hasFocus)
    combo.setCurrentIndex(0)
    for _step in range(combo.count()):
        if combo.currentData() == value:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{value} is not offered")


def _open(qtbot: QtBot, win: MainWindow, dialog: CaseDialog) -> str:
    win.case_view.case = None
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    assert win.case_view.case is not None
    return win.case_view.case.service_id


@pytest.mark.parametrize(
    ("postcode", "expected", "words"),
    [
        ("EH1 1YZ", "adp", "lives in Scotland, so this is Adult Disability Payment from "
         "Social Security Scotland, not Personal Independence Payment."),
        ("CF10 1AA", "pip", "lives in Wales, and Personal Independence Payment is the "
         "version used there."),
        ("SW1A 1AA", "pip", "lives in England, and Personal Independence Payment"),
    ],
)  # fmt: skip
def test_the_version_for_where_the_person_lives_and_why(
    qtbot: QtBot,
    win: MainWindow,
    demo_profile: OpenProfile,
    person_at: tuple[int, str],
    postcode: str,
    expected: str,
    words: str,
) -> None:
    person_id, name = person_at
    _live_at(demo_profile, person_id, postcode)
    dialog = _dialog(qtbot, win, person_id)
    assert dialog.nation is None  # not a border postcode: nothing to ask
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    _choose(qtbot, dialog.service, "pip")
    assert dialog.why.isVisible()
    assert dialog.why.text().startswith(f"{name} {words}")
    assert dialog.service.accessibleDescription() == dialog.why.text()
    if expected == "adp":
        assert dialog.title.text() == "Adult Disability Payment"
        if SHOTS.is_dir():
            assert dialog.grab().save(str(SHOTS / "case-dialog-scotland.png"))
    assert _open(qtbot, win, dialog) == expected


def test_a_border_postcode_asks_which_nation(
    qtbot: QtBot, win: MainWindow, demo_profile: OpenProfile, person_at: tuple[int, str]
) -> None:
    person_id, name = person_at
    _live_at(demo_profile, person_id, "TD15 1AA")  # Berwick: mostly England, some Scotland
    dialog = _dialog(qtbot, win, person_id)
    assert dialog.nation is not None and dialog.nation.accessibleName()
    assert dialog.nation.accessibleDescription().startswith("TD15 1AA is a border postcode")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    _choose(qtbot, dialog.service, "pip")
    assert not dialog.why.isVisible()  # no version until the nation is known
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.form.summary.isVisible())
    assert "Choose where" in dialog.form.error_text("nation")
    qtbot.keyClick(dialog, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    _choose(qtbot, dialog.nation, "scotland")
    assert dialog.why.text().startswith(f"{name} lives in Scotland, so this is Adult Disability")
    if SHOTS.is_dir():
        assert dialog.grab().save(str(SHOTS / "case-dialog-border.png"))
    assert _open(qtbot, win, dialog) == "adp"


def test_a_person_in_england_at_the_border_gets_pip(
    qtbot: QtBot, win: MainWindow, demo_profile: OpenProfile, person_at: tuple[int, str]
) -> None:
    person_id, _name = person_at
    _live_at(demo_profile, person_id, "TD15 1AA")
    dialog = _dialog(qtbot, win, person_id)
    qtbot.keyClick(dialog, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert dialog.nation is not None
    _choose(qtbot, dialog.nation, "england")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    _choose(qtbot, dialog.service, "adp")
    assert "lives in England, so this is Personal Independence Payment" in dialog.why.text()
    assert _open(qtbot, win, dialog) == "pip"
