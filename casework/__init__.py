"""Casework: the kernel every layer speaks, the case file, and the features.

Folders, bottom to top (``pyproject.toml``'s layers contract says the same,
with ``delegation`` and ``offline_sync`` between them; decision 0023):

- ``kernel``: the shared models and records, errors, i18n, the timeline,
  validators and the workers who sign in. Imports nothing above it.
- ``casefile``: people, cases, notes, tasks, documents, search and the
  assisted session, each read and write through ``delegation``'s decision.
- ``forms``: the form engine (definitions, answers, drafts, payloads).
- ``paper``: every form, letter and report as a PDF.
- ``escalation``: the escalation, its SLA clock, the facilitator directory
  and handover.

Plain, typed Python over SQLAlchemy; nothing here imports Qt.
"""
