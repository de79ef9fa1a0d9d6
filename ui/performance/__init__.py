"""Performance on screen: why help was needed, and the office's open data.

The quick reasons picker (keys 1 to 8, Enter, Esc) and the case's line of
reasons, time spent and outcome use ``ui.operations.performance``; the window,
the form view's starter and the kiosk open the picker through
``DemandController``. The open-data export dialog (the period, the folder,
progress and Cancel, then sending the figures to a service owner) uses
``ui.operations.open_data``. May use ``ui.qt``, ``ui.host``, ``ui.operations``
and the shared widgets; never the window.
"""
