"""``alongside audit verify|checkpoint``: check the audit trail, and anchor it.

``verify`` walks the hash chain and holds it against the newest signed
checkpoint (the keyring, the backups folder and, on the shared store, the
``audit_checkpoints`` table; see ``app.audit_anchor``): 0 when intact, 1 with
one sentence naming what changed. ``checkpoint`` signs the chain's head now,
for scripts that write without the window.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_profile
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _


def cmd_audit(args: argparse.Namespace) -> int:
    """Check the audit trail: 0 when intact, 1 naming what changed."""
    from app import audit_anchor
    from app.database import session_factory
    from delegation.anchor import verify_anchored

    profile = open_profile(args)
    try:
        if args.action == "checkpoint":
            checkpoint = audit_anchor.write_checkpoint(profile)
            if checkpoint is None:
                raise AlongsideError(
                    _(
                        "There is no keyring on this computer to keep the audit signing key in, "
                        "so no checkpoint was made."
                    )
                )
            print(
                _("Checkpoint signed: {n} entries, ending {head}.").format(
                    n=checkpoint.count, head=checkpoint.head_hash[:16]
                )
            )
            return 0
        profile_id = profile.settings.profile_id
        stored = audit_anchor.stored_checkpoints(profile)
        public_key = audit_anchor.public_key(profile_id)
        with session_factory(profile.engine)() as session:
            result = verify_anchored(session, stored, public_key, profile_id=profile_id)
    finally:
        profile.close()
    if not result.ok:
        raise AlongsideError(result.reason)
    print(result.reason)
    return 0


def add_parser(sub: Any) -> None:
    """Add ``audit verify|checkpoint`` to the ``alongside`` command."""
    audit = sub.add_parser("audit", help=_("check the audit trail has not been changed"))
    audit.add_argument("action", choices=("verify", "checkpoint"))
    audit.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS)
    audit.set_defaults(func=cmd_audit)
