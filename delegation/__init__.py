"""Delegation: who may see and act on a person's data, and why.

Mandates and their scopes, consent, the one policy decision (``policy``),
the caseload and visibility filters, the assisted-session wall and the
hash-chained audit. Every read or write of a person's data asks this
package first; the answer is a ``Decision`` with a reason. It uses only
``casework.kernel``; what ending a mandate does to queued work is
``offline_sync.revocation``'s. Nothing here imports Qt.
"""
