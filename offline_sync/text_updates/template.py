"""Which GOV.UK Notify template text updates use: the profile setting
``notify.sms_template_id``.

Settings belong to the composition root, but a delivery is recorded deep in
the sync engine's transaction. So the root registers, for each open
database, a function that reads the setting now (``use_setting``), and the
core asks with the session it already holds (``template_id``). A database
nobody registered has no template: no text is queued.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

SETTING = "notify.sms_template_id"

# Keyed by the engine's connection pool: an engine made with
# ``execution_options`` (the write sessions) shares its parent's pool.
_LOOKUPS: weakref.WeakKeyDictionary[Any, Callable[[], str | None]] = weakref.WeakKeyDictionary()


def use_setting(engine: Engine, lookup: Callable[[], str | None]) -> None:
    """Read the template id for this database with ``lookup`` from now on."""
    _LOOKUPS[engine.pool] = lookup


def template_id(session: Session) -> str | None:
    """The template id set for the session's database, or None when none is set."""
    pool = getattr(session.get_bind(), "pool", None)
    lookup = _LOOKUPS.get(pool) if pool is not None else None
    value = (lookup() if lookup is not None else None) or ""
    return value.strip() or None
