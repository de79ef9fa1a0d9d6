"""The ``alongside`` command: the window, and subcommands for administrators,
scripts and tests (a stable interface: change it only by adding).

Every subcommand has ``--help``, exits 0 on success and non-zero with one
plain line on standard error on failure, and never prints a secret.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, cli_paper
from app.paths import ProfilePaths, resolve_profile_dir
from app.settings import load_settings, save_settings
from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from app.profile import OpenProfile

# SQLAlchemy, Alembic and the casework models are imported by the commands
# that open a database, so --version, --help and settings answer at once.

PASSWORD_ENV = "ALONGSIDE_PASSWORD"  # noqa: S105 - a variable name, not a secret


def _paths(args: argparse.Namespace) -> ProfilePaths:
    return ProfilePaths(resolve_profile_dir(getattr(args, "profile", None)))


def _ask_passphrase() -> str:
    if not sys.stdin.isatty():
        raise AlongsideError(
            _(
                "This profile needs its passphrase, and there is no terminal to type it in. "
                "Set ALONGSIDE_DB_KEY instead."
            )
        )
    return getpass.getpass(_("Profile passphrase: "))


def _open(args: argparse.Namespace, upgrade: bool = True) -> OpenProfile:
    from app.profile import open_profile

    return open_profile(_paths(args), _ask_passphrase, upgrade=upgrade)


def cmd_db(args: argparse.Namespace) -> int:
    from app import migrate

    if args.action == "upgrade":
        profile = _open(args, upgrade=False)
        try:
            backup = migrate.upgrade(profile.engine, profile.paths.backups)
            print(_("Database is at {rev}.").format(rev=migrate.current_revision(profile.engine)))
            if backup:
                print(_("A copy from before the upgrade is at {path}.").format(path=backup))
        finally:
            profile.close()
        return 0
    if args.action == "check":
        profile = _open(args, upgrade=False)
        try:
            problems = migrate.check(profile.engine)
        finally:
            profile.close()
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(_("The database is sound and up to date."))
        return 1 if problems else 0
    profile = _open(args, upgrade=False)
    try:
        path = migrate.backup(profile.engine, profile.paths.backups, reason="manual")
    finally:
        profile.close()
    print(_("Backup written to {path} (encrypted with the profile's key).").format(path=path))
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from app import demo
    from app.demo_queued import add_queued, queued_connector
    from app.profile import create_profile, profile_exists

    connector = queued_connector(args.queued_connector)
    paths = _paths(args)
    if profile_exists(paths):
        profile = _open(args)
    else:
        profile = create_profile(paths, name=_("Demo"), demo=True)
    try:

        def report(done: int, total: int) -> None:
            if total >= 20_000:
                print(
                    _("{done} of {total} people written").format(done=done, total=total),
                    file=sys.stderr,
                )

        demo.add_people(
            profile.engine,
            args.people,
            seed=args.seed,
            notes_per_person=args.notes_per_person,
            progress=report,
        )
        queued = add_queued(profile, args.queued, connector, seed=args.seed)
    finally:
        profile.close()
    print(_("Added {n} people to {path}.").format(n=args.people, path=paths.root))
    if queued:
        print(_("Left {n} items waiting in the outbox for {name}.").format(
            n=len(queued), name=connector.value))  # fmt: skip
    print(_("Demo workers (password '{password}'):").format(password=demo.DEMO_PASSWORD))
    for worker in demo.DEMO_WORKERS:
        print(f"  {worker.username:8} {worker.display_name} ({worker.role.value}, {worker.team})")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if not paths.settings.exists():  # app.profile.profile_exists, without the database code
        raise AlongsideError(_("There is no Alongside profile at {path}.").format(path=paths.root))
    settings = load_settings(paths.settings)
    if args.action == "set":
        settings.set(args.key, args.value)
        save_settings(paths.settings, settings)
        print(_("{key} is now {value}.").format(key=args.key, value=settings.get(args.key)))
    else:
        try:
            print(settings.get(args.key))
        except KeyError as exc:
            raise AlongsideError(
                _("There is no setting called '{key}'.").format(key=args.key)
            ) from exc
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Create a profile and its first administrator without the window."""
    from app.database import session_factory
    from app.profile import create_profile, discard_new_profile
    from casework.kernel import accounts
    from casework.kernel.records import Role

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise AlongsideError(
                _("Set {env} or run this in a terminal to choose the password.").format(
                    env=PASSWORD_ENV
                )
            )
        password = getpass.getpass(_("Password for {user}: ").format(user=args.admin))
    passphrase = os.environ.get("ALONGSIDE_PASSPHRASE") if args.passphrase else None
    if args.passphrase and not passphrase:
        passphrase = getpass.getpass(_("Profile passphrase: "))
    profile = create_profile(
        _paths(args), name=args.name, passphrase=passphrase, database_url=args.database_url
    )
    try:
        with session_factory(profile.engine, write=True).begin() as session:
            try:
                team = accounts.get_or_create_team(session, args.team)
            except ValueError as exc:
                raise InvalidInput({"team": str(exc)}) from exc
            accounts.create_worker(
                session,
                username=args.admin,
                display_name=args.display_name or args.admin,
                password=password,
                role=Role.ADMIN,
                team=team,
            )
    except BaseException:
        # No half-made profile without an administrator: set-up can be run again.
        discard_new_profile(profile)
        raise
    profile.close()
    print(_("Profile created at {path}.").format(path=profile.paths.root))
    return 0


