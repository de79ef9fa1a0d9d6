"""``alongside demo-data``: fill a profile (made if missing) with realistic demo data."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.common import open_profile, profile_paths, whole_number_up_to
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Upper limits, so a mistyped count ends in a refusal rather than a run that never ends.
MAX_PEOPLE = 1_000_000
MAX_NOTES = 100
MAX_QUEUED = 100_000


def cmd_demo_data(args: argparse.Namespace) -> int:
    from app.demo import people
    from app.demo.demand import add_demand
    from app.demo.queued import add_queued, queued_connector
    from app.profile import create_profile, profile_exists

    connector = queued_connector(args.queued_connector)
    paths = profile_paths(args)
    if profile_exists(paths):
        profile = open_profile(args)
    else:
        profile = create_profile(paths, name=_("Demo"), demo=True)
    try:
        before = _existing_usernames(profile.engine, [w.username for w in people.DEMO_WORKERS])

        def report(done: int, total: int) -> None:
            if total >= 20_000:
                print(
                    _("{done} of {total} people written").format(done=done, total=total),
                    file=sys.stderr,
                )

        people.add_people(
            profile.engine,
            args.people,
            seed=args.seed,
            notes_per_person=args.notes_per_person,
            progress=report,
        )
        add_demand(profile.engine, seed=args.seed)
        queued = add_queued(profile, args.queued, connector, seed=args.seed)
    finally:
        profile.close()
    print(_("Added {n} people to {path}.").format(n=args.people, path=paths.root))
    if queued:
        print(_("Left {n} items waiting in the outbox for {name}.").format(
            n=len(queued), name=connector.value))  # fmt: skip
    print(_("Demo workers (password '{password}'):").format(password=people.DEMO_PASSWORD))
    for worker in people.DEMO_WORKERS:
        if worker.username in before:  # not made here: its own password, team and role
            print(f"  {worker.username:8} " + _("was already in this profile: not changed"))
            continue
        print(f"  {worker.username:8} {worker.display_name} ({worker.role.value}, {worker.team})")
    return 0


def _existing_usernames(engine: Engine, usernames: list[str]) -> set[str]:
    """Which of ``usernames`` the profile has already (the demo leaves them be)."""
    from sqlalchemy import select

    from casework.kernel.models import Worker

    with engine.connect() as connection:
        found = connection.scalars(select(Worker.username).where(Worker.username.in_(usernames)))
        return set(found)


def add_parser(sub: Any) -> None:
    """Add ``demo-data`` to the ``alongside`` command."""
    demo = sub.add_parser("demo-data", help=_("fill a profile with realistic demo data"))
    demo.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    demo.add_argument("--people", type=whole_number_up_to(MAX_PEOPLE), required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--notes-per-person", type=whole_number_up_to(MAX_NOTES), default=3, metavar="N"
    )
    demo.add_argument(
        "--queued", type=whole_number_up_to(MAX_QUEUED), default=0, metavar="N",
        help=_("also leave N forms (or messages) waiting in the outbox, sent as a worker would"),
    )  # fmt: skip
    demo.add_argument(
        "--queued-connector", default="submission_api", metavar="NAME",
        help=_("submission_api (the default), notify_email, notify_sms or notify_letter"),
    )  # fmt: skip
    demo.set_defaults(func=cmd_demo_data)
