"""Validators for UK identifiers and contact details (casework.kernel.validators)."""

from __future__ import annotations

import re
import string
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from casework.kernel.errors import InvalidInput
from casework.kernel.validators import (
    check_date_of_birth,
    check_name,
    format_nhs_number,
    format_ni_number,
    nhs_check_digit,
    normalise_email,
    normalise_mobile,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_phone,
    normalise_postcode,
    require_text,
    show_mobile,
    text_problems,
)

EXAMPLES = settings(max_examples=60, deadline=None)

# -- National Insurance numbers ---------------------------------------------------

NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"  # never D, F, I, Q, U, V
NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"  # never D, F, I, O, Q, U, V
NI_UNUSED = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")


@st.composite
def valid_ni_numbers(draw: st.DrawFn) -> str:
    prefix = draw(
        st.tuples(st.sampled_from(NI_FIRST), st.sampled_from(NI_SECOND))
        .map("".join)
        .filter(lambda p: p not in NI_UNUSED)
    )
    digits = draw(st.text(string.digits, min_size=6, max_size=6))
    return prefix + digits + draw(st.sampled_from("ABCD"))


@st.composite
def respaced(draw: st.DrawFn, value: str) -> str:
    """``value`` with random case and separators people type between characters."""
    out = []
    for ch in value:
        out.append(draw(st.sampled_from(["", " ", "  ", "-", "\t"])))
        out.append(ch.lower() if draw(st.booleans()) else ch)
    out.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(out)


@EXAMPLES
@given(st.data())
def test_valid_ni_numbers_are_accepted_in_any_spacing_and_case(data: st.DataObject) -> None:
    canonical = data.draw(valid_ni_numbers())
    typed = data.draw(respaced(canonical))
    assert normalise_ni_number(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("AB 12 34 56 C", "AB123456C"),
        ("ab123456c", "AB123456C"),
        ("OA 00 00 00 A", "OA000000A"),  # O may start a number, just not follow
        ("ce-12-34-56-d", "CE123456D"),
    ],
)
def test_ni_number_examples(typed: str, expected: str) -> None:
    assert normalise_ni_number(typed) == expected


@pytest.mark.parametrize("prefix", NI_UNUSED)
def test_ni_prefixes_hmrc_never_allocates_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="two letters at the start"):
        normalise_ni_number(f"{prefix}123456A")


@pytest.mark.parametrize("letter", "DFIQUV")
def test_ni_first_letter_d_f_i_q_u_v_refused(letter: str) -> None:
    with pytest.raises(ValueError, match="two letters at the start"):
        normalise_ni_number(f"{letter}A123456A")


@pytest.mark.parametrize("letter", "DFIOQUV")
def test_ni_second_letter_d_f_i_o_q_u_v_refused(letter: str) -> None:
    with pytest.raises(ValueError, match="two letters at the start"):
        normalise_ni_number(f"A{letter}123456A")


@pytest.mark.parametrize(
    "typed",
    [
        "AB123456E",  # suffix is A to D only
        "AB123456Z",
        "AB123456",  # suffix missing
        "AB1234567",
        "AB12345C",  # five digits
        "AB1234567C",  # seven digits
        "A1234567C",
        "",
        "   ",
        "AB 12 34 56 C extra",
    ],
)
def test_ni_numbers_of_the_wrong_shape_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="right format"):
        normalise_ni_number(typed)


@EXAMPLES
@given(canonical=valid_ni_numbers(), suffix=st.sampled_from(string.ascii_uppercase[4:]))
def test_any_suffix_after_d_is_refused(canonical: str, suffix: str) -> None:
    with pytest.raises(ValueError):
        normalise_ni_number(canonical[:-1] + suffix)


