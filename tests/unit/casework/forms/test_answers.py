"""The form engine over the sample definition: routes, reading answers,
the definition's own rules, and pruning hidden branches."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.forms import answers as forms
from casework.forms.answers import AnswerError
from casework.forms.definitions import Service, parse_definition
from casework.kernel.validators import nhs_check_digit
from tests.unit.casework.forms.sample_service import sample_bytes

SERVICE: Service = parse_definition(sample_bytes(), "sample.json")
TODAY = date(2026, 11, 22)


def q(question_id: str) -> Any:
    return SERVICE.question(question_id)


def route(answers: dict[str, Any]) -> list[str]:
    return [p.id for p in forms.visible_pages(SERVICE, answers)]


def test_the_route_follows_the_answers() -> None:
    assert "rent" not in route({})
    assert "rent" in route({"tenure": "rent"})
    assert "rent" not in route({"tenure": "own"})
    page = SERVICE.pages[3]
    assert [x.id for x in forms.visible_questions(page, {"has-income": False})] == [
        "has-income",
        "children",
    ]
    assert "income" in [x.id for x in forms.visible_questions(page, {"has-income": True})]
    benefits = SERVICE.pages[4]
    assert "uc-since" in [x.id for x in forms.visible_questions(benefits, {"benefits": ["uc"]})]
    assert "uc-since" not in [
        x.id for x in forms.visible_questions(benefits, {"benefits": ["pip"]})
    ]


def test_next_and_previous_walk_the_route() -> None:
    answers = {"tenure": "own"}
    assert forms.next_page(SERVICE, answers, None).id == "name"
    assert forms.next_page(SERVICE, answers, "housing").id == "medicines"
    assert forms.next_page(SERVICE, {"tenure": "rent"}, "housing").id == "rent"
    assert forms.previous_page(SERVICE, answers, "medicines").id == "housing"
    assert forms.previous_page(SERVICE, answers, "name") is None
    assert forms.next_page(SERVICE, answers, "medicines") is None
    # On a page a changed answer has hidden, carry on from where it was.
    assert forms.next_page(SERVICE, answers, "rent").id == "medicines"


def test_conditions_compare_types_exactly() -> None:
    cond = {"question": "has-income", "equals": True}
    assert forms.condition_holds(cond, {"has-income": True})
    assert not forms.condition_holds(cond, {"has-income": 1})
    assert not forms.condition_holds(cond, {})
    both = {"all": [cond, {"not": {"question": "tenure", "in": ["own"]}}]}
    assert forms.condition_holds(both, {"has-income": True, "tenure": "rent"})
    assert not forms.condition_holds(both, {"has-income": True, "tenure": "own"})
    assert forms.condition_holds(
        {"any": [cond, {"question": "tenure", "equals": "own"}]}, {"tenure": "own"}
    )


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        ("given-name", "  Olwen   Mair ", "Olwen Mair"),
        ("landlord", "  Line one\nLine two  ", "Line one\nLine two"),
        ("children", "3", 3),
        ("income", "£1,234.5", 123450),
        ("income", "12", 1200),
        ("income", "0.07", 7),
        ("date-of-birth", "7/3/1950", {"date": "1950-03-07", "approximate": False}),
        (
            "moved-in",
            {"date": "01/06/2019", "approximate": True},
            {"date": "2019-06-01", "approximate": True},
        ),
        (
            "date-of-birth",
            {"date": "01/06/2019", "approximate": True},
            {"date": "2019-06-01", "approximate": False},
        ),
        ("has-income", True, True),
        ("tenure", "rent", "rent"),
        ("benefits", ["uc", "pip"], ["pip", "uc"]),
        ("ni", "ab 12 34 56 c", "AB123456C"),
        ("nhs", "485 777 3457", "4857773457"),
        (
            "home",
            {"lines": ["1 High St", ""], "town": "Cardiff", "postcode": "cf10 1ep"},
            {"lines": ["1 High St"], "town": "Cardiff", "postcode": "CF10 1EP"},
        ),
        ("given-name", "   ", None),
        ("home", {"lines": [], "town": "", "postcode": ""}, None),
    ],
)
def test_reading_what_was_typed(question: str, typed: Any, stored: Any) -> None:
    assert forms.read_answer(q(question), typed) == stored


@pytest.mark.parametrize(
    ("question", "typed", "message"),
    [
        ("children", "three", "whole number"),
        ("income", "12.345", "pounds and pence"),
        ("income", "-5", "pounds and pence"),
        ("date-of-birth", "31/02/1950", "real date"),
        ("date-of-birth", "yesterday", "real date"),
        ("has-income", "maybe", "yes or no"),
        ("tenure", "lease", "one of the options"),
        ("benefits", ["pip", "carers"], "from the options"),
        ("ni", "QQ123456C", "National Insurance"),
        ("nhs", "485 777 3456", "not valid"),
        ("home", {"lines": ["1 High St"], "town": "", "postcode": "nowhere"}, "postcode"),
        ("home", {"lines": [], "town": "Cardiff", "postcode": "CF10 1EP"}, "first line"),
    ],
)
def test_what_cannot_be_read_is_explained(question: str, typed: Any, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        forms.read_answer(q(question), typed)


def test_the_definitions_own_words_are_used_for_errors() -> None:
    assert forms.check_answer(q("given-name"), None) == "Enter your given name"
    assert forms.check_answer(q("given-name"), None, "cy") == "Rhowch eich enw cyntaf"
    assert forms.check_answer(q("family-name"), None) == "Answer this question."
    assert forms.check_answer(q("landlord"), None) is None  # optional


def test_the_definitions_rules() -> None:
    assert "50 characters" in forms.check_answer(q("given-name"), "x" * 51)
    assert forms.check_answer(q("income"), 0) == "This must be £0.01 or more."
    assert forms.check_answer(q("children"), 21) == "This must be 20 or less."
    future = {"date": "2027-01-01", "approximate": False}
    assert "in the past" in forms.check_answer(q("date-of-birth"), future, today=TODAY)
    assert "None of these" in forms.check_answer(q("benefits"), ["none", "uc"])
    assert forms.check_answer(q("benefits"), ["none"]) is None


def test_a_page_reports_every_problem_including_inside_a_group() -> None:
    page = SERVICE.pages[7]
    answers = {"medicines": [{"medicine-name": "Aspirin", "prescribed": True}, {}]}
    errors = forms.check_page(page, answers)
    assert errors == {
        "medicines:0:prescriber": "Answer this question.",
        "medicines:1:medicine-name": "Answer this question.",
        "medicines:1:prescribed": "Answer this question.",
    }
    too_many = {"medicines": [{"medicine-name": "A", "prescribed": False}] * 4}
    assert forms.check_page(page, too_many) == {"medicines": "You can add up to 3."}


def test_check_all_and_prune_follow_the_route() -> None:
    answers: dict[str, Any] = {
        "given-name": "Olwen",
        "family-name": "Pryce",
        "date-of-birth": {"date": "1950-03-07", "approximate": False},
        "ni": "AB123456C",
        "home": {"lines": ["1 High St"], "town": "Cardiff", "postcode": "CF10 1EP"},
        "has-income": False,
        "income": 5000,  # given before the answer changed to No
        "children": 0,
        "benefits": ["none"],
        "tenure": "own",
        "rent-amount": 40000,  # from a route no longer taken
        "medicines": [{"medicine-name": "Aspirin", "prescribed": False, "prescriber": "Dr X"}],
    }
    assert forms.check_all(SERVICE, answers, today=TODAY) == []
    kept = forms.prune(SERVICE, answers)
    assert "income" not in kept and "rent-amount" not in kept
    assert kept["medicines"] == [{"medicine-name": "Aspirin", "prescribed": False}]
    assert forms.check_all(SERVICE, {**answers, "tenure": "rent"}, today=TODAY) == []
    renting = {k: v for k, v in answers.items() if k != "rent-amount"} | {"tenure": "rent"}
    assert [p.page_id for p in forms.check_all(SERVICE, renting, today=TODAY)] == ["rent"]
    broken = forms.check_all(SERVICE, {k: v for k, v in answers.items() if k != "ni"}, today=TODAY)
    assert [(p.page_id, list(p.errors)) for p in broken] == [("ids", ["ni"])]


def test_answers_print_as_people_write_them() -> None:
    assert forms.display_value(q("income"), 123450) == "£1,234.50"
    assert forms.display_value(q("has-income"), False) == "No"
    assert forms.display_value(q("moved-in"), {"date": "2019-06-01", "approximate": True}) == (
        "about 01/06/2019"
    )
    assert forms.display_value(q("benefits"), ["pip", "uc"]) == "PIP, Universal Credit"
    assert forms.display_value(q("tenure"), "rent", "cy") == "Rent (cy)"


# -- properties: whatever the engine accepts passes the definition's own rules ----------


@settings(max_examples=200, deadline=None)
@given(pounds=st.integers(0, 10**7), pence=st.integers(0, 99), commas=st.booleans())
def test_money_reads_back_exactly(pounds: int, pence: int, commas: bool) -> None:
    text = f"£{pounds:,}.{pence:02d}" if commas else f"{pounds}.{pence:02d}"
    assert forms.read_answer(q("income"), text) == pounds * 100 + pence
    assert forms.display_value(q("income"), pounds * 100 + pence) == f"£{pounds:,}.{pence:02d}"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_accepted_money_always_passes_or_is_explained(text: str) -> None:
    try:
        value = forms.read_answer(q("income"), text)
    except AnswerError as error:
        assert str(error)
        return
    if value is not None:
        assert isinstance(value, int) and value >= 0
        problem = forms.check_answer(q("income"), value)
        assert problem is None or "must be" in problem


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 22)))
def test_any_real_past_date_is_accepted_for_date_of_birth(day: date) -> None:
    value = forms.read_answer(q("date-of-birth"), day.strftime("%d/%m/%Y"))
    assert value == {"date": day.isoformat(), "approximate": False}
    assert forms.check_answer(q("date-of-birth"), value, today=TODAY) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9 - 1))
def test_every_valid_nhs_number_is_accepted(base: int) -> None:
    first = f"{base:09d}"
    check = nhs_check_digit(first)
    if check is None:
        with pytest.raises(AnswerError):
            forms.read_answer(q("nhs"), first + "0")
        return
    number = f"{first}{check}"
    assert forms.read_answer(q("nhs"), f"{number[:3]} {number[3:6]} {number[6:]}") == number


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["pip", "uc", "none"]), max_size=3))
def test_accepted_choices_are_always_options(chosen: list[str]) -> None:
    value = forms.read_answer(q("benefits"), chosen)
    assert value is None or set(value) <= {"pip", "uc", "none"}
    if value:
        problem = forms.check_answer(q("benefits"), value)
        assert problem is None or ("none" in value and len(value) > 1)


def test_a_leftover_answer_cannot_keep_its_follow_ups_on_the_route() -> None:
    from tests.unit.casework.forms.sample_service import sample

    data = sample()
    # The medicines page now follows from the rent amount (on the rent page).
    data["pages"][7]["condition"] = {"question": "rent-amount", "equals": 50000}
    chained = parse_definition(sample_bytes(data), "chained.json")
    renting = {"tenure": "rent", "rent-amount": 50000, "medicines": []}
    assert "medicines" in [p.id for p in forms.visible_pages(chained, renting)]
    owning = {**renting, "tenure": "own"}  # the rent answer is now a leftover
    pages = [p.id for p in forms.visible_pages(chained, owning)]
    assert "rent" not in pages and "medicines" not in pages
    kept = forms.prune(chained, owning)
    assert "rent-amount" not in kept and "medicines" not in kept
    assert all(p.page_id != "medicines" for p in forms.check_all(chained, owning, today=TODAY))
