"""Delegation: who may see and act on a person's data, and why.

Every read or write of a person's data asks this package first; the answer
is a ``Decision`` with a reason. Nothing here imports Qt.
"""
