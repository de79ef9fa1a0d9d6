"""Benchmark fixtures: one large profile (100,000 people, about 1,000,000
notes), built once and cached in ``.bench-cache/`` between runs.

The cached profile holds only generated people. Its key is derived from a
fixed benchmark label (never used for real data), so a later run can reopen
it without a keyring.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile, open_profile, profile_exists

ROOT = Path(__file__).resolve().parents[2] / ".bench-cache"
PEOPLE = int(os.environ.get("ALONGSIDE_BENCH_PEOPLE", "100000"))
NOTES_PER_PERSON = 10
DATA_VERSION = 1
BENCH_KEY = hashlib.sha256(b"alongside benchmark profile - generated data only").digest()


def bench_profile_dir() -> Path:
    return ROOT / f"profile-v{DATA_VERSION}-{PEOPLE}"


@pytest.fixture(scope="session")
def big_profile() -> Iterator[OpenProfile]:
    from app.demo import people as demo_people

    paths = ProfilePaths(bench_profile_dir())
    complete = paths.root / "complete"
    os.environ["ALONGSIDE_DB_KEY"] = BENCH_KEY.hex()
    try:
        if profile_exists(paths) and complete.exists():
            profile = open_profile(paths)
        else:
            shutil.rmtree(paths.root, ignore_errors=True)
            started = time.perf_counter()
            profile = create_profile(paths, name="Benchmark", demo=True)
            demo_people.add_people(
                profile.engine, PEOPLE, seed=42, notes_per_person=NOTES_PER_PERSON
            )
            complete.touch()
            print(f"\n[bench] built {PEOPLE} people in {time.perf_counter() - started:.0f} s")
        yield profile
        profile.close()
    finally:
        os.environ.pop("ALONGSIDE_DB_KEY", None)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def timed_together(fns: Sequence[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Milliseconds of ``repeat`` calls of each of ``fns``, taken in turn (one
    of each, then again), so a baseline and what it is compared with share
    the machine's busy and quiet moments.

    Each timed call follows an untimed one of the same function: a write by
    one (Alongside audits every list and search) empties the page cache of
    every other connection to the file, and the baseline's bare connection
    must not pay for that where Alongside's own connection does not."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, mine in zip(fns, samples, strict=True):
            fn()
            started = time.perf_counter()
            fn()
            mine.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


@dataclass(frozen=True)
class IssueRow:
    """One line of the summary table ``make bench`` ends with."""

    what: str
    ours: tuple[float, float]
    baseline_name: str
    baseline: tuple[float, float]
    goal: str
    p95: bool


# The rows of issue 15's table, in its order; any other row follows them.
ISSUE_ORDER = (
    "cold start to a painted window",
    "`make run` demo start",
    "first page of people after sign-in",
    "search, p50 / p95",
    "paper, whole form (the longest in the catalogue)",
    "paper, first page on screen",
    "service page figures, last 4 weeks",
)
ISSUE_ROWS: list[IssueRow] = []


def report(
    title: str,
    rows: list[tuple[str, float, float]],
    *,
    what: str | None = None,
    goal: str = "",
    ours: int = 1,
    base: int = 0,
    p95: bool = False,
) -> None:
    """Print a small table: name, p50, p95 (ms), and ratios to the first row.

    With ``what``, the comparison of row ``ours`` with row ``base`` is also
    a line of the summary printed at the end of the run (``goal`` as the
    issue words it; ``p95`` shows both percentiles, else the median)."""
    base_p50, base_p95 = rows[0][1], rows[0][2]
    print(f"\n[bench] {title}")
    for name, p50, p95_ in rows:
        print(
            f"  {name:40} p50 {p50:8.2f} ms  p95 {p95_:8.2f} ms"
            f"  ratio p50 {p50 / base_p50:5.2f}x  p95 {p95_ / base_p95:5.2f}x"
        )
    if what is not None:
        ISSUE_ROWS.append(
            IssueRow(
                what=what,
                ours=(rows[ours][1], rows[ours][2]),
                baseline_name=rows[base][0],
                baseline=(rows[base][1], rows[base][2]),
                goal=goal,
                p95=p95,
            )
        )


def _ms(value: tuple[float, float], both: bool) -> str:
    return f"{value[0]:,.1f} / {value[1]:,.1f} ms" if both else f"{value[0]:,.1f} ms"


def _ratio(ours: tuple[float, float], base: tuple[float, float], both: bool) -> str:
    p50 = f"{ours[0] / base[0]:.2f}x" if base[0] else "-"
    if not both:
        return p50
    return f"{p50} / {ours[1] / base[1]:.2f}x" if base[1] else f"{p50} / -"


def summary_table(rows: Sequence[IssueRow]) -> list[str]:
    """The lines of the summary: what | Alongside | baseline | ratio | goal."""
    known = {what: i for i, what in enumerate(ISSUE_ORDER)}
    ordered = sorted(rows, key=lambda r: known.get(r.what, len(known)))
    lines = [
        "| what | Alongside | baseline, same run | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    for r in ordered:
        lines.append(
            f"| {r.what} | {_ms(r.ours, r.p95)} | {r.baseline_name} {_ms(r.baseline, r.p95)} "
            f"| {_ratio(r.ours, r.baseline, r.p95)} | {r.goal} |"
        )
    return lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ISSUE_ROWS:
        return
    terminalreporter.section("benchmarks against their baselines (issue 15)")
    for line in summary_table(ISSUE_ROWS):
        terminalreporter.write_line(line)
