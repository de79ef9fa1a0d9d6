"""The table ``make bench`` ends with (tests/benchmarks/conftest.py): every
row a benchmark reports for issue 15, in the issue's order, with its ratio."""

from __future__ import annotations

from tests.benchmarks.conftest import IssueRow, summary_table


def test_rows_come_in_the_issues_order_with_their_ratios() -> None:
    rows = [
        IssueRow("search, p50 / p95", (12.0, 45.0), "raw FTS5", (10.0, 30.0), "≤ 1.2x", p95=True),
        IssueRow("something new", (3.0, 4.0), "bare", (1.0, 1.0), "", p95=False),
        IssueRow(
            "first page of people after sign-in",
            (30.0, 40.0),
            "raw SQL",
            (20.0, 25.0),
            "≤ 1.5x",
            p95=False,
        ),
    ]
    lines = summary_table(rows)
    assert lines[0] == "| what | Alongside | baseline, same run | ratio | goal |"
    assert [line.split(" | ")[0] for line in lines[2:]] == [
        "| first page of people after sign-in",
        "| search, p50 / p95",
        "| something new",
    ]
    assert (
        lines[2]
        == "| first page of people after sign-in | 30.0 ms | raw SQL 20.0 ms | 1.50x | ≤ 1.5x |"
    )
    assert "12.0 / 45.0 ms" in lines[3] and "1.20x / 1.50x" in lines[3]