def _count(text: str) -> int:
    """A whole number of zero or more, for argparse."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("give a whole number, 0 or more"))
    return value


def cmd_services(args: argparse.Namespace) -> int:
    """List the shipped services, or check definition files."""
    from casework.escalation import directory
    from casework.forms import definitions

    if args.action == "list":
        catalogue = definitions.load_catalogue(route_check=directory.route_problem)
        for service in catalogue.services:
            print(
                f"{service.id}\t{service.version}\t{','.join(service.languages)}\t"
                f"{service.text('title', 'en')}"
            )
        for problem in catalogue.problems:
            print(_("alongside: skipped {problem}").format(problem=problem), file=sys.stderr)
        return 1 if catalogue.problems else 0
    paths = [Path(f) for f in args.files] or definitions.definition_files()
    failed = 0
    for path in paths:
        try:
            service = definitions.load_definition(path, directory.route_problem)
        except definitions.DefinitionError as exc:
            failed += 1
            print(f"alongside: {exc.file}: {exc.pointer}: {exc.reason}", file=sys.stderr)
        else:
            print(
                _("{file}: valid ({id} {version}, {n} questions)").format(
                    file=path, id=service.id, version=service.version, n=service.question_count()
                )
            )
    if not args.files:
        for bad in directory.directory()[1]:
            failed += 1
            print(f"alongside: {bad.file}: {bad.pointer}: {bad.reason}", file=sys.stderr)
    return 1 if failed else 0


def cmd_sync(args: argparse.Namespace) -> int:
    from app import sync_wiring

    profile = _open(args)
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

    profile = _open(args)
    try:
        for line in sync_wiring.outbox_lines(profile):
            print(line)
    finally:
        profile.close()
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Check the audit trail's hash chain: 0 when intact, 1 naming the first broken entry."""
    from app.database import session_factory
    from delegation.audit import verify

    profile = _open(args)
    try:
        with session_factory(profile.engine)() as session:
            result = verify(session)
    finally:
        profile.close()
    if not result.ok:
        raise AlongsideError(result.reason)
    print(result.reason)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from app import cli_sync

    parser = argparse.ArgumentParser(
        prog="alongside",
        description=_("Casework and delegated access for people who help others."),
    )
    parser.add_argument("--version", action="version", version=f"Alongside {__version__}")
    parser.add_argument("--profile", metavar="DIR", help=_("the profile folder to use"))
    parser.add_argument(
        "--demo", action="store_true", help=_("a throwaway demo profile with demo data")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help=_("upgrade, check or back up the database"))
    db.add_argument("action", choices=("upgrade", "check", "backup"))
    db.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    db.set_defaults(func=cmd_db)

    demo = sub.add_parser("demo-data", help=_("fill a profile with realistic demo data"))
    demo.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    demo.add_argument("--people", type=_count, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--notes-per-person", type=int, default=3, metavar="N")
    demo.add_argument(
        "--queued", type=_count, default=0, metavar="N",
        help=_("also leave N forms (or messages) waiting in the outbox, sent as a worker would"),
    )  # fmt: skip
    demo.add_argument(
        "--queued-connector", default="submission_api", metavar="NAME",
        help=_("submission_api (the default), notify_email, notify_sms or notify_letter"),
    )  # fmt: skip
    demo.set_defaults(func=cmd_demo_data)

    settings = sub.add_parser("settings", help=_("read or change a profile setting"))
    settings_sub = settings.add_subparsers(dest="action", required=True)
    setter = settings_sub.add_parser("set", help=_("change a setting"))
    setter.add_argument("key")
    setter.add_argument("value")
    setter.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    getter = settings_sub.add_parser("get", help=_("show a setting"))
    getter.add_argument("key")
    getter.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    settings.set_defaults(func=cmd_settings)

    setup = sub.add_parser(
        "setup", help=_("create a profile and its first administrator without the window")
    )
    setup.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    setup.add_argument("--admin", required=True, metavar="USERNAME")
    setup.add_argument("--display-name", metavar="NAME")
    setup.add_argument("--team", default="Administrators", metavar="NAME")
    setup.add_argument("--name", default="Alongside", metavar="PROFILE_NAME")
    setup.add_argument(
        "--passphrase",
        action="store_true",
        help=_(
            "protect the key with a passphrase (ALONGSIDE_PASSPHRASE or a prompt) "
            "instead of the keyring"
        ),
    )
    setup.add_argument("--database-url", metavar="URL", help=_("a postgresql+psycopg:// URL"))
    setup.set_defaults(func=cmd_setup)

    definitions = sub.add_parser("services", help=_("list the services, or check definition files"))
    services_sub = definitions.add_subparsers(dest="action", required=True)
    services_sub.add_parser("list", help=_("one line per service: id, version, languages, title"))
    validate = services_sub.add_parser(
        "validate", help=_("check definition files (all shipped ones by default)")
    )
    validate.add_argument("files", nargs="*", metavar="FILE")
    definitions.set_defaults(func=cmd_services)

    sync = sub.add_parser("sync", help="deliver the outbox to the platforms")
    sync.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    sync.add_argument("--once", action="store_true", help="drain the outbox, then exit")
    sync.add_argument("--max-wait", type=float, default=300.0, metavar="S")
    sync.set_defaults(func=cmd_sync)

    cli_paper.add_parsers(sub)

    outbox = sub.add_parser("outbox", help="list outbox items with their states and reasons")
    outbox.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    outbox.set_defaults(func=cmd_outbox)

    audit = sub.add_parser("audit", help=_("check the audit trail has not been changed"))
    audit.add_argument("action", choices=("verify",))
    audit.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    audit.set_defaults(func=cmd_audit)
    cli_sync.add_parsers(sub)

    from app import cli_access

    cli_access.add_parsers(sub)

    from app import cli_escalation

    cli_escalation.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from app.gui import run_gui

            return run_gui(args.profile, demo=bool(args.demo))
        result: int = args.func(args)
        return result
    except AlongsideError as exc:
        print(_("alongside: {message}").format(message=exc.message), file=sys.stderr)
        return 1
    except OSError as exc:
        # A folder that is a file, a disk that is full, a drive that went away.
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            _("alongside: {reason}{where}. Nothing was changed.").format(
                reason=exc.strerror or exc, where=where
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
