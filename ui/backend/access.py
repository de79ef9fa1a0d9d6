"""The part of the facade for delegated access that is not a core action
(``app.backend.access.AccessActions`` implements it): the mandate sweep runs
at start-up, before anyone signs in."""

from __future__ import annotations

from typing import Protocol

from delegation.records import Effects


class AccessBackend(Protocol):
    def sweep_mandates(self) -> Effects: ...
