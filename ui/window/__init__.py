"""The main window and the pages only it shows: sign in, the lock screen,
and the UI-thread garbage collector it installs.

The top of ``ui``: it may use every other subpackage, and nothing in ``ui``
imports it (controllers see it through ``ui.host.Host``). ``app`` opens it.
"""
