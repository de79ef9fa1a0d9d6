"""An operation: one piece of work against the backend, and what it changes.

A factory in ``ui.operations.<subject>`` builds each one (as Anki's
``CollectionOp``/``QueryOp`` factories do), so a view never says how its
work runs: the operation says whether it reads, writes or runs long, and a
write names what it changes. The runner announces those ``Changes`` once
the write has succeeded.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from casework.forms.definitions import Catalogue
from casework.kernel.action import Action
from ui.backend import Backend

T = TypeVar("T")
U = TypeVar("U")


class Work(enum.Enum):
    """Where an operation runs."""

    READ = "read"  # the read pool: any number at once
    WRITE = "write"  # the one write worker: one at a time, in order
    LONG = "long"  # the long-work thread: a sync run's network work


def ids(*values: int | None) -> frozenset[int]:
    """The ids given, leaving out None (an id not known here)."""
    return frozenset(v for v in values if v is not None)


@dataclass(frozen=True)
class Changes:
    """What a successful write changed, for the views to decide what to reload."""

    people: bool = False  # the people list itself: someone added, wiped or renamed
    person_ids: frozenset[int] = field(default_factory=frozenset)  # these people's details
    case_ids: frozenset[int] = field(default_factory=frozenset)  # these cases (and my cases)
    outbox: bool = False  # something queued, sent, retried or cancelled
    mandates: bool = False  # a mandate granted, renewed, suspended, revoked or wiped
    escalations: bool = False  # an escalation or referral raised or answered
    settings: bool = False  # connector settings or keys

    def __bool__(self) -> bool:
        return bool(
            self.people
            or self.person_ids
            or self.case_ids
            or self.outbox
            or self.mandates
            or self.escalations
            or self.settings
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            people=self.people or other.people,
            person_ids=self.person_ids | other.person_ids,
            case_ids=self.case_ids | other.case_ids,
            outbox=self.outbox or other.outbox,
            mandates=self.mandates or other.mandates,
            escalations=self.escalations or other.escalations,
            settings=self.settings or other.settings,
        )

    def touches_case(self, case_id: int | None) -> bool:
        return case_id is not None and case_id in self.case_ids

    def touches_person(self, person_id: int | None) -> bool:
        return self.people or (person_id is not None and person_id in self.person_ids)


NOTHING = Changes()


@dataclass(frozen=True)
class Op(Generic[T]):
    """Work on the backend with its answer of type ``T``.

    ``changes`` is what a successful run changed: a value, or (when the
    answer decides it, as for a sync run) a function of the answer."""

    call: Callable[[Backend], T]
    work: Work = Work.READ
    changes: Changes | Callable[[T], Changes] = NOTHING
    label: str = ""  # what the worker is waiting for, in their language (may be empty)

    @property
    def writes(self) -> bool:
        return self.work is Work.WRITE

    def changes_for(self, result: T) -> Changes:
        return self.changes(result) if callable(self.changes) else self.changes

    def then(self, after: Callable[[T], U]) -> Op[U]:
        """The same work followed, in the same worker, by ``after`` (turning
        a PDF into preview images, say). Its changes must not depend on the answer."""
        if callable(self.changes):
            raise TypeError("then() needs changes that do not depend on the answer")
        call = self.call
        return Op(lambda b: after(call(b)), self.work, self.changes, self.label)

    def named(self, label: str) -> Op[T]:
        """The same operation, saying what the worker waits for (``_()`` text)."""
        return replace(self, label=label)


_NO_DEFINITIONS = Catalogue((), ())


def with_catalogue(build: Callable[[Catalogue], Op[T]]) -> Op[T]:
    """The operation ``build`` makes with the app's catalogue of services, read
    in its worker: the catalogue's first use reads every definition, which the
    window must not wait for. (Where it runs and what it changes do not depend
    on the catalogue, so ``build`` is first called with an empty one to learn
    that; nothing runs then.)"""
    shape = build(_NO_DEFINITIONS)
    return replace(shape, call=lambda b: build(b.catalogue).call(b))


# Core actions, named by the window: the kind fixes the worker and the transaction.
def reads(action: Action[T]) -> Op[T]:
    """A core action that only reads: the read pool, a read transaction."""
    return query(lambda b: b.perform(action, write=False))


def audited(action: Action[T]) -> Op[T]:
    """A core action that reads a person's data: its policy decision writes an
    audit entry, so it runs on the one write worker in a write transaction,
    though it changes nothing a view shows."""
    return audited_read(lambda b: b.perform(action, write=True))


def writes(action: Action[T], changes: Changes | Callable[[T], Changes]) -> Op[T]:
    """A core action that changes something: the one write worker, a write
    transaction, and ``changes`` announced once it has succeeded."""
    return write(lambda b: b.perform(action, write=True), changes)


# The port's own work (signing in, settings, the sync engine, files), by kind.
def query(call: Callable[[Backend], T]) -> Op[T]:
    """A read: runs on the read pool and changes nothing."""
    return Op(call)


def audited_read(call: Callable[[Backend], T]) -> Op[T]:
    """Work that writes but changes nothing a view shows (an audited read, a
    file the worker chose): the one write worker, in order with the saves."""
    return Op(call, Work.WRITE)


def background(fn: Callable[[], T]) -> Op[T]:
    """Work that does not touch the core (painting pages on a printer): the read pool."""
    return Op(lambda _b: fn())


def write(call: Callable[[Backend], T], changes: Changes | Callable[[T], Changes]) -> Op[T]:
    """A write: runs on the one write worker and announces ``changes``."""
    return Op(call, Work.WRITE, changes)
