"""The ``alongside`` command: the window, and subcommands for administrators,
scripts and tests (a stable interface: change it only by adding).

Every subcommand has ``--help``, exits 0 on success and non-zero with one
plain line on standard error on failure, and never prints a secret.

Each subject has its own module here, with its ``cmd_*`` functions and the
``add_parser`` that adds it to the command; they share ``app.cli.common``.
This module only builds the parser (the subcommands in their help order) and
runs ``main``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence

from app import __version__
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def build_parser() -> argparse.ArgumentParser:
    # The subcommands (and what they import) load only when a command line
    # needs the whole parser, never to start the window.
    from app.cli import (
        audit,
        complaint,
        credentials,
        db,
        demo_data,
        escalation,
        forms,
        mandates,
        paper,
        paper_receive,
        profile,
        report,
        sandbox,
        services,
        suggestions,
        sync,
    )

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
    db.add_parser(sub)
    demo_data.add_parser(sub)
    profile.add_settings_parser(sub)
    profile.add_setup_parser(sub)
    services.add_parser(sub)
    forms.add_parser(sub)
    sync.add_sync_parser(sub)
    paper.add_parser(sub)
    paper_receive.add_parser(sub)
    sync.add_outbox_parser(sub)
    audit.add_parser(sub)
    credentials.add_parser(sub)
    sandbox.add_parser(sub)
    report.add_parser(sub)
    escalation.add_parser(sub)
    mandates.add_parser(sub)
    complaint.add_parser(sub)
    suggestions.add_parser(sub)
    return parser


def _printable_streams() -> None:
    # Arguments and file names may hold bytes that are not UTF-8 (Python keeps
    # them as lone surrogates); echoing one back must not crash the command.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def window_arguments(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """``(profile, demo)`` when ``argv`` only starts the window (``--profile DIR``,
    ``--demo``), else None: then the whole parser reads it."""
    profile: str | None = None
    demo = False
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--demo":
            demo = True
        elif word == "--profile" and rest and not rest[0].startswith("-"):
            profile = rest.pop(0)
        elif word.startswith("--profile=") and len(word) > len("--profile="):
            profile = word.removeprefix("--profile=")
        else:
            return None
    return profile, demo


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    words = sys.argv[1:] if argv is None else list(argv)
    window = window_arguments(words)
    try:
        if window is not None:
            from app.start import run_window

            return run_window(window[0], demo=window[1])
        args = build_parser().parse_args(words)
        if args.command is None:
            from app.start import run_window

            return run_window(args.profile, demo=bool(args.demo))
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
