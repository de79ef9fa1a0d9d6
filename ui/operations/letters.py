"""Post it to them: a pre-filled form as a GOV.UK Notify letter to its person.

``letter_offer`` takes the print decision (audited, on the write worker) and
then lays the letter out and checks it against Notify's rules in the same
worker, after the transaction; ``post_letter`` queues the checked letter in
the outbox with a timeline line, which changes the case and the outbox.
"""

from __future__ import annotations

from casework.kernel.action import act
from casework.paper import post
from ui.operations.op import Changes, Op, audited, with_catalogue, writes


def letter_offer(draft_id: int, language: str, large_print: bool) -> Op[post.LetterOffer]:
    """The draft's form as a letter to the person, or why it cannot be posted."""
    return with_catalogue(
        lambda catalogue: audited(
            act(post.letter_job, catalogue, draft_id, language, large_print)
        ).then(post.letter_offer)
    )


def post_letter(draft_id: int, pdf: bytes) -> Op[post.Queued]:
    """Queue the letter to go by post through GOV.UK Notify."""
    return with_catalogue(
        lambda catalogue: writes(
            act(post.post_letter, catalogue, draft_id, pdf),
            lambda queued: Changes(case_ids=frozenset({queued.case_id}), outbox=True),
        )
    )
