"""Every core action that takes text a person typed, given hostile text
through the real backend (``LocalBackend`` on a real SQLCipher profile, the
very operations the window runs).

For any text at all (lone surrogates, NUL and other controls, right-to-left
marks, combining marks, emoji, huge strings), nothing but an
``AlongsideError`` escapes, and its words can be shown. Text with a lone
surrogate or a control character other than newline and tab is refused with a
field error naming the field, and a refused action leaves the database as it
was: no row more or less and (for an ``InvalidInput``) no commit at all.

``make test`` runs 25 examples per action, the same ones every run;
``make fuzz`` runs 1,000, new ones each time (profiles in tests/conftest.py).
"""

from __future__ import annotations

import copy
import operator
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.casefile import documents
from casework.escalation.directory import LocalFacilitatorInput
from casework.escalation.records import EscalationRequest
from casework.forms.mandate_names import catalogue_names
from casework.kernel import accounts
from casework.kernel.action import act
from casework.kernel.errors import AccessRefused, AlongsideError, InvalidInput
from casework.kernel.models import utcnow
from casework.kernel.records import Role
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import AssistedStart, GrantRequest
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.factories import person_input
from ui.operations import cases as cases_ops
from ui.operations import escalation as escalation_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.operations import people as people_ops

BUDGET = settings(
    # The loaded profile's budget under ``make fuzz``; a small one otherwise.
    max_examples=settings().max_examples if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 25,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# What the boundary must refuse (written out here, not imported, so the test
# is an independent statement of the rule).
UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
NASTY = [
    "\x00",
    "\udc80",
    "\ud800",
    "\udfff",
    "\x07",
    "\x1b[31m",
    "\r",
    "\r\n",
    "\x7f",
    "\x85",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200d",  # zero-width joiner
    "\ufeff",
    "\u2028",
    "e\u0301\u0301\u0301",  # combining marks
    "👩🏽‍⚕️",
    "שלום",
    "مرحبا",
    "\t",
    "\n",
    "'; DROP TABLE people; --",
    '"*NEAR(',
    "<b>bold</b>",
    "{name}",
    "%s",
]
ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and controls included
PIECES = st.one_of(ANY_CHARACTER, st.sampled_from(NASTY))
HOSTILE = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.lists(PIECES, max_size=20).map("".join),
    # Huge: a short piece repeated into tens of thousands of characters.
    st.builds(
        operator.mul, st.lists(PIECES, min_size=1, max_size=3).map("".join), st.integers(1, 30_000)
    ),
)
SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=["view", "draft"], categories=["identity"])]
)