@EXAMPLES
@given(st.text(max_size=30))
def test_ni_normaliser_returns_canonical_form_or_value_error(text: str) -> None:
    try:
        value = normalise_ni_number(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert re.fullmatch(r"[A-Z]{2}[0-9]{6}[A-D]", value)
        assert normalise_ni_number(value) == value


def test_ni_number_is_shown_in_the_spaced_form() -> None:
    assert format_ni_number("AB123456C") == "AB 12 34 56 C"


# -- NHS numbers ----------------------------------------------------------------


def _mod11(nine: str) -> int:
    """The NHS check digit as the NHS data dictionary defines it (10 = invalid)."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(nine)) % 11
    return (11 - remainder) % 11


nine_digits = st.text(string.digits, min_size=9, max_size=9)


@st.composite
def valid_nhs_numbers(draw: st.DrawFn) -> str:
    nine = draw(nine_digits.filter(lambda n: _mod11(n) != 10))
    return nine + str(_mod11(nine))


def test_the_published_example_is_valid() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"


@EXAMPLES
@given(st.data())
def test_generated_valid_nhs_numbers_pass_in_any_spacing(data: st.DataObject) -> None:
    number = data.draw(valid_nhs_numbers())
    assert nhs_check_digit(number[:9]) == int(number[9])
    assert normalise_nhs_number(data.draw(respaced(number))) == number


@EXAMPLES
@given(number=valid_nhs_numbers(), position=st.integers(0, 9), delta=st.integers(1, 9))
def test_any_single_digit_change_fails_the_check(number: str, position: int, delta: int) -> None:
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(ValueError, match="not valid"):
        normalise_nhs_number(changed)


def _complete_to_check_ten(eight: str) -> str | None:
    """The ninth digit that makes the weighted total 1 (mod 11), if one exists."""
    partial = sum(int(d) * (10 - i) for i, d in enumerate(eight)) % 11
    ninth = (6 * (1 - partial)) % 11  # 2 * 6 = 12 = 1 (mod 11)
    return eight + str(ninth) if ninth < 10 else None


check_ten = st.text(string.digits, min_size=8, max_size=8).map(_complete_to_check_ten).filter(bool)


@EXAMPLES
@given(nine=check_ten, last=st.sampled_from(string.digits))
def test_a_check_digit_of_ten_means_no_valid_number(nine: str, last: str) -> None:
    assert _mod11(nine) == 10
    assert nhs_check_digit(nine) is None
    with pytest.raises(ValueError, match="not valid"):
        normalise_nhs_number(nine + last)


def test_check_digit_eleven_becomes_zero() -> None:
    # A weighted total of 0 (mod 11) gives 11, which the NHS writes as 0.
    assert nhs_check_digit("000000000") == 0
    assert normalise_nhs_number("0000000000") == "0000000000"


@pytest.mark.parametrize(
    "typed", ["", "943476591", "94347659190", "943 476 591X", "NHS 943 476 5919"]
)
def test_nhs_numbers_of_the_wrong_shape_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="10 digits"):
        normalise_nhs_number(typed)


def test_digits_from_other_scripts_never_reach_the_database() -> None:
    # Full-width digits (typed with an East Asian input method) fold to ASCII;
    # digits from other scripts are refused rather than stored as they are.
    assert normalise_nhs_number("９４３ ４７６ ５９１９") == "9434765919"
    with pytest.raises(ValueError):
        normalise_nhs_number("٩٤٣٤٧٦٥٩١٩")  # Arabic-Indic digits
    with pytest.raises(ValueError):
        normalise_ni_number("AB١٢٣٤٥٦C")
    with pytest.raises(ValueError):
        normalise_phone("٠٧٧٠٠٩٠٠٩٨٢")


@EXAMPLES
@given(st.text(max_size=20))
def test_nhs_normaliser_returns_ten_ascii_digits_or_value_error(text: str) -> None:
    try:
        value = normalise_nhs_number(text)
    except ValueError:
        return
    assert re.fullmatch(r"[0-9]{10}", value)


# -- postcodes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  Sw1A   1aA ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("cf10 1aa", "CF10 1AA"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes_are_normalised(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "SW1A",  # outward part only
        "1AA",
        "SW1A 1AAA",
        "QA1 1AA",  # Q never starts a postcode
        "VA1 1AA",
        "XA1 1AA",
        "AI1 1AA",  # I never second
        "SW1A 1CA",  # C, I, K, M, O, V never in the inward part
        "SW1A 1AK",
        "SW1A AAA",
        "12345",
        "SW1A 1AA; DROP TABLE people",
    ],
)
def test_invalid_postcodes_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="real UK postcode"):
        normalise_postcode(typed)


@EXAMPLES
@given(st.text(alphabet=string.ascii_letters + string.digits + " ", max_size=10))
def test_postcode_normalisation_is_idempotent(text: str) -> None:
    try:
        value = normalise_postcode(text)
    except ValueError:
        return
    assert re.fullmatch(r"[A-Z0-9]{2,4} [0-9][A-Z]{2}", value)
    assert normalise_postcode(value) == value


# -- phone numbers and email ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01632 960 001", "01632960001"),
        ("07700 900 982", "07700900982"),
        ("+44 7700 900982", "07700900982"),
        ("+44 (0)7700 900982", "07700900982"),
        ("0044 7700 900982", "07700900982"),
        ("(01632) 960-001", "01632960001"),
        ("020 7946 0000", "02079460000"),
    ],
)
def test_uk_phone_numbers_are_normalised(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "12345", "+1 555 123 4567", "07700 900 982 123", "call me", "7700900982"]
)
def test_other_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="UK phone number"):
        normalise_phone(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("name@example.com", "name@example.com"),
        ("  Name.Surname@Example.COM ", "Name.Surname@example.com"),
        ("o'connor+cases@council.gov.uk", "o'connor+cases@council.gov.uk"),
    ],
)
def test_email_addresses_are_trimmed_with_domain_lower_cased(typed: str, expected: str) -> None:
    assert normalise_email(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "name",
        "name@",
        "@example.com",
        "name@example",
        "na me@example.com",
        "a@b@example.com",
        "a" * 250 + "@example.com",
    ],
)
def test_malformed_email_addresses_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="email address"):
        normalise_email(typed)


# -- dates of birth and names ---------------------------------------------------

TODAY = date(2026, 6, 15)


def test_date_of_birth_today_or_earlier_is_accepted() -> None:
    assert check_date_of_birth(TODAY, TODAY) == TODAY
    assert check_date_of_birth(date(1990, 1, 31), TODAY) == date(1990, 1, 31)


def test_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="in the past"):
        check_date_of_birth(TODAY + timedelta(days=1), TODAY)


def test_date_of_birth_exactly_130_years_ago_is_accepted() -> None:
    assert check_date_of_birth(date(1896, 6, 15), TODAY) == date(1896, 6, 15)


@pytest.mark.parametrize("born", [date(1896, 6, 14), date(1896, 1, 1), date(1800, 1, 1)])
def test_date_of_birth_more_than_130_years_ago_is_refused(born: date) -> None:
    with pytest.raises(ValueError, match="130 years"):
        check_date_of_birth(born, TODAY)


def test_130_years_before_a_leap_day_is_measured_sensibly() -> None:
    leap_day = date(2028, 2, 29)  # 1898 has no 29 February
    assert check_date_of_birth(date(1898, 2, 28), leap_day) == date(1898, 2, 28)
    with pytest.raises(ValueError, match="130 years"):
        check_date_of_birth(date(1898, 2, 27), leap_day)


@EXAMPLES
@given(born=st.dates(min_value=date(1700, 1, 1), max_value=date(2200, 1, 1)))
def test_date_of_birth_rule_over_any_date(born: date) -> None:
    oldest = TODAY.replace(year=TODAY.year - 130)
    if oldest <= born <= TODAY:
        assert check_date_of_birth(born, TODAY) == born
    else:
        with pytest.raises(ValueError):
            check_date_of_birth(born, TODAY)


def test_names_are_trimmed_and_inner_spaces_folded() -> None:
    assert check_name("  Siân \t ap   Rhys \n") == "Siân ap Rhys"
    assert check_name("O'Connor-Ó Briain") == "O'Connor-Ó Briain"


def test_a_required_name_cannot_be_blank() -> None:
    for blank in ("", "   ", "\t\n"):
        with pytest.raises(ValueError, match="Enter a name"):
            check_name(blank)
    assert check_name("  ", required=False) == ""


def test_names_are_at_most_100_characters() -> None:
    assert check_name("a" * 100) == "a" * 100
    with pytest.raises(ValueError, match="100 characters"):
        check_name("a" * 101)


@EXAMPLES
@given(st.text(max_size=120))
def test_a_checked_name_has_no_stray_whitespace(text: str) -> None:
    assume(text.strip())
    try:
        value = check_name(text)
    except ValueError:
        assert len(" ".join(text.split())) > 100
        return
    assert value == value.strip()
    assert "  " not in value
    assert 0 < len(value) <= 100


# -- text a person typed ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Two lines\nand a\ttab",
        "Pasted from Windows\r\nsecond line",
        "\u05e9\u05dc\u05d5\u05dd \u200f\u202e",  # Hebrew, right-to-left marks
        "\U0001f469\U0001f3fd\u200d\u2695\ufe0f e\u0301",  # emoji, combining mark
        "Ll\u0177r \u2028 \ufeff",
        "",
    ],
)
def test_text_that_can_be_used(text: str) -> None:
    assert text_problems({"note": text}) == {}
    require_text({"note": text})


@pytest.mark.parametrize(
    "text", ["\udc80", "\ud83d", "a\x00b", "\x07", "\x1b[31m", "\x7f", "\x85", "a\rb", "\x0b"]
)
def test_text_that_cannot_be_used_is_refused_by_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        require_text({"body": "fine", "title": f"A {text} title"})
    assert list(caught.value.fields) == ["title"]
    assert "Delete it or type the text again" in caught.value.fields["title"]


def test_text_inside_answers_is_checked_keys_and_all() -> None:
    assert text_problems({"q": {"a": ["ok", "b\x00"]}}) == {"q": text_problems({"x": "\x00"})["x"]}
    assert text_problems({"q": {"\udc80": "ok"}})
    assert not text_problems({"q": [1, None, date(2020, 1, 1), ("ok",)]})


@pytest.mark.parametrize(
    ("text", "digits"),
    [("07700 900 982", "07700900982"), ("+44 7700 900982", "07700900982"),
     ("07624 123456", "07624123456")],
)  # fmt: skip
def test_uk_mobiles_are_accepted(text: str, digits: str) -> None:
    assert normalise_mobile(text) == digits
    assert show_mobile(digits) == f"{digits[:5]} {digits[5:8]} {digits[8:]}"


@pytest.mark.parametrize(
    "text", ["", "029 2087 2087", "07000 900 982", "07600 900 982", "0770090098", "hello"]
)
def test_landlines_personal_numbers_and_pagers_are_not_mobiles(text: str) -> None:
    with pytest.raises(ValueError, match="UK mobile number, like 07700 900 982"):
        normalise_mobile(text)
