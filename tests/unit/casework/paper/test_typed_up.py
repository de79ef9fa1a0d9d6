"""Receiving from the window, and typing up a returned form.

Real copies are printed (given out for a case, or blank for nobody), turned
into imperfect scans, read and received in one transaction: Cancel rolls the
whole batch back; a blank for nobody waits for a case and is then received
onto the one chosen. A returned copy is typed up into a draft with empty
answers, and once sent the submission records which copy it came from.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backend import LocalBackend
from app.profile import OpenProfile
from casework.kernel.models import Document, TimelineEvent
from casework.paper import typed_up
from casework.paper.models import PaperReturn
from casework.paper.returns.batch import Cancelled
from casework.paper.returns.match import Matching
from tests import paper_scans
from tests.unit.casework.paper.helpers import answers_for
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import paper as paper_ops
from ui.operations import people as people_ops
from ui.operations import returns

SERVICE = "register-to-vote"


def _case(backend: LocalBackend) -> int:
    person_id = people_ops.list_person_ids().call(backend)[0]
    return cases_ops.open_case(person_id, SERVICE, "Register to vote").call(backend)


def _scan(backend: LocalBackend, folder: Path, case_id: int | None, name: str) -> Path:
    pdf = paper_ops.print_copy(None, SERVICE, "en", False, case_id=case_id).call(backend)
    return paper_scans.write(paper_scans.scans(pdf, seed=len(name)), folder / name)


def _documents(profile: OpenProfile) -> int:
    with Session(profile.engine) as session:
        return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def _read(backend: LocalBackend, paths: list[Path]) -> Matching:
    problems, matching = returns.read_scans(paths, lambda _d, _t: None, lambda: False).call(backend)
    assert problems == [] and matching is not None and not matching.problems
    return matching


def test_a_given_out_copy_is_received_in_the_clis_words(
    backend: LocalBackend, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    case_id = _case(backend)
    matching = _read(backend, [_scan(backend, tmp_path, case_id, "back.pdf")])
    [outcome] = returns.receive_copies(matching.copies, lambda: False).call(backend)
    assert outcome.received is not None and outcome.case_id == case_id
    assert outcome.line.startswith("Received paper form AF-")
    assert f"for case {outcome.received.case_reference}" in outcome.line
    [back] = typed_up_list(backend, case_id)
    assert back.typed_submission_id is None and back.document_id is not None


def typed_up_list(backend: LocalBackend, case_id: int) -> list[typed_up.CameBack]:
    found, _titles = returns.came_back(case_id).call(backend)
    return found


def test_cancel_attaches_nothing(
    backend: LocalBackend, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    case_id = _case(backend)
    matching = _read(
        backend,
        [_scan(backend, tmp_path, case_id, "a.png"), _scan(backend, tmp_path, case_id, "b.pdf")],
    )
    before = _documents(demo_profile)
    calls = iter([False, True])  # cancelled after the first copy is received
    with pytest.raises(Cancelled):
        returns.receive_copies(matching.copies, lambda: next(calls, True)).call(backend)
    assert _documents(demo_profile) == before
    assert typed_up_list(backend, case_id) == []


def test_cancel_while_reading_stops_before_the_next_file(
    backend: LocalBackend, tmp_path: Path
) -> None:
    case_id = _case(backend)
    paths = [_scan(backend, tmp_path, case_id, "a.png"), _scan(backend, tmp_path, case_id, "b.png")]
    seen: list[int] = []
    with pytest.raises(Cancelled):
        returns.read_scans(paths, lambda done, _t: seen.append(done), lambda: bool(seen)).call(
            backend
        )
    assert seen == [0]


def test_a_blank_for_nobody_waits_for_a_case_then_goes_on_the_one_chosen(
    backend: LocalBackend, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    case_id = _case(backend)
    reference = cases_ops.case_detail(case_id).call(backend).reference
    matching = _read(backend, [_scan(backend, tmp_path, None, "nobody.png")])
    before = _documents(demo_profile)
    [waiting] = returns.receive_copies(matching.copies, lambda: False).call(backend)
    assert waiting.received is None and waiting.needs_case is not None
    assert "not linked to anyone yet" in waiting.line
    assert _documents(demo_profile) == before
    [placed] = returns.receive_copies(
        [waiting.needs_case], lambda: False, {waiting.needs_case.reference: reference}
    ).call(backend)
    assert placed.received is not None and placed.case_id == case_id
    assert _documents(demo_profile) == before + 1


def test_typing_up_records_the_copy_once_sent(
    backend: LocalBackend, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    case_id = _case(backend)
    matching = _read(backend, [_scan(backend, tmp_path, case_id, "back.pdf")])
    [outcome] = returns.receive_copies(matching.copies, lambda: False).call(backend)
    assert outcome.received is not None
    [back] = typed_up_list(backend, case_id)

    draft_id = returns.start_typing(back.return_id, case_id).call(backend)
    # Started once: asking again opens the same draft, answers empty.
    assert returns.start_typing(back.return_id, case_id).call(backend) == draft_id
    [typing] = typed_up_list(backend, case_id)
    assert typing.typing_draft_id == draft_id
    draft = forms_ops.form_draft(draft_id).call(backend)
    assert {k: v for k, v in draft.answers.items() if k != typed_up.PAPER_KEY} == {}

    service = backend.catalogue.get(SERVICE)
    assert service is not None
    answers = {**answers_for(service), typed_up.PAPER_KEY: draft.answers[typed_up.PAPER_KEY]}
    version = forms_ops.save_form(case_id, draft_id, draft.version, answers, None).call(backend)
    record = forms_ops.submit_form(case_id, draft_id, version, "paper_print").call(backend)
    assert typed_up.PAPER_KEY not in record.answers  # pruned from what was sent

    reference = returns.record_typed(record.id, case_id).call(backend)
    assert reference == outcome.received.reference
    with Session(demo_profile.engine) as session:
        row = session.get(PaperReturn, back.return_id)
        assert row is not None and row.typed_submission_id == record.id
        lines = session.scalars(
            select(TimelineEvent.summary).where(TimelineEvent.case_id == case_id)
        ).all()
    assert any("typed up from the paper form that came back" in line for line in lines)
    [sent] = typed_up_list(backend, case_id)
    assert sent.typed_submission_id == record.id
    with pytest.raises(Exception, match="already been typed up"):
        returns.start_typing(back.return_id, case_id).call(backend)


def test_a_form_not_typed_from_paper_records_nothing(backend: LocalBackend) -> None:
    case_id = _case(backend)
    record = forms_ops.start_form(case_id, SERVICE).call(backend)[0]
    service = backend.catalogue.get(SERVICE)
    assert service is not None
    version = forms_ops.save_form(
        case_id, record.id, record.version, answers_for(service), None
    ).call(backend)
    sent = forms_ops.submit_form(case_id, record.id, version, "paper_print").call(backend)
    assert returns.record_typed(sent.id, case_id).call(backend) is None
