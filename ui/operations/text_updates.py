"""Text updates to the person on a case: read the choice, turn it on or off."""

from __future__ import annotations

from casework.kernel.action import act
from offline_sync.text_updates import consent
from offline_sync.text_updates.records import TextUpdates
from ui.operations.op import Changes, Op, audited, ids, writes


def text_updates(case_id: int) -> Op[TextUpdates]:
    """Whether texts are on for the case, the number, and why none will go."""
    return audited(act(consent.text_updates, case_id))


def set_text_updates(case_id: int, enabled: bool, version: int) -> Op[int]:
    """Record the person's choice; the case's timeline gains a line."""
    return writes(
        act(consent.set_text_updates, case_id, enabled, version), Changes(case_ids=ids(case_id))
    )
