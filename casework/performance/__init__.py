"""Performance in the open: why people needed help, and how each service does.

Failure-demand reasons, time spent and outcomes recorded on cases; a service's
live figures for this office; and the open-data export, aggregates only, with
small counts suppressed. It may use escalation, paper, the form engine and
everything below them.
"""
