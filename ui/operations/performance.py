"""Why help was needed on a case: reasons picked, time added, the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from casework.kernel.action import act
from casework.performance import demand
from casework.performance.records import CaseDemand
from ui.operations.op import Changes, Op, audited, ids, writes


def case_demand(case_id: int) -> Op[CaseDemand]:
    """The case's reasons, time spent and outcome."""
    return audited(act(demand.case_demand, case_id))


def record_reasons(
    case_id: int,
    reasons: Sequence[str],
    moment: str,
    note: str = "",
    draft_id: int | None = None,
) -> Op[int]:
    return writes(
        act(
            demand.record_reasons,
            case_id,
            tuple(reasons),
            moment=moment,
            note=note,
            draft_id=draft_id,
        ),
        Changes(case_ids=ids(case_id)),
    )


def record_session_end(
    case_id: int, session_id: int, reasons: Sequence[str], note: str = ""
) -> Op[int]:
    """The reasons at the end of an assisted session, and its length as time spent."""
    return writes(
        act(demand.record_session_end, session_id, tuple(reasons), note),
        Changes(case_ids=ids(case_id)),
    )


def add_time(case_id: int, minutes: int) -> Op[int]:
    return writes(act(demand.add_time, case_id, minutes), Changes(case_ids=ids(case_id)))


def set_outcome(case_id: int, outcome: str, on: date | None = None) -> Op[None]:
    return writes(act(demand.set_outcome, case_id, outcome, on), Changes(case_ids=ids(case_id)))
