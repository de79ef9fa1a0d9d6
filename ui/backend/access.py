"""The part of the facade for delegated access that casework's own methods
do not cover (``app.access_actions.AccessActions`` implements it)."""

from __future__ import annotations

from typing import Protocol

from delegation.records import Effects, EndingSoon


class AccessBackend(Protocol):
    def sweep_mandates(self) -> Effects: ...

    def mandates_ending_soon(self) -> list[EndingSoon]: ...

    def acted_for_report(self, person_id: int, large_print: bool = False) -> bytes: ...

    def draft_pdf(self, draft_id: int) -> bytes: ...
