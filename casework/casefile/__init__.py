"""The case file: people, cases, notes, tasks, documents and search.

Every read and write here goes through ``delegation``'s one policy decision,
in the same transaction, so this package sits above ``delegation`` and the
kernel and below the features (``forms``, ``paper``, ``escalation``). It also
holds the assisted session (``assisted``), which makes a short-lived case file
for a walk-in person at a public terminal.
"""
