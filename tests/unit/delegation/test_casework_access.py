"""The policy decision as casework meets it: every read and write of a
person's data, through the casework functions themselves.

Sam (Northgate Citizens Advice) has no caseload access to Riverside's
people: whatever he can do here he can do only under a mandate, and each
test fails if the protection it names is taken away.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from casework.casefile import cases, documents, notes, people, search, tasks
from casework.forms import drafts
from casework.forms.definitions import parse_definition
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Case, FormDraft, Person, Worker, utcnow
from casework.kernel.records import Actor, Role
from casework.paper import case_print
from delegation import mandates, policy, reminders
from delegation.audit import ReasonCode
from delegation.models import AuditEntry, Mandate
from delegation.records import ConsentMethod, MandateStatus, WorkInProgress
from delegation.scope import Scope, ScopeDetail, ScopeError, make_scope
from delegation.scope_words import describe
from offline_sync import outbox, revocation
from offline_sync.models import OutboxItem
from offline_sync.records import OutboxState
from tests.unit.casework.forms.sample_service import sample_bytes
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN
from tests.unit.factories import person_input

SERVICE = parse_definition(sample_bytes(), "sample.json")
EVERYTHING = ("identity", "contact", "address", "financial", "household", "other")
COMPLETE: dict[str, Any] = {
    "given-name": "Nia",
    "family-name": "Pritchard",
    "date-of-birth": {"date": "1950-03-07", "approximate": False},
    "ni": "AB123456C",
    "home": {"lines": ["1 Stryd Fawr"], "town": "Cardiff", "postcode": "CF10 1AA"},
    "has-income": True,
    "income": 15000,
    "children": 0,
    "benefits": ["uc"],
    "uc-since": {"date": "2024-01-01", "approximate": False},
    "tenure": "own",
    "rent-amount": 50000,
}


def scope_for(
    service: str = "sample-service", actions: tuple[str, ...] = ("view",), *cats: str
) -> Scope:
    return make_scope(
        [ScopeDetail(service_id=service, actions=actions, categories=cats or ("identity",))]
    )


Grant = Callable[..., int]


@pytest.fixture
def now() -> datetime:
    return utcnow()


@pytest.fixture
def live_grant(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, now: datetime
) -> Grant:
    """``live_grant(scope, **options)``: a consent mandate from the Riverside
    person to Sam, active from a minute ago for 30 days (real time)."""

    def _grant(
        scope: Scope,
        *,
        grantee: Actor | None = None,
        activate: bool = True,
        screen: dict[str, bool] | None = None,
        **options: Any,
    ) -> int:
        at = options.pop("at", now)
        with write() as session:
            mandate = mandates.grant(
                session,
                amira,
                person_id=person_id,
                basis=mandates.Basis.CONSENT,
                scope=scope,
                starts_at=options.pop("starts_at", now - timedelta(minutes=1)),
                ends_at=options.pop("ends_at", now + timedelta(days=30)),
                grantee_worker_id=(grantee or sam).worker_id,
                now=at,
                **options,
            )
            mandates.record_consent(
                session,
                amira,
                mandate.id,
                method=ConsentMethod.IN_PERSON,
                task_list_shown=describe(scope),
                seen_alone=True,
                safeguarding_answers=screen or CLEAN_SCREEN,
                now=at,
            )
            if activate:
                mandates.activate(session, amira, mandate.id, now=at)
            return mandate.id

    return _grant


@pytest.fixture
def sample_case(write: WriteSession, amira: Actor, person_id: int) -> int:
    """A Riverside case for the sample service (the form the tests fill in)."""
    with write() as session:
        return cases.open_case(session, amira, person_id, "sample-service", "Sample claim")


def _refused(write: WriteSession, work: Callable[[Any], object]) -> str:
    """Run ``work`` in one transaction that keeps its refusal's audit entry;
    return the refusal's words (fails when it was allowed)."""
    with write() as session:
        try:
            work(session)
        except AccessRefused as exc:
            return exc.message
    raise AssertionError("allowed, but should have been refused")


def _decisions(write: WriteSession, person_id: int, worker: Actor) -> list[AuditEntry]:
    with write() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.person_id == person_id, AuditEntry.worker_id == worker.worker_id)
                .order_by(AuditEntry.seq)
            )
        )


# -- seeing people at all -------------------------------------------------------------


