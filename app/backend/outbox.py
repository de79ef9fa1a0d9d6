"""``OutboxActions``: the outbox and syncing, as the UI asks for them.

A mixin of ``LocalBackend`` (it uses ``self._tx`` and ``self._need_actor``);
``ui.backend.outbox.OutboxBackend`` is its port. It gives the status bar its
summary (the sync engine's state with the outbox counts), a sync run that a
worker thread drives while the UI polls ``sync_progress()`` and may call
``abort_sync()``, and the connector settings with "Test connection". The
outbox rows, Retry and Cancel are core actions (``offline_sync.outbox_queries``)
the window names in ``ui.operations.sync``.

One sync engine runs at a time (a lock; a second ``run_sync`` returns at
once with ``ran=False``). A connector the last run stopped (a refused key, a
wrong clock) stays stopped for the background runs, so a bad key is not
tried every minute, until its settings change, its connection test passes,
or the worker asks for "Sync now". Keys go only to the keyring and are never
returned.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from app.settings import save_settings
from casework.kernel.errors import AlongsideError, InvalidInput, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import utcnow
from casework.kernel.validators import require_text
from offline_sync import outbox, outbox_queries
from offline_sync.names import connector_name
from offline_sync.outbox_queries import NEEDS_ACTION, WAITING
from offline_sync.records import (
    ConnectionCheck,
    Connector,
    ConnectorSetting,
    StoppedConnector,
    SyncOutcome,
    SyncProgress,
    SyncStatus,
)

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from app import connection_check
    from app.profile import OpenProfile
    from app.sync_wiring import Wiring
    from casework.kernel.records import Actor
    from offline_sync.address.lookup import AddressLookup
    from offline_sync.engine import SyncEngine

log = logging.getLogger("alongside.sync")

NETWORK_ERRORS = frozenset({"ConnectionError", "Timeout"})
# The platform each connector's key and address belong to.
PLATFORM_OF = {
    Connector.NOTIFY_EMAIL: "notify",
    Connector.NOTIFY_SMS: "notify",
    Connector.NOTIFY_LETTER: "notify",
    Connector.SUBMISSION_API: "submission_api",
    Connector.PAY: "pay",
    Connector.ADDRESS_LOOKUP: "address_lookup",
}
# The settings pages that configure the address_lookup connector.
ADDRESS_PLATFORMS = frozenset({"os_places", "postcodes_io"})
_STATE_LOCK = threading.Lock()


@dataclass
class _SyncState:
    """What the facade remembers between runs (in memory, for this window)."""

    run_lock: threading.Lock = field(default_factory=threading.Lock)
    engine: SyncEngine | None = None
    total: int = 0
    # connector value -> what to check (a Message is translated when shown)
    stopped: dict[str, object] = field(default_factory=dict)
    online: bool | None = None
    last_success: datetime | None = None
    # Connectors the last run could not build (no address or key), and what to set up.
    missing: dict[Connector, str] = field(default_factory=dict)
    # The connectors, kept between background runs so the keyring is not read (and
    # perhaps asked to unlock) every minute; built again on "Sync now" or a change.
    wiring: Wiring | None = None


class OutboxActions:
    """The outbox and sync part of the facade."""

    _profile: OpenProfile
    _write: sessionmaker[Session]

    if TYPE_CHECKING:
        _address_lookup_cache: AddressLookup | None  # AddressActions': rebuilt after a change

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...

        def _need_actor(self) -> Actor: ...

    # -- state --------------------------------------------------------------------
    def _sync_state(self) -> _SyncState:
        with _STATE_LOCK:
            state: _SyncState | None = self.__dict__.get("_sync_state_")
            if state is None:
                state = _SyncState()
                self.__dict__["_sync_state_"] = state
            return state

    @property
    def is_sandbox(self) -> bool:
        return self._profile.settings.extra.get("sandbox.enabled") == "true"

    # -- status and items -----------------------------------------------------------
    def sync_status(self) -> SyncStatus:
        self._need_actor()
        state = self._sync_state()
        with self._tx(write=False) as session:
            counts = outbox.counts(session)
            last_db = outbox_queries.last_got_through(session)
            waiting_by = outbox_queries.waiting_by_connector(session)
        last = max((t for t in (last_db, state.last_success) if t is not None), default=None)
        engine = state.engine
        return SyncStatus(
            waiting=sum(counts.get(s, 0) for s in WAITING),
            needs_attention=sum(counts.get(s, 0) for s in NEEDS_ACTION),
            last_success=last,
            online=state.online,
            running=engine is not None and engine.latest_progress().running,
            stopped=self._stopped_notices(state, waiting_by),
        )

    def _stopped_notices(
        self, state: _SyncState, waiting_by: dict[Connector, int]
    ) -> tuple[StoppedConnector, ...]:
        notices = [StoppedConnector(Connector(c), str(m)) for c, m in sorted(state.stopped.items())]
        stopped = set(state.stopped)
        missing = state.missing
        for connector in sorted(waiting_by):
            if connector.value in stopped or connector not in missing:
                continue
            notices.append(StoppedConnector(connector, self._unconfigured([connector])[connector]))
        return tuple(notices)

    @staticmethod
    def _unconfigured(missing: Iterable[Connector]) -> dict[Connector, str]:
        """What to set up for connectors that cannot run at all yet."""
        return {
            connector: _(
                "Nothing can be sent by {connector} yet: {platform} is not set up. "
                "Open Sync settings, enter the address and key, and test the connection."
            ).format(connector=connector_name(connector.value), platform=_platform_title(connector))
            for connector in missing
        }

    # -- running a sync -------------------------------------------------------------
    def run_sync(self, wait_seconds: float = 0.0, *, retry_stopped: bool = True) -> SyncOutcome:
        """Deliver what is due, in the calling (worker) thread.

        ``wait_seconds`` > 0 also waits out backoffs for that long ("Sync now");
        0 sends what is due and returns (the background run). A stopped
        connector is tried again only when ``retry_stopped``.
        """
        self._need_actor()
        state = self._sync_state()
        if not state.run_lock.acquire(blocking=False):
            return SyncOutcome(self._progress(state), finished=False, ran=False)
        try:
            return self._run(state, wait_seconds, retry_stopped)
        finally:
            state.run_lock.release()

    def _run(self, state: _SyncState, wait_seconds: float, retry_stopped: bool) -> SyncOutcome:
        from app.sync_wiring import build_connectors

        wiring = state.wiring
        if wiring is None or retry_stopped:
            wiring = build_connectors(self._profile.settings)
            state.wiring = wiring
            state.missing = dict(wiring.missing)  # worded for the window when shown
        connectors = dict(wiring.connectors)
        if not retry_stopped:
            for name in state.stopped:
                connectors.pop(Connector(name), None)
        # The engine brings the connectors' HTTP stack (requests): loaded at the first run.
        from offline_sync.engine import SyncEngine

        engine = SyncEngine(self._write, connectors)
        started = utcnow()
        with self._tx(write=False) as session:
            due = outbox_queries.due_count(session, connectors, started)
        state.total = due
        state.engine = engine
        result = engine.drain(max_wait=wait_seconds)
        progress = result.progress
        for connector in connectors:
            state.stopped.pop(connector.value, None)
        state.stopped.update({c.value: m for c, m in engine.stopped_messages.items()})
        changed, reached, offline = self._since(started)
        if progress.sent or progress.delivered or reached:
            state.online = True
            state.last_success = utcnow()
        elif offline:
            state.online = False
        log.info(
            "sync run: sent %d, set aside %d, stopped %s",
            progress.sent, progress.set_aside, sorted(progress.stopped),
        )  # fmt: skip
        return SyncOutcome(self._progress(state), result.finished, frozenset(changed))

    def _since(self, started: datetime) -> tuple[set[int], bool, bool]:
        """Cases whose items moved since ``started``; whether a platform answered;
        whether every failure was the network."""
        with self._tx(write=False) as session:
            moved = outbox_queries.moved_since(session, started)
        changed = {m.case_id for m in moved if m.case_id is not None}
        errors = [m.last_error_type for m in moved if m.last_error_type]
        answered = any(error not in NETWORK_ERRORS for error in errors)
        offline = bool(errors) and not answered
        return changed, answered, offline

    def sync_progress(self) -> SyncProgress | None:
        """The running (or last) run's progress; fast, safe on the UI thread."""
        state = self._sync_state()
        if state.engine is None:
            return None
        return self._progress(state)

    def abort_sync(self) -> None:
        """Stop the running sync after the item in hand (fast)."""
        engine = self._sync_state().engine
        if engine is not None:
            engine.abort()

    def _progress(self, state: _SyncState) -> SyncProgress:
        from offline_sync.engine import Progress

        engine = state.engine
        snapshot = engine.latest_progress() if engine is not None else Progress()
        done = snapshot.claimed
        return SyncProgress(
            running=snapshot.running,
            total=max(state.total, done),
            done=done,
            sent=snapshot.sent,
            set_aside=snapshot.set_aside,
            failed=snapshot.failed,
            retrying=snapshot.retrying,
            aborted=snapshot.aborted,
            stopped=tuple(
                StoppedConnector(Connector(c), m) for c, m in sorted(snapshot.stopped.items())
            ),
        )

    # -- connector settings ---------------------------------------------------------
    def connector_settings(self) -> list[ConnectorSetting]:
        """Each platform's address and whether a key is saved (reads the keyring)."""
        self._need_actor()
        extra = self._profile.settings.extra
        from app import connection_check

        return [
            ConnectorSetting(
                platform=p.name,
                base_url=extra.get(f"{p.name}.base_url") or p.default_url,
                default_url=p.default_url,
                has_key=p.needs_key and self._secret(p.key_name) is not None,
                needs_key=p.needs_key,
            )
            for p in connection_check.platforms()
        ]

    def save_connector_settings(self, platform: str, base_url: str) -> None:
        """Save a platform's address in the profile's settings."""
        require_text({"platform": platform, "base_url": base_url})
        self._need_actor()
        known = _platform(platform)
        url = base_url.strip().rstrip("/")
        from app import connection_check

        problem = connection_check.check_url(url)
        if problem:
            raise InvalidInput({"base_url": problem.format(example=known.example_url)})
        settings = self._profile.settings
        settings.set(f"{platform}.base_url", url)
        save_settings(self._profile.paths.settings, settings)
        self._forget_stopped(platform)

    def save_api_key(self, platform: str, secret: str) -> None:
        """Save a platform's key in this computer's keyring (never anywhere else)."""
        self._need_actor()
        known = _platform(platform)
        key = secret.strip()
        if not key:
            raise InvalidInput(
                {"api_key": _("Enter the key, or leave the box empty to keep the saved one.")}
            )
        from app.sync_wiring import secret_problem, store_credential

        problem = secret_problem(key)
        if problem:
            raise InvalidInput({"api_key": problem})
        if any(ch.isspace() for ch in key):
            raise InvalidInput(
                {"api_key": _("A key has no spaces or line breaks in it. Copy it again.")}
            )
        import keyring.errors

        try:
            store_credential(self._profile.settings.profile_id, known.key_name, key)
        except keyring.errors.KeyringError as exc:
            raise AlongsideError(
                _(
                    "The key could not be saved: this computer's keyring refused it ({reason}). "
                    "Unlock the keyring (sign in to the desktop again), then save it again."
                ).format(reason=type(exc).__name__)
            ) from exc
        self._forget_stopped(platform)

    def check_connection(
        self, platform: str, base_url: str | None = None, api_key: str | None = None
    ) -> ConnectionCheck:
        """One real request to the platform (seconds; call from a worker).

        Uses what is typed when given, else what is saved.
        """
        self._need_actor()
        known = _platform(platform)
        url = (base_url or "").strip() or self._profile.settings.extra.get(
            f"{platform}.base_url", known.default_url
        )
        if not url:
            return ConnectionCheck(
                False,
                _("Enter the address first, like {example}.").format(example=known.example_url),
            )
        secret = (api_key or "").strip() or self._secret(known.key_name) or ""
        from app.sync_wiring import secret_problem

        problem = secret_problem(secret)
        if problem:
            return ConnectionCheck(False, problem)
        if not secret and known.needs_key:
            return ConnectionCheck(
                False, _("Enter the key first: there is none saved for this platform.")
            )
        try:
            timeout = float(self._profile.settings.extra.get("sync.timeout", "15"))
        except ValueError:
            timeout = 15.0
        from app import connection_check

        result = connection_check.check(platform, url, secret, timeout)
        state = self._sync_state()
        if result.ok:
            state.online = True
            self._forget_stopped(platform)
        return result

    def _secret(self, platform: str) -> str | None:
        from app.sync_wiring import read_saved

        return read_saved(self._profile.settings.profile_id, [platform])

    def _forget_stopped(self, platform: str) -> None:
        state = self._sync_state()
        state.wiring = None  # read the settings and keys again at the next run
        if platform in ADDRESS_PLATFORMS:
            platform = "address_lookup"
            self._address_lookup_cache = None  # the form's lookups read them again too
        for name in list(state.stopped):
            if PLATFORM_OF.get(Connector(name)) == platform:
                del state.stopped[name]


# -- helpers ---------------------------------------------------------------------------


def _platform_title(connector: Connector) -> str:
    """The settings page's name for the platform a connector's settings are on."""
    name = "os_places" if connector == Connector.ADDRESS_LOOKUP else PLATFORM_OF[connector]
    from app import connection_check

    return connection_check.platform(name).title


def _platform(name: str) -> connection_check.Platform:
    # The connection check (requests, Notify's client) loads when a platform is first asked for.
    from app import connection_check

    try:
        return connection_check.platform(name)
    except KeyError:
        raise NotFound(_("There is no platform called '{name}'.").format(name=name)) from None
