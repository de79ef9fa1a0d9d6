"""Check a PDF against GOV.UK Notify's rules for precompiled letters, before
sending it (Notify checks only after accepting it, then fails the letter).

The rules (see ../shared/contracts/README.md): A4 portrait, at most 10
pages and 2 MB; nothing in the 15 mm side margins or the 5 mm top and
bottom margins; the address block between 24.6 and 120 mm from the left
edge and 39.5 and 66.3 mm from the top; on the first page nothing else
above 95 mm from the top, where the body starts.

The checker reads the PDF back with pypdf and looks at where each piece of
text is drawn (its baseline origin, and its right end estimated from the
font's widths where the font is ours, else at 0.6 em a character). It
checks text, not pictures: our own QR codes and boxes are placed by the
same layout constants, so they cannot stray.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.pdfbase.pdfmetrics import getFont, getRegisteredFontNames, stringWidth

from casework.paper.layout import (
    ADDRESS_BOTTOM,
    ADDRESS_LEFT,
    ADDRESS_RIGHT,
    ADDRESS_TOP,
    BODY_TOP_FIRST_PAGE,
    MAX_LETTER_BYTES,
    MAX_LETTER_PAGES,
    NOTIFY_SIDE_MARGIN,
    NOTIFY_TOP_BOTTOM_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from casework.paper.text import _, paper_font

MM = 72 / 25.4
TOLERANCE = 0.5 * MM


@dataclass(frozen=True)
class DrawnText:
    """One piece of text as drawn: page (1-based), box in points from bottom-left."""

    page: int
    text: str
    left: float
    right: float
    bottom: float
    top: float


def _font_names() -> dict[str, str]:
    """Registered reportlab fonts by the name a PDF gives them (the TTF's own)."""
    paper_font()  # registered, so the widths of our own text are known exactly
    names: dict[str, str] = {}
    for registered in getRegisteredFontNames():
        face = getattr(getFont(registered), "face", None)
        own = getattr(face, "name", registered)
        names[own.decode("latin-1") if isinstance(own, bytes) else str(own)] = registered
    return names


def _font_name(font_dict: Any, known: dict[str, str]) -> str | None:
    try:
        base = str(font_dict["/BaseFont"]).lstrip("/")
    except (KeyError, TypeError):
        return None
    return known.get(base.split("+", 1)[-1])  # after a subset's tag, e.g. AAAAAA+DejaVuSans


def drawn_text(reader: PdfReader) -> list[DrawnText]:
    """Every visible piece of text in the PDF and where it lies."""
    found: list[DrawnText] = []
    known = _font_names()
    for number, page in enumerate(reader.pages, start=1):

        def visit(
            text: str, cm: Any, tm: Any, font_dict: Any, font_size: float, page_no: int = number
        ) -> None:
            if not text.strip():
                return
            # The text matrix within the current transformation: where the run starts.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            size = float(font_size) * (scale or 1.0)
            name = _font_name(font_dict, known)
            stripped = text.rstrip("\n")
            width = stringWidth(stripped, name, size) if name else 0.6 * size * len(stripped)
            found.append(
                DrawnText(page_no, stripped, x, x + width, y - 0.25 * size, y + 0.8 * size)
            )

        page.extract_text(visitor_text=visit)
    return found


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def check_letter(pdf: bytes) -> list[str]:
    """Why Notify would refuse this letter; an empty list when it would not."""
    problems: list[str] = []
    if len(pdf) > MAX_LETTER_BYTES:
        problems.append(
            _("The file is {size:,} bytes; a letter may be at most {limit:,}.").format(
                size=len(pdf), limit=MAX_LETTER_BYTES
            )
        )
    try:
        reader = PdfReader(io.BytesIO(pdf))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        return [
            *problems,
            _("The file is not a PDF that can be read ({reason}).").format(reason=exc),
        ]
    if not pages:
        return [*problems, _("The PDF has no pages.")]
    if len(pages) > MAX_LETTER_PAGES:
        problems.append(
            _("The letter has {n} pages; Notify takes at most {limit}.").format(
                n=len(pages), limit=MAX_LETTER_PAGES
            )
        )
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        rotation = int(page.get("/Rotate", 0) or 0) % 360
        if rotation in (90, 270):
            width, height = height, width
        if abs(width - PAGE_WIDTH) > 1 or abs(height - PAGE_HEIGHT) > 1:
            problems.append(
                _(
                    "Page {page} is {w} by {h}; a letter must be A4 portrait (210 by 297 mm)."
                ).format(page=number, w=_mm(width), h=_mm(height))
            )
    left, right = NOTIFY_SIDE_MARGIN, PAGE_WIDTH - NOTIFY_SIDE_MARGIN
    bottom, top = NOTIFY_TOP_BOTTOM_MARGIN, PAGE_HEIGHT - NOTIFY_TOP_BOTTOM_MARGIN
    window = (
        ADDRESS_LEFT - TOLERANCE,
        ADDRESS_RIGHT + TOLERANCE,
        PAGE_HEIGHT - ADDRESS_BOTTOM - TOLERANCE,
        PAGE_HEIGHT - ADDRESS_TOP + TOLERANCE,
    )
    body_top = PAGE_HEIGHT - BODY_TOP_FIRST_PAGE + TOLERANCE
    address: list[DrawnText] = []
    for item in drawn_text(reader):
        where = _("page {page}, {text!r}").format(page=item.page, text=item.text[:40])
        if (
            item.left < left - TOLERANCE
            or item.right > right + TOLERANCE
            or item.bottom < bottom - TOLERANCE
            or item.top > top + TOLERANCE
        ):
            problems.append(
                _("Text lies in the margins Notify keeps clear: {where}.").format(where=where)
            )
            continue
        if item.page != 1:
            continue
        in_window = (
            item.left >= window[0]
            and item.right <= window[1]
            and item.bottom >= window[2]
            and item.top <= window[3]
        )
        if in_window:
            address.append(item)
        elif item.top > body_top:
            problems.append(
                _(
                    "On the first page, text above 95 mm from the top must be the address, "
                    "inside the address window: {where}."
                ).format(where=where)
            )
    if not address:
        problems.append(_("There is no address inside the address window on the first page."))
    return problems
