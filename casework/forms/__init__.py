"""The form engine: service definitions, the answer rules, drafts and submissions.

``definitions`` loads and checks the JSON service definitions; ``answers``
decides which questions show and whether an answer is acceptable; ``drafts``
saves answers as the worker types and freezes them as a submission;
``payload`` turns a submission into what a platform is sent; ``routes``
says how a sent form goes (and ``actions.submit_form`` queues its one
delivery); ``sample`` makes a complete valid set of answers for any service
and ``answer_file`` reads and sends a whole form's answers given as JSON.
It may use the case file, ``offline_sync``, ``delegation`` and the kernel;
paper and escalation are built on it, never the other way round.
"""
