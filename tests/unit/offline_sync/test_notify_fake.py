"""The Notify fake is faithful: the official client works against it as against Notify."""

from __future__ import annotations

import uuid

import pytest
import requests
from notifications_python_client.errors import HTTP503Error, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.fakes.notify import CLOCK_ERROR, FakeNotify
from tests.fakes.server import Fault
from tests.unit.offline_sync.samples import TEMPLATE_ID


def _client(notify: FakeNotify, key: str | None = None) -> NotificationsAPIClient:
    return NotificationsAPIClient(key or notify.api_key, base_url=notify.url, timeout=0.5)


def test_send_email_and_sms_then_read_them_back(notify: FakeNotify) -> None:
    client = _client(notify)
    email = client.send_email_notification(
        email_address="amala@example.com",
        template_id=TEMPLATE_ID,
        personalisation={"first_name": "Amala"},
        reference="ref-1",
    )
    sms = client.send_sms_notification(
        phone_number="+447900900123", template_id=TEMPLATE_ID, reference="ref-2"
    )
    assert email["reference"] == "ref-1" and "subject" in email["content"]
    assert sms["reference"] == "ref-2" and "from_number" in sms["content"]

    got = client.get_notification_by_id(email["id"])
    assert got["type"] == "email" and got["status"] == "created"
    assert got["email_address"] == "amala@example.com"

    found = client.get_all_notifications(reference="ref-2")
    assert [n["id"] for n in found["notifications"]] == [sms["id"]]
    assert client.get_all_notifications(reference="nothing")["notifications"] == []
    assert len(list(client.get_all_notifications_iterator())) == 2


def test_statuses_move_on_with_the_platforms_clock(notify: FakeNotify) -> None:
    client = _client(notify)
    good = client.send_email_notification(email_address="a@example.com", template_id=TEMPLATE_ID)
    bad = client.send_email_notification(
        email_address="perm-fail@simulator.notify", template_id=TEMPLATE_ID
    )
    notify.advance(2)
    assert client.get_notification_by_id(good["id"])["status"] == "sending"
    # The platform's clock moved, so this client's tokens would now be 2 s old: still fine.
    notify.advance(4)
    assert client.get_notification_by_id(good["id"])["status"] == "delivered"
    assert client.get_notification_by_id(bad["id"])["status"] == "permanent-failure"


def test_validation_errors_have_notifys_shape(notify: FakeNotify) -> None:
    client = _client(notify)
    with pytest.raises(HTTPError) as raised:
        client.post(
            "/v2/notifications/email",
            data={"template_id": "not-a-uuid", "surprise": 1},
        )
    assert raised.value.status_code == 400
    body = raised.value.response.json()  # type: ignore[union-attr]
    assert body["status_code"] == 400
    messages = {e["message"] for e in body["errors"]}
    assert {e["error"] for e in body["errors"]} == {"ValidationError"}
    assert "'email_address' is a required property" in messages
    assert any("surprise" in m for m in messages)
    assert "template_id is not a valid UUID" in messages
    with pytest.raises(HTTPError) as long_reference:
        client.send_sms_notification("07700900123", TEMPLATE_ID, reference="r" * 1001)
    assert long_reference.value.status_code == 400


def test_a_wrong_key_and_a_wrong_clock_are_refused_with_403(notify: FakeNotify) -> None:
    wrong_secret = f"key-{notify.service_id}-{uuid.uuid4()}"
    with pytest.raises(HTTPError) as raised:
        _client(notify, wrong_secret).get_all_notifications()
    assert raised.value.status_code == 403
    assert raised.value.message == [
        {"error": "AuthError", "message": "Invalid token: API key not found"}
    ]

    notify.advance(31)
    with pytest.raises(HTTPError) as skewed:
        _client(notify).get_all_notifications()
    assert skewed.value.status_code == 403
    assert skewed.value.message == [{"error": "AuthError", "message": CLOCK_ERROR}]


def test_no_token_is_401(notify: FakeNotify) -> None:
    reply = requests.get(f"{notify.url}/v2/notifications", timeout=2)
    assert reply.status_code == 401
    assert reply.json()["errors"][0]["error"] == "AuthError"


def test_faults_reach_the_client_as_notify_would_send_them(notify: FakeNotify) -> None:
    client = _client(notify)
    notify.inject(Fault.HTTP_500)
    with pytest.raises(HTTPError) as server_error:
        client.send_sms_notification("07700900123", TEMPLATE_ID)
    assert server_error.value.status_code == 500
    assert server_error.value.message == [
        {"error": "Exception", "message": "Internal server error"}
    ]
    notify.inject(Fault.HTML_503)
    with pytest.raises(HTTP503Error):
        client.send_sms_notification("07700900123", TEMPLATE_ID)
    # The client turns a dropped connection and a timeout into a 503 with no response.
    for fault in (Fault.DROP, Fault.SLOW, Fault.COMMIT_THEN_FAIL):
        notify.inject(fault)
        with pytest.raises(HTTP503Error) as lost:
            client.send_sms_notification("07700900123", TEMPLATE_ID, reference=fault.value)
        assert lost.value.response is None
    # Stored although no reply came back: exactly what makes resending dangerous.
    assert notify.by_reference(Fault.DROP.value) == []
    assert len(notify.by_reference(Fault.SLOW.value)) == 1
    assert len(notify.by_reference(Fault.COMMIT_THEN_FAIL.value)) == 1


def test_the_daily_limit(notify: FakeNotify) -> None:
    notify.daily_limit = 1
    client = _client(notify)
    client.send_sms_notification("07700900123", TEMPLATE_ID)
    with pytest.raises(HTTPError) as limited:
        client.send_sms_notification("07700900123", TEMPLATE_ID)
    assert limited.value.status_code == 429
    assert limited.value.message[0]["error"] == "TooManyRequestsError"  # type: ignore[index]
    assert "Retry-After" not in limited.value.response.headers  # type: ignore[union-attr]
