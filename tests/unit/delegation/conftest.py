"""Fixtures for mandates and the policy decision: a fixed clock, and a helper
that grants (and activates) a consent mandate from a Riverside person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from casework.kernel.records import Actor
from delegation import mandates
from delegation.records import ConsentMethod
from delegation.scope import Scope, ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession

T0 = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # the day before the clocks go forward
CLEAN_SCREEN = dict(mandates.SAFEGUARDING_QUESTIONS)


def blue_badge(*actions: str, categories: tuple[str, ...] = ("identity",)) -> Scope:
    return make_scope(
        [ScopeDetail(service_id="blue-badge", actions=actions or ("view",), categories=categories)]
    )


Grant = Callable[..., int]


@pytest.fixture
def grant(write: WriteSession, amira: Actor, sam: Actor, person_id: int) -> Grant:
    """``grant(scope, **options) -> mandate id``: Amira records a consent mandate
    from ``person_id`` (Riverside) to Sam (Northgate), active unless told not."""

    def _grant(
        scope: Scope | None = None,
        *,
        activate: bool = True,
        days: float = 30,
        grantee: Actor | None = None,
        **options: Any,
    ) -> int:
        scope = scope or blue_badge()
        with write() as session:
            mandate = mandates.grant(
                session,
                amira,
                person_id=person_id,
                basis=options.pop("basis", mandates.Basis.CONSENT),
                scope=scope,
                ends_at=options.pop("ends_at", T0 + timedelta(days=days)),
                starts_at=options.pop("starts_at", T0),
                grantee_worker_id=(grantee or sam).worker_id,
                now=options.pop("now", T0),
                **options,
            )
            mandate_id = mandate.id
            if activate:
                mandates.record_consent(
                    session,
                    amira,
                    mandate_id,
                    method=ConsentMethod.IN_PERSON,
                    task_list_shown=describe(scope),
                    seen_alone=True,
                    safeguarding_answers=CLEAN_SCREEN,
                    now=T0,
                )
                mandates.activate(session, amira, mandate_id, now=T0)
        return mandate_id

    return _grant
