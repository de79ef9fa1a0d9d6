"""The port for the outbox and syncing: what the status bar, the outbox views
and the sync settings page need from the rest of Alongside.

``app.backend.outbox.OutboxActions`` implements it. As in ``ui.backend.port``,
call these from a worker (an operation on ``ui.operations``) except where a method says it is fast.
The outbox rows, Retry and Cancel are core actions named in ``ui.operations.sync``.
"""

from __future__ import annotations

from typing import Protocol

from offline_sync.records import (
    ConnectionCheck,
    ConnectorSetting,
    SyncOutcome,
    SyncProgress,
    SyncStatus,
)


class OutboxBackend(Protocol):
    @property
    def is_sandbox(self) -> bool:
        """True when messages go to a local sandbox (a setting; fast)."""
        ...

    def sync_status(self) -> SyncStatus:
        """Items waiting and needing attention, the last sync, stopped connectors."""
        ...

    def run_sync(self, wait_seconds: float = 0.0, *, retry_stopped: bool = True) -> SyncOutcome:
        """Deliver what is due (blocks: run it on its own worker thread).

        Returns at once with ``ran=False`` when a sync is already running.
        """
        ...

    def sync_progress(self) -> SyncProgress | None:
        """The running (or last) sync's progress (fast: poll it on a timer)."""
        ...

    def abort_sync(self) -> None:
        """Stop the running sync after the item in hand (fast)."""
        ...

    def connector_settings(self) -> list[ConnectorSetting]:
        """Each platform's address and whether a key is saved (never the key)."""
        ...

    def save_connector_settings(self, platform: str, base_url: str) -> None:
        """Raises InvalidInput (field "base_url") for an address that cannot work."""
        ...

    def save_api_key(self, platform: str, secret: str) -> None:
        """Save the key in the keyring; raises InvalidInput (field "api_key")."""
        ...

    def check_connection(
        self, platform: str, base_url: str | None = None, api_key: str | None = None
    ) -> ConnectionCheck:
        """One real request to the platform, with what is typed or else what is saved."""
        ...
