"""Signed checkpoints of the audit chain (delegation.anchor): signing, reading
back, and ``verify_anchored`` naming a cut-off end, a rewrite after the
checkpoint, and a checkpoint whose signature fails."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from app.profile import OpenProfile
from delegation import anchor, audit
from tests.audit_support import DROP_GUARDS, append_entries
from tests.unit.conftest import WriteSession

PROFILE = "profile-under-test"
T0 = datetime(2026, 12, 5, 10, 10, tzinfo=UTC)


def _append(write: WriteSession, n: int, start: int = 0) -> None:
    with write() as session:
        append_entries(session, (T0 + timedelta(minutes=2 * i) for i in range(start, start + n)))


@pytest.fixture
def key() -> bytes:
    return anchor.new_signing_key()


@pytest.fixture
def eight(write: WriteSession, profile: OpenProfile) -> Engine:
    _append(write, 8)
    return profile.engine


def _checkpoint(write: WriteSession, key: bytes) -> anchor.Checkpoint:
    with write() as session:
        return anchor.sign(key, anchor.chain_head(session), profile_id=PROFILE)


def _verify(write: WriteSession, key: bytes, *checkpoints: anchor.Checkpoint) -> audit.VerifyResult:
    stored = [anchor.Stored("the test", c.to_json()) for c in checkpoints]
    with write() as session:
        return anchor.verify_anchored(
            session, stored, anchor.public_key_of(key), profile_id=PROFILE
        )


def _attacker(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in (*DROP_GUARDS, *statements):
            conn.execute(text(statement))


def test_chain_head_of_an_empty_and_a_full_chain(write: WriteSession, eight: Engine) -> None:
    with write() as session:
        head = anchor.chain_head(session)
        last = session.execute(text("SELECT hash FROM audit_entries WHERE seq = 8")).scalar()
    assert head.count == 8
    assert head.head_hash == last
    assert head.head_at == T0 + timedelta(minutes=14)
    assert head.short_hash == last[:16]


def test_a_checkpoint_reads_back_and_its_signature_holds(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    checkpoint = _checkpoint(write, key)
    again = anchor.Checkpoint.from_json(checkpoint.to_json())
    assert again == checkpoint
    assert again.version == anchor.CHECKPOINT_VERSION
    assert again.signed_by(anchor.public_key_of(key))
    assert not again.signed_by(anchor.public_key_of(anchor.new_signing_key()))
    for field, value in [("count", 9), ("head_hash", "0" * 64), ("profile_id", "other")]:
        assert not dataclasses.replace(again, **{field: value}).signed_by(
            anchor.public_key_of(key)
        ), field


def test_what_is_not_a_checkpoint_is_refused() -> None:
    for bad in ("not json", "[]", '{"version": 1}', '{"version": 2, "signed_at": null}'):
        with pytest.raises(ValueError):
            anchor.Checkpoint.from_json(bad)


def test_the_untouched_trail_matches(write: WriteSession, eight: Engine, key: bytes) -> None:
    checkpoint = _checkpoint(write, key)
    _append(write, 2, start=8)  # written since: still an extension
    result = _verify(write, key, checkpoint)
    assert result.ok, result.reason
    assert result.reason.startswith("Intact: 10 entries, matches the checkpoint of ")


def test_no_checkpoint_is_the_chain_check_and_says_so(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    result = _verify(write, key)
    assert result.ok
    assert "no signed checkpoint yet" in result.reason


def test_the_newest_entries_cut_off_are_named(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    checkpoint = _checkpoint(write, key)
    _attacker(eight, "DELETE FROM audit_entries WHERE seq > 5")
    assert _verify_chain_only(write).ok  # the chain alone cannot see it
    result = _verify(write, key, checkpoint)
    assert not result.ok
    assert result.first_broken_seq == 6
    start = (T0 + timedelta(minutes=8)).astimezone().strftime("%H:%M")
    end = (T0 + timedelta(minutes=14)).astimezone().strftime("%H:%M")
    day = (T0 + timedelta(minutes=8)).astimezone().strftime("%-d %b %Y")
    assert result.reason == (
        f"The 3 newest audit entries, written on {day} between {start} and {end}, are gone "
        "(the trail was cut short or an older copy of the database was restored)."
    )


def _verify_chain_only(write: WriteSession) -> audit.VerifyResult:
    with write() as session:
        return audit.verify(session)


def test_one_entry_cut_off_is_named_in_the_singular(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    checkpoint = _checkpoint(write, key)
    _attacker(eight, "DELETE FROM audit_entries WHERE seq = 8")
    result = _verify(write, key, checkpoint)
    assert not result.ok
    assert result.reason.startswith("The newest audit entry, written on ")


def test_a_rewrite_after_a_checkpoint_names_the_last_entry_still_signed(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    _attacker(eight, "DELETE FROM audit_entries WHERE seq > 5")
    at_five = _checkpoint(write, key)
    _append(write, 3, start=5)
    at_eight = _checkpoint(write, key)
    # Roll back to five entries and write three others: a valid chain of eight.
    _attacker(eight, "DELETE FROM audit_entries WHERE seq > 5")
    _append(write, 3, start=20)
    assert _verify_chain_only(write).ok
    result = _verify(write, key, at_five, at_eight)
    assert not result.ok
    assert result.first_broken_seq == 6
    assert result.reason.startswith("The audit trail was rewritten after entry 5: entry 8 ")
    only_newest = _verify(write, key, at_eight)
    assert only_newest.reason.startswith("The audit trail no longer matches the checkpoint of ")


def test_a_forged_checkpoint_is_refused(write: WriteSession, eight: Engine, key: bytes) -> None:
    genuine = _checkpoint(write, key)
    forged = anchor.sign(
        anchor.new_signing_key(),
        anchor.ChainHead(3, "0" * 64, T0),
        profile_id=PROFILE,
    )
    # The forger's key id, or ours with their signature: both refused.
    for fake in (forged, dataclasses.replace(forged, key_id=genuine.key_id)):
        result = _verify(write, key, genuine, fake)
        assert not result.ok
        assert result.reason == (
            "The audit checkpoint kept in the test is not signed by this profile's key: "
            "it was forged or altered."
        )
    stretched = dataclasses.replace(genuine, count=5)
    assert not _verify(write, key, stretched).ok


def test_another_profiles_checkpoint_is_refused(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    with write() as session:
        theirs = anchor.sign(key, anchor.chain_head(session), profile_id="another")
    assert "not signed by this profile" in _verify(write, key, theirs).reason


def test_damaged_text_and_a_missing_key_are_named(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    genuine = _checkpoint(write, key).to_json()
    with write() as session:
        damaged = anchor.verify_anchored(
            session, [anchor.Stored("the test", "{broken")], None, profile_id=PROFILE
        )
        keyless = anchor.verify_anchored(
            session,
            [anchor.Stored("the test", genuine)],
            None,
            profile_id=PROFILE,
        )
    assert damaged.reason.startswith("The audit checkpoint kept in the test cannot be read")
    assert "signing key is not in this computer's keyring" in keyless.reason


def test_a_broken_chain_is_named_before_any_checkpoint(
    write: WriteSession, eight: Engine, key: bytes
) -> None:
    checkpoint = _checkpoint(write, key)
    _attacker(eight, "UPDATE audit_entries SET outcome = 'refuse' WHERE seq = 4")
    result = _verify(write, key, checkpoint)
    assert not result.ok
    assert result.reason == "Audit entry 4 was changed after it was written."
