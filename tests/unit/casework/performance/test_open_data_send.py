"""Sending the open data needs an administrator: a supervisor's request waits
and queues nothing, an administrator's approval queues exactly one Notify
email with the CSV attached, and a second approval queues nothing more."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from app.profile import OpenProfile
from casework.forms import definitions
from casework.forms.routes import DEFAULT_FORM_TEMPLATE_ID
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.records import Actor
from casework.performance import open_data_send as send
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.unit.conftest import WriteSession

CATALOGUE = definitions.load_catalogue()
START, END = date(2026, 3, 2), date(2026, 3, 29)
OWNER = "owner@service.example.gov.uk"


def _items(write: WriteSession) -> int:
    with write() as session:
        return session.scalar(select(func.count()).select_from(OutboxItem)) or 0


def _approve(write: WriteSession, admin: Actor, number: int) -> str:
    with write() as session:
        return send.approve_send(
            session, admin, number, DEFAULT_FORM_TEMPLATE_ID, catalogue=CATALOGUE
        )


def test_a_request_waits_for_an_administrator_who_queues_one_email(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    gwen, admin = actor("gwen"), actor("admin")
    with write() as session:
        number = send.request_send(session, gwen, START, END, OWNER)
    assert _items(write) == 0
    with write() as session, pytest.raises(AccessRefused):  # a supervisor cannot approve
        send.approve_send(session, gwen, number, DEFAULT_FORM_TEMPLATE_ID, catalogue=CATALOGUE)
    assert _items(write) == 0
    with write() as session:
        waiting = send.pending_sends(session, admin)
    assert [(w.number, w.email, w.asked_by) for w in waiting] == [(number, OWNER, "Gwen Morgan")]

    item_id = _approve(write, admin, number)
    with write() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        assert (item.connector, item.state) == (Connector.NOTIFY_EMAIL, OutboxState.QUEUED)
        body = json.loads(item.body)
        assert body["email_address"] == OWNER
        upload = body["personalisation"]["link_to_file"]
        assert upload["filename"] == "open-data.csv"
        assert base64.b64decode(upload["file"]).startswith(b"week_starting,service,")
        assert send.pending_sends(session, admin) == []
    with pytest.raises(AccessRefused):
        _approve(write, admin, number)
    assert _items(write) == 1


def test_a_non_administrator_cannot_send_directly(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    for username in ("gwen", "amira"):
        with write() as session, pytest.raises(AccessRefused):
            send.send_directly(
                session, actor(username), START, END, OWNER, DEFAULT_FORM_TEMPLATE_ID,
                catalogue=CATALOGUE,
            )  # fmt: skip
    with write() as session, pytest.raises(AccessRefused):  # an adviser cannot even ask
        send.request_send(session, actor("amira"), START, END, OWNER)
    assert _items(write) == 0
    with write() as session:
        send.send_directly(
            session, actor("admin"), START, END, OWNER, DEFAULT_FORM_TEMPLATE_ID,
            catalogue=CATALOGUE,
        )  # fmt: skip
    assert _items(write) == 1


def test_an_address_that_is_not_an_email_is_refused_beside_the_field(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    with write() as session, pytest.raises(InvalidInput) as refused:
        send.request_send(session, actor("gwen"), START, END, "not an address")
    assert "email" in refused.value.fields
