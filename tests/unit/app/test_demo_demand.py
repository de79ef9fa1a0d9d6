"""The demo's failure demand: reasons, time and outcomes on its cases, the
same for the same seed, every reason among them, and every key one of the list."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.database import session_factory
from app.demo import people
from app.demo.demand import add_demand
from app.paths import ProfilePaths
from app.profile import create_profile
from casework.kernel.models import Case
from casework.performance.models import CaseOutcomeRow, CaseTime, DemandReason, DemandRecord
from casework.performance.reasons import OUTCOMES, REASONS

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def _build(folder: Path) -> tuple[list[tuple[object, ...]], int]:
    opened = create_profile(ProfilePaths(folder), key=secrets.token_bytes(32))
    try:
        people.add_people(opened.engine, 120, seed=5)
        added = add_demand(opened.engine, seed=5, now=NOW)
        with session_factory(opened.engine).begin() as session:
            rows: list[tuple[object, ...]] = [
                (r.case_id, r.service_id, r.moment, r.note)
                for r in session.scalars(select(DemandRecord).order_by(DemandRecord.id))
            ]
            rows += [
                tuple(r)
                for r in session.execute(select(DemandReason.record_id, DemandReason.reason))
            ]
            rows += [tuple(r) for r in session.execute(select(CaseTime.case_id, CaseTime.minutes))]
            rows += [
                tuple(r)
                for r in session.execute(
                    select(
                        CaseOutcomeRow.case_id, CaseOutcomeRow.outcome, CaseOutcomeRow.outcome_on
                    )
                )
            ]
            cases = len(session.scalars(select(Case.id)).all())
        assert 0.75 * cases <= added <= cases
        return rows, added
    finally:
        opened.close()


def test_the_same_seed_gives_the_same_realistic_demand(tmp_path: Path) -> None:
    first, added = _build(tmp_path / "one")
    again, _ = _build(tmp_path / "two")
    assert first == again
    reasons = Counter(row[1] for row in first if len(row) == 2 and isinstance(row[1], str))
    assert set(reasons) == {r.value for r in REASONS}
    assert reasons.most_common(1)[0][0] in {"online_service", "not_understood"}
    outcomes = {row[1] for row in first if len(row) == 3 and isinstance(row[1], str)}
    assert outcomes <= {o.value for o in OUTCOMES} and outcomes
    assert all(row[3] == "" for row in first if len(row) == 4)  # no free text
    assert added
