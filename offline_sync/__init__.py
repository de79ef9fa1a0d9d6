"""Offline sync: the outbox, the sync engine and the platform connectors.

Work captured offline waits here until the network returns and is delivered
exactly once. Nothing here imports Qt.
"""
