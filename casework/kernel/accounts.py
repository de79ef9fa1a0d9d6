"""Teams and worker accounts: creation, sign-in, lockout and unlock.

Workers sign in with their own account, never the citizen's credentials.
After ``MAX_FAILED_SIGN_INS`` wrong passwords in a row an account locks for
``LOCKOUT``; an administrator can unlock it sooner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.kernel.errors import (
    AccessRefused,
    AccountLocked,
    InvalidInput,
    NotFound,
    SignInFailed,
)
from casework.kernel.i18n import _
from casework.kernel.models import Team, Worker, utcnow
from casework.kernel.passwords import check_new_password, hash_password, verify_password
from casework.kernel.records import Actor, Role
from casework.kernel.validators import check_name, require_text

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)


def normalise_username(text: str) -> str:
    return text.strip().lower()


def actor_for(worker: Worker) -> Actor:
    return Actor(
        worker_id=worker.id,
        username=worker.username,
        display_name=worker.display_name,
        role=worker.role,
        team_id=worker.team_id,
        team_name=worker.team.name,
    )


def get_or_create_team(session: Session, name: str) -> Team:
    require_text({"team": name})
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        try:
            team = Team(name=check_name(name))
        except ValueError as exc:
            raise InvalidInput({"team": str(exc)}) from exc
        session.add(team)
        session.flush()
    return team


def create_worker(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    team: Team,
) -> Worker:
    """Create a worker account; every problem is reported at once, by field."""
    require_text({"username": username, "display_name": display_name, "password": password})
    errors: dict[str, str] = {}
    name = normalise_username(username)
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        errors["username"] = _(
            "Enter a username using letters, numbers, dots, hyphens or underscores."
        )
    elif session.scalar(select(func.count()).where(Worker.username == name)):
        errors["username"] = _("That username is taken. Choose another.")
    try:
        display = check_name(display_name)
    except ValueError as exc:
        errors["display_name"] = str(exc)
    try:
        check_new_password(password)
    except ValueError as exc:
        errors["password"] = str(exc)
    if errors:
        raise InvalidInput(errors)
    worker = Worker(
        username=name,
        display_name=display,
        password_hash=hash_password(password),
        role=role,
        team=team,
    )
    session.add(worker)
    session.flush()
    return worker


def count_workers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Worker)) or 0


@dataclass(frozen=True)
class SignInOutcome:
    """The result of one attempt; a failure still has to be committed."""

    actor: Actor | None
    error: SignInFailed | AccountLocked | None


def attempt_sign_in(
    session: Session, username: str, password: str, now: datetime | None = None
) -> SignInOutcome:
    """Check a password, counting failures; the caller commits either way."""
    require_text({"username": username, "password": password})
    now = now or utcnow()
    worker = session.scalar(select(Worker).where(Worker.username == normalise_username(username)))
    if worker is None:
        verify_password(None, password)
        return SignInOutcome(None, _wrong_username_or_password())
    if not worker.active:
        return SignInOutcome(
            None, AccountLocked(_("This account is turned off. Ask an administrator."))
        )
    if worker.locked_until is not None and worker.locked_until > now:
        return SignInOutcome(None, _locked(worker.locked_until))
    if not verify_password(worker.password_hash, password):
        worker.failed_sign_ins += 1
        if worker.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            worker.locked_until = now + LOCKOUT
            worker.failed_sign_ins = 0
            return SignInOutcome(None, _locked(worker.locked_until))
        return SignInOutcome(None, _wrong_username_or_password())
    worker.failed_sign_ins = 0
    worker.locked_until = None
    worker.last_sign_in_at = now
    return SignInOutcome(actor_for(worker), None)


def _wrong_username_or_password() -> SignInFailed:
    # The same words for an unknown username and a wrong password (no count
    # of tries left), so the message never confirms that a username exists.
    return SignInFailed(
        _(
            "The username or password is wrong. After {n} wrong tries in a row, "
            "an account locks for {minutes} minutes."
        ).format(n=MAX_FAILED_SIGN_INS, minutes=int(LOCKOUT.total_seconds() // 60))
    )


def _locked(until: datetime) -> AccountLocked:
    local = until.astimezone().strftime("%H:%M")
    return AccountLocked(
        _(
            "This account is locked after too many wrong passwords. Try again after {time}, "
            "or ask an administrator to unlock it."
        ).format(time=local)
    )


def verify_worker_password(session: Session, actor: Actor, password: str) -> bool:
    """Check the signed-in worker's password (to unlock the screen)."""
    worker = session.get(Worker, actor.worker_id)
    return worker is not None and worker.active and verify_password(worker.password_hash, password)


def unlock_account(session: Session, admin: Actor, username: str) -> None:
    """An administrator or supervisor clears a lockout."""
    if admin.role not in (Role.ADMIN.value, Role.SUPERVISOR.value):
        raise AccessRefused(_("Only an administrator or supervisor can unlock accounts."))
    worker = session.scalar(select(Worker).where(Worker.username == normalise_username(username)))
    if worker is None:
        raise NotFound(_("There is no account with that username."))
    worker.locked_until = None
    worker.failed_sign_ins = 0
