"""``services validate``'s quality checks over the whole shipped catalogue,
against loading (reading, schema-checking and building) the same catalogue
in the same run. The promise is well under a second for every service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.forms import definitions, quality
from casework.forms.quality import order, reach, welsh
from tests.benchmarks.conftest import report, summary, timed_together


def test_quality_checks_over_the_catalogue() -> None:
    catalogue = definitions.load_catalogue()
    services = catalogue.services

    def each(check: Callable[[Any, str], object]) -> Callable[[], object]:
        return lambda: [check(s.raw, s.file) for s in services]

    names = [
        "load the catalogue (baseline)",
        "all quality checks",
        "  Welsh",
        "  condition order",
        "  routes (walk)",
    ]
    samples = timed_together(
        [
            definitions.load_catalogue,
            each(quality.check),
            each(welsh.welsh_problems),
            each(order.order_problems),
            each(reach.walk),
        ],
        7,
    )
    rows = [(name, *summary(s)) for name, s in zip(names, samples, strict=True)]
    report(f"quality checks, {len(services)} services (7 runs each)", rows)
    base = rows[0][1]
    for name, p50, _p95 in rows[1:]:
        print(f"  {name.strip()}: {p50 / base:.2f}x the catalogue load")
    print(f"  all checks: {'under' if rows[1][1] < 1000 else 'OVER'} 1 s at p50")
