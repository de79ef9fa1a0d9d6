"""The SLA check as a process of its own, for the restart test to kill.

    python tests/integration/escalation_check_runner.py DB [--block]

The database key comes in ``ALONGSIDE_DB_KEY``. With ``--block`` the process
prints "ready" from inside the re-escalation's transaction, just before it
would commit, and then waits for ever (until the test kills it). Otherwise it
runs the check and prints its report as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.database import session_factory, sqlcipher_engine
from casework.escalation import breaches
from casework.forms import definitions


def main() -> int:
    database = Path(sys.argv[1])
    block = "--block" in sys.argv[2:]
    engine = sqlcipher_engine(database, bytes.fromhex(os.environ["ALONGSIDE_DB_KEY"]))
    catalogue = definitions.load_catalogue()

    def service_of(service_id: str) -> definitions.Service:
        found = catalogue.get(service_id)
        assert found is not None
        return found

    def hold(escalation_id: int) -> None:
        print("ready", escalation_id, flush=True)
        sys.stdin.read()  # the test never writes: we wait here until killed

    report = breaches.check_due(
        session_factory(engine, write=True), service_of, before_commit=hold if block else None
    )
    print(json.dumps(report.__dict__), flush=True)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
