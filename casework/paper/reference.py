"""Form references: how a returned paper form finds its case again.

A reference reads ``AF-AL-7K3M9QX-S12-2026.1-47``: ``AF`` (Alongside form),
the case reference (``NONE`` on a blank form), the kind and record id (``B``
blank, ``D12`` draft 12, ``S12`` submission 12), the definition version and
two check digits. The check digits are MOD 97 (as in ISO 7064 and IBANs),
taken over the letters and digits before them read as one base-36 number,
so one mistyped or misread character, or two swapped neighbours, are always
caught (97 is prime and larger than 36). The same text is
printed under the QR code and encoded in it; ``parse_form_reference`` takes
either back, forgiving spaces, case and look-alike dashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["blank", "draft", "submission"]

PREFIX = "AF"
NO_CASE = "NONE"
_KIND_CODES: dict[str, str] = {"blank": "B", "draft": "D", "submission": "S"}
_KINDS: dict[str, Kind] = {"B": "blank", "D": "draft", "S": "submission"}
_CASE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_VERSION = re.compile(r"^[0-9]{4}\.[0-9]+$")
_TAIL = re.compile(
    r"^(?P<case>.+)-(?P<kind>[BDS])(?P<id>[0-9]*)-(?P<version>[0-9.]+)-(?P<check>[0-9]{2})$"
)


class InvalidReference(ValueError):
    """Text that is not a form reference, or whose check digits do not match."""


@dataclass(frozen=True)
class FormReference:
    """What a form reference says."""

    case_reference: str | None
    kind: Kind
    record_id: int | None
    version: str
    text: str


def _remainder(text: str) -> int:
    """The letters and digits of ``text`` read as one base-36 number, modulo 97."""
    value = 0
    for char in text.upper():
        if char.isascii() and char.isalnum():
            value = (value * 36 + int(char, 36)) % 97
    return value


def check_digits(body: str) -> str:
    """Two digits that make ``body`` followed by them leave 1 modulo 97."""
    return f"{98 - _remainder(body) * 100 % 97:02d}"


def form_reference(
    case_reference: str | None, kind: Kind, record_id: int | None, version: str
) -> str:
    """The printed reference of one form."""
    if kind not in _KIND_CODES:
        raise ValueError(f"unknown kind {kind!r}")
    if (kind == "blank") != (record_id is None):
        raise ValueError("a blank form has no record id; a draft or submission has one")
    if record_id is not None and record_id < 0:
        raise ValueError("a record id is 0 or more")
    case = (case_reference or NO_CASE).strip().upper()
    if not _CASE.match(case):
        raise ValueError(f"a case reference is letters and digits with dashes: {case!r}")
    if not _VERSION.match(version):
        raise ValueError(f"a definition version looks like 2026.1: {version!r}")
    body = f"{PREFIX}-{case}-{_KIND_CODES[kind]}{'' if record_id is None else record_id}-{version}"
    return f"{body}-{check_digits(body)}"


def parse_form_reference(text: str) -> FormReference:
    """Read a reference back, or raise ``InvalidReference`` saying why."""
    canonical = re.sub(r"\s+", "", str(text)).upper()
    canonical = re.sub(r"[\u2010-\u2015\u2212]", "-", canonical)
    if not canonical.startswith(PREFIX + "-"):
        raise InvalidReference(f"a form reference starts {PREFIX}-")
    match = _TAIL.match(canonical[len(PREFIX) + 1 :])
    if not match or not _VERSION.match(match["version"]) or not _CASE.match(match["case"]):
        raise InvalidReference("this is not the shape of a form reference")
    body = canonical[:-3]
    if (_remainder(body) * 100 + int(match["check"])) % 97 != 1:
        raise InvalidReference("the check digits do not match: a character is wrong")
    kind = _KINDS[match["kind"]]
    record = match["id"]
    if (kind == "blank") != (record == ""):
        raise InvalidReference("the record number does not fit the kind of form")
    case = match["case"]
    return FormReference(
        case_reference=None if case == NO_CASE else case,
        kind=kind,
        record_id=int(record) if record else None,
        version=match["version"],
        text=canonical,
    )
