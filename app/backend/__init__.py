"""The port's implementation: ``LocalBackend``, over one profile's database.

Core actions are the window's to name (``ui.operations``); ``LocalBackend``
runs each in one transaction as the signed-in worker (``perform``) and keeps
what only the composition root can do: signing in, language and settings,
the cached catalogue, starting the sync engine and its progress, keys and
connection checks, and writing a file the worker chose. ``local`` holds the
class; one mixin per subject holds the rest of it: ``access`` (the start-up
sweep), ``address`` (address lookup), ``escalation`` (the SLA check and its
settings), ``outbox`` (syncing and connector settings) and ``paper`` (saving
PDFs and the bulk export).
"""

from app.backend.local import LocalBackend

__all__ = ["LocalBackend"]
