"""Address lookup: OS Places and postcodes.io, a 30-day cache, and the outbox
connector that looks up later an address typed while offline."""
