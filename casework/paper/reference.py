"""Form references: how a returned paper form finds its copy, and its case, again.

Every printed copy has its own reference (issue 18), reading
``AF-AA-2026.1-EN-7K3M-9QX4TZ-47``: ``AF``, the service's short code
(``service_code``: the initials of its id, or a one-word id whole), the
definition version, the language (``EN`` or ``CY``), the office that printed
it (four letters and digits, ``0000`` when no profile recorded it) and the
copy's serial (six, random), then two MOD 97 check digits as below. The copy
itself (who printed it, for whom, which case) is a row in ``paper_copies``;
the reference only finds it. Each page's QR code holds the reference and
which page it is, ``AF-…-47 2/9`` (``page_mark``), so a scan in any order says
which pages came back; the printed line under it is the reference alone.

The older reference, still read back, reads ``AF-AL-7K3M9QX-S12-2026.1-47``:
``AF`` (Alongside form),
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


# Copy references (issue 18). Crockford's base 32: no I, L, O or U to misread.
COPY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NO_OFFICE = "0000"
OFFICE_LENGTH = 4
SERIAL_LENGTH = 6
LANGUAGES = {"en": "EN", "cy": "CY"}
_CODE = re.compile(r"^[A-Z0-9]{1,6}$")
_COPY = re.compile(
    r"^AF-(?P<code>[A-Z0-9]{1,6})-(?P<version>[0-9]{4}\.[0-9]+)-(?P<lang>EN|CY)"
    r"-(?P<office>[0-9A-Z]{4})-(?P<serial>[0-9A-Z]{6})-(?P<check>[0-9]{2})$"
)
_MARK = re.compile(r"^(?P<reference>\S+)\s+(?P<page>[0-9]{1,3})/(?P<pages>[0-9]{1,3})$")


@dataclass(frozen=True)
class CopyReference:
    """What one printed copy's reference says."""

    service_code: str
    version: str
    language: str  # "en" or "cy"
    office: str
    serial: str
    text: str


@dataclass(frozen=True)
class PageMark:
    """One page's QR code: its copy, and which page of how many it is."""

    reference: CopyReference
    page: int
    pages: int


def service_code(service_id: str) -> str:
    """A service's short code: the initials of its id (``council-tax-reduction``
    is ``CTR``), a one-word id whole (``pip`` is ``PIP``), at most six."""
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", service_id) if part]
    if not parts:
        raise ValueError(f"a service id has letters: {service_id!r}")
    code = parts[0] if len(parts) == 1 else "".join(part[0] for part in parts)
    return code.upper()[:6]


def random_code(length: int) -> str:
    """``length`` random characters of ``COPY_ALPHABET`` (an office code, a serial)."""
    import secrets

    return "".join(secrets.choice(COPY_ALPHABET) for _ in range(length))


def _canonical(text: str) -> str:
    canonical = re.sub(r"\s+", "", str(text)).upper()
    return re.sub(r"[\u2010-\u2015\u2212]", "-", canonical)


def _crockford(text: str) -> str:
    """Look-alikes read as the characters Crockford's alphabet keeps."""
    return text.translate(str.maketrans("ILO", "110"))


def copy_reference(service_id: str, version: str, language: str, office: str, serial: str) -> str:
    """The printed reference of one copy of a service's form."""
    code = service_code(service_id)
    if language not in LANGUAGES:
        raise ValueError(f"a copy's language is en or cy: {language!r}")
    if not _VERSION.match(version):
        raise ValueError(f"a definition version looks like 2026.1: {version!r}")
    for value, length in ((office, OFFICE_LENGTH), (serial, SERIAL_LENGTH)):
        if len(value) != length or any(char not in COPY_ALPHABET for char in value):
            raise ValueError(f"{value!r} is not {length} characters of {COPY_ALPHABET}")
    body = f"{PREFIX}-{code}-{version}-{LANGUAGES[language]}-{office}-{serial}"
    return f"{body}-{check_digits(body)}"


def parse_copy_reference(text: str) -> CopyReference:
    """Read a copy's reference back, or raise ``InvalidReference`` saying why."""
    canonical = _canonical(text)
    if not canonical.startswith(PREFIX + "-"):
        raise InvalidReference(f"a form reference starts {PREFIX}-")
    parts = canonical.split("-")
    if len(parts) == 7:  # the office and serial forgive O for 0 and I or L for 1
        parts[4], parts[5] = _crockford(parts[4]), _crockford(parts[5])
        canonical = "-".join(parts)
    match = _COPY.match(canonical)
    if match is None:
        raise InvalidReference("this is not the shape of a form copy's reference")
    if (_remainder(canonical[:-3]) * 100 + int(match["check"])) % 97 != 1:
        raise InvalidReference("the check digits do not match: a character is wrong")
    return CopyReference(
        service_code=match["code"],
        version=match["version"],
        language=match["lang"].lower(),
        office=match["office"],
        serial=match["serial"],
        text=canonical,
    )


def page_mark(reference: str, page: int, pages: int) -> str:
    """What one page's QR code holds: the copy's reference and ``page/pages``."""
    if not 1 <= page <= pages <= 999:
        raise ValueError(f"page {page} of {pages} is not a page")
    return f"{reference} {page}/{pages}"


def parse_page_mark(text: str) -> PageMark:
    """Read one page's QR code back, or raise ``InvalidReference`` saying why."""
    match = _MARK.match(str(text).strip())
    if match is None:
        raise InvalidReference("this QR code is not a page of an Alongside form")
    page, pages = int(match["page"]), int(match["pages"])
    if not 1 <= page <= pages:
        raise InvalidReference("this QR code's page number is not a page of the form")
    return PageMark(parse_copy_reference(match["reference"]), page, pages)
