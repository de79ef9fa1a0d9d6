"""``alongside services list|validate|sample``: the shipped services, checking
definition files (loadable, then ``casework.forms.quality``: Welsh, routes,
conditions; every problem on its own line), and a complete valid set of
answers for one service."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.kernel.i18n import _

if TYPE_CHECKING:
    import argparse


def cmd_services(args: argparse.Namespace) -> int:
    """List the shipped services, or check definition files."""
    from casework.escalation import directory
    from casework.forms import definitions, quality

    if args.action == "sample":
        return _sample(args.service_id, args.lang)
    if args.action == "list":
        if args.postcode is not None:
            return _list_for_postcode(args.postcode)
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
    checked: dict[str, definitions.Service] = {}
    for path in paths:
        try:
            service = definitions.load_definition(path, directory.route_problem)
        except definitions.DefinitionError as exc:
            failed += 1
            print(f"alongside: {exc.file}: {exc.pointer}: {exc.reason}", file=sys.stderr)
        else:
            checked[service.id] = service
            problems = quality.check_service(service)
            for found in problems:
                print(f"alongside: {found}", file=sys.stderr)
            failed += bool(problems)
            if not problems:
                print(
                    _("{file}: valid ({id} {version}, {n} questions)").format(
                        file=path,
                        id=service.id,
                        version=service.version,
                        n=service.question_count(),
                    )
                )
    # Counterparts are checked against the files given and the shipped catalogue.
    others = {s.id: s for s in definitions.load_catalogue().services} | checked
    for service in checked.values():
        wrong = definitions.counterpart_problem(service, others)
        if wrong is not None:
            failed += 1
            print(f"alongside: {wrong.file}: {wrong.pointer}: {wrong.reason}", file=sys.stderr)
    if not args.files:
        for bad in directory.directory()[1]:
            failed += 1
            print(f"alongside: {bad.file}: {bad.pointer}: {bad.reason}", file=sys.stderr)
    return 1 if failed else 0


def _list_for_postcode(typed: str) -> int:
    """The version of each service for the postcode's nation: a line saying the
    nation (and that a border postcode needs checking), then one line a service."""
    from casework.escalation import directory
    from casework.forms import definitions
    from casework.forms.versions import NATION_NAMES, versions_in
    from casework.kernel.nations import place_postcode, postcode_or_district

    postcode = postcode_or_district(typed)  # a district alone (CH5) will do
    placement = place_postcode(postcode) if postcode is not None else None
    if postcode is None or placement is None:
        print(
            _("alongside: {postcode!r} is not a UK postcode (like CF10 1AA).").format(
                postcode=typed.strip()[:20]
            ),
            file=sys.stderr,
        )
        return 1
    line = _("Nation for {postcode}: {nation}").format(
        postcode=postcode, nation=_(NATION_NAMES[placement.nation])
    )
    if placement.uncertain and placement.other is not None:
        line += " — " + _("border postcode: check; the other nation is {other}").format(
            other=_(NATION_NAMES[placement.other])
        )
    print(line)
    catalogue = definitions.load_catalogue(route_check=directory.route_problem)
    for service in versions_in(catalogue, placement.nation):
        print(
            f"{service.id}\t{service.version}\t{','.join(service.languages)}\t"
            f"{service.text('title', 'en')}"
        )
    for problem in catalogue.problems:
        print(_("alongside: skipped {problem}").format(problem=problem), file=sys.stderr)
    return 1 if catalogue.problems else 0


def _sample(service_id: str, language: str) -> int:
    """Print a complete, valid set of answers for the service as JSON."""
    import json

    from casework.escalation import directory
    from casework.forms import actions, definitions
    from casework.forms.sample import sample_answers

    catalogue = definitions.load_catalogue(route_check=directory.route_problem)
    service = actions.service_for(catalogue, service_id)
    print(json.dumps(sample_answers(service, language), ensure_ascii=False, indent=2))
    return 0


def add_parser(sub: Any) -> None:
    """Add ``services list|validate`` to the ``alongside`` command."""
    definitions = sub.add_parser("services", help=_("list the services, or check definition files"))
    services_sub = definitions.add_subparsers(dest="action", required=True)
    listing = services_sub.add_parser(
        "list", help=_("one line per service: id, version, languages, title")
    )
    listing.add_argument(
        "--postcode",
        metavar="PC",
        help=_("only the version of each service for this postcode's nation"),
    )
    validate = services_sub.add_parser(
        "validate", help=_("check definition files (all shipped ones by default)")
    )
    validate.add_argument("files", nargs="*", metavar="FILE")
    sample = services_sub.add_parser(
        "sample", help=_("a complete, valid set of answers for a service, as JSON")
    )
    sample.add_argument("service_id", metavar="ID")
    sample.add_argument("--lang", choices=("en", "cy"), default="en")
    definitions.set_defaults(func=cmd_services)
