"""Performance: the open-data export dialog (the period, the folder, progress
and Cancel, then sending the figures to a service owner).

May use ``ui.qt``, ``ui.host``, ``ui.operations`` and the shared widgets;
never the window.
"""
