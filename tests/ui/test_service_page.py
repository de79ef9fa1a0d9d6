"""The Services view driven by key presses: open it from the window, pick a
service, type a period, and read the figures back from the tables, which
must hold the very numbers the charts draw; the owning body and its named
accountable role, the facilitator and public pages shown; in Welsh too.
Screenshots go to /work/shots/C2 when it exists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database import session_factory
from app.profile import OpenProfile
from casework.kernel.models import Worker
from delegation.models import AuditEntry
from tests.ui.access_keys import access_keys
from tests.unit.casework.performance.activity import SERVICE, seed
from ui.operations import Changes
from ui.qt import Qt, QtWidgets
from ui.services.periods import Period, period_dates
from ui.services.view import ServicesView
from ui.window.main import MainWindow

SHOTS = Path("/work/shots/C2")


@pytest.fixture
def seeded(demo_profile: OpenProfile) -> None:
    with session_factory(demo_profile.engine, write=True).begin() as session:
        amira = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        sam = session.scalars(select(Worker).where(Worker.username == "sam")).one()
        seed(session, amira, sam, "", "ni-number")


def _open(qtbot: QtBot, win: MainWindow) -> ServicesView:
    qtbot.keyClick(
        win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: win.services.view is not None)
    view = win.services.view
    assert view is not None
    qtbot.waitUntil(lambda: view.services.count() > 0)
    return view


def _choose(qtbot: QtBot, view: ServicesView, service_id: str) -> None:
    view.services.setFocus()
    qtbot.waitUntil(view.services.hasFocus)
    qtbot.keyClick(view.services, Qt.Key.Key_Home)
    for _step in range(view.services.count()):
        if view.services.currentItem().data(Qt.ItemDataRole.UserRole) == service_id:
            return
        qtbot.keyClick(view.services, Qt.Key.Key_Down)
    raise AssertionError(f"{service_id} is not in the list")


ENGLISH_KEYS = (Qt.Key.Key_P, Qt.Key.Key_F, Qt.Key.Key_T)  # &Period, &From, &To
WELSH_KEYS = (Qt.Key.Key_C, Qt.Key.Key_O, Qt.Key.Key_H)  # &Cyfnod, &O, &Hyd at


def _type_period(
    qtbot: QtBot,
    view: ServicesView,
    start: str,
    end: str,
    keys: tuple[Qt.Key, Qt.Key, Qt.Key] = ENGLISH_KEYS,
) -> None:
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(view, keys[0], alt)
    qtbot.waitUntil(view.period.hasFocus)
    qtbot.keyClick(view.period, Qt.Key.Key_End)  # the last choice: Choose dates
    qtbot.waitUntil(view.start.isEnabled)
    qtbot.keyClick(view, keys[1], alt)
    qtbot.waitUntil(view.start.hasFocus)
    view.start.selectAll()
    qtbot.keyClicks(view.start, start)
    qtbot.keyClick(view, keys[2], alt)
    qtbot.waitUntil(view.end.hasFocus)
    qtbot.keyClick(view.end, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(view.end, end)


def _tables(view: ServicesView) -> list[tuple[str, list[tuple[str, str]]]]:
    shown = []
    for block in view.blocks:
        model = block.table.model()
        rows = [
            (str(model.index(r, 0).data()), str(model.index(r, 1).data()))
            for r in range(model.rowCount())
        ]
        shown.append((block.title(), rows))
    return shown


def _audits(profile: OpenProfile) -> int:
    with session_factory(profile.engine).begin() as session:
        return int(
            session.scalar(
                select(func.count()).where(AuditEntry.action == "office.service_figures")
            )
            or 0
        )


def test_the_page_by_keyboard_tables_match_charts(
    qtbot: QtBot, signed_in: MainWindow, seeded: None, demo_profile: OpenProfile
) -> None:
    view = _open(qtbot, signed_in)
    _choose(qtbot, view, SERVICE)
    qtbot.waitUntil(lambda: "The Pension Service" in view.accountable.text())
    assert (
        "The role accountable for it: Director General, Disability, Health and Pensions, "
        "Department for Work and Pensions." in view.accountable.text()
    )
    assert (
        "mailto:" in view.contact.text()
        and "https://www.gov.uk/pension-credit" in view.pages.text()
    )
    qtbot.waitUntil(lambda: view.figures is not None)  # the last 4 weeks, once settled
    _type_period(qtbot, view, "01/11/2026", "30/11/2026")
    signed_in.ops.wait_idle()
    before = _audits(demo_profile)
    qtbot.keyClick(view.end, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            view.figures is not None and view.figures.start.day == 1 and view.figures.end.day == 30
        )
    )
    figures = view.figures
    assert figures is not None
    assert (figures.started, figures.sent, figures.delivered) == (6, 4, 2)
    assert _audits(demo_profile) == before + 1  # one audited read for the whole page
    tables = _tables(view)
    assert tables[0][1][:3] == [
        ("Started", "6"),
        ("Sent", "4"),
        ("Delivered, confirmed by the service", "2"),
    ]
    # Each table holds exactly what its chart draws.
    for block, (title, rows) in zip(view.blocks, tables, strict=True):
        assert [(b.words, b.shown) for b in block.chart.bars] == rows, title
        assert block.table.accessibleName() and block.chart.accessibleName()
        assert block.chart.accessibleDescription()
    assert tables[2][1] == [
        ("Could not use the online service", "2"),
        ("No device or internet", "1"),
        ("Needed it in Welsh or another language", "1"),
    ]
    # The reasons count people, and the page says so; so does the abandoned rule.
    reasons = view.blocks[2]
    header = reasons.table.model().headerData(1, Qt.Orientation.Horizontal)
    assert header == "People who gave this reason"
    assert "once for each service" in reasons.toolTip() == reasons.table.accessibleDescription()
    assert "28 days" in view.blocks[0].toolTip()
    assert view.blocks[1].table.model().headerData(1, Qt.Orientation.Horizontal) == "Number"
    # Payments: four asked for, two paid, one not.
    assert [n for _w, n in tables[4][1]] == ["4", "2", "1"]
    # Tab goes on from the last date to the button, the first chart and its table.
    for widget in (view.show_button, view.blocks[0].chart, view.blocks[0].table):
        focused = QtWidgets.QApplication.focusWidget()
        assert focused is not None and view.isVisible()
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        qtbot.waitUntil(widget.hasFocus)
    if SHOTS.is_dir():
        view.resize(1100, 1500)
        view.page_area.widget().grab().save(str(SHOTS / "service-page-en.png"))


def test_bad_dates_say_what_to_type(qtbot: QtBot, signed_in: MainWindow, seeded: None) -> None:
    view = _open(qtbot, signed_in)
    _choose(qtbot, view, SERVICE)
    qtbot.waitUntil(lambda: view.figures is not None)
    _type_period(qtbot, view, "31/02/2026", "30/11/2026")
    qtbot.keyClick(view.end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "day/month/year" in view.status.text())
    _type_period(qtbot, view, "30/11/2026", "01/11/2026")
    qtbot.keyClick(view.end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "ends before it starts" in view.status.text())
    assert all(block.isHidden() for block in view.blocks)


def test_the_page_in_welsh(qtbot: QtBot, signed_in: MainWindow, seeded: None) -> None:
    signed_in.switch_language("cy")
    view = _open(qtbot, signed_in)
    _choose(qtbot, view, SERVICE)
    _type_period(qtbot, view, "01/11/2026", "30/11/2026", WELSH_KEYS)
    qtbot.keyClick(view.end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.figures is not None and view.figures.end.day == 30)
    qtbot.waitUntil(lambda: "Adran Gwaith a Phensiynau" in view.accountable.text())
    assert (
        "Y swydd sy'n atebol amdano: Cyfarwyddwr Cyffredinol, Anabledd, Iechyd a Phensiynau, "
        "yr Adran Gwaith a Phensiynau." in view.accountable.text()
    )
    assert view.blocks[0].title() == "Ffurflenni"
    header = view.blocks[2].table.model().headerData(1, Qt.Orientation.Horizontal)
    assert header == "Pobl a roddodd y rheswm hwn"
    assert "28 diwrnod" in view.blocks[0].toolTip()
    assert "Tachwedd" in view.period_text.text()
    if SHOTS.is_dir():
        view.resize(1100, 1500)
        view.page_area.widget().grab().save(str(SHOTS / "service-page-cy.png"))
    signed_in.switch_language("en")


@pytest.mark.parametrize(
    ("today", "period", "expected"),
    [
        (date(2026, 12, 5), Period.LAST_4_WEEKS, (date(2026, 11, 8), date(2026, 12, 5))),
        (date(2026, 12, 5), Period.THIS_MONTH, (date(2026, 12, 1), date(2026, 12, 5))),
        (date(2026, 12, 5), Period.LAST_QUARTER, (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 2, 14), Period.LAST_QUARTER, (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), Period.LAST_QUARTER, (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_period_dates(today: date, period: Period, expected: tuple[date, date]) -> None:
    assert period_dates(period, today) == expected


def test_a_change_in_the_window_counts_again(
    qtbot: QtBot, signed_in: MainWindow, seeded: None
) -> None:
    view = _open(qtbot, signed_in)
    _choose(qtbot, view, SERVICE)
    qtbot.waitUntil(lambda: view.figures is not None)
    signed_in.ops.wait_idle()
    view.figures = None
    with qtbot.waitSignal(view._settle.timeout):
        signed_in.ops.changes_applied.emit(Changes(outbox=True))
    qtbot.waitUntil(lambda: view.figures is not None)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_access_key_is_offered_twice(
    qtbot: QtBot, signed_in: MainWindow, seeded: None, language: str
) -> None:
    signed_in.switch_language(language)
    view = _open(qtbot, signed_in)
    _choose(qtbot, view, SERVICE)
    view.period.setCurrentIndex(view.period.count() - 1)  # dates typed: From and To usable
    qtbot.waitUntil(view.end.isEnabled)
    keys = access_keys(view)
    assert len(keys) >= 5
    assert not {k: v for k, v in keys.items() if len(v) > 1}
    signed_in.switch_language("en")
