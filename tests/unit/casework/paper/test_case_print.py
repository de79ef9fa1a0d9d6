"""Pre-filled forms from a case, through the facade and the print decision.

Amira (Riverside) prints from her team's caseload: the caseload discloses
everything but health and money, so those answers stay blank. Sam
(Northgate) may print only under a mandate that names ``print``, and sees
only the categories it names. Every decision is in the audit chain, a
refusal included.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from casework.forms.definitions import Service
from casework.kernel.action import act
from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.models import utcnow
from casework.paper import case_print
from casework.paper.models import PaperCopy
from delegation import mandates
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.casework.paper.helpers import (
    answers_for,
    pdf_text,
    png_pages,
    printed,
    squash,
    textual,
)
from tests.unit.conftest import WriteSession
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import paper as paper_ops
from ui.operations import people as people_ops

CLEAN_SCREEN = dict(mandates.SAFEGUARDING_QUESTIONS)
SERVICE = "attendance-allowance"  # health and money answers written as text


@pytest.fixture
def service(backend: LocalBackend) -> Service:
    found = backend.catalogue.get(SERVICE)
    assert found is not None
    return found


@pytest.fixture
def draft(backend: LocalBackend, service: Service) -> tuple[int, int, dict[str, Any]]:
    """(case id, draft id, answers): an Attendance Allowance draft, every answer on the route."""
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, SERVICE, "Attendance Allowance claim").call(backend)
    record = forms_ops.start_form(case_id, SERVICE).call(backend)[0]
    answers = {**answers_for(service), "sort-code": "309430", "account-number": "00733445"}
    forms_ops.save_form(record.case_id, record.id, record.version, answers, None).call(backend)
    return case_id, record.id, answers


def _case_pdf(
    backend: LocalBackend,
    reference: str,
    submission_id: int | None,
    language: str,
    large_print: bool,
) -> tuple[bytes, str]:
    """The case's form pre-filled and its file name, as ``alongside export-pdf`` makes it."""
    job = backend.perform(
        act(
            case_print.print_job,
            backend.catalogue,
            case_reference=reference,
            submission_id=submission_id,
            language=language,
            large_print=large_print,
        ),
        write=True,
    )
    return case_print.render(job), job.file_name


def _copies(backend: LocalBackend) -> list[tuple[str, str, int | None, int | None, int | None]]:
    """(reference, kind, draft, submission, case) of every copy recorded, oldest first."""
    with backend._tx(write=False) as session:
        rows = session.scalars(select(PaperCopy).order_by(PaperCopy.id))
        return [(r.reference, r.kind, r.draft_id, r.submission_id, r.case_id) for r in rows]


def _texts(service: Service, answers: dict[str, Any], categories: set[str]) -> list[str]:
    return [
        text
        for q in service.questions()
        if q.id in answers and q.category in categories and textual(q)
        for text in printed(q, answers[q.id])
    ]


def _decisions(backend: LocalBackend) -> list[tuple[str, str]]:
    with backend._tx(write=False) as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "print").order_by(AuditEntry.seq)
        )
        return [(row.outcome, row.reason) for row in rows]


def test_the_caseload_prints_all_but_health_and_money(
    backend: LocalBackend, service: Service, draft: tuple[int, int, dict[str, Any]]
) -> None:
    case_id, draft_id, answers = draft
    pdf = paper_ops.form_pdf(draft_id, SERVICE, "en", False).call(backend)
    text = pdf_text(pdf)
    shown = _texts(service, answers, {"identity", "contact", "address", "other"})
    hidden = _texts(service, answers, {"health", "financial"})
    assert shown and hidden
    for answer in shown:
        assert answer in text, answer
    for answer in hidden:
        assert answer not in text, answer
    reference = cases_ops.case_detail(case_id).call(backend).reference
    assert squash(f"AF-{reference}-D{draft_id}-") in text
    assert _decisions(backend) == [("allow", "In your team's caseload.")]
    # For a person to look at: the page where the GP's name is left blank.
    gp = squash(service.question("gp-name").text("label", "en"))
    reader = PdfReader(io.BytesIO(pdf))
    page = next(n for n, p in enumerate(reader.pages, 1) if gp in squash(p.extract_text()))
    png_pages(pdf, "case-print-caseload", page, page, dpi=60)


