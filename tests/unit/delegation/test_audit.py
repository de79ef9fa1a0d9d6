"""The audit chain (delegation.audit): append-only in the database, and any
edit, deletion or reordering found by ``verify`` and ``alongside audit verify``."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from app import cli
from app.profile import OpenProfile
from casework.kernel.records import Actor
from delegation import audit, policy
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import T0

DROP_GUARDS = (
    "DROP TRIGGER IF EXISTS audit_entries_no_update",
    "DROP TRIGGER IF EXISTS audit_entries_no_delete",
)


@pytest.fixture
def chain(
    write: WriteSession, profile: OpenProfile, amira: Actor, sam: Actor, person_id: int
) -> Engine:
    """Five decisions on the chain (allows and refusals)."""
    with write() as session:
        for who, action in [(amira, "view"), (sam, "view"), (amira, "draft"), (sam, "submit"),
                            (amira, "print")]:  # fmt: skip
            policy.decide(session, who, person_id, action, "blue-badge", frozenset(), T0)
    with write() as session:
        assert audit.verify(session).ok
        assert audit.entry_count(session) == 5
    return profile.engine


def _attacker(engine: Engine, *statements: str) -> None:
    """Someone with the key and raw access: drops the guards, then tampers."""
    with engine.begin() as conn:
        for statement in (*DROP_GUARDS, *statements):
            conn.execute(text(statement))


def _verify(write: WriteSession) -> audit.VerifyResult:
    with write() as session:
        return audit.verify(session)


def test_the_database_refuses_to_change_or_delete_entries(chain: Engine) -> None:
    for statement in (
        "UPDATE audit_entries SET outcome = 'allow' WHERE seq = 4",
        "DELETE FROM audit_entries WHERE seq = 5",
    ):
        with pytest.raises(DatabaseError, match="append-only"), chain.begin() as conn:
            conn.execute(text(statement))


def test_an_edited_entry_is_named(chain: Engine, write: WriteSession) -> None:
    _attacker(chain, "UPDATE audit_entries SET outcome = 'allow' WHERE seq = 4")
    result = _verify(write)
    assert not result.ok and result.first_broken_seq == 4
    assert "changed" in result.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(
    chain: Engine, write: WriteSession
) -> None:
    _attacker(chain, "UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 2")
    with write() as session:
        entry = session.get(audit.AuditEntry, 2)
        assert entry is not None
        forged = audit.entry_hash(entry)
    _attacker(chain, f"UPDATE audit_entries SET hash = '{forged}' WHERE seq = 2")
    result = _verify(write)
    assert not result.ok and result.first_broken_seq == 3


def test_a_deleted_entry_is_named(chain: Engine, write: WriteSession) -> None:
    _attacker(chain, "DELETE FROM audit_entries WHERE seq = 3")
    result = _verify(write)
    assert not result.ok and result.first_broken_seq == 3
    assert "missing" in result.reason


def test_a_deleted_first_entry_is_named(chain: Engine, write: WriteSession) -> None:
    _attacker(chain, "DELETE FROM audit_entries WHERE seq = 1")
    assert _verify(write).first_broken_seq == 1


def test_reordered_entries_are_named(chain: Engine, write: WriteSession) -> None:
    _attacker(
        chain,
        "UPDATE audit_entries SET seq = -1 WHERE seq = 2",
        "UPDATE audit_entries SET seq = 2 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = -1",
    )
    result = _verify(write)
    assert not result.ok and result.first_broken_seq == 2


def test_the_command_exits_0_when_intact_and_1_naming_the_entry(
    chain: Engine,
    profile: OpenProfile,
    db_key: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ALONGSIDE_DB_KEY", db_key.hex())
    folder = str(profile.paths.root)
    assert cli.main(["audit", "verify", "--profile", folder]) == 0
    assert "intact: 5 entries" in capsys.readouterr().out
    _attacker(chain, "UPDATE audit_entries SET worker_id = 999 WHERE seq = 2")
    assert cli.main(["audit", "verify", "--profile", folder]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "alongside: Audit entry 2 was changed after it was written."
