"""What a date question says, and a repeating group's "Add" button, in every
service of the catalogue, in English and Welsh: hints give the example in the
box's own format (DD/MM/YYYY); a date that is not real is called that, with
an example that is a real date in that format; a real date at the wrong time
("in the future" for a birth) is told so, never "not a real date"; and "a"
or "an" fits the thing added (Welsh has no article)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from casework.forms import answers as forms
from casework.forms.answers import AnswerError, read_date
from casework.forms.articles import article, with_article
from casework.forms.definitions import Question, load_catalogue
from casework.kernel.i18n import set_language

CATALOGUE = load_catalogue()
TODAY = date(2026, 12, 5)
SPACED = re.compile(r"\b\d{1,2} \d{1,2} \d{4}\b")  # "27 3 1950": not how the box is written
EXAMPLE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def all_questions(questions: tuple[Question, ...] | list[Question]) -> Iterator[Question]:
    for question in questions:
        yield question
        yield from all_questions(question.children)


def date_questions() -> list[tuple[str, Question]]:
    return [
        (service.id, q)
        for service in CATALOGUE.services
        for q in all_questions(list(service.questions()))
        if q.type == "date"
    ]


DATES = date_questions()


def test_every_date_question_is_checked() -> None:
    assert len(DATES) > 40


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("service_id", "question"), DATES, ids=[f"{s}:{q.id}" for s, q in DATES])
def test_a_date_question_speaks_of_dates_as_the_box_takes_them(
    service_id: str, question: Question, language: str
) -> None:
    set_language(language)  # a question without its own words uses the app's
    hint = question.text("hint", language)
    assert not SPACED.search(hint), hint
    for example in EXAMPLE.findall(hint):
        read_date(example)  # a real date, in the box's format
    with pytest.raises(AnswerError) as raised:
        forms.read_answer(question, "31/02/2027", language)
    not_real = str(raised.value)
    assert ("real" if language == "en" else "go iawn") in not_real, not_real
    assert not SPACED.search(not_real), not_real
    assert "past" not in not_real and "gorffennol" not in not_real, not_real
    for example in EXAMPLE.findall(not_real):
        read_date(example)
    rules = question.raw.get("validation") or {}
    if rules.get("not_in_future"):
        future = forms.check_answer(
            question, {"date": "2027-01-01", "approximate": False}, language, TODAY
        )
        assert future and future != not_real
        assert "real" not in future and "go iawn" not in future, future


def test_a_birth_date_in_the_future_and_an_impossible_day_are_told_apart() -> None:
    service = CATALOGUE.service_of("attendance-allowance")
    question = service.question("date-of-birth")
    assert question.text("hint", "en") == "For example, 27/03/1950"
    future = forms.check_answer(question, {"date": "2027-01-01", "approximate": False}, "en", TODAY)
    assert future == "Date of birth must be in the past"
    with pytest.raises(AnswerError, match="must be a real date, for example 27/03/1950"):
        forms.read_answer(question, "31/02/2027", "en")
    welsh = forms.check_answer(question, {"date": "2027-01-01", "approximate": False}, "cy", TODAY)
    assert welsh == "Rhaid i’r dyddiad geni fod yn y gorffennol"


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("illness or disability", "an illness or disability"),
        ("aid or adaptation", "an aid or adaptation"),
        ("account", "an account"),
        ("adult", "an adult"),
        ("walking aid", "a walking aid"),
        ("health professional", "a health professional"),
        ("union representative", "a union representative"),
        ("hour of care", "an hour of care"),
        ("European passport", "a European passport"),
    ],
)
def test_a_or_an_by_the_sound_it_starts_with(noun: str, expected: str) -> None:
    assert with_article(noun, "en") == expected


def test_welsh_has_no_indefinite_article() -> None:
    assert article("salwch neu anabledd", "cy") == ""
    assert with_article("salwch neu anabledd", "cy") == "salwch neu anabledd"


def test_every_group_in_the_catalogue_is_added_with_the_right_article() -> None:
    groups = [
        q
        for service in CATALOGUE.services
        for q in all_questions(list(service.questions()))
        if q.type == "group"
    ]
    assert groups
    for group in groups:
        noun = group.text("item_label", "en")
        expected = "an" if noun[0] in "aeiou" else "a"
        assert article(noun, "en") == expected, noun
