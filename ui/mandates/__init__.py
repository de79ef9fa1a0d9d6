"""Acting for a person: the "Acting for" banner, the grant, renew and
mandates dialogs, the ending-soon reminders, the safeguarding questions,
the assisted-session kiosk, and the controller that wires them in.

May use ``ui.qt``, ``ui.host``, ``ui.operations``, the shared widgets,
``ui.forms`` (the kiosk's form) and ``ui.paper`` (saving and printing
PDFs); never the window itself.
"""
