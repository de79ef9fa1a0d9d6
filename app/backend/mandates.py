"""``MandateActions``: what stays on the port of mandates, the consent receipt
saved to a file the worker chose.

Every other mandate and assisted-session action is a core function
(``delegation.mandate_actions``, ``delegation.listing``,
``offline_sync.revocation``, ``casework.casefile.assisted``,
``casework.forms.mandate_services``, ``casework.paper.consent_receipt``) that
the window names in an operation (``ui.operations.mandates``). Saving the
receipt is composition-root work: it writes outside the database, to a path
the worker chose, and removes a half-written file when the disk says no.

A mixin ``LocalBackend`` inherits (it uses the backend's ``perform`` and
``catalogue``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from casework.kernel.action import act
from casework.kernel.errors import StorageFull
from casework.kernel.i18n import _
from casework.paper import consent_receipt

if TYPE_CHECKING:
    from casework.forms.definitions import Catalogue
    from casework.kernel.action import Action

T = TypeVar("T")


class MandateActions:
    """The consent receipt, saved where the worker chose."""

    if TYPE_CHECKING:

        def perform(self, action: Action[T], *, write: bool) -> T: ...

        @property
        def catalogue(self) -> Catalogue: ...

    def save_consent_receipt(self, mandate_id: int, path: Path) -> Path:
        """The receipt the person keeps, written to ``path`` (all of it or nothing)."""
        data = self.perform(
            act(consent_receipt.consent_receipt_pdf, self.catalogue, mandate_id), write=False
        )
        try:
            path.write_bytes(data)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise StorageFull(
                _("The receipt could not be saved to {path} ({reason}).").format(
                    path=path, reason=exc.strerror or exc
                )
            ) from exc
        return path
