"""Filling in a service form: the form view (pages, task list, check your
answers, sent), its fields, the address finder and the read-only frozen
draft.

May use ``ui.qt``, ``ui.operations``, the shared widgets and
``ui.paper.keeper`` (printing a frozen draft); never the window or a
controller.
"""
