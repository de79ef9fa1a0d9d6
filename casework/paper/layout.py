"""The page furniture every Alongside PDF shares: sizes, styles, the boxes a
person writes in, and the document with its footer and (for a letter) the
address window GOV.UK Notify reads.

Every page carries "Page X of Y", the document's title and version, the
human-readable reference and a QR code of it. "Y" is known only at the end,
so the footer is drawn when the canvas is saved (reportlab's usual
two-step canvas), once per page, in one pass.

A Notify precompiled letter (``letter_address``) keeps to Notify's rules,
checked by ``casework.paper.letter.check_letter``: A4 portrait, nothing in
the 15 mm side or 5 mm top and bottom margins, the address inside the
window, and the first page's body starting 95 mm from the top.
"""

from __future__ import annotations

import io
import re
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText

from casework.paper.reference import InvalidReference, page_mark, parse_copy_reference
from casework.paper.text import _, clean, markup, paper_font

PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = 18 * mm
TOP_MARGIN = 15 * mm
FOOTER_TOP = 32 * mm  # the frame ends here; the footer lies below
FOOTER_BASE = 8 * mm  # the lowest ink on a page (Notify reserves 5 mm)
QR_SIZE = 20 * mm
QR_FORM = "AlongsideReferenceQR"

# GOV.UK Notify precompiled letters (see ../shared/contracts/README.md).
NOTIFY_SIDE_MARGIN = 15 * mm
NOTIFY_TOP_BOTTOM_MARGIN = 5 * mm
ADDRESS_LEFT, ADDRESS_RIGHT = 24.6 * mm, 120 * mm
ADDRESS_TOP, ADDRESS_BOTTOM = 39.5 * mm, 66.3 * mm  # from the top edge
BODY_TOP_FIRST_PAGE = 95 * mm  # from the top edge
MAX_LETTER_PAGES = 10
MAX_LETTER_BYTES = 2 * 1024 * 1024

INK = colors.black
QUIET = colors.Color(0.3, 0.3, 0.3)
RULE = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.93, 0.93, 0.93)

Rectangle = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class Sizes:
    """Type and box sizes: normal print, or large print (16 pt body and up)."""

    large: bool
    body: float
    small: float
    label: float
    h1: float
    h2: float
    footer: float
    leading: float  # as a multiple of the size
    box_height: float
    char_width: float
    char_height: float
    tick: float
    gap: float

    @classmethod
    def choose(cls, large_print: bool) -> Sizes:
        if large_print:
            return cls(
                True, 16, 16, 18, 26, 21, 12, 1.45, 13 * mm, 10 * mm, 11.5 * mm, 8 * mm, 6 * mm
            )
        return cls(False, 11, 9.5, 11.5, 19, 14, 8.5, 1.3, 9 * mm, 7 * mm, 8 * mm, 5 * mm, 3.5 * mm)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    hint: ParagraphStyle
    label: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    note: ParagraphStyle
    answer: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    callout: ParagraphStyle

    @classmethod
    def make(cls, sizes: Sizes) -> Styles:
        font = paper_font()

        def style(name: str, size: float, bold: bool = False, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=font.bold if bold else font.regular,
                fontSize=size,
                leading=size * sizes.leading,
                alignment=TA_LEFT,
                textColor=extra.pop("textColor", INK),
                splitLongWords=1,
                **extra,
            )

        gap = sizes.gap
        return cls(
            body=style("body", sizes.body, spaceAfter=gap / 2),
            hint=style("hint", sizes.small, textColor=QUIET, spaceAfter=gap / 3),
            label=style("label", sizes.label, bold=True, spaceBefore=gap, spaceAfter=gap / 3),
            h1=style("h1", sizes.h1, bold=True, spaceAfter=gap, keepWithNext=1),
            h2=style(
                "h2", sizes.h2, bold=True, spaceBefore=gap * 1.5, spaceAfter=gap / 2, keepWithNext=1
            ),
            note=style("note", sizes.small, bold=True, spaceBefore=gap / 2, spaceAfter=gap / 3),
            answer=style(
                "answer",
                sizes.body + (1 if not sizes.large else 0),
                borderWidth=0.8,
                borderColor=INK,
                borderPadding=(gap * 0.8, gap * 0.8, gap * 0.8, gap * 0.8),
                spaceBefore=gap * 1.3,
                spaceAfter=gap * 1.8,
                leftIndent=gap * 0.8,
                rightIndent=gap * 0.8,
            ),
            cell=style("cell", sizes.small),
            cell_head=style("cell_head", sizes.small, bold=True),
            caption=style("caption", sizes.small, textColor=QUIET),
            callout=style(
                "callout",
                sizes.body,
                bold=True,
                backColor=SHADE,
                borderPadding=gap,
                spaceBefore=gap,
                spaceAfter=gap * 1.5,
            ),
        )


