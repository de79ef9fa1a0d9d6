"""Mandate text in plain words: the services' titles handed down to
delegation, the consent check at grant in the language the task list was
shown in, and the named records the mandates view and banner read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.casefile.cases import open_case
from casework.forms import mandate_names
from casework.forms.definitions import load_catalogue
from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import set_language
from casework.kernel.models import Case, utcnow
from casework.kernel.records import Actor
from delegation import policy
from delegation.mandates import SAFEGUARDING_QUESTIONS, task_list_fingerprint
from delegation.models import ConsentRecord
from delegation.records import GrantRequest
from delegation.scope import Scope, ScopeDetail, case_scope_id, make_scope
from delegation.scope_words import NO_NAMES, ScopeNames, describe, shown_as_built, summary
from tests.unit.conftest import WriteSession
from tests.unit.plain_words import internal_terms

CATALOGUE = load_catalogue()


def demo_scope(case_reference: str) -> Scope:
    """Two services and one case, as the demo grants them."""
    return make_scope(
        [
            ScopeDetail(
                service_id="blue-badge",
                actions=["view", "draft", "submit"],
                categories=["identity", "address", "health"],
            ),
            ScopeDetail(
                service_id="attendance-allowance",
                actions=["view", "contact"],
                categories=["financial", "care"],
            ),
            ScopeDetail(
                case=case_scope_id(case_reference),
                actions=["view", "escalate"],
                categories=["identity", "household"],
            ),
        ]
    )


def _case_reference(write: WriteSession, amira: Actor, person_id: int) -> str:
    with write() as session:
        case_id = open_case(session, amira, person_id, "blue-badge", "Blue Badge renewal")
        case = session.get(Case, case_id)
        assert case is not None
        return case.reference


def _request(amira: Actor, person_id: int, scope: Scope, **changes: object) -> GrantRequest:
    values: dict[str, object] = {
        "person_id": person_id,
        "grantee_kind": "team",
        "grantee_id": amira.team_id,
        "basis": "consent",
        "scope": scope,
        "ends_at": utcnow() + timedelta(days=90),
        "task_list_shown": "",
        "consent_method": "in_person",
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return GrantRequest(**values)  # type: ignore[arg-type]


def test_the_task_list_uses_titles_and_plain_words_in_both_languages(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    reference = _case_reference(write, amira, person_id)
    scope = demo_scope(reference)
    with write() as session:
        names = mandate_names.scope_names(session, CATALOGUE, [scope])
    english = describe(scope, names, "en")
    assert english.splitlines() == [
        "Apply for a Blue Badge. The helper may: look at the details; fill in forms; send forms. "
        "Information they may use: name, date of birth and identity numbers; address; health.",
        "Claim Attendance Allowance. The helper may: look at the details; speak to the service. "
        "Information they may use: money and benefits; care and support.",
        f"The case {reference} (Apply for a Blue Badge). The helper may: look at the details; "
        "ask for help when things are stuck. Information they may use: name, date of birth and "
        "identity numbers; the people living at home.",
    ]
    welsh = describe(scope, names, "cy")
    assert "Gwneud cais am Fathodyn Glas. Caiff y cynorthwyydd: edrych ar y manylion" in welsh
    assert f"Yr achos {reference} (Gwneud cais am Fathodyn Glas)" in welsh
    assert "arian a budd-daliadau" in welsh and "the helper" not in welsh
    for text in (english, welsh, summary(scope, names, "en"), summary(scope, names, "cy")):
        assert internal_terms(text, [reference.lower()]) == []


def test_a_service_missing_from_the_catalogue_is_named_in_words_not_by_id() -> None:
    scope = make_scope(
        [ScopeDetail(service_id="winter-fuel", actions=["view"], categories=["identity"])]
    )
    assert describe(scope, NO_NAMES, "en").startswith("Winter fuel. The helper may:")
    names = ScopeNames({"winter-fuel": {"en": "Winter Fuel Payment"}})
    assert summary(scope, names, "cy") == "Winter Fuel Payment (edrych ar y manylion)"


def test_a_grant_shown_in_welsh_is_accepted_and_fingerprints_the_welsh_text(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    scope = demo_scope(_case_reference(write, amira, person_id))
    with write() as session:
        names = mandate_names.scope_names(session, CATALOGUE, [scope])
    welsh = describe(scope, names, "cy")
    request = _request(
        amira, person_id, scope, task_list_shown=welsh, task_list_language="cy"
    )  # the app is in English: the request says the person heard it in Welsh
    with write() as session:
        outcome = mandate_names.grant_mandate(session, amira, CATALOGUE, request)
        consent = session.query(ConsentRecord).filter_by(mandate_id=outcome.mandate.id).one()
        assert consent.task_list_fingerprint == task_list_fingerprint(welsh)
    assert outcome.active
    assert "Apply for a Blue Badge" in outcome.mandate.task_list  # shown to the worker in English
    assert outcome.mandate.names.title("attendance-allowance", "cy") == "Hawlio Lwfans Gweini"


def test_the_same_grant_is_accepted_when_the_app_itself_speaks_welsh(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    scope = demo_scope(_case_reference(write, amira, person_id))
    set_language("cy")
    try:
        with write() as session:
            names = mandate_names.scope_names(session, CATALOGUE, [scope])
            request = _request(amira, person_id, scope, task_list_shown=describe(scope, names))
            assert mandate_names.grant_mandate(session, amira, CATALOGUE, request).active
    finally:
        set_language("en")


@pytest.mark.parametrize(
    "change",
    [
        "a changed list",
        "the English text said to be Welsh",
        "the old text with ids",
        "a language Alongside does not speak",
        "titles the catalogue does not give",
    ],
)
def test_a_task_list_that_is_not_the_scope_in_its_language_is_refused(
    write: WriteSession, amira: Actor, person_id: int, change: str
) -> None:
    scope = demo_scope(_case_reference(write, amira, person_id))
    with write() as session:
        names = mandate_names.scope_names(session, CATALOGUE, [scope])
    english = describe(scope, names, "en")
    shown, language = {
        "a changed list": (english.replace("send forms", "send forms; sign for them"), "en"),
        "the English text said to be Welsh": (english, "cy"),
        "the old text with ids": (
            "For the service 'blue-badge': view, draft, submit. Information used: address.",
            "en",
        ),
        "a language Alongside does not speak": (english, "fr"),
        "titles the catalogue does not give": (describe(scope, NO_NAMES, "en"), "en"),
    }[change]
    request = _request(amira, person_id, scope, task_list_shown=shown, task_list_language=language)
    with pytest.raises(InvalidInput, match="The task list changed"), write() as session:
        mandate_names.grant_mandate(session, amira, CATALOGUE, request)
    assert not shown_as_built(shown, scope, names, language)


def test_the_mandates_banner_and_audit_records_carry_the_names(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    reference = _case_reference(write, amira, person_id)
    scope = demo_scope(reference)
    with write() as session:
        names = mandate_names.scope_names(session, CATALOGUE, [scope])
        request = _request(amira, person_id, scope, task_list_shown=describe(scope, names))
        mandate_names.grant_mandate(session, amira, CATALOGUE, request)
        policy.decide(
            session, amira, person_id, "view", "attendance-allowance", frozenset({"financial"})
        )
    with write() as session:
        [listed] = mandate_names.person_mandates(session, amira, CATALOGUE, person_id)
        acting = mandate_names.acting_mandate(session, amira, CATALOGUE, person_id)
        audit = mandate_names.person_audit(session, amira, CATALOGUE, person_id)
    assert acting is not None and acting.names == listed.names
    assert listed.names.case_services == {reference.lower(): "blue-badge"}
    assert listed.task_list == describe(scope, names, "en")
    viewed = next(e for e in audit if e.target == "attendance-allowance")
    assert viewed.names.title(viewed.target, "en") == "Claim Attendance Allowance"
