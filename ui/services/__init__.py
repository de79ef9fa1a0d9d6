"""The Services view: each service's page, with who is accountable for it,
the facilitator for this office's area, its public pages, and this office's
live figures over a chosen period as charts with the same numbers in tables.

It uses ``ui.operations.services`` for its work and sees the window through
``ui.host.Host``.
"""
