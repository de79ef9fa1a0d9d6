"""Open data on a real encrypted profile: nothing from a person's record ever
reaches the files, every count is 0 or 5 and up on the 5-grid, and only a
supervisor or an administrator may export (audited either way)."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.profile import OpenProfile
from casework.casefile.cases import open_case
from casework.casefile.notes import add_note
from casework.casefile.people import create_person
from casework.forms import definitions
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Case, FormDraft, Submission, Worker
from casework.kernel.records import Actor, CaseStatus
from casework.performance import open_data, open_data_files
from casework.performance.demand import record_reasons, set_outcome
from casework.performance.open_data import median_published, suppressed, whole_weeks
from casework.performance.reasons import REASONS
from delegation.models import AuditEntry
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input

START = date(2026, 3, 2)  # a Monday
END = date(2026, 3, 29)  # a Sunday: four whole weeks
SERVICES = ("blue-badge", "carers-allowance", "attendance-allowance")


CATALOGUE = definitions.load_catalogue()


def _export(write: WriteSession, actor: Actor) -> dict[str, bytes]:
    with write() as session:
        data = open_data.export_open_data(session, actor, START, END, catalogue=CATALOGUE)
    return open_data_files.render(data) | {"README.cy.md": open_data_files.readme_bytes(data, "cy")}


def _add_forms(
    write: WriteSession, actor: Actor, person_id: int, service: str, started: list[datetime]
) -> int:
    """A case for ``service`` with a form started at each time and sent 20
    minutes later; returns the case id."""
    with write() as session:
        case_id = open_case(session, actor, person_id, service, "Help with a form")
        for at in started:
            draft = FormDraft(
                case_id=case_id, service_id=service, service_version="1", answers="{}",
                submitted=True, created_by_id=actor.worker_id, updated_by_id=actor.worker_id,
                created_at=at, updated_at=at,
            )  # fmt: skip
            session.add(draft)
            session.flush()
            session.add(
                Submission(
                    uuid=str(uuid.uuid4()), case_id=case_id, person_id=person_id,
                    draft_id=draft.id, service_id=service, service_version="1",
                    definition_sha256="0" * 64, answers="{}", facts="{}",
                    submitted_by_id=actor.worker_id, submitted_at=at + timedelta(minutes=20),
                )
            )  # fmt: skip
    return case_id


def _figures(files: dict[str, bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files["open-data.csv"].decode())))


# -- the rules ------------------------------------------------------------------------
def test_counts_are_withheld_from_1_to_4_and_rounded_to_5() -> None:
    assert suppressed(0) == 0
    assert [suppressed(n) for n in range(1, 5)] == [None] * 4
    assert [suppressed(n) for n in (5, 6, 7, 8, 9, 10, 12, 13)] == [5, 5, 5, 10, 10, 10, 10, 15]


def test_a_median_needs_5_forms_and_is_rounded_to_5_minutes() -> None:
    assert median_published([10, 20, 30, 40]) is None
    assert median_published([10, 20, 22, 40, 50]) == 20
    assert median_published([10, 20, 23, 40, 50]) == 25


def test_the_period_is_whole_weeks_of_a_year_or_less() -> None:
    assert whole_weeks(date(2026, 3, 4), date(2026, 3, 4)) == (date(2026, 3, 2), date(2026, 3, 8))
    with pytest.raises(InvalidInput):
        whole_weeks(date(2026, 3, 5), date(2026, 3, 4))
    with pytest.raises(InvalidInput):
        whole_weeks(date(2025, 1, 1), date(2026, 1, 1))


# -- on a profile ---------------------------------------------------------------------
def test_a_week_of_forms_is_counted_rounded_and_withheld(
    demo_profile: OpenProfile,
    write: WriteSession,
    actor: Callable[[str], Actor],
    person_id: int,
) -> None:
    amira, gwen = actor("amira"), actor("gwen")
    monday = datetime(2026, 3, 9, 10, tzinfo=UTC)
    _add_forms(
        write, amira, person_id, "blue-badge", [monday + timedelta(hours=i) for i in range(7)]
    )
    _add_forms(write, amira, person_id, "carers-allowance", [monday] * 3)
    rows = {
        (r["week_starting"], r["service"], r["measure"]): r["value"]
        for r in _figures(_export(write, gwen))
    }
    assert rows[("2026-03-09", "Apply for a Blue Badge", "forms_sent")] == "5"
    assert rows[("2026-03-09", "Apply for a Blue Badge", "median_minutes")] == "20"
    assert rows[("2026-03-09", "Apply for a Blue Badge", "escalations")] == "0"
    carers = [k for k in rows if k[0] == "2026-03-09" and "Carer" in k[1]]
    assert carers and rows[(carers[0][0], carers[0][1], "forms_sent")] == ""
    assert rows[(carers[0][0], carers[0][1], "median_minutes")] == ""


def test_another_teams_work_is_not_counted(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    sam = actor("sam")
    with write() as session:
        theirs = create_person(session, sam, person_input())
    case_id = _add_forms(
        write, sam, theirs, "blue-badge", [datetime(2026, 3, 9, 10, tzinfo=UTC)] * 6
    )
    with write() as session:
        record_reasons(session, sam, case_id, ["chasing"], now=datetime(2026, 3, 9, 11, tzinfo=UTC))
    assert _figures(_export(write, actor("gwen"))) == []


@pytest.mark.parametrize("username", ["amira", "tom"])
def test_only_a_supervisor_or_administrator_may_export_and_it_is_audited(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor], username: str
) -> None:
    with write() as session, pytest.raises(AccessRefused):  # committed, as the backend does
        open_data.export_open_data(session, actor(username), START, END)
    _export(write, actor("admin"))
    with write() as session:
        entries = session.execute(
            select(AuditEntry.outcome, Worker.username)
            .join(Worker, Worker.id == AuditEntry.worker_id)
            .where(AuditEntry.action == "office.open_data")
            .order_by(AuditEntry.seq)
        ).all()
    assert [tuple(e) for e in entries] == [("refuse", username), ("allow", "admin")]


# -- nothing from a person's record, ever ---------------------------------------------
name = st.from_regex(r"Q[a-z]{5,9}", fullmatch=True)
family = st.from_regex(r"Zx[a-z]{4,9}", fullmatch=True)
postcode = st.from_regex(r"[A-PR-UWYZ][A-HK-Y]?[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True)
born = st.dates(min_value=date(1930, 1, 1), max_value=date(2009, 12, 31))
person = st.tuples(
    name,
    family,
    born,
    postcode,
    st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=40),
)
activity = st.lists(
    st.tuples(
        st.sampled_from(SERVICES),
        st.integers(min_value=0, max_value=27 * 24 * 60),  # minutes into the period
        st.integers(min_value=0, max_value=12),  # forms started then
        st.booleans(),  # the case closed with a form left unsent
        st.sampled_from([r.value for r in REASONS]),  # why help was needed
    ),
    min_size=1,
    max_size=6,
)


def _forms_of(files: dict[str, bytes]) -> list[int | None]:
    values = [None if r["value"] == "" else int(r["value"]) for r in _figures(files)]
    body = json.loads(files["open-data.json"])
    assert [r["value"] for r in body["rows"]] == values
    return values


def _traces(people: list[tuple[str, str, date, str, str, str]]) -> list[str]:
    found: list[str] = []
    for given_name, family_name, dob, code, note, reference in people:
        found += [given_name, family_name, f"{given_name} {family_name}", reference]
        found += [code, code.replace(" ", ""), note]
        found += [dob.isoformat(), dob.strftime("%d/%m/%Y"), f"{dob.day}/{dob.month}/{dob.year}"]
    return [t for t in found if len(t.strip()) >= 4]


@pytest.fixture(scope="module")
def seen() -> list[tuple[str, str, date, str, str, str]]:
    return []


@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # each example writes to the profile: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(people=st.lists(person, min_size=1, max_size=4), work=activity)
def test_no_export_holds_anything_from_a_persons_record(
    shared_profile: OpenProfile,
    shared_write: WriteSession,
    shared_actor: Callable[[str], Actor],
    seen: list[tuple[str, str, date, str, str, str]],
    people: list[tuple[str, str, date, str, str]],
    work: list[tuple[str, int, int, bool, str]],
) -> None:
    amira = shared_actor("amira")
    begin = datetime(2026, 3, 2, tzinfo=UTC)
    for n, (given_name, family_name, dob, code, free) in enumerate(people):
        with shared_write() as session:
            pid = create_person(
                session,
                amira,
                person_input(
                    given_name=given_name, family_name=family_name, date_of_birth=dob, postcode=code
                ),
            )
        service, offset, count, closes, reason = work[n % len(work)]
        at = begin + timedelta(minutes=offset)
        case_id = _add_forms(shared_write, amira, pid, service, [at] * count)
        with shared_write() as session:
            case = session.get(Case, case_id)
            assert case is not None
            note = f"{given_name} {family_name}, born {dob:%d/%m/%Y}, lives at {code}. {free}"
            add_note(session, amira, case_id, f"{note} Case {case.reference}.")
            record_reasons(
                session, amira, case_id, [reason], note=note[:200],
                now=at + timedelta(minutes=5),
            )  # fmt: skip
            if closes:
                session.add(
                    FormDraft(
                        case_id=case_id, service_id=service, service_version="1",
                        answers=json.dumps({"name": given_name}), submitted=False,
                        created_by_id=amira.worker_id, updated_by_id=amira.worker_id,
                        created_at=at, updated_at=at,
                    )
                )  # fmt: skip
                case.status, case.closed_at = CaseStatus.CLOSED, at + timedelta(hours=1)
            seen.append((given_name, family_name, dob, code, note, case.reference))

    files = _export(shared_write, shared_actor("gwen"))
    text = "\n".join(body.decode("utf-8") for body in files.values())
    for trace in _traces(seen):
        assert trace not in text, f"{trace!r} from a person's record is in the export"
    with shared_write() as session:
        workers = session.execute(select(Worker.username, Worker.display_name)).all()
    for username, display_name in workers:
        assert display_name not in text
        assert not re.search(rf"\b{re.escape(username)}\b", text, re.IGNORECASE), username
    for value in _forms_of(files):
        assert value is None or value == 0 or (value >= 5 and value % 5 == 0), value


def test_paper_copies_out_and_back_are_counted_by_week(
    demo_profile: OpenProfile,
    write: WriteSession,
    actor: Callable[[str], Actor],
    case_id: int,
) -> None:
    from casework.paper.models import PaperCopy, PaperReturn

    amira = actor("amira")
    out = datetime(2026, 3, 10, 11, tzinfo=UTC)
    with write() as session:
        for n in range(6):
            copy = PaperCopy(
                reference=f"BB-TEST-{n}", office="TEST", serial=f"{n:06d}",
                service_id="blue-badge", version="1", language="en", kind="blank", pages=4,
                case_id=case_id, printed_by_id=amira.worker_id, printed_at=out,
                given_out_at=out,
            )  # fmt: skip
            session.add(copy)
            session.flush()
            if n < 3:
                session.add(
                    PaperReturn(
                        copy_id=copy.id, case_id=case_id, scan_sha256=f"{n:064d}",
                        pages_found="1,2,3,4", pages_missing="",
                        received_at=out + timedelta(days=7),
                    )
                )  # fmt: skip
    rows = {
        (r["week_starting"], r["measure"]): r["value"]
        for r in _figures(_export(write, actor("gwen")))
        if r["service"] == "Apply for a Blue Badge"
    }
    assert rows[("2026-03-09", "paper_out")] == "5"
    assert rows[("2026-03-16", "paper_back")] == ""  # three back: withheld
    assert rows[("2026-03-16", "paper_out")] == "0"


# -- why people needed help, and forms abandoned ----------------------------------------
def _people(write: WriteSession, actor: Actor, service: str, how_many: int) -> list[int]:
    """``how_many`` people, each with a case for ``service``; returns the case ids."""
    cases: list[int] = []
    with write() as session:
        for n in range(how_many):
            pid = create_person(session, actor, person_input(given_name=f"Nia{n}"))
            cases.append(open_case(session, actor, pid, service, "Help with a form"))
    return cases


def test_reasons_are_counted_once_a_person_withheld_under_5_and_in_words(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    amira = actor("amira")
    tuesday = datetime(2026, 3, 10, 10, tzinfo=UTC)
    online = _people(write, amira, "blue-badge", 7)
    with write() as session:
        for case_id in online:
            record_reasons(session, amira, case_id, ["online_service"], now=tuesday)
        # The same person picked twice that week (another moment): still one person.
        record_reasons(session, amira, online[0], ["online_service", "no_device"],
                       moment="session_ended", note="Needed a hand", now=tuesday)  # fmt: skip
        for case_id in online[1:4]:
            record_reasons(session, amira, case_id, ["no_device"], now=tuesday)
        # A week later, six of them could not use the online service again.
        for case_id in online[1:]:
            record_reasons(session, amira, case_id, ["online_service"],
                           now=tuesday + timedelta(days=7))  # fmt: skip
    rows = {
        (r["week_starting"], r["reason"]): (r["reason_welsh"], r["value"])
        for r in _figures(_export(write, actor("gwen")))
        if r["measure"] == "reason" and r["service"] == "Apply for a Blue Badge"
    }
    assert rows[("2026-03-09", "Could not use the online service")][1] == "5"  # 7 people (8 picks)
    assert rows[("2026-03-09", "No device or internet")][1] == ""  # 4 people: withheld
    assert rows[("2026-03-09", "Wrong decision")][1] == "0"
    assert rows[("2026-03-16", "Could not use the online service")][1] == "5"
    welsh = rows[("2026-03-09", "Could not use the online service")][0]
    assert welsh and welsh != "Could not use the online service"
    assert {reason for _week, reason in rows} == {
        "Could not use the online service", "No device or internet",
        "Did not understand a letter or the form", "Chasing a decision or a delay",
        "Evidence lost or asked for twice", "Wrong decision",
        "Needed it in Welsh or another language", "Disability or access needs",
    }  # fmt: skip


def test_forms_abandoned_follow_the_outcome_the_worker_set(
    demo_profile: OpenProfile, write: WriteSession, actor: Callable[[str], Actor]
) -> None:
    amira = actor("amira")
    closed = datetime(2026, 3, 11, 15, tzinfo=UTC)
    given_up = _people(write, amira, "blue-badge", 5)  # a form left unsent, marked abandoned
    went_on_paper = _people(write, amira, "blue-badge", 5)  # a form left unsent, then paper
    left = _people(write, amira, "blue-badge", 5)  # a form left unsent, no outcome set
    no_form = _people(write, amira, "blue-badge", 5)  # marked abandoned, no form started
    with write() as session:
        for case_id in given_up + went_on_paper + left:
            started = closed + timedelta(days=7) if case_id in given_up else closed
            session.add(
                FormDraft(
                    case_id=case_id, service_id="blue-badge", service_version="1",
                    answers="{}", submitted=False, created_by_id=amira.worker_id,
                    updated_by_id=amira.worker_id, created_at=started, updated_at=started,
                )
            )  # fmt: skip
        for case_id in went_on_paper + left:
            case = session.get(Case, case_id)
            assert case is not None
            case.status, case.closed_at = CaseStatus.CLOSED, closed
        for case_id in given_up + no_form:
            set_outcome(session, amira, case_id, "abandoned", date(2026, 3, 25))
        for case_id in went_on_paper:
            set_outcome(session, amira, case_id, "paper", date(2026, 3, 11))
    rows = {
        r["week_starting"]: r["value"]
        for r in _figures(_export(write, actor("gwen")))
        if r["measure"] == "forms_abandoned" and r["service"] == "Apply for a Blue Badge"
    }
    assert rows["2026-03-09"] == "5"  # the five left, not the five sent on paper
    assert rows["2026-03-16"] == "5"  # the five given up, in the week their forms started
    assert "2026-03-23" not in rows  # a case with no form abandoned no form
