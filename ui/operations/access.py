"""Signing in, checking the password at the lock screen, and the catalogue of
service forms every signed-in window reads."""

from __future__ import annotations

from casework.forms.definitions import Catalogue
from casework.kernel.records import Actor
from ui.backend import Backend
from ui.operations.op import NOTHING, Op, query, write


def sign_in(username: str, password: str) -> Op[Actor]:
    # A write: the sign-in (or the failed attempt) goes into the audit chain.
    return write(lambda b: b.sign_in(username, password), NOTHING)


def sign_out() -> Op[None]:
    # On the write worker: saves the worker queued before leaving still run as them.
    return write(lambda b: b.sign_out(), NOTHING)


def checkpoint_audit() -> Op[None]:
    # On the write worker, after whatever was queued: signs what is waiting (decision 0026).
    return write(lambda b: b.checkpoint_audit(), NOTHING)


def verify_password(password: str) -> Op[bool]:
    # A write: wrong passwords are counted, and too many lock the account.
    return write(lambda b: b.verify_password(password), NOTHING)


def catalogue() -> Op[Catalogue]:
    """The service definitions (the first use reads every file)."""
    return query(lambda b: b.catalogue)


def service_titles() -> Op[list[tuple[str, str]]]:
    """Each service's id and title in the worker's language."""

    def load(b: Backend) -> list[tuple[str, str]]:
        language = b.language
        return [(s.id, s.text("title", language)) for s in b.catalogue.services]

    return query(load)
