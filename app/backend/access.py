"""The facade's delegated-access work that stays at the composition root:
the mandate sweep at start-up.

``sweep_mandates`` runs before anyone signs in (no worker acts), so it is not
a core action the window names; the ending-soon list, the "who acted for me"
report and printing a frozen draft are (``ui.operations.mandates`` and
``ui.operations.paper``). ``AccessActions`` is a mixin of ``LocalBackend``
(it uses its ``_tx``); ``ui.backend.access.AccessBackend`` is its Protocol.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from delegation.records import Effects
from offline_sync import revocation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class AccessActions:
    """The mandate sweep."""

    if TYPE_CHECKING:

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...

    def sweep_mandates(self) -> Effects:
        """Expire ended mandates and lapse unused ones (run at start-up)."""
        with self._tx(write=True) as session:
            return revocation.sweep(session)