class Para(Paragraph):  # type: ignore[misc]
    """A reportlab Paragraph that lays its lines out once per width.

    A form wraps most paragraphs twice or more at the same width (a question
    kept together with its answer space is measured, then placed; a table
    measures its cells, then draws them), and breaking lines is most of the
    cost of a page. The result of ``wrap`` depends only on the width, so the
    second call reuses the first's lines.
    """

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        memo = self.__dict__.get("_wrapped")
        if memo is not None and memo[0] == available_width:
            self.__dict__.update(memo[1])
            return self.width, self.height
        result: tuple[float, float] = super().wrap(available_width, available_height)
        if "blPara" in self.__dict__ and self.width == available_width:
            state = {key: self.__dict__[key] for key in _WRAP_STATE if key in self.__dict__}
            self._wrapped = (available_width, state)
        return result


_WRAP_STATE = (
    "width",
    "height",
    "blPara",
    "_wrapWidths",
    "_width_max",
    "_splitLongWordCount",
    "_hyphenations",
)

# The parsed form of one word in each style (a per-render style, so per render):
# plain text needs no markup parser, only a copy of it with the text changed.
_PLAIN_FRAGS: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()
_NOT_PLAIN = re.compile(r"[<>&]")


def _template(style: ParagraphStyle) -> Any:
    template = _PLAIN_FRAGS.get(style)
    if template is None:
        template = _PLAIN_FRAGS[style] = Paragraph("x", style).frags[0]
    return template


def plain_para(text: str, style: ParagraphStyle) -> Para:
    """A paragraph of text already cleaned (no markup, no entities): what
    reportlab's parser would make of it, without running the parser."""
    if not text.strip() or _NOT_PLAIN.search(text) or style.textTransform:
        return Para(escape(text) or "&nbsp;", style)
    words = collapse(text)
    template = _template(style)
    frag = object.__new__(type(template))  # template.clone(text=words), quicker
    frag.__dict__.update(template.__dict__)
    frag.text = words
    return Para(words, style, frags=[frag])


def collapse(text: str) -> str:
    """What reportlab's ``cleanBlockQuotedText`` makes of ``text`` (each run
    of white space one space, none at the ends), quicker. Its white space is
    Python's but for U+00A0 (not white space to it: a fixed space) and
    U+200B (white space to it), so text holding either goes its way."""
    if "\u00a0" in text or "\u200b" in text:
        return str(cleanBlockQuotedText(text))
    return " ".join(text.split())


def numbered_para(number: str, text: str, style: ParagraphStyle) -> Para:
    """A question's number, three fixed (non-breaking) spaces and its words
    (plain text), as one run of text.

    reportlab's parser makes five fragments of ``12&nbsp;&nbsp;&nbsp;Label``
    (the number, each space, the words), which sends the paragraph down its
    slower many-fragment paths to break and draw. Written with U+00A0 it is
    one fragment: the number still never parts from the first word, and the
    line reads and breaks the same."""
    return para(f"{number}\u00a0\u00a0\u00a0{text}", style)


def para(text: str, style: ParagraphStyle, line_breaks: bool = False) -> Para:
    """A paragraph of plain text (never markup): cleaned and escaped."""
    cleaned = clean(text)
    if line_breaks and len(cleaned.splitlines()) > 1:
        return Para(markup(cleaned, line_breaks), style)
    return plain_para(cleaned, style)


# -- the marks a person writes in -----------------------------------------------------------


