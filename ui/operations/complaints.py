"""Complaints: a case's complaint route with its deadlines, recording its
steps and the person's consent, whether the escalation ladder has run out,
and the evidence pack (decided and gathered on the write worker, laid out
after the transaction)."""

from __future__ import annotations

from datetime import date

from casework.complaints import pack, pack_pdf, steps
from casework.kernel.action import act
from ui.operations.op import Changes, Op, audited, ids, with_catalogue, writes


def _case(case_id: int) -> Changes:
    return Changes(case_ids=ids(case_id))


def complaint(case_id: int, language: str) -> Op[steps.Complaint]:
    """The route with what was recorded (a view decision, audited)."""
    return audited(act(steps.complaint, case_id, language))


def ladder_run_out(case_id: int) -> Op[bool]:
    return audited(act(steps.ladder_run_out, case_id))


def start_step(case_id: int, step_id: str, started_on: date) -> Op[int]:
    return writes(act(steps.start_step, case_id, step_id, started_on), _case(case_id))


def record_response(case_id: int, row_id: int, version: int, on: date) -> Op[None]:
    return writes(act(steps.record_response, row_id, version, on), _case(case_id))


def close_step(case_id: int, row_id: int, version: int, on: date) -> Op[None]:
    return writes(act(steps.close_step, row_id, version, on), _case(case_id))


def record_consent(case_id: int, given_on: date) -> Op[None]:
    return writes(act(steps.record_consent, case_id, given_on), _case(case_id))


def evidence_pack(case_reference: str, language: str, large_print: bool) -> Op[bytes]:
    """The pack's PDF: the print decision and the gathering on the write worker
    (audited), the layout after it."""
    return with_catalogue(
        lambda catalogue: audited(
            act(
                pack.evidence_pack,
                catalogue,
                case_reference,
                language=language,
                large_print=large_print,
            )
        ).then(pack_pdf.render)
    )
