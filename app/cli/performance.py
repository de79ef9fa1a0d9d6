"""``alongside performance export``: the office's open data, safe to publish.

alongside performance export --profile DIR --user NAME --from D --to D -o DIR [--lang cy]

Writes ``open-data.csv``, ``open-data.json`` and ``README.md`` into DIR
(made if missing). The worker signs in as themselves; only a supervisor or
an administrator may export, and the read is audited either way.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import signed_in
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def _day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise AlongsideError(
            _("{flag} {text} is not a date: give it as YYYY-MM-DD, for example 2026-04-06.").format(
                flag=flag, text=text
            )
        ) from None


def cmd_performance_export(args: argparse.Namespace) -> int:
    from casework.kernel.action import act
    from casework.kernel.errors import InvalidInput
    from casework.performance import open_data, open_data_files

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    try:
        open_data.whole_weeks(start, end)  # before signing in: a bad period changes nothing
    except InvalidInput as exc:
        raise AlongsideError(" ".join(exc.fields.values())) from None
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise AlongsideError(
            _("{path} is not a folder. Give a folder for the three files.").format(path=folder)
        )
    with signed_in(args) as backend:
        data = backend.perform(
            act(open_data.export_open_data, start, end, catalogue=backend.catalogue), write=True
        )
    written = open_data_files.write_open_data(folder, data, args.lang)
    print(
        _("Wrote {n} files to {path} for the weeks from {start} to {end} ({rows} figures).").format(
            n=len(written),
            path=folder,
            start=data.first_week.isoformat(),
            end=data.last_day.isoformat(),
            rows=len(data.rows),
        )
    )
    return 0


def add_parser(sub: Any) -> None:
    """Add ``performance export`` to the ``alongside`` command."""
    parser = sub.add_parser("performance", help=_("how the office's services are doing"))
    kinds = parser.add_subparsers(dest="performance", required=True, metavar="WHAT")
    export = kinds.add_parser(
        "export", help=_("write the office's weekly figures as open data (CSV, JSON, README)")
    )
    export.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    export.add_argument("--user", required=True, metavar="NAME", help=_("your username"))
    export.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    export.add_argument("-o", "--output", required=True, metavar="DIR")
    export.add_argument(
        "--lang", choices=("en", "cy"), default="en", help=_("the README's language")
    )
    export.set_defaults(func=cmd_performance_export)
