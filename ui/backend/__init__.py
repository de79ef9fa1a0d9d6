"""The port between the screens and the core: ``Backend`` and its parts.

Protocols only, no Qt and no code that runs: ``port.Backend`` is everything
the screens may ask of the core, put together from the parts for
addresses, escalation, the outbox and paper. ``app``'s
``LocalBackend`` implements it. May use the core's records and errors.
"""

from ui.backend.port import Backend

__all__ = ["Backend"]
