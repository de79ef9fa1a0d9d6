"""Form references: printed, read back, and a changed character caught."""

from __future__ import annotations

import string

import pytest

from casework.paper.reference import InvalidReference, form_reference, parse_form_reference


def test_a_submission_reference_reads_back() -> None:
    text = form_reference("AL-7K3M9QX", "submission", 12, "2026.1")
    assert text.startswith("AF-AL-7K3M9QX-S12-2026.1-")
    ref = parse_form_reference(text)
    assert (ref.case_reference, ref.kind, ref.record_id, ref.version) == (
        "AL-7K3M9QX",
        "submission",
        12,
        "2026.1",
    )


def test_a_blank_reference_has_no_case() -> None:
    ref = parse_form_reference(form_reference(None, "blank", None, "2026.3"))
    assert (ref.case_reference, ref.kind, ref.record_id) == (None, "blank", None)


def test_typed_back_loosely_it_still_reads() -> None:
    text = form_reference("AL-7K3M9QX", "draft", 7, "2026.1")
    assert parse_form_reference(
        " " + text.lower().replace("-", " – ", 1).replace(" – ", "–") + "\n"
    )


def test_every_single_changed_character_is_caught() -> None:
    text = form_reference("AL-7K3M9QX", "draft", 4012, "2026.1")
    for index, char in enumerate(text):
        if char in "-.":
            continue
        for other in string.ascii_uppercase + string.digits:
            if other == char:
                continue
            changed = text[:index] + other + text[index + 1 :]
            with pytest.raises(InvalidReference):
                parse_form_reference(changed)


def test_swapped_neighbours_are_caught() -> None:
    text = form_reference("AL-7K3M9QX", "submission", 91, "2026.1")
    body = text.replace("-", "")
    for index in range(len(text) - 1):
        a, b = text[index], text[index + 1]
        if a == b or "-" in (a, b) or "." in (a, b):
            continue
        swapped = text[:index] + b + a + text[index + 2 :]
        with pytest.raises(InvalidReference):
            parse_form_reference(swapped)
    assert body


@pytest.mark.parametrize(
    "text",
    ["", "hello", "AF-", "AF-NONE-X-2026.1-00", "AF-NONE-B7-2026.1-00", "AF-NONE-D-2026.1-00"],
)
def test_what_is_not_a_reference_is_refused(text: str) -> None:
    with pytest.raises(InvalidReference):
        parse_form_reference(text)


def test_bad_parts_are_refused_when_making_one() -> None:
    with pytest.raises(ValueError):
        form_reference("AL 7K3", "draft", 1, "2026.1")
    with pytest.raises(ValueError):
        form_reference(None, "blank", 3, "2026.1")
    with pytest.raises(ValueError):
        form_reference(None, "draft", None, "2026.1")
    with pytest.raises(ValueError):
        form_reference(None, "blank", None, "26.1")
