"""Answer checks against definition patterns on 10,000-character answers:
RE2 (what ``check_answer`` runs) against Python's ``re`` on the same safe
pattern in the same run, and RE2 on a pattern that is catastrophic for
``re`` (``re`` itself is not run on that one: it would not finish; a
definition is refused it, so the question is built by hand here). The
promise is under 1 ms a check."""

from __future__ import annotations

import re

from casework.forms import answers as forms
from casework.forms.definitions import Question, parse_definition
from casework.forms.patterns import compile_pattern
from tests.benchmarks.conftest import report, summary, timed
from tests.unit.casework.forms.sample_service import sample, sample_bytes

SAFE = "[A-Za-z0-9 /-]+"
LENGTH = 10_000


def test_pattern_checks_on_long_answers() -> None:
    data = sample()
    text_question = data["pages"][0]["questions"][0]
    text_question["validation"] = {"pattern": SAFE}
    safe_question = parse_definition(sample_bytes(data), "b.json").question("given-name")
    evil_question = Question(
        "given-name", "text", "identity", True, "/", {"validation": {"pattern": "(a+)+$"}}
    )

    passing = ("Flat 3 / 12-14 High Street " * 400)[:LENGTH]
    failing = "a" * (LENGTH - 1) + "!"
    python_re = re.compile(SAFE)
    re2 = compile_pattern(SAFE)
    assert python_re.fullmatch(passing) and re2.fullmatch(passing)

    rows = []
    for name, call in [
        ("python re, safe pattern, passing", lambda: python_re.fullmatch(passing)),
        ("re2, safe pattern, passing", lambda: re2.fullmatch(passing)),
        ("check_answer, safe pattern, passing", lambda: forms.check_answer(safe_question, passing)),
        ("check_answer, safe pattern, failing", lambda: forms.check_answer(safe_question, failing)),
        ("check_answer, (a+)+$, failing", lambda: forms.check_answer(evil_question, failing)),
        ("check_answer, (a+)+$, passing", lambda: forms.check_answer(evil_question, "a" * LENGTH)),
    ]:
        call()
        rows.append((name, *summary(timed(call, 300))))
    report(f"answer pattern checks, {LENGTH:,}-character answers (300 each)", rows)
    for name, p50, _p95 in rows[2:]:
        print(f"  {name}: {'under' if p50 < 1 else 'OVER'} 1 ms at p50")
