"""Demo data for ``alongside --demo``, ``alongside demo-data``, the tests and the benchmarks.

``people``: teams, workers with a known password, and seeded people with cases,
notes and tasks. ``queued``: forms and messages left waiting in the outbox.
``escalations``: open escalations in each urgency group. ``sandbox``: points a
demo profile's sync at the local sandbox platform and queues work for it.
``profile``: the throwaway profile ``--demo`` opens, copied from a seed built
once a day into the user cache folder.
"""
