"""The audit trail's cost: checking a 20,000-entry chain (on its own and held
against a signed checkpoint) against reading the same rows raw from a bare
SQLCipher connection, and one audited policy decision against the bare
lookup of the same person, in the same run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from casework.kernel.models import Person, Worker
from casework.kernel.records import Actor
from delegation import audit, policy
from delegation.anchor import (
    Stored,
    chain_head,
    new_signing_key,
    public_key_of,
    sign,
    verify_anchored,
)
from tests.benchmarks.conftest import BENCH_KEY, report, summary, timed

ENTRIES = 20_000


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenProfile]:
    from app.demo import people as demo_people

    os.environ["ALONGSIDE_DB_KEY"] = BENCH_KEY.hex()
    try:
        paths = ProfilePaths(Path(tmp_path_factory.mktemp("audit-bench")))
        profile = create_profile(paths, name="Audit benchmark", demo=True)
        demo_people.add_people(profile.engine, 50, seed=3, notes_per_person=0)
        with session_factory(profile.engine)() as session, session.begin():
            for n in range(ENTRIES):
                audit.append(
                    session,
                    kind="decision",
                    action="view",
                    outcome="allow" if n % 7 else "refuse",
                    reason="In your team's caseload.",
                    worker_id=1,
                    person_id=1 + n % 50,
                    target="blue-badge",
                )
        yield profile
        profile.close()
    finally:
        os.environ.pop("ALONGSIDE_DB_KEY", None)


def test_audit_verify_against_raw_read(audited: OpenProfile) -> None:
    raw = sqlcipher.connect(str(audited.paths.database))
    raw.execute(f"PRAGMA key = \"x'{BENCH_KEY.hex()}'\"")
    raw.execute("PRAGMA cipher_log_level = NONE")
    make = session_factory(audited.engine)
    key = new_signing_key()
    with make() as session:
        head = chain_head(session)
    stored = [Stored("bench", sign(key, head, profile_id="bench").to_json())]

    def raw_read() -> None:
        raw.execute("SELECT * FROM audit_entries ORDER BY seq").fetchall()

    def chain() -> None:
        with make() as session:
            assert audit.verify(session).ok

    def anchored() -> None:
        with make() as session:
            assert verify_anchored(session, stored, public_key_of(key), profile_id="bench").ok

    rows = [
        ("raw read of every entry (bare SQLCipher)", *summary(timed(raw_read, 5))),
        ("audit.verify (hash chain)", *summary(timed(chain, 5))),
        ("verify_anchored (chain + checkpoint)", *summary(timed(anchored, 5))),
    ]
    report(f"audit trail of {ENTRIES} entries", rows)
    raw.close()


def test_audited_decision_against_bare_lookup(audited: OpenProfile) -> None:
    make = session_factory(audited.engine)
    with make() as session:
        worker = session.get(Worker, 1)
        assert worker is not None
        actor = Actor(
            worker.id, worker.username, worker.display_name, worker.role, worker.team_id, ""
        )
        person_id = session.query(Person.id).order_by(Person.id).limit(1).scalar()
        assert person_id is not None

    def bare() -> None:
        with make() as session:
            session.get(Person, person_id)

    def decided() -> None:
        with make() as session, session.begin():
            policy.decide(session, actor, person_id, "view", "blue-badge")

    def head() -> None:
        with make() as session:
            chain_head(session)

    rows = [
        ("bare lookup of the person", *summary(timed(bare, 200))),
        ("policy.decide + audit entry (committed)", *summary(timed(decided, 200))),
        ("chain_head (after each write)", *summary(timed(head, 200))),
    ]
    report("one audited decision", rows)
