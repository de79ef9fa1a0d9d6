""" "Find address" on the UK address question, against the OS Places and postcodes.io fakes.

A real ``AddressField`` and ``Operations`` runner, the real facade (``look_up_address``
on a SQLCipher demo profile) and the fakes over loopback, the OS Places key
in a real keyring. The lookup runs on a worker; the list is reached and
chosen from the keyboard; what was typed can be put back; with the services
down the address is kept as typed and the answer still reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from app.sync_wiring import store_credential
from casework.forms.definitions import parse_definition
from offline_sync import outbox
from offline_sync.records import Connector, OutboxState
from tests.fakes.addresses import Address, AddressBook
from tests.fakes.os_places import FakeOSPlaces
from tests.fakes.postcodes_io import FakePostcodesIO
from tests.ui.conftest import sign_in
from tests.ui.form_driver import press, type_into
from tests.ui.test_accessibility import _unnamed
from tests.unit.casework.forms.sample_service import sample_bytes
from ui.forms.fields import AddressField, field_for
from ui.operations import Operations, address
from ui.operations import cases as cases_ops
from ui.qt import Qt
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring
HOMES = [
    Address("100023336956", "1", "HEOL Y FRENHINES", "CARDIFF", "CF10 2AB"),
    Address("100023336957", "2", "HEOL Y FRENHINES", "CARDIFF", "CF10 2AB", "Y SIOP"),
]


@pytest.fixture
def book() -> AddressBook:
    book = AddressBook()
    book.add("CF10 2AB", HOMES)
    return book


@pytest.fixture
def fakes(book: AddressBook) -> Iterator[tuple[FakeOSPlaces, FakePostcodesIO]]:
    with FakeOSPlaces(book=book) as places, FakePostcodesIO(book=book) as codes:
        yield places, codes


def _backend(profile: OpenProfile, places: FakeOSPlaces, codes: FakePostcodesIO) -> LocalBackend:
    profile.settings.set("os_places.base_url", places.url)
    profile.settings.set("postcodes_io.base_url", codes.url)
    store_credential(profile.settings.profile_id, "address_lookup", places.api_key)
    backend = LocalBackend(profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    return backend


def _field(qtbot: QtBot, backend: LocalBackend) -> tuple[AddressField, Operations]:
    service = parse_definition(sample_bytes(), "sample-service.json")
    field = field_for(service.question("home"), "en")
    assert isinstance(field, AddressField)
    tasks = Operations(backend)
    case_id = cases_ops.my_cases().call(backend)[0].case_id
    field.use_lookup(tasks, lambda postcode: address.look_up_address(postcode, case_id))
    qtbot.addWidget(field)
    field.resize(560, 460)
    field.show()
    qtbot.waitExposed(field)
    return field, tasks


def test_find_address_lists_the_postcode_and_fills_the_choice_from_the_keyboard(
    qtbot: QtBot,
    demo_profile: OpenProfile,
    fakes: tuple[FakeOSPlaces, FakePostcodesIO],
    artifacts: Path,
) -> None:
    places, codes = fakes
    field, tasks = _field(qtbot, _backend(demo_profile, places, codes))
    finder = field.finder
    assert finder.isVisible() and _unnamed(field) == []
    type_into(qtbot, field.line1, "Flat 9, typed by hand")
    type_into(qtbot, field.postcode, "cf10 2ab")
    press(qtbot, finder.find_button)
    qtbot.waitUntil(lambda: finder.matches.isVisible(), timeout=10000)
    assert [finder.matches.item(i).text() for i in range(finder.matches.count())] == [
        "1, HEOL Y FRENHINES, CARDIFF, CF10 2AB",
        "Y SIOP, 2, HEOL Y FRENHINES, CARDIFF, CF10 2AB",
    ]
    assert "2 addresses found at CF10 2AB" in finder.status.text()
    assert field.line1.text() == "Flat 9, typed by hand"  # nothing changes until a choice
    assert finder.matches.hasFocus() and _unnamed(field) == []
    field.adjustSize()
    field.grab().save(str(artifacts / "address-01-found.png"))
    qtbot.keyClick(finder.matches, Qt.Key.Key_Down)
    qtbot.keyClick(finder.matches, Qt.Key.Key_Return)
    assert field.raw() == {
        "lines": ["Y SIOP", "2 HEOL Y FRENHINES"],
        "town": "CARDIFF",
        "postcode": "CF10 2AB",
    }
    assert "Address filled in" in finder.status.text() and not finder.matches.isVisible()
    field.adjustSize()
    field.grab().save(str(artifacts / "address-02-filled.png"))
    press(qtbot, finder.undo_button)
    assert field.line1.text() == "Flat 9, typed by hand"  # what was typed is put back
    assert field.postcode.text() == "cf10 2ab"
    # A second lookup comes from the profile's cache: no new request.
    asked = places.requests_received
    press(qtbot, finder.find_button)
    qtbot.waitUntil(lambda: finder.matches.isVisible(), timeout=10000)
    assert places.requests_received == asked
    tasks.wait_idle()


def test_put_back_after_two_picks_restores_what_was_typed(
    qtbot: QtBot, demo_profile: OpenProfile, fakes: tuple[FakeOSPlaces, FakePostcodesIO]
) -> None:
    places, codes = fakes
    field, tasks = _field(qtbot, _backend(demo_profile, places, codes))
    finder = field.finder
    type_into(qtbot, field.line1, "Flat 9, typed by hand")
    type_into(qtbot, field.postcode, "cf10 2ab")
    for _pick in range(2):  # the first choice was wrong: find again and choose another
        press(qtbot, finder.find_button)
        qtbot.waitUntil(lambda: finder.matches.isVisible(), timeout=10000)
        qtbot.keyClick(finder.matches, Qt.Key.Key_Down)
        qtbot.keyClick(finder.matches, Qt.Key.Key_Return)
    assert field.line1.text() != "Flat 9, typed by hand"
    press(qtbot, finder.undo_button)
    assert field.line1.text() == "Flat 9, typed by hand"
    assert field.postcode.text() == "cf10 2ab"
    tasks.wait_idle()


def test_with_the_services_down_the_address_is_kept_as_typed_and_queued(
    qtbot: QtBot,
    demo_profile: OpenProfile,
    fakes: tuple[FakeOSPlaces, FakePostcodesIO],
    artifacts: Path,
) -> None:
    places, codes = fakes
    backend = _backend(demo_profile, places, codes)
    places.stop()
    codes.stop()
    field, tasks = _field(qtbot, backend)
    finder = field.finder
    type_into(qtbot, field.line1, "3 Station Road")
    type_into(qtbot, field.town, "Cardiff")
    type_into(qtbot, field.postcode, "CF10 2AB")
    press(qtbot, finder.find_button)
    assert finder.busy.isVisible() or finder.status.text()
    qtbot.waitUntil(lambda: "Kept as typed" in finder.status.text(), timeout=15000)
    assert "it will be looked up when online" in finder.status.text()
    assert finder.find_button.isEnabled() and not finder.busy.isVisible()
    assert not finder.matches.isVisible()
    # Continue is never held up: the answer reads as typed.
    assert field.value() == {"lines": ["3 Station Road"], "town": "Cardiff", "postcode": "CF10 2AB"}
    with backend._tx(write=False) as session:
        waiting = outbox.list_items(session, connector=Connector.ADDRESS_LOOKUP)
    assert [i.state for i in waiting] == [OutboxState.QUEUED]
    field.adjustSize()
    field.grab().save(str(artifacts / "address-03-offline.png"))
    tasks.wait_idle()


def test_a_postcode_of_the_wrong_shape_is_explained_without_a_request(
    qtbot: QtBot, demo_profile: OpenProfile, fakes: tuple[FakeOSPlaces, FakePostcodesIO]
) -> None:
    places, codes = fakes
    field, tasks = _field(qtbot, _backend(demo_profile, places, codes))
    type_into(qtbot, field.postcode, "not one")
    press(qtbot, field.finder.find_button)
    assert "Enter a real postcode, like CF10 1AA" in field.finder.status.text()
    assert places.requests_received == codes.requests_received == 0
    tasks.wait_idle()


def test_settings_page_tests_os_places_and_postcodes_io_from_the_keyboard(
    qtbot: QtBot,
    window: MainWindow,
    fakes: tuple[FakeOSPlaces, FakePostcodesIO],
    artifacts: Path,
) -> None:
    places, codes = fakes
    sign_in(qtbot, window)
    window.sync_ui.open_settings()
    qtbot.waitUntil(lambda: window.sync_ui.settings_dialog is not None)
    dialog = window.sync_ui.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert _unnamed(dialog) == []
    box = dialog.boxes["os_places"]
    type_into(qtbot, box.url, places.url)
    type_into(qtbot, box.key, "not-the-key")
    press(qtbot, box.test_button)
    qtbot.waitUntil(lambda: "refused the key" in box.result.text(), timeout=10000)
    type_into(qtbot, box.key, places.api_key)
    press(qtbot, box.test_button)
    qtbot.waitUntil(lambda: "the key works" in box.result.text(), timeout=10000)
    assert box.key.text() == places.api_key  # tested, not saved: what was typed stays
    codes_box = dialog.boxes["postcodes_io"]
    assert codes_box.key.isHidden() and "needs no key" in codes_box.key_state.text()
    type_into(qtbot, codes_box.url, codes.url)
    press(qtbot, codes_box.test_button)
    qtbot.waitUntil(lambda: "it answers" in codes_box.result.text(), timeout=10000)
    dialog.grab().save(str(artifacts / "address-04-settings.png"))
    window.ops.wait_idle()


def test_a_refused_key_says_what_to_check_and_keeps_the_address(
    qtbot: QtBot, demo_profile: OpenProfile, fakes: tuple[FakeOSPlaces, FakePostcodesIO]
) -> None:
    places, codes = fakes
    backend = _backend(demo_profile, places, codes)
    store_credential(demo_profile.settings.profile_id, "address_lookup", "a-revoked-key")
    field, tasks = _field(qtbot, backend)
    type_into(qtbot, field.line1, "4 Station Road")
    type_into(qtbot, field.postcode, "CF10 2AB")
    press(qtbot, field.finder.find_button)
    qtbot.waitUntil(lambda: "kept as typed" in field.finder.status.text(), timeout=10000)
    assert "OS Places refused the API key" in field.finder.status.text()
    assert field.line1.text() == "4 Station Road" and not field.finder.matches.isVisible()
    tasks.wait_idle()


def test_the_form_in_the_window_offers_find_address_on_its_address_question(
    qtbot: QtBot,
    demo_profile: OpenProfile,
    fakes: tuple[FakeOSPlaces, FakePostcodesIO],
    tmp_path: Path,
) -> None:
    from tests.ui.form_driver import continue_page, fill_page
    from tests.ui.test_forms import _open_case_forms, _start

    places, codes = fakes
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "sample-service.json").write_bytes(sample_bytes())
    _backend(demo_profile, places, codes)  # the fakes' addresses and key
    demo_profile.settings.demo = True
    backend = LocalBackend(demo_profile, services_dir=folder)
    win = MainWindow(backend)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    sign_in(qtbot, win)
    _open_case_forms(qtbot, win, backend)
    view = _start(qtbot, win, "sample-service")
    for _page in range(12):
        if "home" in view.fields:
            break
        fill_page(qtbot, view)
        continue_page(qtbot, view)
        qtbot.waitUntil(lambda: not win.ops.busy)
    field = view.fields["home"]
    assert isinstance(field, AddressField) and field.finder.isVisible()
    type_into(qtbot, field.postcode, "CF10 2AB")
    press(qtbot, field.finder.find_button)
    qtbot.waitUntil(lambda: field.finder.matches.isVisible(), timeout=10000)
    qtbot.keyClick(field.finder.matches, Qt.Key.Key_Return)
    assert field.line1.text() == "1 HEOL Y FRENHINES" and field.town.text() == "CARDIFF"
    win.ops.wait_idle()
