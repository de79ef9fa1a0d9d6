"""Why help was needed: reasons, time and outcomes recorded on a case, through
the policy decision, audited, with a plain line on the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.casefile import assisted
from casework.forms import definitions, drafts
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.i18n import set_language
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from casework.performance import demand
from casework.performance.models import CaseTime, DemandReason, DemandRecord
from casework.performance.reasons import REASONS, CaseOutcome, Moment, Reason, reason_words
from delegation import mandates
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input


def test_the_list_has_eight_reasons_in_plain_english_and_welsh() -> None:
    assert len(REASONS) == 8
    english = [reason_words(r) for r in REASONS]
    assert english[0] == "Could not use the online service"
    set_language("cy")
    try:
        welsh = [reason_words(r) for r in REASONS]
    finally:
        set_language("en")
    assert all(w and w != e for w, e in zip(welsh, english, strict=True))


def test_reasons_are_recorded_with_their_moment_and_read_back_in_the_lists_order(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        pick = demand.record_reasons(
            session, amira, case_id, ["language", "online_service", "language"],
            moment=Moment.CASE_OPENED, note="  Letter   in English only ",
        )  # fmt: skip
    with write() as session:
        shown = demand.case_demand(session, amira, case_id)
        lines = timeline.entries(session, case_id)
        stored = session.scalars(
            select(DemandReason.reason).where(DemandReason.record_id == pick)
        ).all()
    assert sorted(stored) == ["language", "online_service"]
    (only,) = shown.picks
    assert only.reasons == ("online_service", "language")
    assert only.moment == "case_opened" and only.note == "Letter in English only"
    assert only.recorded_by == amira.display_name
    assert lines[0].summary == (
        "Why help was needed: Could not use the online service; "
        "Needed it in Welsh or another language. Note: Letter in English only"
    )
    set_language("cy")
    try:
        with write() as session:
            welsh = timeline.entries(session, case_id)[0].summary
    finally:
        set_language("en")
    assert "online service" not in welsh and "Letter in English only" in welsh


@pytest.mark.parametrize(
    ("reasons", "note", "field"),
    [
        ([], "", "reasons"),
        (["no_such_reason"], "", "reasons"),
        (["chasing"], "x" * (demand.MAX_NOTE_LENGTH + 1), "note"),
    ],
)
def test_a_bad_pick_is_refused_with_a_clear_message_and_nothing_is_kept(
    write: WriteSession, amira: Actor, case_id: int, reasons: list[str], note: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused, write() as session:
        demand.record_reasons(session, amira, case_id, reasons, note=note)
    assert refused.value.fields[field]
    if field == "note":
        assert str(demand.MAX_NOTE_LENGTH) in refused.value.fields["note"]
    with write() as session:
        assert session.scalar(select(func.count()).select_from(DemandRecord)) == 0


def test_a_note_at_the_limit_is_kept(write: WriteSession, amira: Actor, case_id: int) -> None:
    with write() as session:
        demand.record_reasons(session, amira, case_id, ["chasing"], note="y" * 200)


def test_a_draft_of_another_case_is_refused(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    from casework.casefile.cases import open_case

    service = definitions.load_catalogue().get("blue-badge")
    assert service is not None
    with write() as session:
        other = open_case(session, amira, person_id, "blue-badge", "Another")
        draft = drafts.start_draft(session, amira, other, service)
    with pytest.raises(InvalidInput) as refused, write() as session:
        demand.record_reasons(session, amira, case_id, ["chasing"], draft_id=draft)
    assert "not on this case" in refused.value.fields["draft"]
    with write() as session:
        demand.record_reasons(
            session, amira, other, ["chasing"], moment=Moment.FORM_STARTED, draft_id=draft
        )


def _mandate(write: WriteSession, amira: Actor, sam: Actor, person_id: int, service: str) -> None:
    scope = make_scope(
        [ScopeDetail(service_id=service, actions=("view", "draft"), categories=("identity",))]
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


def _refusals(write: WriteSession, sam: Actor, person_id: int) -> list[tuple[str, str]]:
    with write() as session:
        return [
            (e.action, e.outcome)
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.person_id == person_id, AuditEntry.worker_id == sam.worker_id)
                .order_by(AuditEntry.seq)
            )
        ]


def _refused(write: WriteSession, work: object) -> None:
    with write() as session:
        try:
            work(session)  # type: ignore[operator]
        except AccessRefused:
            return
    raise AssertionError("allowed, but should have been refused")


def test_outside_the_mandates_scope_every_write_and_read_is_refused_and_audited(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, case_id: int
) -> None:
    _mandate(write, amira, sam, person_id, "another-service")  # not this case's service
    _refused(write, lambda s: demand.record_reasons(s, sam, case_id, ["chasing"]))
    _refused(write, lambda s: demand.add_time(s, sam, case_id, 10))
    _refused(write, lambda s: demand.set_outcome(s, sam, case_id, "sent"))
    _refused(write, lambda s: demand.case_demand(s, sam, case_id))
    refusals = [entry for entry in _refusals(write, sam, person_id) if entry[1] == "refuse"]
    assert refusals == [("draft", "refuse")] * 3 + [("view", "refuse")]
    with write() as session:
        assert session.scalar(select(func.count()).select_from(DemandRecord)) == 0


def test_within_the_mandate_a_pick_without_a_note_is_allowed_but_a_note_needs_more(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, case_id: int
) -> None:
    _mandate(write, amira, sam, person_id, "blue-badge")
    with write() as session:
        demand.record_reasons(session, sam, case_id, ["chasing"])
    # A note is free text on the case ("other"): the mandate grants identity only.
    _refused(write, lambda s: demand.record_reasons(s, sam, case_id, ["chasing"], note="hi"))


def test_time_adds_up_and_bad_minutes_are_refused(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        assert demand.add_time(session, amira, case_id, 25) == 25
        assert demand.add_time(session, amira, case_id, 10) == 35
    for bad in (0, -5, demand.MAX_MINUTES + 1):
        with pytest.raises(InvalidInput) as refused, write() as session:
            demand.add_time(session, amira, case_id, bad)
        assert "whole number" in refused.value.fields["minutes"]
    with write() as session:
        assert demand.case_demand(session, amira, case_id).minutes == 35
        assert timeline.entries(session, case_id)[0].summary == (
            "Time spent helping: 10 minutes added"
        )


def test_the_worker_sets_the_outcome_and_it_wins_over_the_derived_one(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        shown = demand.case_demand(session, amira, case_id)
    assert shown.outcome is None and not shown.outcome_derived
    with pytest.raises(InvalidInput), write() as session:
        demand.set_outcome(session, amira, case_id, "lost")
    with pytest.raises(InvalidInput), write() as session:
        demand.set_outcome(session, amira, case_id, "sent", date.today() + timedelta(days=2))
    with write() as session:
        demand.set_outcome(session, amira, case_id, CaseOutcome.ABANDONED, date(2026, 11, 2))
    with write() as session:
        shown = demand.case_demand(session, amira, case_id)
        line = timeline.entries(session, case_id)[0].summary
    assert (shown.outcome, shown.outcome_on, shown.outcome_derived) == (
        "abandoned", date(2026, 11, 2), False
    )  # fmt: skip
    assert line == "Outcome: Abandoned, on 2 November 2026"


def test_an_assisted_session_end_records_reasons_and_its_length(
    write: WriteSession, amira: Actor
) -> None:
    now = utcnow()
    with write() as session:
        record = assisted.start(
            session, amira, person=person_input(given_name="Walk", family_name="In"),
            service_id="blue-badge", service_title="Blue Badge", categories=("identity",),
            task_list_shown=describe(assisted.session_scope("blue-badge", ("identity",))),
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS), seen_alone=True, now=now,
        )  # fmt: skip
    with write() as session:
        demand.record_session_end(
            session,
            amira,
            record.id,
            [Reason.NO_DEVICE],
            now=now + timedelta(minutes=41, seconds=5),
        )
    with write() as session:
        shown = demand.case_demand(session, amira, record.case_id, now=now + timedelta(minutes=42))
        minutes = session.scalars(select(CaseTime.minutes)).all()
    assert shown.reasons == ("no_device",) and shown.picks[0].moment == "session_ended"
    assert list(minutes) == [42]


def test_wiping_the_person_wipes_their_reasons_time_and_outcome(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    with write() as session:
        demand.record_reasons(session, amira, case_id, ["chasing"], note="rang twice")
        demand.add_time(session, amira, case_id, 5)
        demand.set_outcome(session, amira, case_id, "sent")
    with write() as session:
        report = assisted.wipe_person(session, person_id)
    assert {"demand_records", "demand_reasons", "case_time", "case_outcomes"} <= set(report.rows)
