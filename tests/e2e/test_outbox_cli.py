"""``alongside outbox`` in its own process, on a demo profile: who each item is
for, the case, the service, the route and the state, in words (English or
Welsh), under the same policy decision as the window: a worker sees the names
of their own team's people only, and a wrong password lists nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.demo.people import DEMO_PASSWORD
from offline_sync.records import Connector, OutboxState
from tests.e2e.test_demo_queued import Alongside

pytestmark = pytest.mark.keyring

HIDDEN = "Someone in another team's caseload"
VALUES = {c.value for c in Connector} | {s.value for s in OutboxState}


@pytest.fixture
def cli(tmp_path: Path) -> Alongside:
    return Alongside(tmp_path / "profile")


def _as(cli: Alongside, user: str, *args: str, password: str = DEMO_PASSWORD, code: int = 0) -> str:
    cli.env = {**cli.env, "ALONGSIDE_PASSWORD": password}
    return cli("outbox", "--user", user, *args, code=code)


def test_the_outbox_lists_who_case_service_route_and_state_as_the_policy_allows(
    cli: Alongside,
) -> None:
    cli("demo-data", "--people", "30", "--seed", "3", "--queued", "8")
    everything = json.loads(_as(cli, "amira", "--json"))
    # A form with a fee in the person's nation asks for it as an item of its own.
    fees = [i for i in everything if i["connector"] == "pay"]
    assert all(i["route"] == "Payment request" for i in fees)
    amira = [i for i in everything if i["connector"] != "pay"]
    sam = [i for i in json.loads(_as(cli, "sam", "--json")) if i["connector"] != "pay"]
    assert len(amira) == len(sam) == 8
    assert {i["id"] for i in amira} == {i["id"] for i in sam}
    for item in amira:
        assert item["route"] == "Form to the department" and item["state"] == "Waiting to send"
        assert item["connector"] == "submission_api" and item["service_id"]
        assert item["service"] not in ("", "-", item["service_id"])
    theirs = {i["id"]: i for i in sam}
    for item in amira:
        other = theirs[item["id"]]
        # Exactly one of the two teams may see each person: a name there, no one here.
        assert (item["person"] == HIDDEN) != (other["person"] == HIDDEN)
        seen, hidden = (other, item) if item["person"] == HIDDEN else (item, other)
        assert seen["case"].startswith("AL-") and seen["person"] != HIDDEN
        assert hidden["case"] == "-" and hidden["service"] == seen["service"]
    assert any(i["person"] != HIDDEN for i in amira)  # the demo queues Riverside's forms
    assert any(i["person"] == HIDDEN for i in sam)

    table = _as(cli, "amira").splitlines()
    assert table[0].split() == ["Person", "Case", "Service", "Route", "State", "Reason"]
    assert len(table) == 1 + len(everything)
    words = "\n".join(table)
    for item in amira:
        assert item["id"] not in words and item["service_id"] not in words
    assert not any(value in words.split() for value in VALUES)
    for item in amira:
        assert any(item["person"] in line and item["service"] in line for line in table[1:])

    welsh = _as(cli, "amira", "--lang", "cy").splitlines()
    assert welsh[0].split() == ["Unigolyn", "Achos", "Gwasanaeth", "Llwybr", "Cyflwr", "Rheswm"]
    routes = sorted(("Ffurflen i'r adran" in line, "Cais am daliad" in line) for line in welsh[1:])
    assert routes == [(False, True)] * len(fees) + [(True, False)] * len(amira), welsh
    assert all("Yn aros i’w anfon" in line for line in welsh[1:])
    hidden_cy = _as(cli, "sam", "--lang", "cy")
    assert "Rhywun yn llwyth achosion tîm arall" in hidden_cy


def test_a_wrong_password_lists_nothing(cli: Alongside) -> None:
    cli("demo-data", "--people", "4", "--queued", "2")
    err = _as(cli, "amira", password="not-the-password", code=1)
    assert "AL-" not in err and "Form to the department" not in err
