"""A user action as the core sees it: a function of one transaction and the
signed-in worker.

Every action in the case file, the form engine, paper, escalation,
delegation and the outbox is a plain function ``f(session, actor, ...)``.
``act(f, ...)`` binds the rest of its arguments, so the window can name the
core function itself (in one operation, ``ui.operations``) and the
composition root runs it in a transaction of the kind the operation
declares, as the worker who is signed in. No session ever leaves the worker
thread that runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy.orm import Session

from casework.kernel.records import Actor

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Action(Protocol[T_co]):
    """One action, its arguments bound: run it in a session as a worker."""

    def __call__(self, session: Session, actor: Actor, /) -> T_co: ...


def act(
    fn: Callable[Concatenate[Session, Actor, P], T], /, *args: P.args, **kwargs: P.kwargs
) -> Action[T]:
    """``fn`` with everything but the session and the worker given."""

    def action(session: Session, actor: Actor, /) -> T:
        return fn(session, actor, *args, **kwargs)

    action.__qualname__ = action.__name__ = getattr(fn, "__name__", "action")
    return action
