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
from collections.abc import Callable, Iterator
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


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


def report(title: str, rows: list[tuple[str, float, float]]) -> None:
    """Print a small table: name, p50, p95 (ms), and ratios to the first row."""
    base_p50, base_p95 = rows[0][1], rows[0][2]
    print(f"\n[bench] {title}")
    for name, p50, p95 in rows:
        print(
            f"  {name:40} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms"
            f"  ratio p50 {p50 / base_p50:5.2f}x  p95 {p95 / base_p95:5.2f}x"
        )
