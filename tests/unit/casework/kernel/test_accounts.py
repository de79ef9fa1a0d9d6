"""Worker accounts: creation, sign-in, lockout and unlock (casework.kernel.accounts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.kernel.accounts import (
    LOCKOUT,
    MAX_FAILED_SIGN_INS,
    SignInOutcome,
    attempt_sign_in,
    count_workers,
    create_worker,
    get_or_create_team,
    unlock_account,
    verify_worker_password,
)
from casework.kernel.errors import (
    AccessRefused,
    AccountLocked,
    InvalidInput,
    NotFound,
    SignInFailed,
)
from casework.kernel.models import Worker, utcnow
from casework.kernel.passwords import hash_password, verify_password
from casework.kernel.records import Actor, Role
from tests.unit.conftest import WriteSession

NOW = datetime.fromisoformat("2026-03-02T10:00:00+00:00")


@pytest.fixture
def sign_in(demo_profile: OpenProfile, write: WriteSession) -> Callable[..., SignInOutcome]:
    """One sign-in attempt in its own committed transaction, as the backend does."""

    def _attempt(username: str, password: str, now: datetime = NOW) -> SignInOutcome:
        with write() as session:
            return attempt_sign_in(session, username, password, now)

    return _attempt


def _worker(write: WriteSession, username: str) -> Worker:
    with write() as session:
        return session.scalars(select(Worker).where(Worker.username == username)).one()


def test_the_right_password_signs_in(sign_in: Callable[..., SignInOutcome], write: WriteSession):
    outcome = sign_in("amira", DEMO_PASSWORD)
    assert outcome.error is None
    assert outcome.actor is not None
    assert outcome.actor.username == "amira"
    assert outcome.actor.display_name == "Amira Hussain"
    assert outcome.actor.role == "adviser"
    assert outcome.actor.team_name == "Riverside Library"
    assert _worker(write, "amira").last_sign_in_at == NOW


def test_usernames_ignore_case_and_surrounding_spaces(sign_in: Callable[..., SignInOutcome]):
    outcome = sign_in("  Amira ", DEMO_PASSWORD)
    assert outcome.actor is not None and outcome.actor.username == "amira"


def test_a_wrong_password_does_not_say_which_part_was_wrong(
    sign_in: Callable[..., SignInOutcome],
) -> None:
    wrong_password = sign_in("amira", "not the password")
    unknown_user = sign_in("nobody-here", DEMO_PASSWORD)
    assert isinstance(wrong_password.error, SignInFailed)
    assert isinstance(unknown_user.error, SignInFailed)
    assert wrong_password.actor is None and unknown_user.actor is None
    # The same words either way, so the message cannot be used to find out
    # which usernames exist.
    assert wrong_password.error.message == unknown_user.error.message
    assert "username or password" in wrong_password.error.message


def test_each_failure_is_counted_and_a_success_clears_the_count(
    sign_in: Callable[..., SignInOutcome], write: WriteSession
) -> None:
    for _attempt in range(MAX_FAILED_SIGN_INS - 1):
        assert isinstance(sign_in("amira", "wrong password").error, SignInFailed)
    assert _worker(write, "amira").failed_sign_ins == MAX_FAILED_SIGN_INS - 1
    assert sign_in("amira", DEMO_PASSWORD).actor is not None
    assert _worker(write, "amira").failed_sign_ins == 0
    # Four more wrong tries do not lock: the count started again.
    for _attempt in range(MAX_FAILED_SIGN_INS - 1):
        assert isinstance(sign_in("amira", "wrong password").error, SignInFailed)


def test_five_failures_lock_the_account_for_fifteen_minutes(
    sign_in: Callable[..., SignInOutcome], write: WriteSession
) -> None:
    assert MAX_FAILED_SIGN_INS == 5
    assert timedelta(minutes=15) == LOCKOUT
    outcomes = [sign_in("amira", "wrong password") for _attempt in range(5)]
    assert all(isinstance(o.error, SignInFailed) for o in outcomes[:4])
    locked = outcomes[4].error
    assert isinstance(locked, AccountLocked)
    assert "locked" in locked.message
    assert "ask an administrator to unlock it" in locked.message
    until = (NOW + LOCKOUT).astimezone().strftime("%H:%M")
    assert f"Try again after {until}" in locked.message
    assert _worker(write, "amira").locked_until == NOW + LOCKOUT

    # While locked, even the right password is refused with the same advice.
    during = sign_in("amira", DEMO_PASSWORD, NOW + LOCKOUT - timedelta(seconds=1))
    assert isinstance(during.error, AccountLocked)
    assert during.actor is None

    after = sign_in("amira", DEMO_PASSWORD, NOW + LOCKOUT + timedelta(seconds=1))
    assert after.error is None and after.actor is not None
    assert _worker(write, "amira").locked_until is None


def test_a_lockout_affects_only_that_account(sign_in: Callable[..., SignInOutcome]) -> None:
    for _attempt in range(MAX_FAILED_SIGN_INS):
        sign_in("amira", "wrong password")
    assert isinstance(sign_in("amira", DEMO_PASSWORD).error, AccountLocked)
    assert sign_in("tom", DEMO_PASSWORD).actor is not None


@pytest.mark.parametrize("unlocker", ["gwen", "admin"])
def test_a_supervisor_or_administrator_can_unlock(
    sign_in: Callable[..., SignInOutcome],
    write: WriteSession,
    actor: Callable[[str], Actor],
    unlocker: str,
) -> None:
    for _attempt in range(MAX_FAILED_SIGN_INS):
        sign_in("amira", "wrong password")
    with write() as session:
        unlock_account(session, actor(unlocker), " AMIRA ")
    worker = _worker(write, "amira")
    assert worker.locked_until is None and worker.failed_sign_ins == 0
    assert sign_in("amira", DEMO_PASSWORD).actor is not None


@pytest.mark.parametrize("unlocker", ["amira", "tom"])
def test_other_roles_cannot_unlock(
    sign_in: Callable[..., SignInOutcome],
    write: WriteSession,
    actor: Callable[[str], Actor],
    unlocker: str,
) -> None:
    for _attempt in range(MAX_FAILED_SIGN_INS):
        sign_in("gwen", "wrong password")
    with pytest.raises(AccessRefused, match="administrator or supervisor"), write() as session:
        unlock_account(session, actor(unlocker), "gwen")
    assert _worker(write, "gwen").locked_until == NOW + LOCKOUT


def test_unlocking_an_unknown_account_says_so(
    write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    with pytest.raises(NotFound), write() as session:
        unlock_account(session, actor("admin"), "nobody")


def test_a_turned_off_account_cannot_sign_in(
    sign_in: Callable[..., SignInOutcome], write: WriteSession, amira: Actor
) -> None:
    with write() as session:
        session.scalars(select(Worker).where(Worker.username == "tom")).one().active = False
    outcome = sign_in("tom", DEMO_PASSWORD)
    assert isinstance(outcome.error, AccountLocked)
    assert "turned off" in outcome.error.message
    assert outcome.actor is None
    tom = _worker(write, "tom")
    assert tom.failed_sign_ins == 0  # nothing to count: the password was never checked


def test_verify_worker_password_for_the_lock_screen(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        assert verify_worker_password(session, amira, DEMO_PASSWORD)
        assert not verify_worker_password(session, amira, "wrong password")
        session.get(Worker, amira.worker_id).active = False  # type: ignore[union-attr]
        assert not verify_worker_password(session, amira, DEMO_PASSWORD)


# -- creating accounts --------------------------------------------------------


def test_create_worker_stores_a_hash_never_the_password(profile: OpenProfile, write: WriteSession):
    with write() as session:
        team = get_or_create_team(session, "  Riverside   Library ")
        worker = create_worker(
            session,
            username=" New.Worker ",
            display_name=" Ffion  Rees ",
            password="a long enough password",
            role=Role.RECEPTIONIST,
            team=team,
        )
        assert worker.username == "new.worker"
        assert worker.display_name == "Ffion Rees"
        assert worker.active and worker.failed_sign_ins == 0
        assert "a long enough password" not in worker.password_hash
        assert worker.password_hash.startswith("$argon2id$")
        assert count_workers(session) == 1
        assert team.name == "Riverside Library"
    with write() as session:
        outcome = attempt_sign_in(session, "new.worker", "a long enough password")
    assert outcome.actor is not None and outcome.actor.role == "receptionist"


def test_get_or_create_team_is_idempotent(profile: OpenProfile, write: WriteSession) -> None:
    with write() as session:
        first = get_or_create_team(session, "Northgate Citizens Advice")
        again = get_or_create_team(session, "Northgate Citizens Advice")
        assert first.id == again.id


def test_create_worker_reports_every_problem_at_once(profile: OpenProfile, write: WriteSession):
    with write() as session:
        team = get_or_create_team(session, "Riverside Library")
        with pytest.raises(InvalidInput) as caught:
            create_worker(
                session,
                username="no spaces please!",
                display_name="   ",
                password="short",
                role=Role.ADVISER,
                team=team,
            )
    fields = caught.value.fields
    assert set(fields) == {"username", "display_name", "password"}
    assert "letters, numbers" in fields["username"]
    assert "Enter a name" in fields["display_name"]
    assert "at least 10 characters" in fields["password"]


def test_usernames_are_unique_whatever_the_case(demo_profile: OpenProfile, write: WriteSession):
    with write() as session:
        team = get_or_create_team(session, "Riverside Library")
        with pytest.raises(InvalidInput) as caught:
            create_worker(
                session,
                username="AMIRA",
                display_name="Another Amira",
                password="a long enough password",
                role=Role.ADVISER,
                team=team,
            )
    assert "taken" in caught.value.fields["username"]


def test_password_hashing() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "Correct horse battery")
    assert not verify_password(None, "correct horse battery")
    assert not verify_password("not a hash", "correct horse battery")
    with pytest.raises(ValueError, match="at least 10"):
        hash_password("123456789")


def test_sign_in_times_are_timezone_aware(sign_in: Callable[..., SignInOutcome], write):
    sign_in("amira", DEMO_PASSWORD, utcnow())
    seen = _worker(write, "amira").last_sign_in_at
    assert seen is not None and seen.tzinfo is not None
