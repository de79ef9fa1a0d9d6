"""Syncing and the outbox: the status indicator and banner, the outbox table
model and views, the sync settings dialog, and the controller that runs
the sync engine and keeps them up to date.

May use ``ui.qt``, ``ui.host``, ``ui.operations`` and the shared widgets;
never the window itself.
"""
