"""The outbox and the sync engine: a sync run (on the long-work thread), the
status, the outbox rows, retrying or cancelling an item, and the connector
settings."""

from __future__ import annotations

from casework.forms import actions
from casework.kernel.action import act
from casework.kernel.i18n import current_language
from offline_sync import outbox_queries
from offline_sync.records import (
    ConnectionCheck,
    ConnectorSetting,
    OutboxRow,
    SyncOutcome,
    SyncStatus,
)
from ui.backend import Backend
from ui.operations.op import Changes, Op, Work, query, reads, with_catalogue, write, writes

OUTBOX = Changes(outbox=True)


def run_sync(wait_seconds: float, *, retry_stopped: bool) -> Op[SyncOutcome]:
    """Drain the outbox. It waits on the network, so it runs on the long-work
    thread, never on the write worker: a save is never held up behind it."""
    return Op(
        lambda b: b.run_sync(wait_seconds, retry_stopped=retry_stopped),
        Work.LONG,
        # The cases whose results landed. Not ``outbox``: that would start another run;
        # the sync controller shows the outbox afresh itself when a run ends.
        lambda outcome: Changes(case_ids=frozenset(outcome.changed_case_ids)),
    )


def sync_status() -> Op[SyncStatus]:
    return query(lambda b: b.sync_status())


def outbox_items(case_id: int | None = None, limit: int = 500) -> Op[list[OutboxRow]]:
    """Items newest first, for one case or (None) the whole outbox, each with who it
    is for (as far as the worker may see), its case and its service's title."""
    return with_catalogue(
        lambda catalogue: reads(
            act(
                outbox_queries.outbox_rows,
                case_id,
                limit,
                actions.titles(catalogue, current_language()),
            )
        )
    )


def retry_item(item_id: str) -> Op[None]:
    """Send the item at the next sync; refuses (with a reason) where it cannot."""
    return writes(act(outbox_queries.retry_item, item_id), OUTBOX)


def cancel_item(item_id: str) -> Op[None]:
    """Stop an item that has not gone; refuses one being sent or already sent."""
    return writes(act(outbox_queries.cancel_item, item_id), OUTBOX)


def connector_settings() -> Op[list[ConnectorSetting]]:
    return query(lambda b: b.connector_settings())


def save_connector(platform: str, url: str, key: str) -> Op[bool]:
    """Save what was typed (blank leaves it as it was); answers whether a key is now kept."""

    def call(b: Backend) -> bool:
        if url.strip():
            b.save_connector_settings(platform, url)
        if key.strip():
            b.save_api_key(platform, key)
        saved = [s for s in b.connector_settings() if s.platform == platform]
        return bool(saved and saved[0].has_key)

    return write(call, Changes(settings=True))


def check_connection(platform: str, url: str | None, key: str | None) -> Op[ConnectionCheck]:
    return query(lambda b: b.check_connection(platform, url, key))
