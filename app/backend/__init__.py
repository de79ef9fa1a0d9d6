"""The facade the window (and the CLI's signed-in commands) call: ``LocalBackend``.

``local`` holds ``LocalBackend`` itself: people, cases, forms, notes, tasks,
search and signing in, over one profile's database. It is built from one mixin
per subject, each the implementation of one of the UI's ports:
``mandates`` (mandates, consent receipts, assisted sessions), ``access``
(revoking, reminders, the "who acted for me" report), ``address`` (address
lookup), ``escalation`` (escalations, facilitators, handovers), ``outbox``
(the outbox, syncing and connector settings) and ``paper`` (paper forms).
The SQL they need lives in the core (``casework``, ``delegation``,
``offline_sync``); this package only opens transactions and calls it.
"""

from app.backend.local import LocalBackend

__all__ = ["LocalBackend"]
