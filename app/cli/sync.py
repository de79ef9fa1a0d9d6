"""``alongside sync`` and ``alongside outbox``: deliver the outbox to the platforms,
and list what is in it.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_profile
from casework.kernel.errors import AlongsideError


def cmd_sync(args: argparse.Namespace) -> int:
    from app import sync_wiring

    profile = open_profile(args)
    try:
        wiring = sync_wiring.build_connectors(profile.settings)
        engine = sync_wiring.make_engine(profile, wiring)
        if not args.once:
            engine.run_forever()
            return 0
        result = engine.drain(max_wait=args.max_wait)
        for line in sync_wiring.summary(result, wiring, sync_wiring.waiting_items(profile)):
            print(line)
    finally:
        profile.close()
    if result.progress.stopped:
        raise AlongsideError("; ".join(result.progress.stopped.values()))
    if not result.finished:
        raise AlongsideError(
            f"items are still waiting after {args.max_wait:g} seconds; run sync again later"
        )
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from app import sync_wiring

    profile = open_profile(args)
    try:
        for line in sync_wiring.outbox_lines(profile):
            print(line)
    finally:
        profile.close()
    return 0


def add_sync_parser(sub: Any) -> None:
    """Add ``sync`` to the ``alongside`` command."""
    sync = sub.add_parser("sync", help="deliver the outbox to the platforms")
    sync.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    sync.add_argument("--once", action="store_true", help="drain the outbox, then exit")
    sync.add_argument("--max-wait", type=float, default=300.0, metavar="S")
    sync.set_defaults(func=cmd_sync)


def add_outbox_parser(sub: Any) -> None:
    """Add ``outbox`` to the ``alongside`` command."""
    outbox = sub.add_parser("outbox", help="list outbox items with their states and reasons")
    outbox.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    outbox.set_defaults(func=cmd_outbox)
