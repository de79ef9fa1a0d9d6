"""Connectors: how an outbox item reaches one platform, and what its failures mean."""
