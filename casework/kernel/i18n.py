"""Translation of user-visible text, shared by the core and the UI.

We use GNU gettext (as Frescobaldi does) rather than Qt's ``tr`` so the core,
the command line and the window speak with one catalogue. ``_`` translates at
call time, so switching language live only needs views to re-read their text;
``N_`` marks a string for extraction where it must be translated later.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

DOMAIN = "alongside"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
SUPPORTED_LANGUAGES = ("en", "cy")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_listeners: list[Callable[[str], None]] = []


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` ("en" or "cy")."""
    global _current, _language
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _current = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    _language = language
    for listener in list(_listeners):
        listener(language)


def language_or_english(language: str | None) -> str:
    """``language`` when Alongside speaks it, else English (a person's stated
    preference may be a language we have no catalogue for, or nothing)."""
    return language if language in SUPPORTED_LANGUAGES else "en"


def current_language() -> str:
    """The language ``_()`` translates into now."""
    return _language


def on_language_changed(listener: Callable[[str], None]) -> None:
    """Call ``listener(language)`` after every switch (the UI retranslates)."""
    _listeners.append(listener)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation without translating it yet."""
    return message