def test_by_case_reference_the_newest_draft_then_a_named_submission(
    backend: LocalBackend, draft: tuple[int, int, dict[str, Any]]
) -> None:
    case_id, draft_id, _answers = draft
    reference = cases_ops.case_detail(case_id).call(backend).reference
    data, name = _case_pdf(backend, reference, None, "cy", True)
    assert name == f"{reference}-{SERVICE}-D{draft_id}-cy-large.pdf"
    # Each copy printed has its own reference, recorded for its draft and case.
    [(copy_reference, kind, copy_draft, _sub, copy_case)] = _copies(backend)
    assert (kind, copy_draft, copy_case) == ("draft", draft_id, case_id)
    assert copy_reference.startswith("AF-AA-") and "-CY-" in copy_reference
    assert squash(copy_reference) in pdf_text(data)
    record = forms_ops.form_draft(draft_id).call(backend)
    sent = forms_ops.submit_form(record.case_id, draft_id, record.version).call(backend)
    with pytest.raises(NotFound, match=f"--submission.*{sent.id}"):
        _case_pdf(backend, reference, None, "en", False)
    data, name = _case_pdf(backend, reference, sent.id, "en", False)
    assert name == f"{reference}-{SERVICE}-S{sent.id}-en.pdf"
    expected, kind, _draft, submission, _case = _copies(backend)[-1]
    assert (kind, submission) == ("submission", sent.id)
    assert squash(expected) in pdf_text(data)
    with pytest.raises(NotFound, match="no sent form 999"):
        _case_pdf(backend, reference, 999, "en", False)
    with pytest.raises(NotFound, match="no case"):
        _case_pdf(backend, "AL-NOPE", None, "en", False)


@pytest.fixture
def sam_backend(demo_profile: Any) -> LocalBackend:
    live = LocalBackend(demo_profile)
    live.sign_in("sam", DEMO_PASSWORD)
    return live


def _mandate(
    write: WriteSession, backend: LocalBackend, person_id: int, detail: ScopeDetail
) -> None:
    """Amira records Sam's consent mandate for ``person_id`` (in force now)."""
    amira = backend.current_actor
    assert amira is not None
    now = utcnow()
    with write() as session:
        from casework.kernel.models import Worker

        sam_id = session.scalars(select(Worker.id).where(Worker.username == "sam")).one()
        scope = make_scope([detail])
        mandate = mandates.grant(
            session,
            amira,
            person_id=person_id,
            basis=mandates.Basis.CONSENT,
            scope=scope,
            starts_at=now - timedelta(minutes=1),
            ends_at=now + timedelta(days=30),
            grantee_worker_id=sam_id,
            now=now,
        )
        mandates.record_consent(
            session,
            amira,
            mandate.id,
            method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(scope),
            seen_alone=True,
            safeguarding_answers=CLEAN_SCREEN,
            now=now,
        )
        mandates.activate(session, amira, mandate.id, now=now)


def test_another_team_is_refused_and_the_refusal_is_audited(
    backend: LocalBackend,
    sam_backend: LocalBackend,
    write: WriteSession,
    draft: tuple[int, int, dict[str, Any]],
) -> None:
    case_id, draft_id, _answers = draft
    with pytest.raises(AccessRefused, match=r"may not print.*no mandate"):
        paper_ops.form_pdf(draft_id, SERVICE, "en", False).call(sam_backend)
    person_id = cases_ops.case_detail(case_id).call(backend).person_id
    _mandate(
        write,
        backend,
        person_id,
        ScopeDetail(service_id=SERVICE, actions=("view",), categories=("identity",)),
    )
    with pytest.raises(AccessRefused, match="does not allow you to print documents"):
        paper_ops.form_pdf(draft_id, SERVICE, "en", False).call(sam_backend)
    # Printing it (not a preview) is refused too, and a refused print records no copy.
    with pytest.raises(AccessRefused, match="does not allow you to print documents"):
        paper_ops.print_copy(draft_id, SERVICE, "en", False).call(sam_backend)
    assert _copies(backend) == []
    assert [outcome for outcome, _reason in _decisions(backend)] == ["refuse"] * 3


