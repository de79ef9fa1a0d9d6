"""Errors a worker can act on (``kernel.errors``) and the timeline (``kernel.timeline``)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import StatementError

from casework.kernel.errors import AlongsideError, EditConflict, InvalidInput, SignInFailed
from casework.kernel.models import TimelineEvent
from casework.kernel.records import Actor
from casework.kernel.timeline import entries, record
from tests.unit.conftest import WriteSession


def test_invalid_input_keeps_each_field_and_a_summary() -> None:
    err = InvalidInput({"postcode": "Enter a real UK postcode.", "email": "Enter an email."})
    assert err.fields == {"postcode": "Enter a real UK postcode.", "email": "Enter an email."}
    assert str(err) == err.message == "Enter a real UK postcode. Enter an email."
    assert isinstance(err, AlongsideError)


def test_invalid_input_without_fields_still_says_something() -> None:
    assert InvalidInput({}).message == "Check the details you entered."


def test_errors_read_as_their_message() -> None:
    assert str(SignInFailed("The username or password is wrong.")) == (
        "The username or password is wrong."
    )
    conflict = EditConflict("Someone else saved this.", current_version=4)
    assert (conflict.message, conflict.current_version) == ("Someone else saved this.", 4)
    assert EditConflict("x").current_version is None


def test_the_timeline_is_newest_first_and_limited(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        for n in range(5):
            record(session, case_id, "note_added", f"line {n}", amira)
        record(session, case_id, "sync_result", "Delivered by GOV.UK Notify", None)
        lines = entries(session, case_id)
        newest_three = entries(session, case_id, limit=3)
    assert [e.summary for e in lines[:3]] == ["Delivered by GOV.UK Notify", "line 4", "line 3"]
    assert lines[0].worker is None  # a line from the system, not a worker
    assert lines[1].worker == "Amira Hussain"
    assert lines[-1].kind == "case_opened"
    assert newest_three == lines[:3]
    assert all(e.at.tzinfo is not None for e in lines)


def test_times_without_a_zone_are_refused(write: WriteSession, case_id: int) -> None:
    with pytest.raises(StatementError, match="naive datetime"), write() as session:
        session.add(TimelineEvent(case_id=case_id, at=datetime(2026, 1, 1), kind="x", summary="x"))
        session.flush()
