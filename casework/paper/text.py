"""Words on paper: the font, making any text safe to draw, and translation.

reportlab's built-in Helvetica draws only the Windows-1252 characters, which
lacks Welsh ŵ and ŷ. So we register a TrueType sans-serif font found on the
machine (DejaVu Sans first: Debian's ``fonts-dejavu-core``; then Liberation,
Noto, Arial on Windows and macOS; ``ALONGSIDE_PAPER_FONT`` names another).
When none is found we fall back to Helvetica and write '?' for what it cannot
draw. Whatever the font, ``clean`` replaces a character the font has no
glyph for (an emoji, say) rather than letting reportlab fail or print a
blank, drops control characters, and composes combining accents (NFC) so
"e" + U+0301 prints as "é". ``markup`` also escapes ``<``, ``>`` and ``&``
for reportlab's Paragraph mini-language: an answer is never markup.

Right-to-left text (Arabic, Hebrew) is drawn in its stored (logical) order
without shaping: readable as characters, not typeset as those languages are.

The paper renderer translates into the language of the form, not the app's
current one: ``_`` here reads the language from ``form_language``, set by
``speaking`` for one rendering (a context variable, so two threads can
render in two languages at once).
"""

from __future__ import annotations

import gettext
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from casework.kernel import i18n

FONT_ENV = "ALONGSIDE_PAPER_FONT"
REGULAR = "AlongsideSans"
BOLD = "AlongsideSans-Bold"

# (regular, bold) candidates, best first. A missing bold uses the regular.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
)

_KEEP = {"\n", "\t"}


@dataclass(frozen=True)
class PaperFont:
    """The fonts the paper uses and the characters they can draw."""

    regular: str
    bold: str
    path: str | None  # None: reportlab's Helvetica
    charset: frozenset[int]
    replacement: str

    def covers(self, char: str) -> bool:
        return ord(char) in self.charset


def _candidates() -> Iterator[tuple[str, str]]:
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        yield chosen, chosen
    yield from FONT_CANDIDATES


@cache
def paper_font() -> PaperFont:
    """Register (once) and describe the best font on this machine."""
    for regular_path, bold_path in _candidates():
        if not Path(regular_path).is_file():
            continue
        try:
            regular = TTFont(REGULAR, regular_path)
            bold = TTFont(BOLD, bold_path if Path(bold_path).is_file() else regular_path)
        except Exception:  # noqa: S112 - a damaged font file: try the next one
            continue
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        charset = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
        replacement = "\ufffd" if 0xFFFD in charset else "?"
        return PaperFont(REGULAR, BOLD, regular_path, charset, replacement)
    charset = frozenset(ord(c) for c in bytes(range(32, 256)).decode("cp1252", errors="ignore"))
    return PaperFont("Helvetica", "Helvetica-Bold", None, charset, "?")


@cache
def _drawable(font: PaperFont) -> frozenset[int]:
    """The characters ``clean`` keeps as they are."""
    return font.charset | {ord(c) for c in _KEEP}


def clean(text: str) -> str:
    """``text`` with only characters the paper font can draw."""
    font = paper_font()
    text = unicodedata.normalize("NFC", str(text))
    if _drawable(font).issuperset(map(ord, text)):
        return text  # the usual case: nothing to replace
    out = []
    for char in text:
        if char in _KEEP or font.covers(char):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            # Controls, zero-width formatting, lone surrogates: nothing to draw.
            if category in ("Zl", "Zp"):
                out.append("\n")
            continue
        if category.startswith("Z"):
            out.append(" ")
        elif category == "Mn":
            continue  # a combining mark the font lacks: the base letter stands
        else:
            out.append(font.replacement)
    return "".join(out)


def markup(text: str, line_breaks: bool = False) -> str:
    """``text`` ready for a reportlab Paragraph: cleaned and escaped."""
    safe = escape(clean(text))
    if line_breaks:
        safe = "<br/>".join(safe.splitlines())
    return safe


# -- translation -----------------------------------------------------------------------

form_language: ContextVar[str] = ContextVar("form_language", default="en")


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        i18n.DOMAIN, localedir=i18n.LOCALE_DIR, languages=[language], fallback=True
    )


def _(message: str) -> str:
    """Translate ``message`` into the language of the form being drawn."""
    return _catalogue(form_language.get()).gettext(message)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate the paper's own words into ``language`` inside the block."""
    if language not in i18n.SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    token = form_language.set(language)
    try:
        yield
    finally:
        form_language.reset(token)
