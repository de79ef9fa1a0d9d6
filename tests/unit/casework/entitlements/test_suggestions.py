"""The next claim, suggested: made when a form is sent or an award recorded,
never twice, only what a mandate covers, dismissed with a reason, and
started as a draft that offers what is already known."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.casefile.cases import open_case
from casework.entitlements import actions
from casework.entitlements import suggestions as s
from casework.entitlements.models import Suggestion
from casework.entitlements.records import SuggestionStatus
from casework.forms.definitions import load_catalogue
from casework.forms.sample import sample_answers
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput
from casework.kernel.models import Submission, utcnow
from casework.kernel.records import Actor
from delegation import mandates
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession

CATALOGUE = load_catalogue()
AA = CATALOGUE.service_of("attendance-allowance")


@pytest.fixture
def aa_case(write: WriteSession, amira: Actor, person_id: int) -> int:
    with write() as session:
        return open_case(session, amira, person_id, "attendance-allowance", "Attendance Allowance")


def _send(write: WriteSession, who: Actor, case_id: int, service_id: str = AA.id) -> int:
    service = CATALOGUE.service_of(service_id)
    with write() as session:
        record, _route = actions.submit_answers(
            session, who, CATALOGUE, case_id, service.id, sample_answers(service), "paper_print"
        )
        return record.id


def _open(write: WriteSession, who: Actor, case_id: int) -> dict[str, s.SuggestionRecord]:
    with write() as session:
        return {
            r.service_id or r.title: r for r in s.case_suggestions(session, who, CATALOGUE, case_id)
        }


def test_sending_attendance_allowance_suggests_pension_credit_with_its_reason_and_source(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    found = _open(write, amira, aa_case)
    # Cardiff: Council Tax Reduction and the carer's claim apply in Wales too.
    assert set(found) == {"pension-credit", "council-tax-reduction", "carers-allowance"}
    pc = found["pension-credit"]
    assert pc.title == "Apply for Pension Credit" or "Pension Credit" in pc.title
    assert "may be entitled — check" in pc.reason
    assert pc.source == "https://www.gov.uk/pension-credit/what-youll-get"
    assert pc.can_start and pc.status is SuggestionStatus.OPEN
    assert pc.from_title == AA.text("title", "en")
    carer = found["carers-allowance"]
    assert not carer.can_start and carer.title.endswith("(for their carer)")  # their own claim


def test_a_send_that_fails_suggests_nothing(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    with pytest.raises(InvalidInput), write() as session:
        actions.submit_answers(session, amira, CATALOGUE, aa_case, AA.id, {}, "paper_print")
    with write() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0


def test_an_open_suggestion_is_never_made_twice(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    first = _send(write, amira, aa_case)
    _send(write, amira, aa_case)
    with write() as session:
        actions.record_decision(session, amira, CATALOGUE, first, "awarded", date.today())
        targets = list(session.scalars(select(Suggestion.target)))
    assert sorted(targets) == sorted(
        ["pension-credit", "council-tax-reduction", "carers-allowance", "blue-badge"]
    )


def test_an_award_suggests_what_only_an_award_opens_and_a_refusal_nothing(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    sent = _send(write, amira, aa_case)
    with write() as session:
        refused = actions.record_decision(session, amira, CATALOGUE, sent, "refused", date.today())
    assert refused.suggested == 0
    with write() as session:
        awarded = actions.record_decision(session, amira, CATALOGUE, sent, "awarded", date.today())
        assert actions.latest_decision(session, amira, sent) == (awarded.outcome, date.today())
        kinds = [e.kind for e in timeline.entries(session, aa_case)]
    assert awarded.suggested == 1  # the Blue Badge; the rest are already open
    assert "blue-badge" in _open(write, amira, aa_case)
    assert kinds.count("form_decision") == 2


def test_a_decision_needs_an_outcome_and_a_day_not_in_the_future(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    sent = _send(write, amira, aa_case)
    with pytest.raises(InvalidInput, match="decided"), write() as session:
        actions.record_decision(session, amira, CATALOGUE, sent, "maybe", date.today())
    with pytest.raises(InvalidInput) as future, write() as session:
        actions.record_decision(
            session, amira, CATALOGUE, sent, "awarded", date.today() + timedelta(days=1)
        )
    assert "future" in future.value.fields["decided_on"]
    with pytest.raises(InvalidInput) as before, write() as session:
        actions.record_decision(
            session, amira, CATALOGUE, sent, "awarded", date.today() - timedelta(days=3)
        )
    assert "before the form was sent" in before.value.fields["decided_on"]


def test_dismissing_needs_a_reason_and_a_note_for_another_reason(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    pc = _open(write, amira, aa_case)["pension-credit"]
    with pytest.raises(InvalidInput) as no_reason, write() as session:
        s.dismiss(session, amira, CATALOGUE, pc.id, pc.version, "")
    assert "reason" in no_reason.value.fields
    with pytest.raises(InvalidInput) as no_note, write() as session:
        s.dismiss(session, amira, CATALOGUE, pc.id, pc.version, "other", "  ")
    assert "note" in no_note.value.fields
    with write() as session:
        done = s.dismiss(
            session, amira, CATALOGUE, pc.id, pc.version, "already_gets_it", "since May"
        )
        kinds = [e.kind for e in timeline.entries(session, aa_case)]
    assert done.status is SuggestionStatus.DISMISSED
    assert done.dismissal == "They already get it: since May" and done.acted_by
    assert "suggestion_dismissed" in kinds
    assert "pension-credit" not in _open(write, amira, aa_case)
    with pytest.raises(EditConflict), write() as session:
        s.dismiss(session, amira, CATALOGUE, pc.id, done.version, "not_eligible")
    # dismissed after the send, so sending again does not bring it back ...
    _send(write, amira, aa_case)
    assert "pension-credit" not in _open(write, amira, aa_case)


def test_starting_one_starts_the_form_and_offers_what_is_known_with_where_from(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    pc = _open(write, amira, aa_case)["pension-credit"]
    with write() as session:
        started = s.start(session, amira, CATALOGUE, pc.id, pc.version)
    assert started.draft.service_id == "pension-credit" and started.draft.case_id == aa_case
    assert started.suggestion.status is SuggestionStatus.STARTED
    assert started.suggestion.draft_id == started.draft.id
    assert started.known, "ask-once offers the facts already given"
    sources = {k.source for k in started.known.values()}
    assert any("Attendance Allowance" in w or "record" in w for w in sources)
    assert "pension-credit" not in _open(write, amira, aa_case)
    with pytest.raises(EditConflict), write() as session:
        s.start(session, amira, CATALOGUE, pc.id, started.suggestion.version)


def test_the_carers_claim_and_an_outside_scheme_cannot_be_started_here(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    carer = _open(write, amira, aa_case)["carers-allowance"]
    with pytest.raises(InvalidInput) as refused, write() as session:
        s.start(session, amira, CATALOGUE, carer.id, carer.version)
    assert "carer's own claim" in refused.value.fields["suggestion"]


def _mandate_for(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, *services: str
) -> None:
    scope = make_scope(
        [
            ScopeDetail(
                service_id=sid, actions=("view", "draft", "submit"), categories=("identity",)
            )
            for sid in services
        ]
    )
    now = utcnow()
    with write() as session:
        mandate = mandates.grant(
            session, amira, person_id=person_id, basis=mandates.Basis.CONSENT, scope=scope,
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=30),
            grantee_worker_id=sam.worker_id, now=now - timedelta(hours=1),
        )  # fmt: skip
        mandates.record_consent(
            session, amira, mandate.id, method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(scope), seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS), now=now,
        )  # fmt: skip
        mandates.activate(session, amira, mandate.id, now=now)


def test_under_a_mandate_only_the_services_it_covers_are_suggested_or_started(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    _mandate_for(write, amira, sam, person_id, "attendance-allowance")
    assert _open(write, sam, aa_case) == {}
    pc = _open(write, amira, aa_case)["pension-credit"]
    with pytest.raises(AccessRefused), write() as session:
        s.start(session, sam, CATALOGUE, pc.id, pc.version)
    with pytest.raises(AccessRefused), write() as session:
        s.dismiss(session, sam, CATALOGUE, pc.id, pc.version, "not_eligible")
    _mandate_for(write, amira, sam, person_id, "attendance-allowance", "pension-credit")
    assert set(_open(write, sam, aa_case)) == {"pension-credit"}
    with write() as session:
        started = s.start(session, sam, CATALOGUE, pc.id, pc.version)
    # ask-once within the mandate: only identity facts are offered
    pc_service = CATALOGUE.service_of("pension-credit")
    assert {pc_service.question(q).category for q in started.known} <= {"identity"}


def test_my_cases_lists_open_suggestions_until_acted_on(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    with write() as session:
        mine = s.my_suggestions(session, amira, CATALOGUE)
    assert {r.service_id for r in mine} == {
        "pension-credit",
        "council-tax-reduction",
        "carers-allowance",
    }
    assert {r.case_reference for r in mine} and all(r.person_name == "Nia Pritchard" for r in mine)
    for r in mine:
        with write() as session:
            s.dismiss(session, amira, CATALOGUE, r.id, r.version, "not_eligible")
    with write() as session:
        assert s.my_suggestions(session, amira, CATALOGUE) == []
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_a_link_applies_only_in_its_nations(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    from casework.casefile.people import create_person
    from tests.unit.factories import person_input

    with write() as session:
        scot = create_person(session, amira, person_input(postcode="EH1 1YZ"))
        case_id = open_case(session, amira, scot, "attendance-allowance", "AA")
    _send(write, amira, case_id)
    # Carer's Allowance is England and Wales here (Scotland has Carer Support Payment).
    found = set(_open(write, amira, case_id))
    assert "pension-credit" in found and "carers-allowance" not in found


def test_a_service_whose_definition_does_not_serve_the_nation_is_not_suggested(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    from dataclasses import replace

    from casework.forms.definitions import Catalogue

    pc = CATALOGUE.service_of("pension-credit")
    only_scotland = replace(pc, raw={**pc.raw, "nations": ["scotland"]})
    catalogue = Catalogue(
        tuple(only_scotland if x.id == pc.id else x for x in CATALOGUE.services), ()
    )
    with write() as session:  # Nia lives in Cardiff
        s.suggest(session, amira, catalogue, aa_case, AA.id, s.Trigger.SENT)
    found = set(_open(write, amira, aa_case))
    assert "pension-credit" not in found and "council-tax-reduction" in found


def test_a_claim_whose_form_is_already_on_the_case_is_not_suggested(
    write: WriteSession, amira: Actor, aa_case: int
) -> None:
    from casework.forms import actions as form_actions

    with write() as session:
        form_actions.start_form(session, amira, CATALOGUE, aa_case, "pension-credit")
    _send(write, amira, aa_case)
    assert "pension-credit" not in _open(write, amira, aa_case)


def test_a_mandate_to_view_a_service_does_not_let_its_claim_be_started(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, aa_case: int
) -> None:
    _send(write, amira, aa_case)
    scope = make_scope(
        [
            ScopeDetail(
                service_id="attendance-allowance",
                actions=("view", "draft"),
                categories=("identity",),
            ),
            ScopeDetail(service_id="pension-credit", actions=("view",), categories=("identity",)),
        ]
    )
    now = utcnow()
    with write() as session:
        mandate = mandates.grant(
            session, amira, person_id=person_id, basis=mandates.Basis.CONSENT, scope=scope,
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=30),
            grantee_worker_id=sam.worker_id, now=now - timedelta(hours=1),
        )  # fmt: skip
        mandates.record_consent(
            session, amira, mandate.id, method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(scope), seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS), now=now,
        )  # fmt: skip
        mandates.activate(session, amira, mandate.id, now=now)
    pc = _open(write, sam, aa_case)["pension-credit"]  # seen ...
    with pytest.raises(AccessRefused), write() as session:  # ... but not started
        s.start(session, sam, CATALOGUE, pc.id, pc.version)