@dataclass
class World:
    """One signed-in backend on one profile, with a person, a case, a note, a
    draft and an escalation to aim text at."""

    profile: OpenProfile
    backend: LocalBackend
    person_id: int
    case_id: int
    note_id: int
    draft_id: int
    question_ids: list[str]
    escalation_id: int
    task_list: str
    document: Path

    def rows(self) -> dict[str, int]:
        with self.profile.engine.connect() as conn:
            names = conn.execute(
                sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ).scalars()
            return {
                name: conn.execute(sql(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in list(names)
            }

    def person_version(self) -> int:
        return people_ops.person_detail(self.person_id).call(self.backend).version

    def case_version(self) -> int:
        return cases_ops.case_detail(self.case_id).call(self.backend).version

    def note_version(self) -> int:
        detail = cases_ops.case_detail(self.case_id).call(self.backend)
        return next(n.version for n in detail.notes if n.id == self.note_id)

    def draft_version(self) -> int:
        return forms_ops.form_draft(self.draft_id).call(self.backend).version

    def escalation_version(self) -> int:
        found = escalation_ops.case_escalations(self.case_id).call(self.backend)
        return next(e.version for e in found if e.id == self.escalation_id)


@pytest.fixture(scope="module")
def world(shared_profile: OpenProfile, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    document = tmp_path_factory.mktemp("fuzz") / "letter.txt"
    document.write_text("A letter from the council.\n", encoding="utf-8")
    backend = LocalBackend(shared_profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    person_id = people_ops.create_person(person_input()).call(backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Badge").call(backend)
    note_id = cases_ops.add_note(case_id, "First note").call(backend)
    draft, service = forms_ops.start_form(case_id, "blue-badge").call(backend)
    assert service is not None
    escalation_id = escalation_ops.raise_escalation(
        EscalationRequest(case_id, "other", "Please look.")
    ).call(backend)
    yield World(
        profile=shared_profile,
        backend=backend,
        person_id=person_id,
        case_id=case_id,
        note_id=note_id,
        draft_id=draft.id,
        question_ids=[q.id for q in service.questions()],
        escalation_id=escalation_id,
        task_list=describe(SCOPE, catalogue_names(backend.catalogue)),
        document=document,
    )
    backend.sign_out()


def _grant(w: World, **text: str) -> Any:
    values: dict[str, Any] = {
        "person_id": w.person_id,
        "grantee_kind": "worker",
        "grantee_id": w.backend.current_actor.worker_id,  # type: ignore[union-attr]
        "basis": "consent",
        "scope": SCOPE,
        "ends_at": utcnow() + timedelta(days=90),
        "task_list_shown": w.task_list,
        "consent_method": "in_person",
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(text)
    return mandates_ops.grant(GrantRequest(**values)).call(w.backend)


def _assisted(w: World, **text: str) -> Any:
    values: dict[str, Any] = {
        "given_name": "Zephyrine",
        "family_name": "Quillfeather",
        "service_id": "blue-badge",
        # Never the list the kiosk shows: a session must not start (it would
        # narrow what the worker sees for every other action here).
        "task_list_shown": "",
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(text)
    return mandates_ops.start_assisted_session(AssistedStart(**values)).call(w.backend)


def _facilitator(w: World, field: str, text: str) -> Any:
    values: dict[str, Any] = {
        "service_id": "blue-badge",
        "area": "Cardiff",
        "level": 1,
        "name": "Ffion Hughes",
        "role": "Manager",
        "organisation": "Cardiff Council",
        "email": "ffion@example.gov.uk",
        "phone": "029 2087 2087",
    }
    values[field] = text
    return escalation_ops.add_local_facilitator(LocalFacilitatorInput(**values)).call(w.backend)


def _settings_set(w: World, text: str) -> Any:
    copy.deepcopy(w.profile.settings).set("notify.escalation_template_id", text)


def _new_worker(w: World, field: str, text: str) -> Any:
    """An account as the command line makes one (not a window action)."""
    values: dict[str, Any] = {
        "username": "fuzz.worker",
        "display_name": "Fuzz Worker",
        "password": "a long enough passphrase",
        "role": Role.ADVISER,
    }
    with session_factory(w.profile.engine, write=True).begin() as session:
        if field == "team":
            return accounts.get_or_create_team(session, text)
        values[field] = text
        team = accounts.get_or_create_team(session, "Fuzz team")
        return accounts.create_worker(session, team=team, **values)


def _sign_in(w: World, field: str, text: str) -> Any:
    other = LocalBackend(w.profile)
    # An unknown username, so a wrong password never locks a real account.
    if field == "username":
        return other.sign_in(text, "not the password")
    return other.sign_in("nobody-here", text)


Prepare = Callable[[World], Callable[[str], Any]]


def versioned(version: Callable[[World], int], call: Callable[[World, int, str], Any]) -> Prepare:
    """The record's version read first (a read may be audited), then the call."""

    def prepare(w: World) -> Callable[[str], Any]:
        seen = version(w)
        return lambda t: call(w, seen, t)

    return prepare


# The field named in the refusal, and what reads what it needs, then takes the text.
ACTIONS: dict[str, tuple[str, Prepare]] = {
    "person given name": (
        "given_name",
        lambda w: lambda t: people_ops.create_person(person_input(given_name=t)).call(w.backend),
    ),
    "person address": (
        "address",
        lambda w: lambda t: people_ops.create_person(person_input(address=t)).call(w.backend),
    ),
    "person email": (
        "email",
        lambda w: lambda t: people_ops.create_person(person_input(email=t)).call(w.backend),
    ),
    "person access needs, edited": (
        "access_needs",
        versioned(
            World.person_version,
            lambda w, v, t: people_ops.update_person(
                w.person_id, v, person_input(access_needs=t)
            ).call(w.backend),
        ),
    ),
    "case title": (
        "title",
        lambda w: lambda t: cases_ops.open_case(w.person_id, "blue-badge", t).call(w.backend),
    ),
    "case status": (
        "status",
        versioned(
            World.case_version,
            lambda w, v, t: cases_ops.change_status(w.case_id, w.person_id, v, t).call(w.backend),
        ),
    ),
    "note": ("body", lambda w: lambda t: cases_ops.add_note(w.case_id, t).call(w.backend)),
    "note, edited": (
        "body",
        versioned(
            World.note_version,
            lambda w, v, t: cases_ops.edit_note(w.case_id, w.note_id, v, t).call(w.backend),
        ),
    ),
    "task": ("title", lambda w: lambda t: cases_ops.add_task(w.case_id, t, None).call(w.backend)),
    "search": ("search", lambda w: lambda t: people_ops.search(t).call(w.backend)),
    "form answer": (
        "first question",
        versioned(
            World.draft_version,
            lambda w, v, t: forms_ops.save_form(
                w.case_id, w.draft_id, v, {w.question_ids[0]: t}, None
            ).call(w.backend),
        ),
    ),
    "form answer in a list": (
        "first question",
        versioned(
            World.draft_version,
            lambda w, v, t: forms_ops.save_form(
                w.case_id, w.draft_id, v, {w.question_ids[0]: ["ok", t]}, None
            ).call(w.backend),
        ),
    ),
    "form page": (
        "current_page",
        versioned(
            World.draft_version,
            lambda w, v, t: forms_ops.save_form(w.case_id, w.draft_id, v, {}, t).call(w.backend),
        ),
    ),
    "answers compared with the record": (
        "first question",
        lambda w: (
            lambda t: forms_ops.profile_differences(w.draft_id, {w.question_ids[0]: t}).call(
                w.backend
            )
        ),
    ),
    "escalation description, previewed": (
        "description",
        lambda w: (
            lambda t: escalation_ops.preview_escalation(
                EscalationRequest(w.case_id, "other", t)
            ).call(w.backend)
        ),
    ),
    "escalation description": (
        "description",
        lambda w: (
            lambda t: escalation_ops.raise_escalation(
                EscalationRequest(w.case_id, "other", t)
            ).call(w.backend)
        ),
    ),
    "escalation reason": (
        "reason",
        lambda w: (
            lambda t: escalation_ops.raise_escalation(
                EscalationRequest(w.case_id, t, "Please look.")
            ).call(w.backend)
        ),
    ),
    "escalation acknowledged": (
        "note",
        versioned(
            World.escalation_version,
            lambda w, v, t: escalation_ops.acknowledge(w.escalation_id, v, t).call(w.backend),
        ),
    ),
    "escalation resolved": (
        "outcome",
        versioned(
            World.escalation_version,
            lambda w, v, t: escalation_ops.resolve(w.escalation_id, v, t).call(w.backend),
        ),
    ),
    "escalation closed": (
        "outcome",
        versioned(
            World.escalation_version,
            lambda w, v, t: escalation_ops.close(w.escalation_id, v, t).call(w.backend),
        ),
    ),
    "referral summary": (
        "summary",
        lambda w: (
            lambda t: escalation_ops.refer_case(w.case_id, 2, t, "in person today").call(w.backend)
        ),
    ),
    "referral consent": (
        "consent",
        lambda w: (
            lambda t: escalation_ops.refer_case(w.case_id, 2, "Needs help.", t).call(w.backend)
        ),
    ),
    "referral rejected": (
        "reason",
        lambda w: lambda t: escalation_ops.reject_referral(999_999, 1, t).call(w.backend),
    ),
    "facilitator name": ("name", lambda w: lambda t: _facilitator(w, "name", t)),
    "facilitator area": ("area", lambda w: lambda t: _facilitator(w, "area", t)),
    "evidence reference": ("evidence", lambda w: lambda t: _grant(w, evidence_reference=t)),
    "witness": ("witness", lambda w: lambda t: _grant(w, witness=t)),
    "emergency reason": ("emergency_reason", lambda w: lambda t: _grant(w, emergency_reason=t)),
    "task list shown": ("task_list", lambda w: lambda t: _grant(w, task_list_shown=t)),
    "mandate lifted": (
        "reason",
        lambda w: lambda t: mandates_ops.lift(w.person_id, 999_999, 1, t).call(w.backend),
    ),
    "assisted given name": ("given_name", lambda w: lambda t: _assisted(w, given_name=t)),
    "assisted witness": ("witness", lambda w: lambda t: _assisted(w, witness=t)),
    "facilitator ladder area": (
        "area",
        lambda w: (
            lambda t: escalation_ops.facilitator_ladder(
                w.backend.catalogue.get("blue-badge"),
                t,  # type: ignore[arg-type]
            ).call(w.backend)
        ),
    ),
    "connector platform": (
        "platform",
        lambda w: lambda t: w.backend.save_connector_settings(t, "https://example.org"),
    ),
    "connector address": (
        "base_url",
        lambda w: lambda t: w.backend.save_connector_settings("notify", t),
    ),
    "a setting": ("value", lambda w: lambda t: _settings_set(w, t)),
    "worker display name": ("display_name", lambda w: lambda t: _new_worker(w, "display_name", t)),
    "worker username": ("username", lambda w: lambda t: _new_worker(w, "username", t)),
    "worker password": ("password", lambda w: lambda t: _new_worker(w, "password", t)),
    "team name": ("team", lambda w: lambda t: _new_worker(w, "team", t)),
    "sign-in username": ("username", lambda w: lambda t: _sign_in(w, "username", t)),
    "sign-in password": ("password", lambda w: lambda t: _sign_in(w, "password", t)),
}


def _field(w: World, field: str) -> str:
    return w.question_ids[0] if field == "first question" else field


@pytest.mark.parametrize("name", list(ACTIONS))
@BUDGET
@example(text="lone \udc80 surrogate")
@example(text="a NUL \x00 and a bell \x07")
@example(text="Ffion ap Ll\u0177r \u200f\u05e9\u05dc\u05d5\u05dd\r\n\t\U0001f469\u200d\u2695 " * 3)
@given(text=HOSTILE)
def test_hostile_text_is_refused_whole_or_taken(world: World, name: str, text: str) -> None:
    field, prepare = ACTIONS[name]
    call = prepare(world)
    unusable = UNUSABLE.search(text) is not None
    before = world.rows()
    with world.profile.engine.connect() as watcher:
        version = watcher.execute(sql("PRAGMA data_version")).scalar_one()
        try:
            call(text)
        except AlongsideError as exc:
            str(exc).encode("utf-8")  # its words can be shown and logged
            after = world.rows()
            if isinstance(exc, AccessRefused):  # the refusal's audit entry is kept
                after = {k: v for k, v in after.items() if not k.startswith("audit_")}
                before = {k: v for k, v in before.items() if not k.startswith("audit_")}
            assert after == before, f"{name}: a refusal left rows behind"
            if isinstance(exc, InvalidInput):
                assert watcher.execute(sql("PRAGMA data_version")).scalar_one() == version
            if unusable:
                assert isinstance(exc, InvalidInput), f"{name}: {exc!r}"
                assert _field(world, field) in exc.fields, exc.fields
            return
    assert not unusable, f"{name} took text with an unusable character: {text!r}"


@BUDGET
@example(name="caf\udce9 \x07 scan.pdf")  # a name on disk that is not UTF-8, and a bell
@given(name=HOSTILE.filter(lambda n: "/" not in n and "\x00" not in n and 0 < len(n) < 120))
def test_a_document_name_is_stored_usable(world: World, name: str) -> None:
    """A document's name comes from the disk, not the keyboard, so it is
    cleaned (``documents.safe_name``), never refused for its characters: the
    name of the file chosen, or the name given with it."""
    given = world.backend.perform(
        act(documents.attach_document, world.case_id, world.document, name), write=True
    )
    attached = [given]
    try:
        path = world.document.parent / name
        path.write_bytes(b"scan")
    except (OSError, ValueError):  # this file system refuses the name itself
        pass
    else:
        try:
            attached.append(cases_ops.attach_document(world.case_id, path).call(world.backend))
        finally:
            path.unlink()
    detail = cases_ops.case_detail(world.case_id).call(world.backend)
    for document_id in attached:
        stored = next(d.name for d in detail.documents if d.id == document_id)
        assert stored and UNUSABLE.search(stored) is None, stored
