"""The renderer's fast parts: plain text skips reportlab's markup parser, a
paragraph lays its lines out once per width, and a choice's tick boxes are
a light flowable rather than a table; yet each lays out exactly as what it
stands for in reportlab (its own Paragraph, a two-column Table)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText

from casework.paper.layout import (
    Para,
    Sizes,
    Styles,
    TickBox,
    TickList,
    body_width,
    collapse,
    numbered_para,
    para,
)
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


@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\u00a0\u200b\u2003\u3000ab·ŵ", max_size=30))
def test_collapse_is_what_reportlab_makes_of_white_space(text: str) -> None:
    assert collapse(text) == cleanBlockQuotedText(text)


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


def _line_words(paragraph: Any) -> list[str]:
    """Each laid-out line's words, whether reportlab kept one fragment or many."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [" ".join(words) for _extra, words in lines]
    return ["".join(f.text for f in line.words).strip(" ") for line in lines]


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
def test_numbered_para_lays_out_as_reportlab_parses_it(number: str, text: str) -> None:
    style = Styles.make(Sizes.choose(False)).label
    theirs = Paragraph(f"{markup(number)}&nbsp;&nbsp;&nbsp;{markup(text)}", style)
    for width in (60, 120, 400):
        ours = numbered_para(number, text, style)
        assert ours.wrap(width, 10_000) == theirs.wrap(width, 10_000)
        assert _line_words(ours) == _line_words(theirs)
    # Plain words are one run of text (the fast path to break and draw), not
    # the parser's five fragments.
    if not set("<>&") & set(number + text):
        assert len(numbered_para(number, text, style).frags) == 1


# -- tick lists: laid out as the table they replace --------------------------------------


def _options(large: bool, count: int) -> tuple[Sizes, list[tuple[Any, list[Any]]]]:
    sizes = Sizes.choose(large)
    styles = Styles.make(sizes)
    rows: list[tuple[Any, list[Any]]] = []
    for n in range(count):
        words = [para(f"Option {n} " + "with words " * (n % 4), styles.body)]
        if n % 3 == 0:
            words.append(para("A hint under the option, long enough to wrap " * 2, styles.hint))
        rows.append((TickBox(sizes.tick, ticked=n == 1), words))
    return sizes, rows


@pytest.mark.parametrize("large", [False, True])
def test_a_tick_list_lays_out_as_the_table_it_replaces(large: bool) -> None:
    sizes, rows = _options(large, 7)
    box_column, padding = sizes.tick + sizes.gap * 1.5, sizes.gap / 3
    table = Table([list(row) for row in rows], colWidths=[box_column, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    _, rows_again = _options(large, 7)
    ticks = TickList(rows_again, box_column, padding)
    width = body_width()
    assert ticks.wrap(width, 10_000) == pytest.approx(table.wrap(width, 10_000))
    assert ticks.heights == pytest.approx(table._rowHeights)
    # The words wrap at the same width as in the table's cells.
    assert [w.width for _, words in rows_again for w in words] == pytest.approx(
        [w.width for _, words in rows for w in words]
    )


def test_a_tick_list_splits_between_rows() -> None:
    sizes, rows = _options(True, 9)
    ticks = TickList(rows, sizes.tick + sizes.gap * 1.5, sizes.gap / 3)
    width = body_width()
    ticks.wrap(width, 10_000)
    room = sum(ticks.heights[:4]) + 1
    first, rest = ticks.split(width, room)
    assert len(first.rows) == 4 and len(rest.rows) == 5
    assert first.wrap(width, room)[1] <= room
    assert ticks.split(width, ticks.heights[0] - 1) == []  # not even one row fits
    assert ticks.split(width, 10_000) == []  # it all fits: nothing to split


def test_a_tick_list_laid_out_again_at_another_width_is_laid_out_anew() -> None:
    sizes, rows = _options(False, 6)
    box_column, padding = sizes.tick + sizes.gap * 1.5, sizes.gap / 3
    ticks = TickList(rows, box_column, padding)
    wide = ticks.wrap(body_width(), 10_000)
    narrow = ticks.wrap(150, 10_000)
    _, fresh_rows = _options(False, 6)
    assert narrow == TickList(fresh_rows, box_column, padding).wrap(150, 10_000)
    assert narrow[1] > wide[1]
    assert ticks.wrap(body_width(), 10_000) == wide
