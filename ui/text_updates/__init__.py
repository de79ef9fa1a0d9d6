"""Text updates to the person: the controller that loads a case's choice into
the case view's "Text me updates" row and records a change.

May use ``ui.qt``, ``ui.host``, ``ui.operations`` and ``ui.cases``; never the
window itself.
"""
