"""Facade methods for delegated access beyond casework's own: revoking with
its effects, the mandate sweep at start-up, reminders, the "who acted for
me" report and printing a frozen draft.

``AccessActions`` is a mixin of ``LocalBackend`` (it uses its ``_tx`` and
``_need_actor``); ``ui.backend_access.AccessBackend`` is its Protocol.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from casework.forms import drafts
from casework.kernel.i18n import current_language
from casework.kernel.records import Actor
from casework.paper import acted_for, case_print
from delegation import reminders
from delegation.records import Effects, EndingSoon
from offline_sync import revocation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casework.forms.definitions import Service


class AccessActions:
    """Revocation effects, sweeps, reminders and the acted-for report."""

    if TYPE_CHECKING:

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...
        def _need_actor(self) -> Actor: ...
        def _service(self, service_id: str) -> Service: ...

    def sweep_mandates(self) -> Effects:
        """Expire ended mandates and lapse unused ones (run at start-up)."""
        with self._tx(write=True) as session:
            return revocation.sweep(session)

    def mandates_ending_soon(self) -> list[EndingSoon]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return reminders.mandates_ending_soon(session, actor)

    def acted_for_report(self, person_id: int, large_print: bool = False) -> bytes:
        """The "who acted for me" PDF for a person (the request is audited)."""
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return acted_for.acted_for_report(
                session, actor, person_id, language=current_language(), large_print=large_print
            )

    def draft_pdf(self, draft_id: int) -> bytes:
        """A form pre-filled with a draft's answers (a frozen draft's way out)."""
        actor = self._need_actor()
        with self._tx(write=True) as session:
            service = self._service(drafts.draft_record(session, actor, draft_id).service_id)
            return case_print.draft_paper(session, actor, draft_id, service, current_language())
