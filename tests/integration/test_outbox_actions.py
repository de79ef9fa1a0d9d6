"""The outbox facade on a real SQLCipher profile, a real keyring and the Notify fake."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.backend import LocalBackend
from app.sandbox.server import Reply, Request
from casework.kernel.errors import AlongsideError, InvalidInput
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.fakes.pay import running_pay
from tests.fakes.server import Fault
from tests.fakes.submission import running_submission_api
from tests.sync_support import configure_notify, queue_emails
from ui.operations import cases as cases_ops
from ui.operations import sync as sync_ops

pytestmark = pytest.mark.keyring


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


def _case(backend: LocalBackend) -> int:
    return cases_ops.my_cases().call(backend)[0].case_id


def test_run_delivers_sets_aside_and_reports_changed_cases(
    backend: LocalBackend, notify: FakeNotify
) -> None:
    case_id = _case(backend)
    configure_notify(backend._profile, notify)
    good = queue_emails(backend._profile, 3, case_id, bad=1)
    before = backend.sync_status()
    assert (before.waiting, before.needs_attention, before.online) == (4, 0, None)

    outcome = backend.run_sync()

    assert outcome.ran and outcome.finished
    assert outcome.changed_case_ids == {case_id}
    assert (outcome.progress.total, outcome.progress.sent, outcome.progress.set_aside) == (4, 3, 1)
    status = backend.sync_status()
    assert (status.waiting, status.needs_attention, status.online) == (0, 1, True)
    assert status.last_success is not None
    rows = sync_ops.outbox_items(case_id).call(backend)
    (flagged,) = [r for r in rows if r.state == "needs_attention"]
    assert "email_address" in flagged.reason
    assert flagged.can_retry and flagged.can_cancel
    assert all(len(notify.by_reference(i)) == 1 for i in good[:3])
    # A sent item is with the platform: it can be neither cancelled nor retried.
    sent = next(r for r in rows if r.state == "sent")
    assert not sent.can_cancel
    with pytest.raises(AlongsideError, match="already reached the platform"):
        sync_ops.cancel_item(sent.id).call(backend)

    sync_ops.retry_item(flagged.id).call(backend)
    assert backend.sync_status().waiting == 1
    sync_ops.cancel_item(flagged.id).call(backend)
    assert backend.sync_status().waiting == 0
    assert (
        next(r for r in sync_ops.outbox_items().call(backend) if r.id == flagged.id).state
        == "cancelled"
    )


def test_bad_key_stops_the_connector_until_its_key_changes(
    backend: LocalBackend, notify: FakeNotify
) -> None:
    bad = notify.api_key[:-4] + "beef"
    configure_notify(backend._profile, notify, key=bad)
    queue_emails(backend._profile, 2)
    backend.run_sync()
    (stopped,) = backend.sync_status().stopped
    assert stopped.connector == "notify_email"
    assert "refused the API key" in stopped.message
    # The background run leaves the stopped connector alone: nothing reaches Notify.
    served = len(notify.notifications)
    backend.run_sync(retry_stopped=False)
    assert len(notify.notifications) == served
    backend.save_api_key("notify", notify.api_key)
    assert backend.sync_status().stopped == ()
    assert backend.run_sync().progress.sent == 2


def test_one_engine_at_a_time_and_abort(backend: LocalBackend, notify: FakeNotify) -> None:
    configure_notify(backend._profile, notify)
    queue_emails(backend._profile, 40)
    # The platform answers two sends, then holds the rest until the test has
    # aborted: the run cannot finish first, however slowly this thread runs.
    release = threading.Event()
    answer, sends, lock = notify.handle, [0], threading.Lock()

    def held(request: Request) -> Reply:
        if request.method == "POST":
            with lock:
                sends[0] += 1
                hold = sends[0] > 2
            if hold:
                release.wait(PATIENCE_S)
        return answer(request)

    notify.handle = held  # type: ignore[method-assign]
    results = []
    worker = threading.Thread(target=lambda: results.append(backend.run_sync(30)))
    worker.start()
    try:
        while (progress := backend.sync_progress()) is None or progress.done < 2:
            threading.Event().wait(0.01)  # polling for the event, not timing it
        assert not backend.run_sync().ran
        backend.abort_sync()
    finally:
        release.set()
    worker.join(PATIENCE_S)
    (outcome,) = results
    assert outcome.progress.aborted and not outcome.finished
    assert 2 <= outcome.progress.sent < 40
    assert backend.sync_status().waiting == 40 - outcome.progress.sent


def test_check_connection_for_each_platform(backend: LocalBackend, notify: FakeNotify) -> None:
    profile = backend._profile
    ok = backend.check_connection("notify", notify.url, notify.api_key)
    assert ok.ok, ok.message
    refused = backend.check_connection("notify", notify.url, notify.api_key[:-4] + "beef")
    assert not refused.ok and "refused the API key" in refused.message
    notify.clock_offset = 120
    skewed = backend.check_connection("notify", notify.url, notify.api_key)
    assert not skewed.ok and "clock is wrong" in skewed.message
    notify.clock_offset = 0
    nobody = backend.check_connection("notify", "http://127.0.0.1:1", notify.api_key)
    assert not nobody.ok and "nothing answered" in nobody.message
    notify.inject(Fault.HTML_503, method="GET")
    down = backend.check_connection("notify", notify.url, notify.api_key)
    assert not down.ok and "problem of its own" in down.message
    with running_pay() as pay, running_submission_api() as api:
        # Notify's address set to another platform's server.
        wrong = backend.check_connection("notify", pay.url, notify.api_key)
        assert not wrong.ok and "Check the address" in wrong.message
        wrong = backend.check_connection("pay", api.url, pay.api_key)
        assert not wrong.ok and "Check the address" in wrong.message
        assert backend.check_connection("pay", pay.url, pay.api_key).ok
        assert not backend.check_connection("pay", pay.url, "api_test_wrong").ok
        assert backend.check_connection("submission_api", api.url, api.token).ok
        assert "refused the key" in backend.check_connection("submission_api", api.url, "x").message
        assert not api.by_key  # the test request stored nothing
    assert "https://" in backend.check_connection("pay", "pay.example", "k").message
    assert profile.settings.extra.get("notify.base_url") is None  # testing saves nothing


def test_settings_and_keys(backend: LocalBackend, notify: FakeNotify) -> None:
    profile = backend._profile
    with pytest.raises(InvalidInput) as refused:
        backend.save_connector_settings("notify", "notify.example")
    assert "https://" in refused.value.fields["base_url"]
    backend.save_connector_settings("notify", notify.url + "/")
    with pytest.raises(InvalidInput):
        backend.save_api_key("notify", "two words")
    backend.save_api_key("notify", f"  {notify.api_key}\n")
    (setting,) = [s for s in backend.connector_settings() if s.platform == "notify"]
    assert setting.base_url == notify.url and setting.has_key
    assert notify.api_key not in repr(backend.connector_settings())
    assert notify.api_key not in profile.paths.settings.read_text()
    assert backend.check_connection("notify").ok  # the saved address and key


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("k" * 50_000_000, "too long to be a key"),
        ("api_test_" + "é" * 2044, "too long to be a key"),  # 4,097 bytes in UTF-8
        ("api_test_\x00abc", "a control character"),
        ("api_test_\x1b[31m", "a control character"),
    ],
    ids=["50 MB", "over 4 KiB in UTF-8", "null", "escape"],
)
def test_a_key_too_long_or_with_control_characters_is_refused(
    backend: LocalBackend, notify: FakeNotify, key: str, words: str
) -> None:
    backend.save_connector_settings("pay", notify.url)
    with pytest.raises(InvalidInput) as refused:
        backend.save_api_key("pay", key)
    assert words in refused.value.fields["api_key"]
    (setting,) = [s for s in backend.connector_settings() if s.platform == "pay"]
    assert not setting.has_key
    checked = backend.check_connection("pay", notify.url, key)
    assert not checked.ok and words in checked.message


def test_status_names_connectors_with_nothing_set_up(backend: LocalBackend) -> None:
    queue_emails(backend._profile, 1)
    backend.run_sync()
    (held,) = backend.sync_status().stopped
    assert held.connector == "notify_email"
    assert "Open Sync settings" in held.message


def test_offline_is_observed_and_nothing_is_lost(backend: LocalBackend, notify: FakeNotify) -> None:
    profile = backend._profile
    configure_notify(profile, notify)
    profile.settings.set("notify.base_url", "http://127.0.0.1:1")  # nothing listens there
    ids = queue_emails(profile, 2)
    outcome = backend.run_sync()
    assert outcome.progress.sent == 0 and outcome.progress.retrying == 2
    status = backend.sync_status()
    assert status.online is False and status.waiting == 2
    assert {r.id for r in sync_ops.outbox_items().call(backend) if r.state == "queued"} == set(ids)
    reasons = {r.reason for r in sync_ops.outbox_items().call(backend)}
    assert reasons == {"GOV.UK Notify could not be reached."}
    # Back online: Retry now brings them forward and the next run sends them.
    backend.save_connector_settings("notify", notify.url)
    for item_id in ids:
        sync_ops.retry_item(item_id).call(backend)
    assert backend.run_sync().progress.sent == 2
    assert backend.sync_status().online is True


def test_settings_see_a_demo_key_held_in_memory(backend: LocalBackend, notify: FakeNotify) -> None:
    # A demo profile with no keyring keeps its sandbox keys in memory only
    # (``remember_credential``); the settings page and "Test connection" must see them.
    from app import sync_wiring

    profile = backend._profile
    profile_id = profile.settings.profile_id
    sync_wiring.remember_credential(profile_id, "notify", notify.api_key)
    try:
        backend.save_connector_settings("notify", notify.url)
        (setting,) = [s for s in backend.connector_settings() if s.platform == "notify"]
        assert setting.has_key
        assert backend.check_connection("notify").ok
    finally:
        sync_wiring.forget_credentials(profile_id)


def test_settings_refuse_an_unknown_platform_and_a_missing_address(backend: LocalBackend) -> None:
    # Bad input from the settings page (or a stale UI): a name that is no platform,
    # and "Test connection" on a platform with no default address and none typed.
    from casework.kernel.errors import NotFound

    with pytest.raises(NotFound):
        backend.save_connector_settings("nowhere", "https://nowhere.example")
    with pytest.raises(NotFound):
        backend.save_api_key("nowhere", "key")
    with pytest.raises(NotFound):
        backend.check_connection("nowhere")
    no_address = backend.check_connection("submission_api", api_key="token")
    assert not no_address.ok and "Enter the address first" in no_address.message
    assert backend._profile.settings.extra.get("nowhere.base_url") is None


def test_a_connection_check_never_follows_a_redirect(
    backend: LocalBackend, notify: FakeNotify
) -> None:
    """An address that sends us on elsewhere is not the platform, however well
    the other host answers: the check says so, and the other host hears nothing."""
    notify.inject(Fault.REDIRECT, method="GET")
    moved = backend.check_connection("notify", notify.url, notify.api_key)
    assert not moved.ok and "never follows such a redirect" in moved.message, moved.message
    with running_pay() as pay, running_submission_api() as api:
        pay.inject(Fault.REDIRECT, method="GET")
        moved = backend.check_connection("pay", pay.url, pay.api_key)
        assert not moved.ok and "another address" in moved.message, moved.message
        api.inject(Fault.REDIRECT)
        moved = backend.check_connection("submission_api", api.url, api.token)
        assert not moved.ok and "another address" in moved.message, moved.message
        assert pay.decoy.requests == [] and api.decoy.requests == []
    assert notify.decoy.requests == []
    assert backend.check_connection("notify", notify.url, notify.api_key).ok  # once it answers
