"""The form engine: service definitions, the answer rules, drafts and submissions.

``definitions`` loads and checks the JSON service definitions; ``answers``
decides which questions show and whether an answer is acceptable; ``drafts``
saves answers as the worker types and freezes them as a submission;
``payload`` turns a submission into what a platform is sent. It may use the
case file, ``offline_sync``, ``delegation`` and the kernel; paper and
escalation are built on it, never the other way round.
"""
