"""The bus pass (England), the concessionary travel card (Wales) and Healthy
Start, each filled in from Check-your-answers' start to its end with real key
presses only: the focus starts on the first question, Tab moves between
questions, Space and the arrows choose, letters are typed, and the Continue
button is reached by Tab. Each takes a short route through its own branches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.conftest import screenshot
from tests.ui.test_keyboard_day import focused, key, start_form, type_text
from ui.forms.fields import AddressField, LongTextField, MultiChoiceField, _Choices
from ui.forms.view import FormView
from ui.operations import cases as cases_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

TAB_LIMIT = 40


def _inputs(view: FormView, qid: str) -> list[QtWidgets.QWidget]:
    """Where question ``qid`` takes its answer (not an ask-once offer's button)."""
    field = view.fields[qid]
    if isinstance(field, _Choices):
        return list(field.buttons.values())
    if isinstance(field, AddressField):
        return [field.line1]
    if isinstance(field, LongTextField):
        return [field.block]
    return [field.edit]


def tab_to(qtbot: QtBot, view: FormView, qid: str) -> None:
    """Tab until the focus is where question ``qid`` is answered (past any
    optional questions, and past an offer of an answer already known)."""
    inputs = _inputs(view, qid)
    for _n in range(TAB_LIMIT):
        if focused() in inputs:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {qid} on page {view.page_id}")


def choose(qtbot: QtBot, view: FormView, qid: str, value: Any) -> None:
    """A radio: Space on the focused one, then the arrows to ``value``."""
    tab_to(qtbot, view, qid)
    field = view.fields[qid]
    assert isinstance(field, _Choices) and not isinstance(field, MultiChoiceField)
    values = list(field.buttons)
    at = next(n for n, b in enumerate(field.buttons.values()) if b is focused())
    if not field.buttons[values[at]].isChecked():
        key(qtbot, Qt.Key.Key_Space)
    target = values.index(value)
    while at != target:
        key(qtbot, Qt.Key.Key_Down if at < target else Qt.Key.Key_Up)
        at += 1 if at < target else -1
    assert field.buttons[value].isChecked(), (qid, value)


def tick(qtbot: QtBot, view: FormView, qid: str, wanted: set[str]) -> None:
    """Check boxes: each is a Tab stop; Space on each one wanted (and on any
    ticked that is not), leaving the focus on the last."""
    tab_to(qtbot, view, qid)
    field = view.fields[qid]
    assert isinstance(field, MultiChoiceField)
    boxes = list(field.buttons.items())
    assert focused() is boxes[0][1]
    for n, (value, box) in enumerate(boxes):
        assert focused() is box, (qid, value)
        if box.isChecked() != (value in wanted):
            key(qtbot, Qt.Key.Key_Space)
        if n < len(boxes) - 1:
            key(qtbot, Qt.Key.Key_Tab)
    assert set(field.raw()) == wanted


def write(qtbot: QtBot, view: FormView, qid: str, text: str) -> None:
    """A line or a box: select what is there (ask-once may have offered it), type."""
    tab_to(qtbot, view, qid)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text)


def address(qtbot: QtBot, view: FormView, qid: str, line1: str, town: str, postcode: str) -> None:
    tab_to(qtbot, view, qid)
    field = view.fields[qid]
    assert isinstance(field, AddressField) and focused() is field.line1
    for edit, text in ((field.line1, line1), (field.line2, ""), (field.town, town),
                       (field.postcode, postcode)):  # fmt: skip
        assert focused() is edit
        key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if text:
            type_text(qtbot, text)
        else:
            key(qtbot, Qt.Key.Key_Delete)
        if edit is not field.postcode:
            key(qtbot, Qt.Key.Key_Tab)


def go_on(qtbot: QtBot, view: FormView) -> None:
    """Tab to Continue and press Space; the page must be accepted."""
    before = (view.mode, view.page_id)
    for _n in range(TAB_LIMIT):
        if focused() is view.continue_button:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.continue_button
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: (view.mode, view.page_id) != before or view.summary.isVisible())
    assert not view.summary.isVisible(), view.summary.text()


def at_page(qtbot: QtBot, view: FormView, page_id: str) -> None:
    qtbot.waitUntil(lambda: view.mode == "page" and view.page_id == page_id)
    first = next(f for f in view.fields.values() if not f.isHidden())
    qtbot.waitUntil(lambda: focused() is not None and first.isAncestorOf(focused()))


