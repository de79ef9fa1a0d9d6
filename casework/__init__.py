"""Casework: people, cases, notes, tasks, documents, timeline and search.

Plain, typed Python over SQLAlchemy. Nothing here imports Qt; the UI reaches
this package only through the facade that ``app`` builds.
"""
