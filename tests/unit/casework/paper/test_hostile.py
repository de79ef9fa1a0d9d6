"""Answers that try to break the renderer: it never crashes, and nothing
overflows silently (long text wraps and is marked "continued")."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from casework.forms import answers as forms
from casework.forms.definitions import Service
from casework.paper.form import PaperOptions, render_form
from casework.paper.text import clean, markup
from tests.unit.casework.paper.helpers import (
    answers_for,
    page_words,
    pdf_text,
    png_pages,
    service_named,
    squash,
    words_off_the_page,
)

LONG = ("Dyma ateb hir iawn ŵ ŷ â ê. " * 800)[:20000]
NO_SPACES = "x" * 20000
ARABIC = "مرحبا بالعالم"
HEBREW = "שלום עולם"
COMBINING = "e\u0301 a\u0308 Z\u0335\u0336\u0337"
EMOJI = "👩‍👩‍👧 🎉 \U0001f600 漢字"
HTML = "<b>bold</b> &amp; <script>alert(1)</script> <para> & < >"


def _hostile(service_answers: dict[str, Any]) -> dict[str, Any]:
    answers = dict(service_answers)
    answers.update(
        {
            "given-name": HTML,
            "family-name": f"{ARABIC} {HEBREW} {COMBINING} {EMOJI}",
            "landlord": LONG,
            "email": NO_SPACES,
            "tenure": "rent",
            "medicines": [
                {
                    "medicine-name": f"Medicine {n} <i>",
                    "prescribed": n % 2 == 0,
                    "prescriber": "Dr &",
                }
                for n in range(500)
            ],
        }
    )
    return answers


def test_hostile_answers_render_and_continue_on_later_pages() -> None:
    service = service_named("sample")
    answers = _hostile(answers_for(service))
    pdf = render_form(service, PaperOptions(answers=answers))
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    assert len(reader.pages) > 10
    assert squash("<b>bold</b> &amp; <script>") in text  # printed as typed, not as markup
    assert squash("Medicine 0 <i>") in text and squash("Medicine 499 <i>") in text
    assert squash("Question 18 continued") in text
    assert squash("Question 17 continued") in text  # the 20,000-character answer
    assert text.count("Dyma") == LONG.count("Dyma")  # every word of it, wrapped
    assert text.count("x") >= 20000
    # Drawn in stored (logical) order; pypdf reads right-to-left runs back reversed.
    assert squash(HEBREW)[::-1] in text or squash(HEBREW) in text
    assert words_off_the_page(pdf) == []  # wrapped or continued, never off the edge
    png_pages(pdf, "hostile", 1, 2, dpi=60)


def test_hostile_answers_in_large_print_welsh_as_a_letter() -> None:
    service = service_named("sample")
    answers = _hostile(answers_for(service))
    answers["medicines"] = answers["medicines"][:40]
    pdf = render_form(
        service,
        PaperOptions(
            language="cy",
            large_print=True,
            answers=answers,
            letter_address=["A", "B <b>", "CF10 1AA"],
        ),
    )
    assert PdfReader(io.BytesIO(pdf)).pages


def test_answers_of_the_wrong_shape_do_not_crash() -> None:
    service = service_named("sample")
    nonsense: dict[str, Any] = {
        q.id: value
        for q, value in zip(
            service.questions(),
            [
                1,
                {"x": 1},
                "not a date",
                ["list"],
                None,
                3.5,
                True,
                "pip",
                {"lines": 5},
                "??",
                [1, 2],
                [{"medicine-name": {"deep": 1}}, "oops"],
            ]
            * 3,
            strict=False,
        )
    }
    assert render_form(service, PaperOptions(answers=nonsense))


def test_text_is_made_safe_for_the_font_and_for_markup() -> None:
    assert clean("e\u0301") == "é"  # composed, so it prints as one letter
    assert clean("a\x00b\x07c") == "abc"
    assert clean("漢字 \ue000") == "\ufffd\ufffd "  # no glyph: a visible stand-in, never a crash
    assert clean("ŵ ŷ â ê") == "ŵ ŷ â ê"
    assert markup("<b>&amp;") == "&lt;b&gt;&amp;amp;"
    assert markup("one\ntwo", line_breaks=True) == "one<br/>two"


def test_the_overflow_check_sees_text_off_the_page() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(40, 400, "inside")
    page.drawString(500, 300, "overflowing " + "x" * 80)
    page.save()
    off = words_off_the_page(out.getvalue())
    assert len(off) == 1 and off[0].startswith("xxx")  # poppler clips it at the edge


def _every_text_answer(service: Service, text: str) -> dict[str, Any]:
    answers = answers_for(service)
    for q in service.questions():
        if q.id in answers and q.type in ("text", "long_text"):
            answers[q.id] = text
    return answers


def test_a_shipped_form_with_a_big_household_and_hostile_text() -> None:
    """Pension Credit, Welsh, pre-filled: every text answer hostile, and 80
    household members (the definition allows 12; an import might not). Its
    group has too many columns for a table, so each member is laid out in
    turn (about 1.3 pages each: 500 would be 650 pages, 15 s of test)."""
    service = service_named("pension-credit")
    answers = _every_text_answer(service, f"{HTML} {ARABIC} {HEBREW} {COMBINING} {EMOJI}")
    answers.update({"in-care-home": False, "others-live-with-you": True})
    members = 80
    answers["household-members"] = [
        {"member-name": f"Aelod{n}Q {HEBREW} <b>", "member-relationship": "partner"}
        for n in range(members)
    ]
    assert forms.prune(service, answers).keys() >= {"household-members", "others-live-with-you"}
    pdf = render_form(service, PaperOptions(language="cy", answers=answers))
    words = page_words(pdf)
    assert [w for w, inside in words if not inside] == []
    text = " ".join(w for w, _inside in words)
    assert all(f"Aelod{n}Q" in text for n in range(members))  # none dropped
    assert "<script>alert(1)</script>" in text  # printed as typed, never as markup
    png_pages(pdf, "hostile-pension-credit", 1, 2, dpi=60)


def test_an_unbroken_word_wraps_inside_the_page() -> None:
    service = service_named("sample")
    answers = answers_for(service)
    answers["given-name"] = "W" * 3000  # the widest letter, no spaces
    pdf = render_form(service, PaperOptions(large_print=True, answers=answers))
    words = page_words(pdf)
    assert [w for w, inside in words if not inside] == []
    assert sum(w.count("W") for w, _inside in words) >= 3000