def test_without_a_mandate_another_team_sees_nobody_and_every_refusal_is_audited(
    write: WriteSession, sam: Actor, person_id: int, case_id: int
) -> None:
    with write() as session:
        assert person_id not in people.list_person_ids(session, sam)
        assert not search.search(session, sam, "Pritchard").hits
    _refused(write, lambda s: people.person_detail(s, sam, person_id))
    _refused(write, lambda s: cases.case_detail(s, sam, case_id))
    _refused(write, lambda s: notes.add_note(s, sam, case_id, "Hello"))
    _refused(write, lambda s: tasks.add_task(s, sam, case_id, "Ring"))
    entries = _decisions(write, person_id, sam)
    assert [e.outcome for e in entries] == ["refuse"] * 4
    assert [e.action for e in entries] == ["view", "view", "draft", "draft"]


def test_a_mandate_lets_its_grantee_list_find_and_read_within_scope_only(
    write: WriteSession,
    sam: Actor,
    person_id: int,
    case_id: int,
    sample_case: int,
    live_grant: Grant,
) -> None:
    live_grant(scope_for("sample-service", ("view",), "identity", "contact"))
    with write() as session:
        assert person_id in people.list_person_ids(session, sam)
        assert [r.id for r in people.person_rows(session, sam, [person_id])] == [person_id]
        hits = search.search(session, sam, "Pritchard").hits
        assert {h.person_id for h in hits} == {person_id}
        detail = people.person_detail(session, sam, person_id)
    # Names always; identity and contact granted; address, health and care withheld.
    assert detail.full_name == "Nia Pritchard"
    assert detail.ni_number == "AB123456C" and detail.email == "nia@example.com"
    assert detail.redacted == {"address", "health", "care"}
    assert detail.address == "" and detail.postcode is None and detail.nhs_number is None
    # Only the case the scope names: the Blue Badge case (claim B) is not shown.
    assert [c.id for c in detail.cases] == [sample_case]
    _refused(write, lambda s: cases.case_detail(s, sam, case_id))
    with write() as session:
        seen = cases.case_detail(session, sam, sample_case)
    # Notes and documents are "other": not in this scope, so withheld.
    assert seen.redacted == {"other"} and seen.notes == () and seen.documents == ()


def test_the_caseload_withholds_health_and_a_mandate_that_names_it_shows_it(
    write: WriteSession, amira: Actor, person_id: int, sample_case: int, live_grant: Grant
) -> None:
    with write() as session:
        own = people.person_detail(session, amira, person_id)
    assert own.nhs_number is None and own.redacted == {"health"}
    # Amira's team may still correct the name without seeing the NHS number,
    # and the number she cannot see is kept, not wiped by the blank field.
    with write() as session:
        people.update_person(
            session, amira, person_id, own.version, person_input(nhs_number="", given_name="Nia")
        )
        assert session.get(Person, person_id).nhs_number == "9434765919"  # type: ignore[union-attr]
    # Typing into a field she may not see is a change to it: refused.
    message = _refused(
        write,
        lambda s: people.update_person(
            s, amira, person_id, own.version, person_input(nhs_number="485 777 3457")
        ),
    )
    assert "mandate" in message
    live_grant(scope_for("sample-service", ("view",), "identity", "health"), grantee=amira)
    with write() as session:
        shown = people.person_detail(session, amira, person_id)
    assert shown.nhs_number == "9434765919" and "health" not in shown.redacted


def test_writing_needs_the_action_and_every_category_written(
    write: WriteSession, sam: Actor, person_id: int, sample_case: int, live_grant: Grant
) -> None:
    live_grant(scope_for("sample-service", ("view",), *EVERYTHING))
    # View used to draft or submit: refused.
    assert "does not allow" in _refused(
        write, lambda s: drafts.start_draft(s, sam, sample_case, SERVICE)
    )
    assert "does not allow" in _refused(
        write, lambda s: notes.add_note(s, sam, sample_case, "Rang the council")
    )
    assert "does not allow" in _refused(
        write, lambda s: cases.open_case(s, sam, person_id, "sample-service", "Another")
    )


def test_claim_b_under_a_mandate_for_claim_a_is_refused(
    write: WriteSession, sam: Actor, person_id: int, case_id: int, live_grant: Grant
) -> None:
    live_grant(scope_for("sample-service", ("view", "draft", "submit"), *EVERYTHING))
    # case_id is the person's Blue Badge case.
    assert "does not cover" in _refused(
        write, lambda s: drafts.start_draft(s, sam, case_id, SERVICE)
    )
    assert "does not cover" in _refused(
        write, lambda s: cases.open_case(s, sam, person_id, "pension-credit", "Pension Credit")
    )


