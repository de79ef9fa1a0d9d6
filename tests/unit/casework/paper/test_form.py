"""Every definition on paper: blank and pre-filled, English and Welsh,
normal and large print, all eight combinations of each.

Each combination is rendered once (cached) and one test checks everything on
it, reading the text back with poppler (a quarter of pypdf's time). The
pre-filled large-print forms withhold one category, so scope is checked on
the same renders; the pre-filled Welsh normal-print forms are laid out as
Notify letters and checked with ``check_letter``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import zxingcpp
from pypdf import PdfReader

from casework.forms import answers as forms
from casework.forms.definitions import Service
from casework.paper.form import PaperOptions, parse_form_reference, render_form
from casework.paper.letter import check_letter
from casework.paper.reference import form_reference
from tests.unit.casework.paper.helpers import (
    answers_for,
    last_page_image,
    pdf_text,
    png_pages,
    poppler_text,
    printed,
    service_named,
    service_params,
    squash,
    textual,
)

A4 = (595.27, 841.89)
ALL = [
    (m, lang, large)
    for m in ("blank", "filled")
    for lang in ("en", "cy")
    for large in (False, True)
]
# Every definition in every combination, each rendered once and checked for
# everything in one test.
CASES = [(name, *combo) for name in service_params() for combo in ALL]
CATEGORIES = frozenset(
    {"identity", "contact", "address", "health", "financial", "household", "care", "other"}
)
ADDRESS = ["Amira Jones", "Flat 2", "1 High Street", "Cardiff", "CF10 1AA"]
REFERENCE_CASE = "AL-7K3M9QX"


def _id(case: tuple[str, str, str, bool]) -> str:
    name, mode, lang, large = case
    return f"{name}-{mode}-{lang}-{'large' if large else 'normal'}"


def withheld(service: Service) -> str | None:
    """The category a large-print pre-filled form is printed without: the first
    one that has a textual answer on the route (so its absence can be seen)."""
    answers = answers_for(service)
    found = {q.category for q in service.questions() if textual(q) and q.id in answers}
    return sorted(found)[0] if found else None


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    text: str  # all the text, whitespace removed
    answers: dict[str, Any] | None
    withheld: str | None
    letter: bool


@cache
def rendered(name: str, mode: str, lang: str, large: bool) -> Rendered:
    """Pre-filled normal print: every category allowed, and the Welsh one laid out
    as a Notify letter. Pre-filled large print: one category withheld."""
    service = service_named(name)
    reference = form_reference(REFERENCE_CASE, "draft", 42, service.version)
    answers = answers_for(service) if mode == "filled" else None
    held = withheld(service) if answers is not None and large else None
    letter = answers is not None and not large and lang == "cy"
    pdf = render_form(
        service,
        PaperOptions(
            language=lang,
            large_print=large,
            answers=answers,
            reference=reference,
            allowed_categories=CATEGORIES - {held} if held else None,
            letter_address=ADDRESS if letter else None,
        ),
    )
    return Rendered(pdf, poppler_text(pdf), answers, held, letter)


def _labels(service: Service, lang: str, answers: dict[str, Any] | None) -> list[str]:
    pages = forms.visible_pages(service, answers) if answers is not None else service.pages
    labels = []
    for page in pages:
        for q in page.questions:
            labels.append(q.text("label", lang))
            labels.extend(c.text("label", lang) for c in q.children)
    return labels


def _tokens(service: Service, answers: dict[str, Any], keep: Any) -> list[tuple[str, str]]:
    """(question id, printed text) of the answers whose question ``keep`` accepts."""
    out = []
    for q in service.questions():
        if q.id not in answers:
            continue
        if keep(q):
            out.extend((q.id, token) for token in printed(q, answers[q.id]))
    return out


def _scope_checks(service: Service, form: Rendered) -> None:
    assert form.answers is not None
    text, held = form.text, form.withheld
    missing = [
        (qid, token)
        for qid, token in _tokens(service, form.answers, lambda q: q.category != held)
        if token not in text
        and not (held and _conditional(service, qid))  # its route may rest on what is held
    ]
    assert not missing, f"answers not printed: {missing[:5]}"
    if held is None:
        return
    for qid, token in _tokens(service, form.answers, lambda q: q.category == held and textual(q)):
        assert token not in text, f"{qid} ({held}) was printed"
    for q in service.questions():
        for child in q.children:
            if q.id in form.answers and child.category == held and textual(child):
                for item in form.answers[q.id]:
                    assert str(item.get(child.id, "\0")) not in text, f"{q.id}/{child.id}"


def _conditional(service: Service, question_id: str) -> bool:
    """On a conditional page or question, or a group: printed only when the route
    is proved from what may be shown."""
    return any(
        q.id == question_id
        and ("condition" in page.raw or "condition" in q.raw or q.type == "group")
        for page in service.pages
        for q in page.questions
    )


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_paper_form(case: tuple[str, str, str, bool]) -> None:
    """One combination: A4, every label in its language, title, page X of Y, the
    reference printed and in a QR code that decodes, every pre-filled answer
    printed and none out of scope, and a letter that passes the checker."""
    name, _mode, lang, _large = case
    service = service_named(name)
    form = rendered(*case)
    reader = PdfReader(io.BytesIO(form.pdf))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4, abs=0.5
        )
    labels = _labels(service, lang, form.answers)
    missing = [label for label in labels if squash(label) not in form.text]
    assert not missing, f"labels not printed: {missing[:5]}"
    assert squash(service.text("title", lang)) in form.text
    pages = len(reader.pages)
    assert squash(f"Tudalen 1 o {pages}" if lang == "cy" else f"Page 1 of {pages}") in form.text
    reference = form_reference(REFERENCE_CASE, "draft", 42, service.version)
    assert reference in form.text
    found = zxingcpp.read_barcodes(last_page_image(form.pdf, pages))
    assert [r.text for r in found] == [reference]
    parsed = parse_form_reference(found[0].text)
    assert (parsed.case_reference, parsed.kind, parsed.record_id) == (REFERENCE_CASE, "draft", 42)
    if form.answers is not None:
        _scope_checks(service, form)
    if form.letter:
        problems = check_letter(form.pdf)
        assert problems in ([], [f"The letter has {pages} pages; Notify takes at most 10."])
        assert squash(ADDRESS[0]) in form.text


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
    text = rendered("sample", "blank", "en", False).text
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


def test_pages_for_a_person_to_look_at() -> None:
    """A sample of pages under tests/artifacts/paper: look at them."""
    for case in (
        ("sample", "blank", "en", False),
        ("sample", "filled", "cy", True),
        ("blue-badge", "filled", "en", False),
        ("pension-credit", "filled", "cy", True),
    ):
        assert png_pages(rendered(*case).pdf, _id(case), 1, 3, dpi=70)
