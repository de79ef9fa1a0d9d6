"""Copy references: one per printed copy, check digits that catch a misread, page marks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.paper.reference import (
    COPY_ALPHABET,
    InvalidReference,
    copy_reference,
    page_mark,
    parse_copy_reference,
    parse_page_mark,
    random_code,
    service_code,
)

codes = st.text(alphabet=COPY_ALPHABET, min_size=4, max_size=4)
serials = st.text(alphabet=COPY_ALPHABET, min_size=6, max_size=6)


def test_service_codes_are_initials_or_the_one_word() -> None:
    assert service_code("council-tax-reduction") == "CTR"
    assert service_code("pip") == "PIP"
    assert service_code("hc1-health-costs") == "HHC"


def test_a_reference_says_its_service_version_language_office_and_serial() -> None:
    text = copy_reference("attendance-allowance", "2026.1", "cy", "7K3M", "9QX4TZ")
    assert text.startswith("AF-AA-2026.1-CY-7K3M-9QX4TZ-")
    read = parse_copy_reference(text)
    assert (read.service_code, read.version, read.language) == ("AA", "2026.1", "cy")
    assert (read.office, read.serial, read.text) == ("7K3M", "9QX4TZ", text)


def test_typed_back_with_spaces_lower_case_and_look_alikes() -> None:
    text = copy_reference("blue-badge", "2026.1", "en", "7K10", "9QX01Z")
    typed = text.lower().replace("-", " - ").replace("10", "lo", 1)
    assert parse_copy_reference(typed).text == text


@given(codes, serials, st.integers(min_value=0, max_value=40), st.sampled_from(COPY_ALPHABET))
def test_any_one_character_changed_is_caught(
    office: str, serial: str, position: int, replacement: str
) -> None:
    text = copy_reference("pension-credit", "2026.1", "en", office, serial)
    positions = [i for i, char in enumerate(text) if char.isalnum()]
    at = positions[position % len(positions)]
    if text[at] == replacement:
        return
    changed = text[:at] + replacement + text[at + 1 :]
    with pytest.raises(InvalidReference):
        parse_copy_reference(changed)


def test_two_neighbours_swapped_are_caught() -> None:
    text = copy_reference("pension-credit", "2026.1", "en", "7K3M", "9QX4TZ")
    at = text.index("9QX4TZ")
    swapped = text[:at] + "Q9" + text[at + 2 :]
    with pytest.raises(InvalidReference, match="check digits"):
        parse_copy_reference(swapped)


def test_page_marks_say_which_page_of_how_many() -> None:
    text = copy_reference("pension-credit", "2026.1", "en", random_code(4), random_code(6))
    mark = parse_page_mark(page_mark(text, 3, 9))
    assert (mark.reference.text, mark.page, mark.pages) == (text, 3, 9)
    with pytest.raises(InvalidReference):
        parse_page_mark(f"{text} 10/9")
    with pytest.raises(InvalidReference):
        parse_page_mark("https://example.com 1/2")
    with pytest.raises(ValueError):
        page_mark(text, 0, 9)


def test_bad_parts_are_refused_when_printing() -> None:
    with pytest.raises(ValueError):
        copy_reference("pension-credit", "2026.1", "fr", "7K3M", "9QX4TZ")
    with pytest.raises(ValueError):
        copy_reference("pension-credit", "2026.1", "en", "7KIM", "9QX4TZ")  # no I
