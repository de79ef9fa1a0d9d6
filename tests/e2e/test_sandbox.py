"""The local sandbox platform: ``alongside sandbox`` as a process, and the demo's own.

``alongside sandbox --port P`` prints where each fake is and its key, serves
real requests (the official Notify client sends through it), and stops on
Ctrl+C. ``alongside --demo`` wiring, run headless here: the demo profile is
pointed at a sandbox it started itself, marked ``sandbox.enabled``, its
sandbox keys kept in the keyring (or in memory only), and its queued demo
submissions drain to the sandbox.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from notifications_python_client.notifications import NotificationsAPIClient

from app import sync_wiring
from app.database import session_factory
from app.demo import sandbox as demo_sandbox
from app.profile import OpenProfile
from offline_sync import outbox
from offline_sync.records import Connector, OutboxState
from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]


def _free_ports(n: int) -> int:
    """A port with ``n`` free ports from it (checked just now)."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = int(probe.getsockname()[1])
        if first + n > 65530:
            continue
        try:
            held = []
            for port in range(first, first + n):
                s = socket.socket()
                held.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
        return first
    raise RuntimeError("no run of free ports")


IN_THE_BACKGROUND = ["sh", "-c", "trap '' INT; exec \"$@\"", "sh"]


def test_alongside_sandbox_serves_prints_its_keys_and_stops_on_ctrl_c() -> None:
    port = _free_ports(5)
    # Started the way a script starts it in the background: a shell that
    # ignores SIGINT, which the program inherits. Ctrl+C must still stop it.
    process = subprocess.Popen(
        [*IN_THE_BACKGROUND, sys.executable, "-m", "app", "sandbox", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl+C"):
                break
        text = "\n".join(lines)
        assert text.startswith("SANDBOX:")
        urls = dict(line.split("\t") for line in lines if "\t" in line)
        assert urls["notify"] == f"http://127.0.0.1:{port}"
        assert urls["postcodes_io"] == f"http://127.0.0.1:{port + 4}"
        key = re.search(r"echo (\S+) \| alongside credentials set notify", text)
        assert key is not None
        assert f"alongside settings set notify.base_url {urls['notify']}" in text

        client = NotificationsAPIClient(key.group(1), base_url=urls["notify"], timeout=PATIENCE_S)
        sent = client.send_email_notification(
            email_address="nia@example.com",
            template_id="f33517ff-2a88-4f6e-b855-c550268ce08a",
            reference="sandbox-check",
        )
        assert client.get_notification_by_id(sent["id"])["reference"] == "sandbox-check"
        valid = requests.get(
            f"{urls['postcodes_io']}/postcodes/CF101AA/validate", timeout=PATIENCE_S
        )
        assert valid.json() == {"status": 200, "result": True}

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=PATIENCE_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Sandbox stopped." in out and "Traceback" not in err


def test_a_port_in_use_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["sandbox", "--port", str(port)]) == 1
    assert "could not start on port" in capsys.readouterr().err


@pytest.fixture
def demo_profile_with_sandbox() -> Iterator[OpenProfile]:
    """What ``alongside --demo`` makes, without the window."""
    from app.gui import make_demo_profile

    profile = make_demo_profile()
    yield profile
    profile.close()
    for platform in demo_sandbox.RUNNING:
        platform.stop()
    demo_sandbox.RUNNING.clear()


@pytest.mark.keyring
def test_the_demo_starts_its_sandbox_and_drains_its_queued_submissions_to_it(
    demo_profile_with_sandbox: OpenProfile,
) -> None:
    profile = demo_profile_with_sandbox
    platform = demo_sandbox.RUNNING[-1]
    extra = profile.settings.extra
    assert extra["sandbox.enabled"] == "true"
    assert extra["notify.base_url"] == platform.notify.url
    assert extra["submission_api.base_url"].startswith("http://127.0.0.1:")
    saved = profile.paths.settings.read_text()
    assert '"sandbox.enabled": "true"' in saved
    profile_id = profile.settings.profile_id
    assert sync_wiring.read_credential(profile_id, Connector.NOTIFY_EMAIL) == (
        platform.notify.api_key
    )
    with session_factory(profile.engine)() as session:
        waiting = outbox.list_items(session, states=[OutboxState.QUEUED])
    submissions = [i for i in waiting if i.connector == Connector.SUBMISSION_API]
    assert len(submissions) == 3 and all(i.case_id is not None for i in submissions)
    # The demo's messages: three to people, and the demo escalations' emails.
    messages = [i for i in waiting if i.connector == Connector.NOTIFY_EMAIL]
    assert len(messages) >= 3 and len(waiting) == len(submissions) + len(messages)

    wiring = sync_wiring.build_connectors(profile.settings)
    assert not wiring.missing
    result = sync_wiring.make_engine(profile, wiring).drain(max_wait=30)
    assert result.finished
    assert result.counts == {"delivered": len(submissions), "sent": len(messages)}
    for item in submissions:
        assert len(platform.submission_api.by_key[item.id].body["answers"]) == 2
    assert len(platform.notify.notifications) == len(messages)
    for secret in platform.credentials().values():
        for path in profile.paths.root.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes()


def test_without_a_keyring_the_demo_keeps_sandbox_keys_in_memory_only(
    tmp_path: Path,
) -> None:
    import secrets as tokens

    from app.paths import ProfilePaths
    from app.profile import create_profile

    profile = create_profile(
        ProfilePaths(tmp_path / "profile"), demo=True, key=tokens.token_bytes(32)
    )
    try:
        platform = demo_sandbox.attach_sandbox(profile, use_keyring=False)
        profile_id = profile.settings.profile_id
        assert sync_wiring.read_credential(profile_id, Connector.PAY) == platform.pay.api_key
        for secret in platform.credentials().values():
            for path in profile.paths.root.rglob("*"):
                if path.is_file():
                    assert secret.encode() not in path.read_bytes()
        sync_wiring.forget_credentials(profile_id)
        assert sync_wiring.read_credential(profile_id, Connector.PAY) is None
    finally:
        for running in demo_sandbox.RUNNING:
            running.stop()
        demo_sandbox.RUNNING.clear()
        profile.close()


def test_the_sandboxs_payments_succeed_on_their_own() -> None:
    from app.sandbox.platform import DEMO_PAYMENT_SECONDS, SandboxPlatform
    from tests.unit.offline_sync import samples

    with SandboxPlatform() as platform:
        headers = {"Authorization": f"Bearer {platform.pay.api_key}"}
        made = requests.post(
            f"{platform.pay.url}/v1/payments",
            json=samples.payment(),
            headers=headers,
            timeout=PATIENCE_S,
        ).json()
        link = f"{platform.pay.url}/v1/payments/{made['payment_id']}"
        assert requests.get(link, headers=headers, timeout=PATIENCE_S).json()["state"][
            "status"
        ] == ("created")
        platform.pay.advance(DEMO_PAYMENT_SECONDS + 1)
        state = requests.get(link, headers=headers, timeout=PATIENCE_S).json()["state"]
        assert state == {"status": "success", "finished": True}


def test_alongside_sandbox_refuses_a_bad_port_and_one_in_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    assert main(["sandbox", "--port", "80"]) == 1
    assert "Choose a port from 1024 to 65530" in capsys.readouterr().err
    port = _free_ports(5)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port + 2))  # the third fake's port: two have started
        taken.listen()
        assert main(["sandbox", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"could not start on port {port}" in err and "Choose another port" in err
    with socket.socket() as again:  # the two that started were stopped again
        again.bind(("127.0.0.1", port))
