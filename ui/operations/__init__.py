"""Operations: every piece of work the screens ask of the core.

``op`` holds ``Op`` (the work, where it runs and what it changes) and the
typed ``Changes``; ``runner`` holds ``Operations``, the one runner of the
app (a read pool, ONE write worker and a long-work thread for sync runs).
Each other module is a subject (``access``, ``people``, ``cases``, ``forms``,
``address``, ``mandates``, ``escalation``, ``sync``, ``paper``) of one-line
factories, as Anki's ``aqt/operations`` has: a view calls
``ops.run(cases.add_note(case_id, text), on_done, on_refused)`` and never
says whether the work reads or writes.

May use ``ui.qt``, ``ui.backend`` and the core's records; never a screen.
"""

from ui.operations.op import (
    NOTHING,
    Changes,
    Op,
    Work,
    audited,
    background,
    query,
    reads,
    write,
    writes,
)
from ui.operations.runner import Operations

__all__ = [
    "NOTHING",
    "Changes",
    "Op",
    "Operations",
    "Work",
    "audited",
    "background",
    "query",
    "reads",
    "write",
    "writes",
]
