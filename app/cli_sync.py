"""Command-line parts of sync: ``alongside credentials set`` and ``alongside sandbox``.

``credentials set CONNECTOR --profile DIR`` reads one secret from standard
input (without echo at a terminal) and saves it in the OS keyring only;
nothing is printed back, logged or written to the profile. ``sandbox
[--port P]`` runs every platform fake together on loopback until Ctrl+C
and prints where they are and the sandbox keys (which are not secrets: they
open nothing but the sandbox).
"""

from __future__ import annotations

import argparse
import sys
import threading
import uuid
from typing import Any

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

# The names a secret is saved under (``app.sync_wiring.CREDENTIAL_NAMES``; a test
# keeps the two equal): "notify" serves all three Notify connectors.
CREDENTIAL_NAMES = ("notify", "notify_email", "notify_sms", "notify_letter", "submission_api",
                    "pay", "address_lookup")  # fmt: skip


def add_parsers(sub: Any) -> None:
    """Add ``credentials`` and ``sandbox`` to the ``alongside`` command."""
    credentials = sub.add_parser(
        "credentials", help=_("save a platform's API key or token in this computer's keyring")
    )
    credentials_sub = credentials.add_subparsers(dest="action", required=True)
    setter = credentials_sub.add_parser(
        "set", help=_("read a secret from standard input and save it in the keyring")
    )
    setter.add_argument("connector", choices=CREDENTIAL_NAMES, metavar="CONNECTOR")
    setter.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    credentials.set_defaults(func=cmd_credentials)

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


def _read_secret() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("Secret (it will not be shown): "))
    return sys.stdin.read()


def check_secret(name: str, secret: str) -> str:
    """The secret without surrounding space, or a refusal saying what to paste."""
    secret = secret.strip()
    if not secret:
        raise AlongsideError(
            _("Nothing was read from standard input. Pipe the key in, or type it when asked.")
        )
    if any(c.isspace() for c in secret):
        raise AlongsideError(
            _("The secret has a space or line break inside it. Paste only the key itself.")
        )
    if name.startswith("notify") and not _looks_like_notify_key(secret):
        raise AlongsideError(
            _(
                "That is not a GOV.UK Notify API key. A key looks like "
                "'name-<service id>-<secret>' and is shown once, when you create it in Notify's "
                "API integration page."
            )
        )
    if name == "pay" and not secret.startswith(("api_test_", "api_live_")):
        raise AlongsideError(
            _("That is not a GOV.UK Pay API key: Pay keys start api_test_ or api_live_.")
        )
    return secret


def _looks_like_notify_key(secret: str) -> bool:
    """``{key name}-{service id}-{secret}``: two UUIDs after a name."""
    if len(secret) < 75 or secret[-37] != "-" or secret[-74] != "-":
        return False
    try:
        uuid.UUID(secret[-36:])
        uuid.UUID(secret[-73:-37])
    except ValueError:
        return False
    return True


def cmd_credentials(args: argparse.Namespace) -> int:
    import keyring.errors

    from app.cli import _paths
    from app.profile import profile_exists
    from app.settings import load_settings
    from app.sync_wiring import store_credential

    paths = _paths(args)
    if not profile_exists(paths):
        raise AlongsideError(
            _("There is no profile at {path}. Check the folder, or create one first.").format(
                path=paths.root
            )
        )
    settings = load_settings(paths.settings)
    secret = check_secret(args.connector, _read_secret())
    try:
        store_credential(settings.profile_id, args.connector, secret)
    except keyring.errors.KeyringError as exc:
        raise AlongsideError(
            _(
                "The keyring could not save it ({reason}). Unlock this computer's keyring "
                "(or start one), then try again. Nothing was saved."
            ).format(reason=type(exc).__name__)
        ) from None
    print(_("Saved the secret for {name} in this computer's keyring.").format(name=args.connector))
    return 0


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
