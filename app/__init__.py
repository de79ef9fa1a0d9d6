"""The composition root: paths, settings, logging, keys, the database and
its migrations, the facade the UI calls, and the ``alongside`` command."""

__version__ = "0.1.0"
