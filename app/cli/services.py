"""``alongside services list|validate``: the shipped services, and checking definition files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.i18n import _

if TYPE_CHECKING:
    import argparse


def cmd_services(args: argparse.Namespace) -> int:
    """List the shipped services, or check definition files."""
    from casework import services

    if args.action == "list":
        catalogue = services.load_catalogue()
        for service in catalogue.services:
            print(
                f"{service.id}\t{service.version}\t{','.join(service.languages)}\t"
                f"{service.text('title', 'en')}"
            )
        for problem in catalogue.problems:
            print(_("alongside: skipped {problem}").format(problem=problem), file=sys.stderr)
        return 1 if catalogue.problems else 0
    paths = [Path(f) for f in args.files] or services.definition_files()
    failed = 0
    for path in paths:
        try:
            service = services.load_definition(path)
        except services.DefinitionError as exc:
            failed += 1
            print(f"alongside: {exc.file}: {exc.pointer}: {exc.reason}", file=sys.stderr)
        else:
            print(
                _("{file}: valid ({id} {version}, {n} questions)").format(
                    file=path, id=service.id, version=service.version, n=service.question_count()
                )
            )
    if not args.files:
        from casework import facilitators

        for bad in facilitators.directory()[1]:
            failed += 1
            print(f"alongside: {bad.file}: {bad.pointer}: {bad.reason}", file=sys.stderr)
    return 1 if failed else 0


def add_parser(sub: Any) -> None:
    """Add ``services list|validate`` to the ``alongside`` command."""
    services = sub.add_parser("services", help=_("list the services, or check definition files"))
    services_sub = services.add_subparsers(dest="action", required=True)
    services_sub.add_parser("list", help=_("one line per service: id, version, languages, title"))
    validate = services_sub.add_parser(
        "validate", help=_("check definition files (all shipped ones by default)")
    )
    validate.add_argument("files", nargs="*", metavar="FILE")
    services.set_defaults(func=cmd_services)
