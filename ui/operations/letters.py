"""Post it to them: a pre-filled form as a GOV.UK Notify letter to its person.

``letter_offer`` takes the print decision (audited, on the write worker) and
then lays the letter out and checks it against Notify's rules in the same
worker, after the transaction (no copy is recorded for a check);
``post_letter`` makes the letter again as a recorded copy with its own
reference, checks it and queues it in the outbox with a timeline line.
"""

from __future__ import annotations

from casework.kernel.action import act
from casework.kernel.i18n import _
from casework.paper import post
from ui.backend import Backend
from ui.operations.op import Changes, Op, audited, with_catalogue, write


def letter_offer(draft_id: int, language: str, large_print: bool) -> Op[post.LetterOffer]:
    """The draft's form as a letter to the person, or why it cannot be posted."""
    return with_catalogue(
        lambda catalogue: audited(
            act(post.letter_job, catalogue, draft_id, language, large_print)
        ).then(post.letter_offer)
    )


def post_letter(draft_id: int, language: str, large_print: bool) -> Op[post.Queued]:
    """Queue the form as a letter (a printed copy with its own reference) to go
    by post through GOV.UK Notify."""

    def run(b: Backend) -> post.Queued:
        return post.post_recorded(b, b.catalogue, draft_id, language, large_print)

    return write(
        run, lambda queued: Changes(case_ids=frozenset({queued.case_id}), outbox=True)
    ).named(_("Putting the letter in the outbox"))