def send(qtbot: QtBot, view: FormView) -> None:
    assert view.mode == "check"
    go_on(qtbot, view)
    qtbot.waitUntil(lambda: view.mode == "sent", timeout=10000)


def _sent(backend: LocalBackend, view: FormView) -> dict[str, Any]:
    forms = cases_ops.case_forms(view.draft.case_id).call(backend)[0]
    sent = next(f for f in forms if f.submitted)
    return dict(sent.answers)


def test_a_disabled_persons_bus_pass_in_england_by_keyboard(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "bus-pass-england")
    at_page(qtbot, view, "who")
    choose(qtbot, view, "applicant", "myself")
    go_on(qtbot, view)
    at_page(qtbot, view, "council")
    write(qtbot, view, "council-area", "Riverside")
    choose(qtbot, view, "existing-pass", "no")
    go_on(qtbot, view)
    at_page(qtbot, view, "pass-type")
    choose(qtbot, view, "pass-type", "disabled")
    go_on(qtbot, view)
    at_page(qtbot, view, "name")
    write(qtbot, view, "given-name", "Olwen")
    write(qtbot, view, "family-name", "Price")
    choose(qtbot, view, "known-by-other-name", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "born")
    write(qtbot, view, "date-of-birth", "07/03/1970")
    go_on(qtbot, view)
    at_page(qtbot, view, "ni")
    choose(qtbot, view, "has-ni-number", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "address")
    address(qtbot, view, "address", "1 High Street", "Bristol", "BS1 4DJ")
    choose(qtbot, view, "main-home", True)
    go_on(qtbot, view)
    at_page(qtbot, view, "contact")
    go_on(qtbot, view)  # all optional
    at_page(qtbot, view, "disability-category")
    choose(qtbot, view, "disability-category", "hearing")
    go_on(qtbot, view)
    at_page(qtbot, view, "hearing")
    choose(qtbot, view, "hearing-level", "profound")
    choose(qtbot, view, "hearing-evidence", "audiogram")
    go_on(qtbot, view)
    at_page(qtbot, view, "health-professional")
    choose(qtbot, view, "consent-contact-professional", True)
    go_on(qtbot, view)
    at_page(qtbot, view, "companion")
    choose(qtbot, view, "companion-needed", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "proof-address")  # no proof of age on this route
    choose(qtbot, view, "proof-address", "council-tax")
    go_on(qtbot, view)
    at_page(qtbot, view, "disability-proof-how")
    choose(qtbot, view, "disability-proof-how", "upload")
    go_on(qtbot, view)
    at_page(qtbot, view, "photo")
    choose(qtbot, view, "photo", "upload")
    go_on(qtbot, view)
    at_page(qtbot, view, "checks")
    choose(qtbot, view, "consent-checks", True)
    choose(qtbot, view, "send-pass-to", "home")
    go_on(qtbot, view)
    assert view.mode == "check"
    screenshot(signed_in, artifacts, "travel-bus-pass-england-check-answers")
    send(qtbot, view)
    sent = _sent(fresh_backend, view)
    assert sent["pass-type"] == "disabled" and sent["hearing-level"] == "profound"
    assert "proof-age" not in sent and "sight-level" not in sent


