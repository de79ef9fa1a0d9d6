"""A case on screen: the case view with its tabs, the open-a-case dialog and
the worker's own case list.

May use ``ui.qt``, the shared widgets and labels, ``ui.forms.frozen`` (the
frozen forms row) and ``ui.sync.outbox_view`` (the case's Outbox tab); never
the window or a controller.
"""
