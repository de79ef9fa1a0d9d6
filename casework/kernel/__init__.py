"""The casework kernel: what every layer speaks.

The shared SQLAlchemy models and plain records, the errors a person can act
on, gettext (``i18n``), the case timeline, validators for UK identifiers,
the workers who sign in (``accounts``, ``passwords``), and ``files``: the one
way to read a file a person names (bounded) and to write one (whole). It
imports nothing of Alongside's own from outside this folder; everything else
may import it.
"""
