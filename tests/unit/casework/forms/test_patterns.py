"""Definition patterns run on RE2: a catastrophic pattern is refused when the
definition is read and harmless even if it got as far as an answer check; one
RE2 cannot run is refused; long answers are never matched. (How fast a check
is: tests/benchmarks/test_pattern_bench.py.)"""

from __future__ import annotations

import pytest

from casework.forms import answers as forms
from casework.forms.definitions import DefinitionError, Question, parse_definition
from casework.forms.patterns import (
    MAX_CHECKED,
    PatternError,
    check_pattern,
    compile_pattern,
    example,
    matches,
)
from casework.forms.sample import acceptable_answer
from tests.unit.casework.forms.sample_service import sample, sample_bytes

CATASTROPHIC = ["(a+)+$", "(a|a)+$", "(a|aa)+$", "(.*a){20}$", "^(([a-z])+.)+[A-Z]([a-z])+$"]


def _question(pattern: str) -> Question:
    """The sample's first text question with ``pattern``, built without the
    definition checks (as if a definition had got past them)."""
    parsed = parse_definition(sample_bytes(), "p.json").question("given-name")
    raw = {**parsed.raw, "validation": {"pattern": pattern}}
    return Question(parsed.id, parsed.type, parsed.category, True, parsed.pointer, raw)


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_pattern_is_harmless_in_an_answer_check(pattern: str) -> None:
    question = _question(pattern)
    for answer in ("a" * 26 + "b", "a" * 5_000 + "!", "a" * 19_999 + "b"):
        # Under Python's re the first of these takes seconds and the others
        # would never finish; on RE2 each returns at once.
        assert forms.check_answer(question, answer) == "Check this answer."
    assert matches(pattern, "a" * 30) is (pattern != CATASTROPHIC[-1])  # that one needs a capital


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(.*a){20}$", "^(([a-z])+.)+[A-Z]([a-z])+$", r"(\w+\s?)*", "(x(a|b*))+"],
)
def test_a_pattern_that_repeats_a_repeat_is_refused_in_a_definition(pattern: str) -> None:
    data = sample()
    data["pages"][0]["questions"][0]["validation"] = {"pattern": pattern}
    with pytest.raises(DefinitionError) as refused:
        parse_definition(sample_bytes(data), "slow.json")
    assert refused.value.pointer == "/pages/0/questions/0/validation/pattern"
    assert refused.value.reason.startswith("the pattern repeats a part that itself repeats")


@pytest.mark.parametrize(
    "pattern",
    ["[0-9]{6,8}", "^[0-9]{2}[- ]?[0-9]{2}$", "(ab)+", "(a{1,3})+", "(?:a*)?", r"a\z", "[a-z]+"],
)
def test_ordinary_patterns_pass(pattern: str) -> None:
    check_pattern(pattern)


def test_a_pattern_still_checks_answers() -> None:
    question = _question("^[0-9]{2}[- ]?[0-9]{2}[- ]?[0-9]{2}$")
    assert forms.check_answer(question, "12-34-56") is None
    assert forms.check_answer(question, "12-34-5x") == "Check this answer."
    assert forms.check_answer(question, "12-34-56\n") == "Check this answer."


def test_an_answer_too_long_to_check_is_never_matched() -> None:
    assert matches("a*", "a" * MAX_CHECKED)
    assert not matches("a*", "a" * (MAX_CHECKED + 1))


@pytest.mark.parametrize(
    "pattern", [r"(a)\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "([a-z", "a" * 1001]
)
def test_a_pattern_re2_cannot_run_is_refused_in_words(pattern: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    reason = str(caught.value)
    assert reason.startswith("the pattern ")
    assert "\n" not in reason and "b'" not in reason
    assert not matches(pattern, "a")


def test_refusing_a_pattern_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PatternError):
        compile_pattern("(?=x)never-seen-before")
    assert capfd.readouterr() == ("", "")


def test_a_deeply_nested_pattern_is_judged_without_exhausting_the_stack() -> None:
    with pytest.raises(PatternError, match="repeats a part"):
        check_pattern("(" * 450 + "a+" + ")" * 450 + "+")
    check_pattern("(" * 450 + "a" + ")" * 450)


@pytest.mark.parametrize(
    ("pattern", "built"),
    [
        (r"[0-9]{3}-[A-Z]{4}", "000-AAAA"),
        (r"^[A-Z]{2}\d{6}[A-D]$", "AA000000A"),
        (r"(?:ab|cd)+x?", "ab"),
        (r"[^a]\s\w", "b a"),
        (r"(?=a)a", None),  # lookaround: not followed
        (r"[^0-9]", None),  # a negated class: not followed
    ],
)
def test_example_writes_an_answer_the_pattern_matches(pattern: str, built: str | None) -> None:
    assert example(pattern) == built
    if built is not None:
        assert matches(pattern, built)


def test_the_sampler_answers_a_strict_pattern_with_the_example() -> None:

    raw = sample()
    raw["pages"][0]["questions"][1]["validation"] = {"pattern": r"[0-9]{3}-[A-Z]{4}"}
    question = parse_definition(sample_bytes(raw), "x.json").question("family-name")
    assert acceptable_answer(question) == "000-AAAA"
