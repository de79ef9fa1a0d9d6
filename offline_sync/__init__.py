"""Offline sync: the outbox, the sync engine and the platform connectors.

Work captured offline waits here until the network returns and is delivered
exactly once (``outbox``, ``engine``, ``connectors/``, ``address/``), and the
outbox's side of a mandate ending (``revocation``). It uses ``delegation``
and ``casework.kernel``; the features above hand in what it needs of them
(the letter check). Nothing here imports Qt.
"""
