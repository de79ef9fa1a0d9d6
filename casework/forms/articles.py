"""A thing's name with its article, as a repeating group's buttons say it:
"Add an illness or disability", "Add a walking aid".

English picks "a" or "an" by the sound the name starts with (a vowel
letter, except the few that start with a "you" or "w" sound; a silent
"h"). Welsh has no indefinite article: "Ychwanegu salwch neu anabledd".
"""

from __future__ import annotations

import re

# Vowel letters that sound like a consonant ("a union", "a one-off"), and
# an "h" that is silent ("an hour"): the start of the word decides.
_SOUNDS_LIKE_CONSONANT = re.compile(r"^(uni|use|usu|ura|uro|eu|ewe|one\b|once\b)", re.IGNORECASE)
_SILENT_H = re.compile(r"^(hour|honest|honou?r|heir)", re.IGNORECASE)


def article(noun: str, language: str) -> str:
    """The indefinite article for ``noun`` in ``language``: "a", "an" or ""."""
    if language != "en" or not noun.strip():
        return ""
    word = noun.strip()
    if _SILENT_H.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _SOUNDS_LIKE_CONSONANT.match(word):
        return "an"
    return "a"


def with_article(noun: str, language: str) -> str:
    """``noun`` with its article in ``language`` ("an illness", "a child"; Welsh: as it is)."""
    found = article(noun, language)
    return f"{found} {noun}" if found else noun
