"""A case's fees: where each stands, and a new payment after one failed or expired."""

from __future__ import annotations

from casework.forms import fees
from casework.forms.fees import FeePayment
from casework.kernel.action import act
from ui.operations.op import Changes, Op, ids, reads, writes


def case_fees(case_id: int) -> Op[list[FeePayment]]:
    return reads(act(fees.case_fees, case_id))


def make_new_payment(case_id: int, item_id: str) -> Op[str]:
    """A new payment item for the fee (refused while one is open or paid)."""
    return writes(act(fees.make_new_payment, item_id), Changes(case_ids=ids(case_id), outbox=True))
