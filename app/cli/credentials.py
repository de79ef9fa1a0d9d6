"""``alongside credentials set``: save a platform's key in this computer's keyring.

``credentials set CONNECTOR --profile DIR`` reads one secret from standard
input (without echo at a terminal) and saves it in the OS keyring only;
nothing is printed back, logged or written to the profile. Piped input is
read as bytes, at most ``MAX_SECRET_BYTES`` and one more, then decoded: too
much, bytes that are not UTF-8, or a control character in the key are
refused in one line and nothing is saved.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import Any

from app.cli.common import profile_paths
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

# The names a secret is saved under (``app.sync_wiring.CREDENTIAL_NAMES``; a test
# keeps the two equal): "notify" serves all three Notify connectors.
CREDENTIAL_NAMES = ("notify", "notify_email", "notify_sms", "notify_letter", "submission_api",
                    "pay", "address_lookup")  # fmt: skip


def _read_secret() -> str:
    """What was typed at a terminal, or standard input read as bytes (at most
    one byte more than a key may be) and decoded as UTF-8."""
    from app.sync_wiring import MAX_SECRET_BYTES, secret_too_long

    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("Secret (it will not be shown): "))
    data = sys.stdin.buffer.read(MAX_SECRET_BYTES + 1)
    if len(data) > MAX_SECRET_BYTES:
        raise AlongsideError(secret_too_long())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AlongsideError(
            _(
                "Standard input is not UTF-8 text (byte {at} cannot be read). "
                "Pipe in only the key itself."
            ).format(at=exc.start)
        ) from None


def check_secret(name: str, secret: str) -> str:
    """The secret without surrounding space, or a refusal saying what to paste."""
    secret = secret.strip()
    if not secret:
        raise AlongsideError(
            _("Nothing was read from standard input. Pipe the key in, or type it when asked.")
        )
    from app.sync_wiring import secret_problem

    problem = secret_problem(secret)
    if problem:
        raise AlongsideError(problem)
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

    from app.profile import profile_exists
    from app.settings import load_settings
    from app.sync_wiring import store_credential

    paths = profile_paths(args)
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


def add_parser(sub: Any) -> None:
    """Add ``credentials set`` to the ``alongside`` command."""
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