@pytest.mark.parametrize(
    "service",
    [
        "Sample-Service",
        " sample-service",
        "sample-service ",
        "sampl\u0435-service",
        "*",
        "sample-*",
    ],
)
def test_scope_smuggling_through_opening_a_case_is_refused(
    write: WriteSession, sam: Actor, person_id: int, live_grant: Grant, service: str
) -> None:
    live_grant(scope_for("sample-service", ("view", "draft"), *EVERYTHING))
    _refused(write, lambda s: cases.open_case(s, sam, person_id, service, "Smuggled"))
    with write() as session:
        assert session.scalar(select(func.count()).where(Case.title == "Smuggled")) == 0


@pytest.mark.parametrize(
    "service", ["Sample-Service", " sample-service", "sampl\u0435-service", "*", ""]
)
def test_smuggled_or_empty_scopes_cannot_be_granted(service: str) -> None:
    with pytest.raises(ScopeError):
        scope_for(service, ("view",), "identity")
    with pytest.raises(ScopeError):
        make_scope([])
    with pytest.raises(ScopeError):
        ScopeDetail(service_id="sample-service", actions=(), categories=("identity",))


def test_a_coerced_grant_never_becomes_active_so_casework_stays_shut(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    sample_case: int,
    live_grant: Grant,
) -> None:
    pressured = dict(CLEAN_SCREEN, pressured_by_anyone=True)
    mandate_id = live_grant(
        scope_for("sample-service", ("view",)), activate=False, screen=pressured
    )
    with pytest.raises(InvalidInput) as caught, write() as session:
        mandates.activate(session, amira, mandate_id)
    assert "safeguarding" in caught.value.fields["consent"]
    with write() as session:
        assert person_id not in people.list_person_ids(session, sam)
    _refused(write, lambda s: cases.case_detail(s, sam, sample_case))


# -- forms under a mandate ------------------------------------------------------------


def _fill(write: WriteSession, sam: Actor, case_id: int) -> int:
    with write() as session:
        draft_id = drafts.start_draft(session, sam, case_id, SERVICE)
    with write() as session:
        drafts.save_draft(session, sam, draft_id, 1, COMPLETE, "rent", SERVICE)
    return draft_id


