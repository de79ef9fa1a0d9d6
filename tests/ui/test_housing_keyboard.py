"""Housing Benefit and Discretionary Housing Payment by keyboard alone, with
real key presses: the form opens with its first question focused, arrows
choose, Enter continues, and a person who should claim something else is
stopped with the explanation and taken straight to Check your answers.
(Every shipped form's full route is driven in test_forms.)"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.conftest import screenshot
from tests.ui.test_keyboard_day import focused, key, start_form
from ui.forms.view import FormView
from ui.qt import Qt
from ui.window.main import MainWindow


def choose(qtbot: QtBot, view: FormView, question: str, downs: int) -> None:
    """From the question's first radio (which has the focus), arrow down to an
    option (Space for the first) and press Enter to continue."""
    first = next(iter(view.fields[question].buttons.values()))
    qtbot.waitUntil(lambda: focused() is first)
    for _n in range(downs):
        key(qtbot, Qt.Key.Key_Down)
    if downs == 0:
        key(qtbot, Qt.Key.Key_Space)  # the focused first radio is not chosen until then
    page = view.page_id
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.mode == "check" or view.page_id != page)


def test_housing_benefit_at_working_age_in_an_ordinary_home_stops_at_universal_credit(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "housing-benefit")
    choose(qtbot, view, "someone-helping", 1)  # No
    assert view.page_id == "who-can-claim"
    choose(qtbot, view, "hb-situation", 3)  # None of these
    assert view.page_id == "claim-universal-credit"
    assert "Universal Credit" in view.title.text()
    screenshot(signed_in, artifacts, "hb-keys-01-claim-universal-credit")
    choose(qtbot, view, "council-said-claim", 1)  # No: nothing more to ask
    assert view.mode == "check"
    assert view.answers == {
        "someone-helping": False,
        "hb-situation": "none",
        "council-said-claim": False,
    }
    screenshot(signed_in, artifacts, "hb-keys-02-check-answers")


def test_housing_benefit_at_pension_age_goes_on_to_the_claim(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "housing-benefit")
    choose(qtbot, view, "someone-helping", 1)
    choose(qtbot, view, "hb-situation", 0)  # State Pension age
    assert view.page_id == "claim-date"
    assert qtbot.waitUntil(lambda: focused() is view.fields["claim-from"].edit) is None


def test_a_dhp_without_help_with_rent_stops_at_claim_first(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "discretionary-housing-payment")
    choose(qtbot, view, "someone-helping", 1)
    assert view.page_id == "rent-benefit"
    choose(qtbot, view, "rent-benefit", 2)  # Neither of these
    assert view.page_id == "claim-first"
    screenshot(signed_in, artifacts, "dhp-keys-01-claim-first")
    choose(qtbot, view, "waiting-decision", 1)
    assert view.mode == "check"
    assert view.answers == {
        "someone-helping": False,
        "rent-benefit": "neither",
        "waiting-decision": False,
    }
    screenshot(signed_in, artifacts, "dhp-keys-02-check-answers")
