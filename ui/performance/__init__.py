"""Why help was needed, on screen: the quick reasons picker (keys 1 to 8,
Enter, Esc) and the case's line of reasons, time spent and outcome.

Uses ``ui.operations.performance`` and the widgets below it; the window, the
form view's starter and the kiosk open the picker through ``DemandController``.
"""
