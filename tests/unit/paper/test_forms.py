"""Every definition on paper: blank and pre-filled, English and Welsh,
normal and large print.

The sample definition runs all eight combinations. Each shipped definition
runs four that between them pair every value of each option with every
value of the others (blank/pre-filled x en/cy x normal/large), which keeps
the run short while still trying, say, Welsh large print pre-filled.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from casework import forms
from casework.paper import PaperOptions, parse_form_reference, render_form
from casework.paper_reference import form_reference
from casework.services import Service
from tests.unit.paper.helpers import (
    answers_for,
    pdf_text,
    png_pages,
    printed,
    service_named,
    service_params,
    squash,
    textual,
)

A4 = (595.27, 841.89)
PAIRWISE = [
    ("blank", "en", False),
    ("blank", "cy", True),
    ("filled", "en", True),
    ("filled", "cy", False),
]
ALL = [
    (m, lang, large)
    for m in ("blank", "filled")
    for lang in ("en", "cy")
    for large in (False, True)
]
CASES = [("sample", *combo) for combo in ALL] + [
    (name, *combo) for name in service_params() if name != "sample" for combo in PAIRWISE
]


def _id(case: tuple[str, str, str, bool]) -> str:
    name, mode, lang, large = case
    return f"{name}-{mode}-{lang}-{'large' if large else 'normal'}"


@cache
def rendered(name: str, mode: str, lang: str, large: bool) -> tuple[bytes, str]:
    service = service_named(name)
    reference = form_reference("AL-7K3M9QX", "draft", 42, service.version)
    answers = answers_for(service) if mode == "filled" else None
    pdf = render_form(
        service,
        PaperOptions(language=lang, large_print=large, answers=answers, reference=reference),
    )
    return pdf, pdf_text(pdf)


def _labels(service: Service, lang: str, answers: dict[str, Any] | None) -> list[str]:
    pages = forms.visible_pages(service, answers) if answers is not None else service.pages
    labels = []
    for page in pages:
        for q in page.questions:
            labels.append(q.text("label", lang))
            labels.extend(c.text("label", lang) for c in q.children)
    return labels


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_label_is_printed_on_a4(case: tuple[str, str, str, bool]) -> None:
    name, mode, lang, _large = case
    service = service_named(name)
    pdf, text = rendered(*case)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4, abs=0.5
        )
    answers = answers_for(service) if mode == "filled" else None
    missing = [label for label in _labels(service, lang, answers) if squash(label) not in text]
    assert not missing, f"labels not printed: {missing[:5]}"
    assert squash(service.text("title", lang)) in text
    first_page = (
        f"Tudalen 1 o {len(reader.pages)}" if lang == "cy" else f"Page 1 of {len(reader.pages)}"
    )
    assert squash(first_page) in text
    assert "AF-AL-7K3M9QX-D42-" in text


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "filled"], ids=_id)
def test_every_prefilled_answer_is_printed(case: tuple[str, str, str, bool]) -> None:
    service = service_named(case[0])
    _pdf, text = rendered(*case)
    answers = answers_for(service)
    missing = [
        (q.id, token)
        for q in service.questions()
        if q.id in answers
        for token in printed(q, answers[q.id])
        if token not in text
    ]
    assert not missing, f"answers not printed: {missing[:5]}"


@pytest.mark.parametrize("name", service_params())
def test_answers_out_of_scope_are_never_printed(name: str) -> None:
    service = service_named(name)
    answers = answers_for(service)
    categories = {q.category for q in service.questions() if textual(q) and q.id in answers}
    withheld = sorted(categories)[0]
    allowed = frozenset(
        {"identity", "contact", "address", "health", "financial", "household", "care", "other"}
        - {withheld}
    )
    text = pdf_text(render_form(service, PaperOptions(answers=answers, allowed_categories=allowed)))
    for q in service.questions():
        if q.id not in answers:
            continue
        if q.category == withheld and textual(q):
            for token in printed(q, answers[q.id]):
                assert token not in text, f"{q.id} ({withheld}) was printed"
        for child in q.children:
            if child.category == withheld and textual(child):
                for item in answers[q.id]:
                    assert str(item.get(child.id, "\0")) not in text
    unconditional = [
        q
        for page in service.pages
        if "condition" not in page.raw
        for q in page.questions
        if "condition" not in q.raw
        and q.category != withheld
        and q.id in answers
        and q.type != "group"
    ]
    for q in unconditional:
        for token in printed(q, answers[q.id]):
            assert token in text, f"{q.id} should still be printed ({token})"


def test_nothing_is_printed_when_no_category_is_allowed() -> None:
    service = service_named("sample")
    answers = answers_for(service)
    text = pdf_text(
        render_form(service, PaperOptions(answers=answers, allowed_categories=frozenset()))
    )
    for q in service.questions():
        if q.id in answers and textual(q):
            for token in printed(q, answers[q.id]):
                assert token not in text
    # Without the answers to rely on, the route is shown as on a blank form.
    assert squash("If you answered Yes to question 10, answer question 11.") in text


def test_blank_sample_says_what_a_person_needs() -> None:
    _pdf, text = rendered("sample", "blank", "en", False)
    for words in (
        "If you answered Yes to question 10, answer question 11.",
        "If you ticked ‘Universal Credit’ at question 13, answer question 14.",
        "If you answered ‘Rent’ to question 15, answer questions 16 to 17.",
        "If you answered Yes to question 18b, answer question 18c.",
        "18a",
        "Tick all that apply.",
        "If you need more space, use a separate sheet and write the question number on it.",
        "I declare the information is correct.",
        "What to do next",
        "We will write to you within 4 weeks.",
        "Riverside Council, PO Box 1",
    ):
        assert squash(words) in text, words


def test_prefilled_route_marks_what_is_not_needed() -> None:
    service = service_named("sample")
    answers = {**answers_for(service), "has-income": False, "tenure": "own"}
    answers.pop("income", None)
    text = pdf_text(render_form(service, PaperOptions(answers=answers)))
    assert squash("Check these answers.") in text
    assert squash("You do not need to answer this question.") in text
    assert squash("You do not need to answer questions 16 to 17.") in text


@pytest.mark.parametrize("name", service_params())
def test_the_qr_code_decodes_to_the_reference(name: str) -> None:
    service = service_named(name)
    large = name == "sample"
    pdf, _text = rendered(name, "blank", "cy" if large else "en", large)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    images = png_pages(pdf, f"{name}-qr", pages, pages)
    found = zxingcpp.read_barcodes(Image.open(images[-1]))
    assert [r.text for r in found] == [form_reference("AL-7K3M9QX", "draft", 42, service.version)]
    reference = parse_form_reference(found[0].text)
    assert (reference.case_reference, reference.kind, reference.record_id) == (
        "AL-7K3M9QX",
        "draft",
        42,
    )


def test_pages_for_a_person_to_look_at() -> None:
    """A sample of pages under tests/artifacts/paper: look at them."""
    for case in (("sample", "blank", "en", False), ("sample", "filled", "cy", True)):
        pdf, _text = rendered(*case)
        assert png_pages(pdf, _id(case), 1, 3, dpi=70)
