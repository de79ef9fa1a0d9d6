"""Validators and normalisers for UK identifiers and contact details.

Each ``normalise_*`` returns the canonical form or raises ``ValueError`` with
a plain-English message saying how to put it right. The rules follow the
published formats: HMRC's National Insurance number allocation rules, the NHS
number modulus 11 check digit, and the Royal Mail postcode format.

``text_problems`` and ``require_text`` guard every core action that takes
text a person typed: the text must be valid Unicode (no lone surrogates) with
no control characters other than newline (``\\n``, or ``\\r\\n``) and tab,
so nothing that cannot be stored, printed or sent gets past the boundary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date

from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _

# HMRC: the first letter is never D, F, I, Q, U or V; the second never D, F,
# I, O, Q, U or V; these prefixes are not allocated; the suffix is A to D.
_NI_FIRST = set("ABCEGHJKLMNOPRSTWXYZ")
_NI_SECOND = set("ABCEGHJKLMNPRSTWXYZ")
_NI_UNUSED_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_NI_SHAPE = re.compile(r"^([A-Z]{2})([0-9]{6})([A-D])$")

_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"(?:[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))"
    r"([0-9][ABD-HJLNP-UW-Z]{2}))$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SEPARATORS = re.compile(r"[\s\-()./]")


def _fold(text: str) -> str:
    """Fold compatibility forms (full-width digits and letters) to plain ones.

    The patterns below accept ASCII digits only, so a digit from another
    script is refused rather than stored in a column read as ``0-9``.
    """
    return unicodedata.normalize("NFKC", text)


def normalise_ni_number(text: str) -> str:
    """Return an NI number as nine characters, e.g. ``QQ123456C``."""
    value = _SEPARATORS.sub("", _fold(text)).upper()
    match = _NI_SHAPE.match(value)
    if not match:
        raise ValueError(
            _("Enter a National Insurance number in the right format, like QQ 12 34 56 C.")
        )
    prefix = match.group(1)
    if prefix[0] not in _NI_FIRST or prefix[1] not in _NI_SECOND or prefix in _NI_UNUSED_PREFIXES:
        raise ValueError(
            _("This is not a National Insurance number: check the two letters at the start.")
        )
    return value


def format_ni_number(value: str) -> str:
    """Show a normalised NI number in the spaced form people read aloud."""
    return f"{value[0:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8:]}"


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of nine digits, or None if none can exist."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(text: str) -> str:
    """Return an NHS number as ten digits after checking its check digit."""
    value = _SEPARATORS.sub("", _fold(text))
    if not re.fullmatch(r"[0-9]{10}", value):
        raise ValueError(_("Enter an NHS number with 10 digits, like 943 476 5919."))
    if nhs_check_digit(value[:9]) != int(value[9]):
        raise ValueError(
            _("This NHS number is not valid: check each digit against the card or letter.")
        )
    return value


def format_nhs_number(value: str) -> str:
    """Show an NHS number in its 3-3-4 form."""
    return f"{value[0:3]} {value[3:6]} {value[6:]}"


def normalise_postcode(text: str) -> str:
    """Return a UK postcode in upper case with one space, e.g. ``SW1A 1AA``."""
    value = re.sub(r"\s", "", _fold(text)).upper()
    match = _POSTCODE.match(value)
    if not match:
        raise ValueError(_("Enter a real UK postcode, like SW1A 1AA."))
    return f"{value[:-3]} {value[-3:]}"


def normalise_phone(text: str) -> str:
    """Return a UK phone number as digits starting with 0 (``+44`` folded in)."""
    value = _SEPARATORS.sub("", _fold(text))
    if value.startswith("+44"):
        value = "0" + value[3:].lstrip("0")
    elif value.startswith("0044"):
        value = "0" + value[4:].lstrip("0")
    if not re.fullmatch(r"0[0-9]{9,10}", value):
        raise ValueError(_("Enter a UK phone number, like 01632 960 001 or 07700 900 982."))
    return value


def normalise_mobile(text: str) -> str:
    """A UK mobile number as 11 digits starting 07 (texts go only to mobiles)."""
    message = _("Enter a UK mobile number, like 07700 900 982. Text messages go only to mobiles.")
    try:
        value = normalise_phone(text)
    except ValueError:
        raise ValueError(message) from None
    # 071-075 and 077-079 are mobiles, and 07624 (Isle of Man); 070 and 076 are not.
    if not re.fullmatch(r"07([1-57-9][0-9]{8}|624[0-9]{6})", value):
        raise ValueError(message)
    return value


def show_mobile(value: str) -> str:
    """A mobile number in its usual 5-3-3 form (``07700 900 982``)."""
    return f"{value[0:5]} {value[5:8]} {value[8:]}"


def normalise_email(text: str) -> str:
    """Return an email address trimmed, with its domain in lower case."""
    value = text.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError(_("Enter an email address in the right format, like name@example.com."))
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def check_date_of_birth(value: date, today: date) -> date:
    """A date of birth must be in the past and no more than 130 years ago."""
    if value > today:
        raise ValueError(_("Date of birth must be in the past."))
    if value < _years_before(today, 130):
        raise ValueError(_("Check the year of birth: it is more than 130 years ago."))
    return value


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a leap day)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def check_name(text: str, *, required: bool = True) -> str:
    """A name: trimmed, inner spaces folded, at most 100 characters."""
    value = " ".join(text.split())
    if required and not value:
        raise ValueError(_("Enter a name."))
    if len(value) > 100:
        raise ValueError(_("Names must be 100 characters or fewer."))
    return value


# C0 controls but tab and newline, a carriage return not starting a newline,
# DEL and the C1 controls, and lone surrogates (which no encoding can store).
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def _unusable(value: object) -> bool:
    """Whether ``value`` (text, or text inside mappings and sequences) has a
    character that is not valid Unicode or is a control character."""
    if isinstance(value, str):
        return _UNUSABLE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_unusable(k) or _unusable(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_unusable(item) for item in value)
    return False


def text_problems(fields: Mapping[str, object]) -> dict[str, str]:
    """For each field whose text cannot be used, the field and what to do.

    A value may be text, None, or mappings and sequences holding text (a
    form's answers); anything else is not text and is left to its own check.
    """
    message = _(
        "This has a character that cannot be used here: an invisible control "
        "character or a broken symbol, often from copying and pasting. "
        "Delete it or type the text again."
    )
    return {name: message for name, value in fields.items() if _unusable(value)}


def require_text(fields: Mapping[str, object]) -> None:
    """Raise ``InvalidInput`` naming each field of ``fields`` that
    ``text_problems`` refuses; call it before the action reads or writes."""
    problems = text_problems(fields)
    if problems:
        raise InvalidInput(problems)
