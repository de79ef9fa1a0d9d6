"""``alongside paper receive``: scans of returned paper forms, onto their cases.

``--profile DIR --user NAME [--case REF] [--reference REF] FILE…``: each file (PDF, PNG, JPEG
or TIFF, pages in any order) is read and its pages matched to the copies they
are pages of; each copy is received in its own transaction (one line each:
the case, the pages, when a reply is due). A file that can't be read, a page
that can't be matched and a copy that can't be received each get one line on
standard error, and nothing of them is attached; the copies that were fine
are still received. Exit 1 if anything was refused, else 0.

``--reference REF`` is the line printed under a page's QR code, typed when
the code can't be read: the files are then that one copy's, and their pages
with no readable code are taken as its pages (the line says which). A
reference that fails its check digits, is another office's, or differs from
a readable page's is refused in one line, and nothing is attached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import signed_in
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from casework.paper.returns.receive import Received


def _said(received: Received) -> str:
    # The window's "Paper returned…" says the same words (``returns.batch``).
    from casework.paper.returns.batch import received_line

    return received_line(received)


def _complain(message: str) -> None:
    print(_("alongside: {message}").format(message=message), file=sys.stderr)


def cmd_paper_receive(args: argparse.Namespace) -> int:
    """Read each scan, match its pages to copies and receive each copy."""
    from casework.kernel.action import act
    from casework.paper.returns.match import match_pages, typed_copy_reference
    from casework.paper.returns.receive import receive_copy
    from casework.paper.returns.scan import ScannedPage, ScanRefused, read_scan

    if args.user is None:
        raise AlongsideError(_("Receiving paper needs --user: the worker receiving it."))
    if args.reference is not None:
        typed_copy_reference(args.reference)  # a mistyped one is said before the slow reading
    refused = False
    pages: list[ScannedPage] = []
    for name in args.files:
        try:
            pages.extend(read_scan(Path(name)))
        except ScanRefused as exc:
            _complain(exc.message)
            refused = True
    if not pages:
        _complain(_("Nothing was received."))
        return 1
    received = 0
    with signed_in(args) as backend:
        matching = backend.perform(
            act(match_pages, backend.catalogue, pages, args.reference), write=False
        )
        for problem in matching.problems:
            _complain(problem)
            refused = True
        for note in matching.notes:
            print(note)
        for copy in matching.copies:
            try:
                result = backend.perform(
                    act(receive_copy, backend.catalogue, copy, args.case), write=True
                )
            except AlongsideError as exc:
                _complain(exc.message)
                refused = True
                continue
            print(_said(result))
            received += 1
    if refused:
        if received:
            _complain(_("The copies listed above were received; scan the others again."))
        else:
            _complain(_("Nothing was received."))
        return 1
    return 0


def add_parser(sub: Any) -> None:
    """Add ``paper`` (with ``receive``) to the ``alongside`` command."""
    paper = sub.add_parser("paper", help=_("paper forms that come back"))

    def no_action(_args: argparse.Namespace) -> int:
        paper.print_usage(sys.stderr)
        print(_("Say what to do with paper: alongside paper receive …"), file=sys.stderr)
        return 1

    paper.set_defaults(func=no_action)
    actions = paper.add_subparsers(dest="paper_command", metavar="ACTION")
    receive = actions.add_parser(
        "receive", help=_("scans of returned paper forms, onto their cases")
    )
    receive.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    receive.add_argument("--user", metavar="NAME", help=_("the worker receiving the forms"))
    receive.add_argument(
        "--case", metavar="REF", help=_("the case a blank form not yet given out belongs to")
    )
    receive.add_argument(
        "--reference",
        metavar="REF",
        help=_("the reference printed under the QR code, when the code can't be read"),
    )
    receive.add_argument("files", nargs="+", metavar="FILE", help=_("PDF, PNG, JPEG or TIFF"))
    receive.set_defaults(func=cmd_paper_receive)
