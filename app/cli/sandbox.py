"""``alongside sandbox``: run every platform fake together on loopback until Ctrl+C.

``sandbox [--port P]`` prints where the fakes are and the sandbox keys (which
are not secrets: they open nothing but the sandbox).
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def cmd_sandbox(args: argparse.Namespace) -> int:
    from app.sandbox.platform import SandboxPlatform

    if args.port and not 1024 <= args.port <= 65530:
        raise AlongsideError(_("Choose a port from 1024 to 65530."))
    platform = SandboxPlatform(port=args.port)
    try:
        platform.start()
    except OSError as exc:
        raise AlongsideError(
            _("The sandbox could not start on port {port} ({reason}). Choose another port.")
            .format(port=args.port, reason=exc.strerror or exc)
        ) from None  # fmt: skip
    stop = threading.Event()
    # Ctrl+C is how it stops, even when started from a script that runs it in
    # the background (a shell starts those with SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print(_("SANDBOX: the local sandbox platform is running. Nothing here is real."))
        for name, url in platform.urls().items():
            print(f"{name}\t{url}")
        print()
        print(_("To send a profile's sync here:"))
        for key, value in platform.settings().items():
            print(f"  alongside settings set {key} {value} --profile DIR")
        for name, secret in platform.credentials().items():
            print(f"  echo {secret} | alongside credentials set {name} --profile DIR")
        print()
        print(_("Press Ctrl+C to stop."), flush=True)
        stop.wait()
    except KeyboardInterrupt:
        print(_("Sandbox stopped."))
    finally:
        platform.stop()
    return 0


def add_parser(sub: Any) -> None:
    """Add ``sandbox`` to the ``alongside`` command."""
    sandbox = sub.add_parser(
        "sandbox", help=_("run the local sandbox platform (fakes of Notify, Pay and the rest)")
    )
    sandbox.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="P",
        help=_("the first of five ports to use (default: any free ports)"),
    )
    sandbox.set_defaults(func=cmd_sandbox)
