"""The PySide6 front end: windows, dialogs, item models and workers. Thin.

It talks only to a ``ui.backend.Backend`` handed to it by ``app``; it never
imports SQLAlchemy and never holds a database session.
"""
