"""People: the lazy people-list model, the search results model, the person
panel and the person dialog.

May use ``ui.qt``, the shared widgets and labels; never the window or a
controller.
"""
