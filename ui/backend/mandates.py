"""The port for mandates: what stays on it once the window names the core
actions itself (``ui.operations.mandates``).

``app.backend.mandates.MandateActions`` implements it; ``ui.backend.port.Backend``
includes it. Call from a worker (an operation on ``ui.operations``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class MandateBackend(Protocol):
    def save_consent_receipt(self, mandate_id: int, path: Path) -> Path:
        """The consent receipt written to a file the worker chose (composition-root
        work: outside the database; a half-written file is removed).
        Raises StorageFull when it cannot be written."""
        ...