def test_a_print_mandate_prints_only_the_categories_it_names(
    backend: LocalBackend,
    sam_backend: LocalBackend,
    service: Service,
    write: WriteSession,
    draft: tuple[int, int, dict[str, Any]],
) -> None:
    case_id, draft_id, answers = draft
    person_id = cases_ops.case_detail(case_id).call(backend).person_id
    _mandate(
        write,
        backend,
        person_id,
        ScopeDetail(service_id=SERVICE, actions=("print",), categories=("identity", "health")),
    )
    text = pdf_text(paper_ops.form_pdf(draft_id, SERVICE, "en", False).call(sam_backend))
    for answer in _texts(service, answers, {"identity", "health"}):
        assert answer in text, answer
    for answer in _texts(service, answers, {"address", "contact", "financial", "other"}):
        assert answer not in text, answer


def test_bulk_export_of_the_caseload_s_drafts(
    backend: LocalBackend,
    sam_backend: LocalBackend,
    draft: tuple[int, int, dict[str, Any]],
    tmp_path: Any,
) -> None:
    case_id, draft_id, _answers = draft
    out = tmp_path / "out"  # tmp_path also holds the profile
    out.mkdir()
    reference = cases_ops.case_detail(case_id).call(backend).reference
    items = paper_ops.paper_batch("drafts", ("en", "cy"), True).call(backend)
    assert [(i.draft_id, i.language, i.large_print) for i in items] == [
        (draft_id, "en", True),
        (draft_id, "cy", True),
    ]
    assert items[1].file_name == f"{reference}-{SERVICE}-D{draft_id}-cy-large.pdf"
    assert (
        paper_ops.paper_batch("drafts", ("en",), False).call(sam_backend) == []
    )  # not Northgate's caseload
    assert len(paper_ops.paper_batch("blank", ("en", "cy"), False).call(backend)) == 2 * len(
        backend.catalogue.services
    )

    # Each file is decided on its own: Sam may print none of Riverside's.
    written, problems = sam_backend.export_paper_batch(
        items, out, lambda _done, _total: None, lambda: False
    )
    assert written == [] and len(problems) == 2
    assert all("You may not print this form" in p for p in problems)
    assert list(out.iterdir()) == []

    assert backend.export_paper_batch(items, out, lambda _d, _t: None, lambda: True) == (
        [],
        [],
    )
    seen: list[tuple[int, int]] = []
    written, problems = backend.export_paper_batch(
        items, out, lambda done, total: seen.append((done, total)), lambda: False
    )
    assert problems == [] and seen == [(1, 2), (2, 2)]
    assert sorted(p.name for p in out.iterdir()) == sorted(i.file_name for i in items)
    printed_copies = _copies(backend)
    assert [(kind, d) for _r, kind, d, _s, _c in printed_copies] == [("draft", draft_id)] * 2
    assert squash(printed_copies[1][0]) in pdf_text(written[1].read_bytes())


def test_a_bulk_export_writes_through_no_pipe_and_goes_on(
    backend: LocalBackend, tmp_path: Any
) -> None:
    """A named pipe already called like one of the files is a problem named in
    words and left as it is; the other files are still written."""
    out = tmp_path / "out"
    out.mkdir()
    items = paper_ops.paper_batch("blank", ("en",), False).call(backend)[:2]
    os.mkfifo(out / items[0].file_name)
    written, problems = backend.export_paper_batch(
        items, out, lambda _done, _total: None, lambda: False
    )
    assert written == [out / items[1].file_name]
    assert problems == [
        f"{out / items[0].file_name}: it is a named pipe, not a file. "
        "Nothing was written; give the name of an ordinary file."
    ]
    assert stat.S_ISFIFO((out / items[0].file_name).lstat().st_mode)
