"""The evidence pack laid out as a PDF on the paper's shared pages: the
covering letter first, then each section as a table with its heading row
repeated on every page. English or Welsh, normal or large print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casework.complaints.pack import EvidencePack, Section

PADDING = 12.0  # a cell's left and right padding together (reportlab's default 6 + 6)


def _fitted(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    st: Any,
    width: float,
) -> list[float]:
    """Column widths from ``shares``, each widened to hold its longest word
    (large print's narrow columns would break "Ymateb" into "Ymat-eb"), the
    room taken from the columns that have some to spare."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [width * share for share in shares]
    need = [0.0] * len(widths)
    for n, heading in enumerate(headings[: len(widths)]):
        for word in heading.split():
            size = stringWidth(word, st.cell_head.fontName, st.cell_head.fontSize)
            need[n] = max(need[n], size + PADDING)
    for row in rows:
        for n, text in enumerate(row[: len(widths)]):
            for word in text.split():
                size = stringWidth(word, st.cell.fontName, st.cell.fontSize)
                need[n] = max(need[n], min(size + PADDING, width * 0.5))  # a URL still wraps
    short = sum(max(0.0, want - have) for want, have in zip(need, widths, strict=True))
    spare = sum(max(0.0, have - want) for want, have in zip(need, widths, strict=True))
    if short == 0 or spare < short:
        return widths
    return [
        max(want, have - (have - want) * short / spare)
        for want, have in zip(need, widths, strict=True)
    ]


def _table(
    headings: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float], st: Any
) -> Any:
    from reportlab.platypus import Table, TableStyle

    from casework.paper.layout import INK, SHADE, body_width, para

    width = body_width()
    cells: list[list[Any]] = [[para(h, st.cell_head) for h in headings]]
    cells += [[para(text, st.cell, line_breaks=True) for text in row] for row in rows]
    widths = _fitted(headings, rows, shares, st, width)
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, INK),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section(section: Section, st: Any) -> list[Any]:
    from casework.paper.layout import para

    story: list[Any] = [para(section.title, st.h2)]
    if section.note:
        story.append(para(section.note, st.hint))
    if section.rows:
        story.append(_table(section.headings, section.rows, section.shares, st))
    else:
        story.append(para(section.empty, st.body))
    return story


def render(pack: EvidencePack) -> bytes:
    """The pack as PDF bytes (seconds for a long case: outside any transaction)."""
    from reportlab.platypus import PageBreak

    from casework.paper.layout import Footer, Sizes, Styles, build_pdf, para
    from casework.paper.text import _, speaking

    with speaking(pack.language):
        sizes = Sizes.choose(pack.large_print)
        st = Styles.make(sizes)
        title = _("Evidence pack for a complaint")
        story: list[Any] = [
            para(title, st.h1),
            para(_("To: {body}").format(body=pack.addressee), st.label),
            para(pack.addressee_contact, st.hint, line_breaks=True),
            para(
                _(
                    "We are writing about a complaint on behalf of the person named below. "
                    "Here is what you ask for, and the evidence that follows."
                ),
                st.body,
            ),
            _table([_("What you ask for"), _("Answer")], pack.letter, (0.3, 0.7), st),
            para(pack.consent, st.callout),
            PageBreak(),
        ]
        for section in pack.sections:
            story += _section(section, st)
        return build_pdf(
            story, Footer(title, "1", pack.reference, sizes), title=title, language=pack.language
        )