def test_a_form_filled_and_sent_under_a_mandate_carries_it_to_the_outbox(
    write: WriteSession, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    mandate_id = live_grant(scope_for("sample-service", ("view", "draft", "submit"), *EVERYTHING))
    draft_id = _fill(write, sam, sample_case)
    with write() as session:
        record = drafts.submit_draft(session, sam, draft_id, 2, SERVICE)
    assert (record.mandate_id, record.mandate_version) == (mandate_id, 2)
    with write() as session:
        used = session.get(Mandate, mandate_id)
        assert used is not None and used.last_used_at is not None and used.version == 2


def test_the_categories_answered_must_be_in_the_scope_to_save_or_send(
    write: WriteSession, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    live_grant(scope_for("sample-service", ("view", "draft", "submit"), "identity", "address"))
    with write() as session:
        draft_id = drafts.start_draft(session, sam, sample_case, SERVICE)
    # Money answers are not in this scope: writing them is refused.
    assert "information" in _refused(
        write, lambda s: drafts.save_draft(s, sam, draft_id, 1, COMPLETE, "rent", SERVICE)
    )


def test_revoked_while_the_send_dialog_is_open_the_send_is_refused_and_the_draft_freezes(
    write: WriteSession, amira: Actor, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    mandate_id = live_grant(scope_for("sample-service", ("view", "draft", "submit"), *EVERYTHING))
    draft_id = _fill(write, sam, sample_case)
    with write() as session:  # the dialog is open: the person withdraws at the desk
        revocation.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
    _refused(write, lambda s: drafts.submit_draft(s, sam, draft_id, 2, SERVICE))
    message = _refused(
        write, lambda s: drafts.save_draft(s, sam, draft_id, 2, COMPLETE, "rent", SERVICE)
    )
    assert "frozen" in message
    # The person's own team can still read the frozen draft and print it for them.
    with write() as session:
        record = drafts.draft_record(session, amira, draft_id)
        pdf = case_print.draft_paper(session, amira, draft_id, SERVICE)
    assert "frozen" in record.frozen and record.answers == COMPLETE
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Pritchard" in text and "AB123456C" in "".join(text.split())  # one letter a box
    # Amira cannot save over it either: frozen is frozen.
    assert "frozen" in _refused(
        write, lambda s: drafts.save_draft(s, amira, draft_id, 2, COMPLETE, "rent", SERVICE)
    )


def test_a_mandate_changed_while_the_dialog_is_open_refuses_the_send(
    write: WriteSession, amira: Actor, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    """Suspended and reinstated between the last save and Send: still in
    force, but not the version the answers were saved under (``recheck``)."""
    mandate_id = live_grant(scope_for("sample-service", ("view", "draft", "submit"), *EVERYTHING))
    draft_id = _fill(write, sam, sample_case)
    with write() as session:
        mandates.suspend(session, amira, mandate_id, ReasonCode.OTHER)
        mandates.lift_suspension(session, amira, mandate_id, reason="Checked with the person")
    assert "changed" in _refused(write, lambda s: drafts.submit_draft(s, sam, draft_id, 2, SERVICE))
    with write() as session:
        stale = session.scalars(
            select(AuditEntry).where(AuditEntry.outcome == "refuse").order_by(AuditEntry.seq.desc())
        ).first()
        assert stale is not None and stale.action == "submit" and stale.mandate_id == mandate_id
        # Saving again (under the version now in force) makes sending possible.
        drafts.save_draft(session, sam, draft_id, 2, COMPLETE, "rent", SERVICE)
    with write() as session:
        assert drafts.submit_draft(session, sam, draft_id, 3, SERVICE).mandate_id == mandate_id


def test_expiry_at_midnight_on_the_night_the_clocks_go_back(
    write: WriteSession, amira: Actor, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    """Ends at midnight London time on Sunday 25 October 2026 (23:00 UTC on
    the 24th, BST); the clocks go back at 02:00 BST that night."""
    london = ZoneInfo("Europe/London")
    end = datetime(2026, 10, 25, 0, 0, tzinfo=london)
    assert end.astimezone(UTC) == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    start = end - timedelta(days=10)
    mandate_id = live_grant(
        scope_for("sample-service", ("view", "draft", "submit"), *EVERYTHING),
        starts_at=start,
        ends_at=end,
        at=start,
    )
    with write() as session:  # activate in the mandate's own time
        mandate = session.get(Mandate, mandate_id)
        assert mandate is not None and mandate.status is MandateStatus.ACTIVE
        draft_id = drafts.start_draft(session, sam, sample_case, SERVICE, now=start)
    before = datetime(2026, 10, 24, 23, 59, tzinfo=london)  # 22:59 UTC
    with write() as session:
        drafts.save_draft(session, sam, draft_id, 1, COMPLETE, "rent", SERVICE, now=before)
    # 00:30 BST is after the end; so is 01:30 GMT, after the clocks went back.
    for moment in (
        datetime(2026, 10, 25, 0, 30, tzinfo=london),
        datetime(2026, 10, 25, 1, 30, tzinfo=london, fold=1),
    ):
        assert "frozen" in _refused(
            write, lambda s, m=moment: drafts.submit_draft(s, sam, draft_id, 2, SERVICE, now=m)
        )


def test_accept_and_revoke_at_once_the_withdrawal_wins(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    sample_case: int,
    live_grant: Grant,
) -> None:
    """Two terminals: one accepts (activates) from the version it saw while the
    other records the person saying no. The acceptance is refused (the version
    moved), and a rejected mandate never becomes active."""
    mandate_id = live_grant(scope_for("sample-service", ("view",)), activate=False)
    with write() as session:
        seen = session.get(Mandate, mandate_id).version  # type: ignore[union-attr]
        mandates.reject(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
    # A rejected mandate is final: the decision refuses before the version is looked at.
    with pytest.raises(AccessRefused, match="ended"), write() as session:
        mandates.activate(session, amira, mandate_id, expected_version=seen)
    with pytest.raises(AccessRefused), write() as session:
        mandates.activate(session, amira, mandate_id)
    _refused(write, lambda s: cases.case_detail(s, sam, sample_case))
    # And once active, revoked in the same moment a decision is taken: the
    # revocation is written first, so the next check refuses.
    active = live_grant(scope_for("sample-service", ("view",)))
    with write() as session:
        revocation.revoke(session, amira, active, ReasonCode.PERSON_WITHDREW)
    _refused(write, lambda s: cases.case_detail(s, sam, sample_case))
    with pytest.raises(AccessRefused, match="ended"), write() as session:
        mandates.activate(session, amira, active)


# -- revocation effects ------------------------------------------------------------


def _queue(write: WriteSession, case_id: int, mandate_id: int, state: OutboxState) -> str:
    with write() as session:
        item_id = outbox.enqueue(
            session, "submission_api", {"x": 1}, case_id=case_id, mandate_id=mandate_id,
            mandate_version=2,
        )  # fmt: skip
        if state is not OutboxState.QUEUED:
            item = session.get(OutboxItem, item_id)
            assert item is not None
            item.state = state
        return item_id


def test_revoking_cancels_queued_work_and_flags_what_was_already_sent(
    write: WriteSession, amira: Actor, sample_case: int, live_grant: Grant
) -> None:
    mandate_id = live_grant(scope_for("sample-service", ("view", "submit"), *EVERYTHING))
    queued = _queue(write, sample_case, mandate_id, OutboxState.QUEUED)
    sent = _queue(write, sample_case, mandate_id, OutboxState.SENT)
    other = _queue(write, sample_case, 999_999, OutboxState.QUEUED)
    with write() as session:
        effects = revocation.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
    assert effects.cancelled == (queued,) and effects.flagged == (sent,)
    with write() as session:
        states = {i: session.get(OutboxItem, i).state for i in (queued, sent, other)}  # type: ignore[union-attr]
        kinds = [e.kind for e in timeline.entries(session, sample_case)]
    assert states == {
        queued: OutboxState.CANCELLED,
        sent: OutboxState.SENT,
        other: OutboxState.QUEUED,
    }
    assert "mandate_ended_cancelled" in kinds and "mandate_ended_sent" in kinds


def test_a_mandate_that_lets_queued_work_finish_leaves_it_queued(
    write: WriteSession, amira: Actor, sample_case: int, live_grant: Grant
) -> None:
    mandate_id = live_grant(
        scope_for("sample-service", ("view", "submit"), *EVERYTHING),
        work_in_progress=WorkInProgress.FINISH_QUEUED,
    )
    queued = _queue(write, sample_case, mandate_id, OutboxState.QUEUED)
    with write() as session:
        effects = revocation.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
        assert session.get(OutboxItem, queued).state is OutboxState.QUEUED  # type: ignore[union-attr]
    assert effects.left_to_finish == (queued,) and not effects.cancelled


def _northgate_colleague(write: WriteSession) -> Actor:
    from casework.kernel.accounts import actor_for

    with write() as session:
        sam_row = session.scalars(select(Worker).where(Worker.username == "sam")).one()
        colleague = Worker(
            username="femi",
            display_name="Femi Adeyemi",
            password_hash="!",  # cannot sign in; acts in these tests only
            role=Role.ADVISER,
            team_id=sam_row.team_id,
        )
        session.add(colleague)
        session.flush()
        return actor_for(colleague)


def test_sub_mandates_fall_with_their_parent_and_cannot_widen_or_outlive_it(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    sample_case: int,
    live_grant: Grant,
    now: datetime,
) -> None:
    femi = _northgate_colleague(write)
    parent_id = live_grant(
        scope_for("sample-service", ("view", "draft"), "identity", "contact"),
        sub_delegation_allowed=True,
    )
    narrower = scope_for("sample-service", ("view",), "identity")
    with write() as session:
        parent_ends = session.get(Mandate, parent_id).ends_at  # type: ignore[union-attr]
        with pytest.raises(InvalidInput) as widened:  # widens: a new category
            mandates.grant_sub_mandate(
                session, sam, parent_id, scope=scope_for("sample-service", ("view",), "health"),
                ends_at=parent_ends, grantee_worker_id=femi.worker_id,
            )  # fmt: skip
        assert set(widened.value.fields) == {"scope"}
        with pytest.raises(InvalidInput) as outlived:  # outlives its parent
            mandates.grant_sub_mandate(
                session, sam, parent_id, scope=narrower, ends_at=parent_ends + timedelta(days=1),
                grantee_worker_id=femi.worker_id,
            )  # fmt: skip
        assert set(outlived.value.fields) == {"ends_at"}
        child = mandates.grant_sub_mandate(
            session, sam, parent_id, scope=narrower, ends_at=parent_ends,
            grantee_worker_id=femi.worker_id,
        )  # fmt: skip
        mandates.activate(session, amira, child.id)
        child_id = child.id
    with write() as session:
        assert cases.case_detail(session, femi, sample_case).id == sample_case
        with pytest.raises(AccessRefused):  # passed on again: the child does not allow it
            mandates.grant_sub_mandate(
                session, femi, child_id, scope=narrower, ends_at=parent_ends,
                grantee_worker_id=sam.worker_id,
            )  # fmt: skip
    with write() as session:
        effects = revocation.revoke(session, amira, parent_id, ReasonCode.PERSON_WITHDREW)
        assert session.get(Mandate, child_id).status is MandateStatus.REVOKED  # type: ignore[union-attr]
    assert set(effects.mandate_ids) == {parent_id, child_id}
    _refused(write, lambda s: cases.case_detail(s, femi, sample_case))
    with write() as session:
        assert person_id not in people.list_person_ids(session, femi)


# -- reminders and lapsing ------------------------------------------------------------


def test_mandates_ending_within_30_days_are_listed_soonest_first(
    write: WriteSession, sam: Actor, live_grant: Grant, now: datetime
) -> None:
    later = live_grant(scope_for("sample-service"), ends_at=now + timedelta(days=90))
    soon = live_grant(scope_for("sample-service"), ends_at=now + timedelta(days=3))
    sooner = live_grant(scope_for("sample-service"), ends_at=now + timedelta(days=1, hours=1))
    with write() as session:
        listed = reminders.mandates_ending_soon(session, sam)
    assert [e.mandate_id for e in listed] == [sooner, soon]
    assert listed[0].days_left == 1 and listed[0].person_name == "Nia Pritchard"
    assert later not in [e.mandate_id for e in listed]


def test_a_mandate_unused_for_six_months_lapses_and_a_used_one_does_not(
    write: WriteSession,
    sam: Actor,
    person_id: int,
    sample_case: int,
    live_grant: Grant,
    now: datetime,
) -> None:
    start = now - timedelta(days=200)
    unused = live_grant(
        scope_for("pension-credit"), starts_at=start, ends_at=start + timedelta(days=360), at=start
    )
    used = live_grant(
        scope_for("sample-service"), starts_at=start, ends_at=start + timedelta(days=360), at=start
    )
    with write() as session:  # activation happened at "now" in the fixture: move it back
        for mandate_id in (unused, used):
            session.get(Mandate, mandate_id).status_changed_at = start  # type: ignore[union-attr]
    with write() as session:
        # Sam uses one mandate: the decision stamps it, without moving its version.
        version = session.get(Mandate, used).version  # type: ignore[union-attr]
        policy.require(session, sam, person_id, "view", "sample-service")
    with write() as session:
        effects = revocation.sweep(session)
        lapsed = session.get(Mandate, unused)
        kept = session.get(Mandate, used)
        assert lapsed is not None and kept is not None
        assert (lapsed.status, lapsed.status_reason) == (MandateStatus.EXPIRED, "lapsed_unused")
        assert kept.status is MandateStatus.ACTIVE and kept.version == version
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.mandate_id == unused)
            .order_by(AuditEntry.seq.desc())
        ).first()
        assert entry is not None and (entry.action, entry.reason_code) == ("lapse", "lapsed_unused")
    assert unused in effects.lapsed and used not in effects.lapsed


# -- documents, tasks, search ---------------------------------------------------------


def test_documents_and_notes_need_the_other_category(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    sample_case: int,
    live_grant: Grant,
    tmp_path: Any,
) -> None:
    source = tmp_path / "letter.txt"
    source.write_text("Dear Nia")
    with write() as session:
        doc_id = documents.attach_document(session, amira, sample_case, source)
        notes.add_note(session, amira, sample_case, "Private note")
    live_grant(scope_for("sample-service", ("view", "draft"), "identity"))
    assert "documents" in _refused(write, lambda s: documents.read_document(s, sam, doc_id))
    with write() as session:
        tasks.add_task(session, sam, sample_case, "Ring the council")  # tasks need no category
        seen = cases.case_detail(session, sam, sample_case)
    assert seen.notes == () and seen.tasks[0].title == "Ring the council"


def test_lists_for_100_people_use_one_filter_not_a_decision_each(
    write: WriteSession, amira: Actor, sam: Actor, live_grant: Grant
) -> None:
    with write() as session:
        for n in range(100):
            people.create_person(session, amira, person_input(family_name=f"Extra{n:03d}"))
        own = people.list_person_ids(session, sam)
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    live_grant(scope_for("sample-service"))
    with write() as session:
        ids = people.list_person_ids(session, sam)
        after = session.scalar(select(func.count()).select_from(AuditEntry))
    assert len(ids) == len(own) + 1
    # The grant wrote three management decisions (grant, consent, activate)
    # and two lifecycle entries (grant, activate), and each list one: never
    # one per person.
    assert (after or 0) - (before or 0) == 6


def test_draft_rows_remember_their_mandate(
    write: WriteSession, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    mandate_id = live_grant(scope_for("sample-service", ("view", "draft"), *EVERYTHING))
    with write() as session:
        draft_id = drafts.start_draft(session, sam, sample_case, SERVICE)
        row = session.get(FormDraft, draft_id)
        assert row is not None and (row.mandate_id, row.mandate_version) == (mandate_id, 2)
    assert json.dumps(COMPLETE)


def test_a_draft_shows_a_mandate_holder_only_the_answers_in_scope_and_keeps_the_rest(
    write: WriteSession, amira: Actor, sam: Actor, sample_case: int, live_grant: Grant
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, sample_case, SERVICE)
        drafts.save_draft(
            session, amira, draft_id, 1, {"given-name": "Nia", "nhs": "9434765919"}, "ids"
        )
    live_grant(scope_for("sample-service", ("view", "draft"), "identity"))
    lookup = {SERVICE.id: SERVICE}.get
    with write() as session:
        seen = drafts.draft_record(session, sam, draft_id, lookup)
        blind = drafts.draft_record(session, sam, draft_id)  # no definition: nothing shown
        own = drafts.draft_record(session, amira, draft_id, lookup)
    assert seen.answers == {"given-name": "Nia"} and blind.answers == {}
    assert own.answers == {"given-name": "Nia", "nhs": "9434765919"}
    with write() as session:  # Sam's screen never had the NHS number: it is kept
        drafts.save_draft(
            session, sam, draft_id, 2, {"given-name": "Nia", "family-name": "Pritchard"}, "ids",
            services=lookup,
        )  # fmt: skip
        stored = json.loads(session.get(FormDraft, draft_id).answers)  # type: ignore[union-attr]
    assert stored == {"given-name": "Nia", "family-name": "Pritchard", "nhs": "9434765919"}
    # Typing into it is writing health information: refused.
    assert "information" in _refused(
        write,
        lambda s: drafts.save_draft(
            s,
            sam,
            draft_id,
            3,
            {"given-name": "Nia", "nhs": "4857773457"},
            "ids",
            services=lookup,
        ),
    )


def test_search_finds_a_mandated_person_by_name_only_never_their_notes_or_other_cases(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, case_id: int, live_grant: Grant
) -> None:
    with write() as session:
        notes.add_note(session, amira, case_id, "Pritchard mentioned the xylophone debt")
    live_grant(scope_for("sample-service", ("view",), "identity"))
    with write() as session:
        theirs = search.search(session, sam, "Pritchard").hits
        ours = search.search(session, amira, "Pritchard").hits
        by_number = search.search(session, sam, "9434765919").hits
        noted = search.search(session, sam, "xylophone").hits
    assert [(h.kind, h.snippet) for h in theirs] == [("person", "Nia Pritchard")]
    assert {h.kind for h in ours} >= {"person", "note"}
    assert by_number == ()  # which NHS number is hers is not Sam's to learn
    assert noted == ()


def test_search_finds_a_mandated_person_whatever_the_accents_typed(
    write: WriteSession, sam: Actor, person_id: int, live_grant: Grant
) -> None:
    with write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.given_name = "Siân"
    live_grant(scope_for("sample-service", ("view",), "identity"))
    with write() as session:
        plain = search.search(session, sam, "sian pritchard").hits
        accented = search.search(session, sam, "Siân").hits
    assert [(h.kind, h.person_id) for h in plain] == [("person", person_id)]
    assert [(h.kind, h.person_id) for h in accented] == [("person", person_id)]
