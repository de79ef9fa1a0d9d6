"""A profile made before the code moved into feature folders still opens.

The folder ``data/profile-0.1.0-a9589cb`` was made by the released layout
(see its README): today's models, migrations and facade must read it, upgrade
it if its schema is older, and find its people, outbox and audit intact.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.paths import ProfilePaths
from app.profile import open_profile
from delegation import audit
from offline_sync.outbox import list_items
from offline_sync.records import OutboxState
from ui.operations import people as people_ops

MADE_BEFORE = Path(__file__).resolve().parent / "data" / "profile-0.1.0-a9589cb"
KEY = "ab" * 32


def test_a_profile_made_before_the_move_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "profile"
    shutil.copytree(MADE_BEFORE, root)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", KEY)
    opened = open_profile(ProfilePaths(root))
    try:
        backend = LocalBackend(opened)
        backend.sign_in("amira", DEMO_PASSWORD)
        people = people_ops.person_rows(people_ops.list_person_ids().call(backend)).call(backend)
        assert len(people) == 5
        with session_factory(opened.engine).begin() as session:
            items = list_items(session)
            assert [item.state for item in items] == [OutboxState.QUEUED] * 2
            assert audit.verify(session).ok
    finally:
        opened.close()
