"""The renderer's fast paragraphs: plain text skips reportlab's markup
parser and a paragraph lays its lines out once per width, yet each makes
exactly what reportlab's own Paragraph makes of the same text."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.platypus import Paragraph

from casework.paper.layout import Para, Sizes, Styles, numbered_para, para
from casework.paper.text import clean, markup

TEXTS = [
    "Tick one.",
    "  lead  and   trail \t tab ",
    "a line\nand another",
    "Ŵyr ŷd caffi café",
    "e\u0301 a\u0308",
    "a\u00a0b",
    "a & b",
    "x < y > z",
    "&amp; <b>bold</b>",
    "£5 & 6%",
    "",
    "   ",
    "Dyma ateb hir iawn ŵ ŷ â ê. " * 40,
    "x" * 300,
]


def _frags(paragraph: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in vars(f).items() if k != "_fkind"} for f in paragraph.frags]


def _lines(paragraph: Any, width: float) -> tuple[tuple[float, float], str]:
    size = paragraph.wrap(width, 10_000)
    return size, repr(paragraph.blPara.lines)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_para_makes_what_reportlab_makes(text: str, large: bool) -> None:
    styles = Styles.make(Sizes.choose(large))
    for style in (styles.body, styles.answer, styles.cell, styles.callout):
        ours = para(text, style)
        theirs = Paragraph(markup(text) or "&nbsp;", style)
        assert ours.text == theirs.text
        assert _frags(ours) == _frags(theirs)
        assert _lines(ours, 200) == _lines(theirs, 200)


def test_para_keeps_line_breaks_when_asked() -> None:
    style = Styles.make(Sizes.choose(False)).body
    ours = para("first\nsecond", style, line_breaks=True)
    theirs = Paragraph(markup("first\nsecond", line_breaks=True), style)
    assert _lines(ours, 400) == _lines(theirs, 400)
    assert len(ours.blPara.lines) == 2


def test_a_paragraph_laid_out_again_at_another_width_is_laid_out_anew() -> None:
    style = Styles.make(Sizes.choose(False)).body
    text = clean("Dyma ateb hir iawn ŵ ŷ â ê. " * 20)
    reused = Para(text, style)
    wide = _lines(reused, 400)
    narrow = _lines(reused, 150)
    assert narrow == _lines(Para(text, style), 150)
    assert narrow != wide
    assert _lines(reused, 400) == wide


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("12", "Do you have a partner?"),
        ("7b", "  Name  of\tthe  child "),
        ("3", "Rent & service charges"),
        ("4", "<b>not bold</b>"),
        ("5", ""),
        ("1 a", "A number with a space"),
    ],
)
def test_numbered_para_makes_what_reportlab_makes(number: str, text: str) -> None:
    style = Styles.make(Sizes.choose(False)).label
    ours = numbered_para(number, text, style)
    theirs = Paragraph(f"{markup(number)}&nbsp;&nbsp;&nbsp;{markup(text)}", style)
    assert ours.text == theirs.text
    assert _frags(ours) == _frags(theirs)
    assert _lines(ours, 120) == _lines(theirs, 120)
