"""``alongside sync`` and ``alongside outbox``: deliver the outbox to the platforms,
and list what is in it.

``outbox`` signs the worker in (``--user``; the password from
``ALONGSIDE_PASSWORD`` or typed), so it lists what the window lists under the
same policy decision: who each item is for (a name only where the worker may
see that person), its case, its service, its route and its state, in words;
``--json`` gives scripts the same with the item's id and values.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from app.cli.common import open_profile, signed_in, whole_number_up_to
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import SUPPORTED_LANGUAGES, _

if TYPE_CHECKING:
    from offline_sync.records import OutboxRow


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
            _("Items are still waiting after {seconds:g} seconds: run sync again later.").format(
                seconds=args.max_wait
            )
        )
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from casework.forms import actions
    from casework.kernel.action import act
    from casework.kernel.i18n import current_language, set_language
    from offline_sync import outbox_queries

    if args.lang:
        set_language(args.lang)
    with signed_in(args) as backend:
        titles = actions.titles(backend.catalogue, current_language())
        rows = backend.perform(
            act(outbox_queries.outbox_rows, None, args.limit, titles), write=False
        )
    if args.json:
        print(json.dumps([_outbox_record(row) for row in rows], ensure_ascii=False, indent=1))
    else:
        for line in _outbox_table(rows):
            print(line)
    return 0


def _outbox_words(row: OutboxRow) -> dict[str, str]:
    """What a person reads about an item: words, no ids and no enum values."""
    from offline_sync.names import person_words, route_name, state_name

    return {
        "person": person_words(row.person, hidden=row.hidden, for_a_case=row.case_id is not None),
        "case": row.case_reference or "-",
        "service": row.service or "-",
        "route": route_name(row.connector),
        "state": state_name(row.state, row.connector),
        "reason": row.reason,
    }


def _outbox_record(row: OutboxRow) -> dict[str, Any]:
    """One item for a script: the words, and the values a script matches on."""
    return {
        **_outbox_words(row),
        "id": row.id,
        "connector": row.connector.value,
        "state_value": row.state.value,
        "service_id": row.service_id or None,
        "attempts": row.attempts,
        "created_at": row.created_at.isoformat(),
    }


def _outbox_table(rows: list[OutboxRow]) -> list[str]:
    """A plain table: who, case, service, route, state and the reason, if any."""
    if not rows:
        return [_("The outbox is empty: nothing is waiting to go.")]
    keys = ("person", "case", "service", "route", "state", "reason")
    header = dict(
        zip(
            keys,
            (_("Person"), _("Case"), _("Service"), _("Route"), _("State"), _("Reason")),
            strict=True,
        )
    )
    table = [header, *(_outbox_words(row) for row in rows)]
    widths = {key: max(len(line[key]) for line in table) for key in keys[:-1]}
    return [
        "  ".join([*(line[key].ljust(widths[key]) for key in keys[:-1]), line["reason"]]).rstrip()
        for line in table
    ]


def add_sync_parser(sub: Any) -> None:
    """Add ``sync`` to the ``alongside`` command."""
    sync = sub.add_parser("sync", help="deliver the outbox to the platforms")
    sync.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    sync.add_argument("--once", action="store_true", help="drain the outbox, then exit")
    sync.add_argument("--max-wait", type=float, default=300.0, metavar="S")
    sync.set_defaults(func=cmd_sync)


def add_outbox_parser(sub: Any) -> None:
    """Add ``outbox`` to the ``alongside`` command."""
    outbox = sub.add_parser(
        "outbox",
        help=_("list the outbox: who each item is for, its case, service, route and state"),
    )
    outbox.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    outbox.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    outbox.add_argument("--json", action="store_true", help=_("print JSON, for scripts"))
    outbox.add_argument(
        "--lang", choices=SUPPORTED_LANGUAGES, help=_("the language of the words (en or cy)")
    )
    outbox.add_argument(
        "--limit", type=whole_number_up_to(1_000_000), default=10_000, metavar="N",
        help=_("the newest N items (10,000 unless told)"),
    )  # fmt: skip
    outbox.set_defaults(func=cmd_outbox)
