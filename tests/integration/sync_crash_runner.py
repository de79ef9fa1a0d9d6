"""The sync engine as a process of its own, for the crash test to kill.

    python tests/integration/sync_crash_runner.py DB NOTIFY_URL SUBMISSION_URL PAY_URL

The database key and the platforms' keys come in the environment
(``CRASH_DB_KEY``, ``CRASH_NOTIFY_KEY``, ``CRASH_SUBMISSION_TOKEN``, ``CRASH_PAY_KEY``).
Drains the outbox and exits 0 when every item has gone.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.database import session_factory, sqlcipher_engine
from offline_sync.connectors.notify import NotifyConnector
from offline_sync.connectors.pay import PayConnector
from offline_sync.connectors.submission import SubmissionConnector
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.records import Connector

TIMEOUT = 0.3


def main() -> int:
    database, notify_url, submission_url, pay_url = sys.argv[1:5]
    engine = sqlcipher_engine(Path(database), bytes.fromhex(os.environ["CRASH_DB_KEY"]))
    notify_key = os.environ["CRASH_NOTIFY_KEY"]
    connectors = {
        kind: NotifyConnector(kind, notify_key, base_url=notify_url, timeout=TIMEOUT)
        for kind in (Connector.NOTIFY_EMAIL, Connector.NOTIFY_SMS)
    }
    connectors[Connector.SUBMISSION_API] = SubmissionConnector(  # type: ignore[assignment]
        os.environ["CRASH_SUBMISSION_TOKEN"], base_url=submission_url, timeout=TIMEOUT
    )
    connectors[Connector.PAY] = PayConnector(  # type: ignore[assignment]
        os.environ["CRASH_PAY_KEY"], base_url=pay_url, timeout=TIMEOUT
    )
    sync = SyncEngine(
        session_factory(engine, write=True),
        connectors,  # type: ignore[arg-type]
        lease_seconds=1.5,
        batch=3,
        policy=RetryPolicy(base_seconds=0.05, max_seconds=0.2, poll_min_seconds=3600),
        pace={},
    )
    result = sync.drain(max_wait=45)
    print(json.dumps({"finished": result.finished, "counts": dict(result.counts)}), flush=True)
    engine.dispose()
    return 0 if result.finished else 1


if __name__ == "__main__":
    sys.exit(main())
