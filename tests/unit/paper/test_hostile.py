"""Answers that try to break the renderer: it never crashes, and nothing
overflows silently (long text wraps and is marked "continued")."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from casework.paper import PaperOptions, render_form
from casework.paper_text import clean, markup
from tests.unit.paper.helpers import answers_for, pdf_text, png_pages, service_named, squash

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
