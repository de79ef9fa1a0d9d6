"""Escalating a stuck case and handing it over: the Escalate, handover and
facilitator dialogs, the escalations view, and the controller that wires
them to the operations.

May use ``ui.qt``, ``ui.host``, ``ui.operations``, the shared widgets and
``ui.cases``; never the window itself.
"""