class AnswerBox(Flowable):  # type: ignore[misc]
    """An empty box to write in, optionally with a prefix such as '£'."""

    def __init__(self, width: float, height: float, prefix: str = "", size: float = 11) -> None:
        super().__init__()
        self.box_width, self.box_height, self.prefix, self.size = width, height, prefix, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.box_width = min(self.box_width, available_width)
        return self.box_width, self.box_height + 2

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        offset = 0.0
        if self.prefix:
            canvas.setFont(paper_font().bold, self.size + 2)
            canvas.drawString(0, self.box_height / 2 - self.size / 3, clean(self.prefix))
            offset = stringWidth(clean(self.prefix), paper_font().bold, self.size + 2) + 3
        canvas.rect(offset, 1, self.box_width - offset, self.box_height)


class CharBoxes(Flowable):  # type: ignore[misc]
    """One box per character, in groups (a date is 2-2-4), captioned below."""

    def __init__(
        self,
        groups: Sequence[int],
        sizes: Sizes,
        text: str = "",
        captions: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.groups, self.sizes, self.text = tuple(groups), sizes, clean(text)
        self.captions = tuple(clean(c) for c in captions)
        self.group_gap = sizes.char_width * 0.6
        self.caption_height = sizes.small * 1.3 if self.captions else 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width = sum(self.groups) * self.sizes.char_width + (len(self.groups) - 1) * self.group_gap
        return width, self.sizes.char_height + self.caption_height + 2

    def draw(self) -> None:
        canvas, sizes = self.canv, self.sizes
        font = paper_font()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        x, index = 0.0, 0
        bottom = self.caption_height + 1
        char_size = min(sizes.char_height * 0.62 / 0.72, sizes.body + 3)
        starts = []
        for count in self.groups:
            starts.append(x)
            for _box in range(count):
                canvas.rect(x, bottom, sizes.char_width, sizes.char_height)
                if index < len(self.text) and self.text[index].strip():
                    canvas.setFont(font.bold, char_size)
                    canvas.drawCentredString(
                        x + sizes.char_width / 2,
                        bottom + (sizes.char_height - char_size * 0.72) / 2,
                        self.text[index],
                    )
                index += 1
                x += sizes.char_width
            x += self.group_gap
        # Captions after the characters, so text read back from the PDF keeps them together.
        canvas.setFont(font.regular, sizes.small)
        canvas.setFillColor(QUIET)
        for start, caption in zip(starts, self.captions, strict=False):
            canvas.drawString(start, 1, caption)
        canvas.setFillColor(INK)


class TickBox(Flowable):  # type: ignore[misc]
    """A square to tick; ``ticked`` draws the tick (lines, so any font will do)."""

    def __init__(self, size: float, ticked: bool = False) -> None:
        super().__init__()
        self.size, self.ticked = size, ticked

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.mark(self.canv, 0, 0)

    def mark(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw the box with its lower left corner at (``x``, ``y``): what
        ``drawOn`` does without saving, moving and restoring the canvas state."""
        s = self.size
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.9)
        canvas.rect(x, y, s, s)
        if self.ticked:
            canvas.setLineWidth(max(1.6, s / 8))
            path = canvas.beginPath()
            path.moveTo(x + s * 0.18, y + s * 0.52)
            path.lineTo(x + s * 0.42, y + s * 0.22)
            path.lineTo(x + s * 0.85, y + s * 0.86)
            canvas.drawPath(path, stroke=1, fill=0)


class TickList(Flowable):  # type: ignore[misc]
    """Tick boxes, each with its words (a list of paragraphs) to the right: a
    choice's options. It lays out as the two-column table it replaces did
    (the box column ``box_column`` wide, ``padding`` above and below each
    row, the words 6 pt short of the right edge), at a fraction of the cost
    of a general table; it splits between rows over pages. Its rows are laid
    out once per width, and its boxes drawn in place (no canvas state saved
    and restored for each)."""

    RIGHT_PADDING = 6.0  # reportlab's table cell padding, kept so the words wrap alike

    def __init__(
        self, rows: Sequence[tuple[TickBox, Sequence[Flowable]]], box_column: float, padding: float
    ) -> None:
        super().__init__()
        self.rows = [(box, list(words)) for box, words in rows]
        self.box_column, self.padding = box_column, padding
        self.heights: list[float] = []
        self.width: float = 0.0
        self.height: float = 0.0

    def _row_height(self, box: TickBox, words: list[Any], width: float) -> float:
        box_height = box.wrap(self.box_column, 72000)[1]
        text = 0.0
        for n, flowable in enumerate(words):
            text += flowable.wrap(width, 72000)[1]
            if n:
                text += flowable.getSpaceBefore()
            if n < len(words) - 1:
                text += flowable.getSpaceAfter()
        return max(box_height, text) + 2 * self.padding

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.heights or self.width != available_width:  # rows laid out once per width
            self.width = available_width
            words_width = available_width - self.box_column - self.RIGHT_PADDING
            self.heights = [self._row_height(box, words, words_width) for box, words in self.rows]
            self.height = sum(self.heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Any]:
        self.wrap(available_width, available_height)
        used, fit = 0.0, 0
        for height in self.heights:
            if used + height > available_height:
                break
            used, fit = used + height, fit + 1
        if fit == 0 or fit == len(self.rows):
            return []
        return [
            TickList(self.rows[:fit], self.box_column, self.padding),
            TickList(self.rows[fit:], self.box_column, self.padding),
        ]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        for (box, words), height in zip(self.rows, self.heights, strict=True):
            y = top - self.padding
            box.mark(canvas, 0, y - box.size)
            for n, flowable in enumerate(words):
                if n:
                    y -= flowable.getSpaceBefore()
                y -= flowable.height
                flowable.drawOn(canvas, self.box_column, y)
                y -= flowable.getSpaceAfter()
            top -= height


class RuledLines(Flowable):  # type: ignore[misc]
    """Lines to write a longer answer on."""

    def __init__(self, count: int, spacing: float) -> None:
        super().__init__()
        self.count, self.spacing = count, spacing

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.line_width = available_width
        return available_width, self.count * self.spacing + 2

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        for n in range(self.count):
            y = 1 + n * self.spacing
            canvas.line(0, y, self.line_width, y)


class _Continues:
    """A flowable that, split over a page, says where it carries on."""

    continued: str = ""
    continued_style: ParagraphStyle | None = None

    def split(self, available_width: float, available_height: float) -> list[Any]:
        parts: list[Any] = super().split(available_width, available_height)  # type: ignore[misc]
        if len(parts) < 2 or not self.continued or self.continued_style is None:
            return parts
        for part in parts:
            part.continued, part.continued_style = self.continued, self.continued_style
        return [parts[0], FrameBreak(), para(self.continued, self.continued_style), *parts[1:]]


class ContinuingTable(_Continues, Table):  # type: ignore[misc]
    """A table (its header repeated) that says "continued" on the next page."""


class ContinuingParagraph(_Continues, Para):
    """A long answer that says "continued" where it carries on."""


def continuing(flowable: Any, label: str, style: ParagraphStyle) -> Any:
    flowable.continued, flowable.continued_style = label, style
    return flowable


# -- the document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Footer:
    """What every page of one document says at its foot."""

    title: str
    version: str
    reference: str
    sizes: Sizes


@lru_cache(maxsize=256)
def _qr_marks(text: str) -> tuple[tuple[float, float], str]:
    """The QR code of ``text``: the scale that makes it ``QR_SIZE`` square
    (two modules of quiet zone inside it) and its dark modules as one PDF
    path, a rectangle per run of dark modules along each row, in module
    units. zxing-cpp encodes it in a fraction of a millisecond, and whole
    numbers need no float formatting, so each page can carry its own mark
    (``page_mark``) for about what drawing a shared one cost."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
    rows, columns = image.shape or (0, 0)
    quiet = 2
    runs: list[str] = []
    for row in range(rows):
        y = rows - 1 - row + quiet  # PDF counts up from the bottom
        column = 0
        while column < columns:
            if image[row, column] == 0:  # a dark module starts a run
                start = column
                while column < columns and image[row, column] == 0:
                    column += 1
                runs.append(f"{start + quiet} {y} {column - start} 1 re")
            else:
                column += 1
    runs.append("f")
    return (QR_SIZE / (columns + 2 * quiet), QR_SIZE / (rows + 2 * quiet)), "\n".join(runs)


def _draw_qr(canvas: Canvas, text: str) -> None:
    """The QR code of ``text``, ``QR_SIZE`` square, its corner at the origin."""
    (across, up), path = _qr_marks(text)
    canvas.saveState()
    canvas.transform(across, 0, 0, up, 0, 0)
    canvas.setFillColor(INK)
    canvas._code.append(path)  # the filled path, written as reportlab writes its own
    canvas.restoreState()


def _is_copy_reference(reference: str) -> bool:
    """Whether ``reference`` is one printed copy's (then each page gets its own mark)."""
    try:
        parse_copy_reference(reference)
    except InvalidReference:
        return False
    return True


@dataclass(frozen=True)
class _FooterWords:
    """What a footer says on every page of one document, worked out once."""

    title: str
    reference: str

    @classmethod
    def of(cls, footer: Footer) -> _FooterWords:
        font = paper_font()
        width = PAGE_WIDTH - SIDE_MARGIN - QR_SIZE - 4 * mm - SIDE_MARGIN
        title = clean(
            _("{title} (version {version})").format(title=footer.title, version=footer.version)
        )
        lines = simpleSplit(title, font.bold, footer.sizes.footer, width)
        if len(lines) > 1:
            lines = [lines[0].rstrip() + "…" if font.covers("…") else lines[0] + "..."]
        reference = clean(_("Reference: {reference}").format(reference=footer.reference))
        return cls(lines[0] if lines else "", reference)


def _draw_footer(
    canvas: Canvas,
    footer: Footer,
    words: _FooterWords,
    page: int,
    pages: int | None,
    mark: str | None = None,
) -> None:
    font = paper_font()
    size = footer.sizes.footer
    step = size * 1.45
    right = PAGE_WIDTH - SIDE_MARGIN
    canvas.saveState()
    canvas.translate(right - QR_SIZE, FOOTER_BASE)
    if mark is None:
        canvas.doForm(QR_FORM)  # drawn once per document (see FooterCanvas.save)
    else:
        _draw_qr(canvas, mark)  # this page's own mark: its copy, and page N of M
    canvas.restoreState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(SIDE_MARGIN, FOOTER_TOP - 6 * mm, right, FOOTER_TOP - 6 * mm)
    canvas.setFillColor(INK)
    y = FOOTER_BASE + 1 * mm + 2 * step
    canvas.setFont(font.bold, size)
    canvas.drawString(SIDE_MARGIN, y, words.title)
    canvas.setFont(font.regular, size)
    canvas.drawString(SIDE_MARGIN, y - step, words.reference)
    canvas.setFont(font.bold, size)
    if pages is None:  # a first page shown before the rest are laid out
        numbered = _("Page {page}").format(page=page)
    else:
        numbered = _("Page {page} of {pages}").format(page=page, pages=pages)
    canvas.drawString(SIDE_MARGIN, y - 2 * step, clean(numbered))


@dataclass(frozen=True)
class _Watch:
    page: Callable[[int], None] | None
    first_page: Callable[[bytes], None] | None


_watch: ContextVar[_Watch | None] = ContextVar("page_watch", default=None)


@contextmanager
def watching_pages(
    watcher: Callable[[int], None] | None = None,
    *,
    first_page: Callable[[bytes], None] | None = None,
) -> Iterator[None]:
    """Call ``watcher(n)`` as each page ``n`` of a PDF made inside the block is
    laid out (on the thread making it), for a progress bar. A watcher that
    raises stops the rendering there: the exception comes out of the call
    that was making the PDF, and no PDF is made.

    ``first_page(pdf)``, if given, is handed a form's first page alone (see
    ``render_form``) before the rest is laid out, for a preview to show at
    once. Its footer says "Page 1", not "Page 1 of N": the count is known
    only when the last page is laid out."""
    token = _watch.set(_Watch(watcher, first_page))
    try:
        yield
    finally:
        _watch.reset(token)


def first_page_wanted() -> Callable[[bytes], None] | None:
    """Who wants a form's first page early (inside ``watching_pages``), if anyone."""
    watch = _watch.get()
    return watch.first_page if watch is not None else None


class _FirstPageDone(Exception):
    """Raised when the first page is laid out, to stop a first-page-only build."""


def _canvas_class(footer: Footer, first_page_only: bool = False) -> type[Canvas]:
    watch = _watch.get()
    watcher = watch.page if watch is not None else None

    class FooterCanvas(Canvas):  # type: ignore[misc]
        """Holds each page until the end, then adds the footer with the total."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()
            if first_page_only:
                raise _FirstPageDone
            if watcher is not None:
                watcher(len(self._held))

        def save(self) -> None:
            pages = None if first_page_only else len(self._held)
            marked = pages is not None and _is_copy_reference(footer.reference)
            if not marked:
                self.beginForm(QR_FORM, lowerx=0, lowery=0, upperx=QR_SIZE, uppery=QR_SIZE)
                _draw_qr(self, footer.reference)
                self.endForm()
            words = _FooterWords.of(footer)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                mark = page_mark(footer.reference, number, pages) if marked and pages else None
                _draw_footer(self, footer, words, number, pages, mark)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


def _draw_address(canvas: Canvas, address: Sequence[str]) -> None:
    """The address block inside Notify's window, shrunk to fit if need be."""
    font = paper_font()
    lines = [clean(line).strip() for line in address]
    height = ADDRESS_BOTTOM - ADDRESS_TOP
    width = ADDRESS_RIGHT - ADDRESS_LEFT - 4 * mm
    size = min(11.0, height / (len(lines) * 1.2 + 0.3))
    widest = max(stringWidth(line, font.regular, size) for line in lines)
    if widest > width:
        size = max(6.0, size * width / widest)
    canvas.setFont(font.regular, size)
    canvas.setFillColor(INK)
    x = ADDRESS_LEFT + 2 * mm
    y = PAGE_HEIGHT - ADDRESS_TOP - size * 1.05
    for line in lines:
        while line and stringWidth(line, font.regular, size) > width:
            line = line[:-1]  # a line wider than the window even at 6 pt
        canvas.drawString(x, y, line)
        y -= size * 1.2


def build_pdf(
    story: list[Any],
    footer: Footer,
    *,
    title: str,
    language: str,
    letter_address: Sequence[str] | None = None,
    on_page: Callable[[Canvas, Any], None] | None = None,
    first_page_only: bool = False,
) -> bytes:
    """Lay ``story`` out on A4 pages with the shared footer; the PDF's bytes.

    ``first_page_only`` stops once the first page is laid out: a one-page PDF
    whose footer does not know the page count (a preview's first look)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=clean(title),
        author="Alongside",
        subject=footer.reference,
        lang=language,
        invariant=1,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=FOOTER_TOP,
    )
    body_width = PAGE_WIDTH - 2 * SIDE_MARGIN

    def frame(name: str, top_from_edge: float) -> Frame:
        return Frame(
            SIDE_MARGIN,
            FOOTER_TOP,
            body_width,
            PAGE_HEIGHT - top_from_edge - FOOTER_TOP,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

    later = PageTemplate("later", [frame("body", TOP_MARGIN)])
    if on_page is not None:
        later.onPage = on_page
    if letter_address is None:
        doc.addPageTemplates([later])
    else:
        address = list(letter_address)

        def first_page(canvas: Canvas, document: Any) -> None:
            _draw_address(canvas, address)
            if on_page is not None:
                on_page(canvas, document)

        first = PageTemplate(
            "first",
            [frame("first", BODY_TOP_FIRST_PAGE)],
            onPage=first_page,
            autoNextPageTemplate="later",
        )
        doc.addPageTemplates([first, later])
    if not first_page_only:
        doc.build(story, canvasmaker=_canvas_class(footer))
        return buffer.getvalue()
    try:
        doc.build(story, canvasmaker=_canvas_class(footer, first_page_only=True))
    except _FirstPageDone:
        doc.canv.save()  # the first page, with its footer
    return buffer.getvalue()


def body_width() -> float:
    return float(PAGE_WIDTH - 2 * SIDE_MARGIN)


def check_address(address: Sequence[str]) -> list[str]:
    """Notify's rules for a letter's address lines, as problems."""
    lines = [line for line in address if clean(line).strip()]
    problems = []
    if not 3 <= len(lines) <= 7:
        problems.append(_("A letter's address must have 3 to 7 lines."))
    if len(lines) != len(list(address)):
        problems.append(_("A letter's address must not have empty lines."))
    return problems
