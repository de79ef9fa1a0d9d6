"""Definition quality (``casework.forms.quality``): Welsh, conditions, routes.

Each check is shown firing on a small definition built from the test
service, and the shipped catalogue passes them all. The walk's witnesses
are checked against the form engine itself: the answers it found show the
question, and completed they pass every check (the route reaches the
declaration).
"""

from __future__ import annotations

from typing import Any

import pytest

from casework.forms import answers, definitions, patterns, quality
from casework.forms.quality import reach, welsh
from casework.forms.sample import acceptable_answer
from tests.unit.casework.forms.sample_service import sample, t

FILE = "fixture.json"


@pytest.fixture(scope="module")
def catalogue() -> definitions.Catalogue:
    return definitions.load_catalogue()


def reasons(raw: dict[str, Any]) -> dict[str, str]:
    return {p.pointer: p.reason for p in quality.check(raw, FILE)}


def yes_no(qid: str, condition: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    q: dict[str, Any] = {"id": qid, "type": "yes_no", "label": t(qid), "category": "other"}
    if condition is not None:
        q["condition"] = condition
    return {**q, **more}


def page(pid: str, *questions: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"id": pid, "section": t("More"), "title": t(pid), "questions": list(questions), **more}


# -- the shipped catalogue ---------------------------------------------------------


def test_every_shipped_service_passes_every_check(catalogue: definitions.Catalogue) -> None:
    assert len(catalogue.services) == len(definitions.definition_files())
    found = [str(p) for s in catalogue.services for p in quality.check_service(s)]
    assert found == []
    assert quality.check(sample(), FILE) == []


def _complete(service: definitions.Service, chosen: dict[str, Any]) -> dict[str, Any]:
    """``chosen`` and, for every other question the route shows, an acceptable answer."""
    found: dict[str, Any] = {}
    for question in service.questions():
        kept = answers.prune(service, found)
        page = next(p for p in service.pages if question in p.questions)
        if not answers.condition_holds(page.raw.get("condition"), kept):
            continue
        if not answers.question_shows(question, kept):
            continue
        if question.id in chosen:
            found[question.id] = chosen[question.id]
        else:
            found[question.id] = acceptable_answer(question)
    return answers.prune(service, found)


@pytest.mark.parametrize("service_id", [p.stem for p in definitions.definition_files()])
def test_each_witness_shows_its_question_and_its_route_reaches_the_declaration(
    service_id: str, catalogue: definitions.Catalogue
) -> None:
    service = catalogue.service_of(service_id)
    walked = reach.walk(service.raw, service.file)
    routes: dict[str, dict[str, Any]] = {}
    for page in service.pages:
        for question in page.questions:
            witness = walked.witnesses[question.id]
            filled = routes.get(repr(witness))
            if filled is None:
                filled = routes[repr(witness)] = _complete(service, witness)
                assert answers.check_all(service, filled) == [], (question.id, witness)
            assert question in answers.visible_questions(page, filled), question.id
            for child in question.children:
                item = walked.witnesses[f"{question.id}/{child.id}"]
                assert answers.question_shows(child, item), child.id


# -- 1. Welsh ------------------------------------------------------------------------


def test_a_missing_welsh_or_english_text_is_named() -> None:
    raw = sample()
    raw["pages"][0]["title"]["cy"] = "  "
    del raw["facilitator"]["name"]["cy"]
    del raw["pages"][5]["questions"][0]["options"][1]["label"]["en"]
    found = reasons(raw)
    assert found["/pages/0/title/cy"] == "the Welsh text is missing"
    assert found["/facilitator/name/cy"] == "the Welsh text is missing"
    assert found["/pages/5/questions/0/options/1/label/en"] == "the English text is missing"


def test_welsh_that_is_the_english_untranslated_is_named() -> None:
    raw = sample()
    raw["pages"][5]["questions"][0]["options"][0]["label"] = {"en": "Rent it", "cy": "rent  it"}
    raw["next_steps"] = {"en": "We will write to you.", "cy": "We will write to you."}
    found = reasons(raw)
    assert set(found) == {"/pages/5/questions/0/options/0/label/cy", "/next_steps/cy"}
    assert found["/next_steps/cy"].startswith(
        "the Welsh text is the same as the English ('We will write to you.'); translate it"
    )


@pytest.mark.parametrize(
    "same",
    [
        "HC1",
        "PIP2 (SA-1)",
        "GOV.UK",
        "£12.50",
        "27/03/2026",
        "https://www.gov.uk/pip",
        "www.nhs.uk",
        "help@example.gov.uk",
        "ISA",
        "person",
        "Partner",
        "Braille",
    ],
)
def test_names_numbers_addresses_and_codes_may_read_the_same(same: str) -> None:
    raw = sample()
    raw["pages"][5]["questions"][0]["options"][0]["label"] = {"en": same, "cy": same}
    assert reasons(raw) == {}


def test_the_words_welsh_shares_are_needed_by_the_shipped_catalogue(
    monkeypatch: pytest.MonkeyPatch, catalogue: definitions.Catalogue
) -> None:
    """Without the short list, real Welsh in the catalogue ('person', 'Partner',
    'Roma', 'Braille', 'Pancreas') would be reported as untranslated."""
    monkeypatch.setattr(welsh, "SAME_IN_WELSH", frozenset())
    flagged = {
        p.reason.split("(")[1].split(")")[0]
        for s in catalogue.services
        for p in welsh.welsh_problems(s.raw, s.file)
    }
    assert {"'person'", "'Partner'", "'Roma'", "'Braille'", "'Pancreas'"} <= flagged


# -- 2. every question on some route -----------------------------------------------


def test_a_question_no_answers_can_show_is_named() -> None:
    raw = sample()
    money = raw["pages"][3]["questions"]
    money.insert(
        2,
        yes_no(
            "never",
            {
                "all": [
                    {"question": "has-income", "equals": True},
                    {"question": "has-income", "equals": False},
                ]
            },
        ),
    )
    found = reasons(raw)
    assert found == {
        "/pages/3/questions/2": "no answers to the questions before it show this question, "
        "so it is never asked"
    }


def test_a_page_whose_choice_can_never_match_hides_its_questions() -> None:
    raw = sample()
    raw["pages"][6]["condition"] = {
        "all": [
            {"question": "tenure", "equals": "rent"},
            {"not": {"question": "tenure", "in": ["rent"]}},
        ]
    }
    assert set(reasons(raw)) == {"/pages/6/questions/0", "/pages/6/questions/1"}


def test_an_exclusive_option_never_comes_with_another() -> None:
    raw = sample()
    raw["pages"][4]["questions"].append(
        yes_no(
            "both",
            {
                "all": [
                    {"question": "benefits", "includes": "none"},
                    {"question": "benefits", "includes": "uc"},
                ]
            },
        )
    )
    assert set(reasons(raw)) == {"/pages/4/questions/2"}
    raw["pages"][4]["questions"][0]["options"][-1]["exclusive"] = False
    assert reasons(raw) == {}


def test_a_witness_is_the_answers_that_show_the_question() -> None:
    walked = reach.walk(sample(), FILE)
    assert walked.witnesses["uc-since"].items() >= {"benefits": ["uc"]}.items()
    assert walked.witnesses["rent-amount"].items() >= {"tenure": "rent"}.items()
    assert walked.witnesses["income"] == {"has-income": True}
    assert walked.witnesses["medicines/prescriber"] == {"prescribed": True}


def test_an_optional_question_left_blank_is_a_route_too() -> None:
    raw = sample()
    raw["pages"][3]["questions"][0]["required"] = False
    raw["pages"][3]["questions"].append(
        yes_no("blank", {"not": {"question": "has-income", "in": [True, False]}})
    )
    assert reasons(raw) == {}
    assert reach.walk(raw, FILE).witnesses["blank"] == {}


# -- 3. every route reaches the declaration ------------------------------------------


def test_a_question_no_answer_can_satisfy_is_named() -> None:
    raw = sample()
    raw["pages"][0]["questions"][1]["validation"] = {"min_length": 25000}
    found = reasons(raw)
    assert found == {
        "/pages/0/questions/1": "no answer to this question meets its own rules, so a route "
        "that shows it can never reach the declaration"
    }


def test_a_strict_pattern_is_not_taken_for_an_impossible_one() -> None:
    raw = sample()
    raw["pages"][0]["questions"][1]["validation"] = {"pattern": r"[0-9]{3}-[A-Z]{4}"}
    assert patterns.example(r"[0-9]{3}-[A-Z]{4}") == "000-AAAA"
    assert reasons(raw) == {}


def test_a_route_with_every_page_hidden_is_named() -> None:
    raw = sample()
    raw["pages"] = [page("only", yes_no("q", {"question": "later", "equals": True}))]
    found = reasons(raw)
    assert found["/pages"] == (
        "on some route every page is hidden, so there is nothing to fill in before the declaration"
    )


def test_a_form_with_too_many_routes_to_tell_apart_stops_and_says_so() -> None:
    """Sixteen yes/no answers all read by one last condition: 65,536 routes."""
    raw = sample()
    flags = [f"flag-{n}" for n in range(16)]
    raw["pages"] = [
        page("first", *(yes_no(f) for f in flags[:8])),
        page("second", *(yes_no(f) for f in flags[8:])),
        page("last", yes_no("all-yes", {"all": [{"question": f, "equals": True} for f in flags]})),
    ]
    assert reasons(raw) == {
        "/pages/1/questions/6": "the answers up to this question make more than 20,000 "
        "different routes for the conditions after it to tell apart, too many to check; make "
        "later conditions look at fewer earlier answers"
    }
    raw["pages"][2]["questions"][0]["condition"]["all"] = [
        {"question": f, "equals": True} for f in flags[:12]
    ]
    assert reasons(raw) == {}


# -- 4. conditions read only answers already given --------------------------------


def test_conditions_that_read_answers_not_given_yet_are_named() -> None:
    raw = sample()
    raw["pages"][1]["questions"][1]["condition"] = {"question": "tenure", "equals": "rent"}
    raw["pages"][2]["questions"][0]["condition"] = {"question": "phone", "equals": "x"}
    raw["pages"][2]["questions"][1]["condition"] = {"question": "nhs", "equals": "x"}
    raw["pages"][2]["condition"] = {"question": "email", "equals": "x"}
    raw["pages"][3]["questions"][1]["condition"] = {"question": "no-such", "equals": True}
    raw["pages"][5]["questions"][0]["condition"] = {"question": "prescribed", "equals": True}
    raw["pages"][7]["questions"][0]["questions"][0]["condition"] = {
        "question": "has-income",
        "equals": True,
    }
    found = reasons(raw)
    assert found["/pages/1/questions/1/condition/question"] == (
        "the condition refers to 'tenure', which is asked on a later page, so it has no answer yet"
    )
    assert found["/pages/2/questions/0/condition/question"] == (
        "the condition refers to 'phone', which comes later on the same page, so it has no "
        "answer yet"
    )
    assert found["/pages/2/questions/1/condition/question"] == (
        "the condition refers to its own question, which has no answer yet"
    )
    assert found["/pages/2/condition/question"] == (
        "the page's condition refers to 'email', which is on the same page, so it has no answer "
        "when the page is chosen"
    )
    assert found["/pages/3/questions/1/condition/question"] == (
        "the condition refers to 'no-such', which is not a question of this form"
    )
    assert found["/pages/5/questions/0/condition/question"] == (
        "the condition refers to 'prescribed', a question inside the repeating group "
        "'medicines', whose answers a condition outside it cannot read"
    )
    assert found["/pages/7/questions/0/questions/0/condition/question"] == (
        "a question in a repeating group can only look at the questions before it in the same "
        "group, and 'has-income' is not one of them"
    )


def test_a_condition_that_holds_because_a_question_was_skipped_is_named() -> None:
    raw = sample()
    raw["pages"][6]["questions"].append(yes_no("letter", required=True))
    raw["pages"].append(
        page("why", yes_no("why-no-letter", {"not": {"question": "letter", "equals": True}}))
    )
    found = reasons(raw)
    assert found == {
        "/pages/8/questions/0/condition/not": "on a route where 'letter' is not asked, this "
        "condition still holds, reading the missing answer as an answer; add the condition "
        "that shows 'letter'"
    }
    # Said in full, it reads only answers that were given.
    raw["pages"][8]["questions"][0]["condition"] = {
        "all": [
            {"question": "tenure", "equals": "rent"},
            {"not": {"question": "letter", "equals": True}},
        ]
    }
    assert reasons(raw) == {}


def test_a_skipped_question_that_only_hides_a_follow_up_is_fine() -> None:
    """A follow-up of a follow-up: hidden when its parent was skipped, as meant."""
    raw = sample()
    raw["pages"][6]["questions"].append(yes_no("letter"))
    raw["pages"].append(
        page("letter", yes_no("letter-date", {"question": "letter", "equals": True}))
    )
    assert reasons(raw) == {}
