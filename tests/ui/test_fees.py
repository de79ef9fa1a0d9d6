"""The case's Fee tab in the real window: a fee waiting offline, the payment
page opened in the system browser and shown as a QR code, and a new payment
after the first expired, against the Pay fake on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.backend import LocalBackend
from app.database import session_factory
from app.settings import save_settings
from app.sync_wiring import store_credential
from casework.kernel.models import Case, Person, utcnow
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.fakes.pay import FakePay, running_pay
from tests.ui.conftest import sign_in
from tests.ui.test_accessibility import _unnamed
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.payments.panel import FeePanel
from ui.qt import QtCore, QtGui
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring


@pytest.fixture
def pay() -> Iterator[FakePay]:
    with running_pay() as fake:
        yield fake


class Browser(QtCore.QObject):
    """Stands in for the system browser: Qt hands it the address to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @QtCore.Slot(QtCore.QUrl)
    def show(self, url: QtCore.QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[Browser]:
    found = Browser()
    for scheme in ("http", "https"):
        QtGui.QDesktopServices.setUrlHandler(scheme, found, "show")
    yield found
    for scheme in ("http", "https"):
        QtGui.QDesktopServices.unsetUrlHandler(scheme)


def _backend(win: MainWindow) -> LocalBackend:
    backend = win.backend
    assert isinstance(backend, LocalBackend)
    return backend


def _case_with_fee(qtbot: QtBot, win: MainWindow) -> int:
    """A case whose Blue Badge fee (£10, England) is queued, shown on its Fee tab."""
    backend = _backend(win)
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge").call(backend)
    with session_factory(backend._profile.engine, write=True).begin() as session:
        session.execute(update(Person).where(Person.id == person_id).values(postcode="SW1A 1AA"))
        reference = session.scalar(select(Case.reference).where(Case.id == case_id))
        body = {
            "amount": 1000,
            "description": "Blue Badge: fee",
            "reference": str(reference),
            "return_url": "https://www.gov.uk/apply-blue-badge",
            "language": "en",
        }
        outbox.enqueue(session, Connector.PAY, body, case_id)
    win.open_case(case_id)
    view = win.case_view
    qtbot.waitUntil(lambda: view.case is not None and view.case.id == case_id)
    view.tabs.setCurrentWidget(view.fees)
    qtbot.waitUntil(lambda: view.fees.tree.topLevelItemCount() == 1)
    return case_id


def _connect_pay(win: MainWindow, pay: FakePay) -> None:
    profile = _backend(win)._profile
    profile.settings.set("pay.base_url", pay.url)
    save_settings(profile.paths.settings, profile.settings)
    store_credential(profile.settings.profile_id, "pay", pay.api_key)


def _sync(qtbot: QtBot, win: MainWindow) -> None:
    with qtbot.waitSignal(win.sync_ui.run_finished, timeout=20000):
        win.sync_ui.sync_now()


def _poll_due(win: MainWindow) -> None:
    """Time passes: the payment's next look is due now."""
    with session_factory(_backend(win)._profile.engine, write=True).begin() as session:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.state == OutboxState.SENT)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


def test_offline_the_fee_waits_and_nothing_can_be_opened(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    _case_with_fee(qtbot, signed_in)
    panel = signed_in.case_view.fees
    assert "is waiting" in panel.words.text() and "Nothing else waits" in panel.words.text()
    assert not panel.open_button.isEnabled() and not panel.qr_button.isEnabled()
    assert not panel.new_button.isEnabled()
    assert _unnamed(panel) == []


def test_open_the_page_show_the_qr_code_and_pay_again_after_expiry(
    qtbot: QtBot, window: MainWindow, pay: FakePay, browser: Browser, artifacts: Path
) -> None:
    _connect_pay(window, pay)
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: not window.sync_ui.running)
    _case_with_fee(qtbot, window)
    panel: FeePanel = window.case_view.fees
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: panel.open_button.isEnabled(), timeout=10000)
    (payment,) = pay.payments.values()
    link = f"{pay.url}/secure/{payment.id}"
    assert "ready to pay" in panel.words.text()
    assert not panel.new_button.isEnabled()  # never while one is open
    assert window.grab().save(str(artifacts / "fees-01-case-fee-tab.png"))

    panel.open_button.setFocus()
    qtbot.keyClick(panel.open_button, QtCore.Qt.Key.Key_Space)
    assert browser.opened == [link]

    qtbot.keyClick(panel.qr_button, QtCore.Qt.Key.Key_Space)
    dialog = window.fees_ui.qr_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert _unnamed(dialog) == []
    assert dialog.grab().save(str(artifacts / "fees-02-qr-code.png"))
    (code,) = zxingcpp.read_barcodes(_as_picture(dialog.image))
    assert code.text == link
    dialog.reject()

    pay.advance(91 * 60)  # nobody paid: Pay expires it
    _poll_due(window)
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: panel.new_button.isEnabled(), timeout=10000)
    assert "expired" in panel.words.text() and not panel.open_button.isEnabled()
    qtbot.keyClick(panel.new_button, QtCore.Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "is waiting" in panel.words.text(), timeout=10000)
    assert not panel.new_button.isEnabled()
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: panel.open_button.isEnabled(), timeout=10000)
    assert len(pay.payments) == 2 and len(pay.by_key) == 2

    new = next(p for p in pay.payments.values() if p.id != payment.id)
    pay.pay(new.id)
    _poll_due(window)
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: panel.words.text() == "The fee of £10.00 has been paid.", timeout=10000)

    def received() -> list[str]:
        case = window.case_view.case
        return [e.summary for e in case.timeline if "received" in e.summary] if case else []

    qtbot.waitUntil(lambda: received() == ["Payment of £10.00 received."], timeout=10000)


def _as_picture(image: QtGui.QImage) -> object:
    """The image as PIL reads it (what zxing-cpp decodes)."""
    import io

    from PIL import Image

    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data())))