def test_a_welsh_disabled_persons_card_with_a_companion_by_keyboard(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "concessionary-travel-wales")
    at_page(qtbot, view, "who")
    choose(qtbot, view, "applicant", "myself")
    go_on(qtbot, view)
    at_page(qtbot, view, "card-reason")
    choose(qtbot, view, "card-reason", "new")
    go_on(qtbot, view)
    at_page(qtbot, view, "card-kind")
    choose(qtbot, view, "card-kind", "disabled-companion")
    go_on(qtbot, view)
    at_page(qtbot, view, "name")
    write(qtbot, view, "given-name", "Dafydd")
    write(qtbot, view, "family-name", "Hughes")
    choose(qtbot, view, "name-changed", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "born")
    write(qtbot, view, "date-of-birth", "12/11/1981")
    go_on(qtbot, view)
    at_page(qtbot, view, "ni")
    choose(qtbot, view, "has-ni-number", True)
    write(qtbot, view, "ni-number", "AB123456C")
    go_on(qtbot, view)
    at_page(qtbot, view, "address")
    address(qtbot, view, "address", "4 Heol y Castell", "Caerdydd", "CF10 1BH")
    write(qtbot, view, "council-area", "Caerdydd")
    go_on(qtbot, view)
    at_page(qtbot, view, "contact")
    go_on(qtbot, view)
    at_page(qtbot, view, "proof-name-age")
    choose(qtbot, view, "proof-name-age", "passport")
    go_on(qtbot, view)
    at_page(qtbot, view, "proof-address")
    tick(qtbot, view, "proof-address", {"council-tax", "utility"})
    go_on(qtbot, view)
    at_page(qtbot, view, "disability-category")
    choose(qtbot, view, "disability-category", "veteran")  # Wales's own category
    go_on(qtbot, view)
    at_page(qtbot, view, "veteran")
    choose(qtbot, view, "veteran-award", "afcs")
    choose(qtbot, view, "veteran-letter", True)
    go_on(qtbot, view)
    at_page(qtbot, view, "health-professional")
    choose(qtbot, view, "consent-contact-professional", True)
    go_on(qtbot, view)
    at_page(qtbot, view, "companion")
    tick(qtbot, view, "companion-reasons", {"wheelchair"})
    write(qtbot, view, "companion-description", "Needs someone to push the chair on and off.")
    go_on(qtbot, view)
    at_page(qtbot, view, "photo")
    choose(qtbot, view, "photo", "post")
    go_on(qtbot, view)
    at_page(qtbot, view, "checks")
    choose(qtbot, view, "consent-checks", True)
    go_on(qtbot, view)
    assert view.mode == "check"
    screenshot(signed_in, artifacts, "travel-concessionary-wales-check-answers")
    send(qtbot, view)
    sent = _sent(fresh_backend, view)
    assert sent["card-kind"] == "disabled-companion"
    assert sent["companion-reasons"] == ["wheelchair"]
    assert sorted(sent["proof-address"]) == ["council-tax", "utility"]


def test_healthy_start_for_a_pregnancy_on_income_support_by_keyboard(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    view = start_form(qtbot, signed_in, fresh_backend, "healthy-start")
    at_page(qtbot, view, "country")
    choose(qtbot, view, "country", "wales")
    go_on(qtbot, view)
    at_page(qtbot, view, "pregnancy")
    choose(qtbot, view, "pregnant", True)
    write(qtbot, view, "due-date", "14/08/2031")
    go_on(qtbot, view)
    at_page(qtbot, view, "children")
    choose(qtbot, view, "has-young-children", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "benefits")
    tick(qtbot, view, "benefits", {"income-support"})
    go_on(qtbot, view)
    at_page(qtbot, view, "benefit-holder")  # no Universal Credit or tax credit pages
    choose(qtbot, view, "benefit-holder", "you")
    go_on(qtbot, view)
    at_page(qtbot, view, "your-name")
    write(qtbot, view, "given-name", "Carys")
    write(qtbot, view, "family-name", "Evans")
    go_on(qtbot, view)
    at_page(qtbot, view, "born")
    write(qtbot, view, "date-of-birth", "02/02/1999")
    go_on(qtbot, view)
    at_page(qtbot, view, "ni")
    choose(qtbot, view, "has-ni-number", True)
    write(qtbot, view, "ni-number", "AB123456C")
    go_on(qtbot, view)
    at_page(qtbot, view, "address")
    address(qtbot, view, "address", "9 Stryd Fawr", "Aberystwyth", "SY23 1DE")
    go_on(qtbot, view)
    at_page(qtbot, view, "contact")
    go_on(qtbot, view)
    at_page(qtbot, view, "partner")
    choose(qtbot, view, "has-partner", False)
    go_on(qtbot, view)
    at_page(qtbot, view, "card")
    choose(qtbot, view, "card-to-home", True)
    go_on(qtbot, view)
    at_page(qtbot, view, "checks")
    choose(qtbot, view, "consent-checks", True)
    choose(qtbot, view, "filled-in-by-someone-else", False)
    go_on(qtbot, view)
    assert view.mode == "check"
    screenshot(signed_in, artifacts, "travel-healthy-start-check-answers")
    send(qtbot, view)
    sent = _sent(fresh_backend, view)
    assert sent["benefits"] == ["income-support"] and sent["pregnant"] is True
    assert "children" not in sent and "uc-take-home-under-limit" not in sent
