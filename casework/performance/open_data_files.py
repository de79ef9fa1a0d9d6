"""The open-data files: ``open-data.csv``, ``open-data.json`` and ``README.md``.

``render`` turns an ``OpenData`` into the three files' bytes (a suppressed
figure is an empty CSV cell and a JSON ``null``); ``write_open_data`` writes
them into a folder (made if missing), each through
``casework.kernel.files.write_atomically``, so a file already there is
replaced whole or not at all. The README says what each column means, the
suppression and rounding rules and the period, in English, or in Welsh
with ``language="cy"`` (the CSV and JSON carry both languages either way).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from casework.kernel import files
from casework.performance.counting import ABANDONED_RULE, REASONS_RULE
from casework.performance.open_data import (
    MEASURES,
    REASON_MEASURE,
    REASON_MEASURE_WORDS,
    ROUND_TO,
    SMALLEST_SHOWN,
    OpenData,
    translator,
)

CSV_NAME = "open-data.csv"
JSON_NAME = "open-data.json"
README_NAME = "README.md"
COLUMNS = (
    "week_starting",
    "service",
    "service_welsh",
    "measure",
    "measure_words",
    "measure_words_welsh",
    "reason",
    "reason_welsh",
    "value",
)


def csv_bytes(data: OpenData) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in data.rows:
        writer.writerow(
            [
                row.week.isoformat(),
                row.service,
                row.service_cy,
                row.measure,
                row.measure_words,
                row.measure_words_cy,
                row.reason,
                row.reason_cy,
                "" if row.value is None else str(row.value),
            ]
        )
    return out.getvalue().encode("utf-8")


def json_bytes(data: OpenData) -> bytes:
    body = {
        "period": {"from": data.first_week.isoformat(), "to": data.last_day.isoformat()},
        "rules": {
            "suppressed_below": SMALLEST_SHOWN,
            "rounded_to": ROUND_TO,
            "median_needs_at_least": SMALLEST_SHOWN,
            "median_rounded_to_minutes": ROUND_TO,
        },
        "columns": list(COLUMNS),
        "rows": [
            {
                "week_starting": row.week.isoformat(),
                "service": row.service,
                "service_welsh": row.service_cy,
                "measure": row.measure,
                "measure_words": row.measure_words,
                "measure_words_welsh": row.measure_words_cy,
                "reason": row.reason,
                "reason_welsh": row.reason_cy,
                "value": row.value,
            }
            for row in data.rows
        ],
    }
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def readme_bytes(data: OpenData, language: str = "en") -> bytes:
    _ = translator(language)  # the README's language, not the window's
    lines = [
        "# " + _("Open data: how this office helped people with public services"),
        "",
        _("Period: the weeks from Monday {start} to Sunday {end}.").format(
            start=data.first_week.isoformat(), end=data.last_day.isoformat()
        ),
        "",
        _(
            "Each row is one figure for one week and one service. Weeks start on a Monday "
            "and are named by that day. The figures are counts of this office's work; "
            "no row names or describes a person."
        ),
        "",
        "## " + _("Columns"),
        "",
        "- `week_starting`: " + _("the Monday the week starts (YYYY-MM-DD)."),
        "- `service`, `service_welsh`: " + _("the service, in English and in Welsh."),
        "- `measure`: " + _("what is counted, as a short key (listed below)."),
        "- `measure_words`, `measure_words_welsh`: "
        + _("what is counted, in words, in English and in Welsh."),
        "- `reason`, `reason_welsh`: "
        + _("for a reason why people needed help, the reason in words; otherwise empty."),
        "- `value`: " + _("the figure, after the rules below; empty (null in JSON) when withheld."),
        "",
        "## " + _("What is counted"),
        "",
    ]
    for measure, words in MEASURES:
        lines.append(f"- `{measure}`: {_(words)}")
    lines.append(f"- `{REASON_MEASURE}`: {_(REASON_MEASURE_WORDS)}")
    lines += [
        "",
        _(REASONS_RULE) + " " + _("In this file, the period is a week."),
        "",
        _(ABANDONED_RULE) + " " + _("In this file, the period is a week."),
        "",
        "## " + _("Rules that keep people from being identified"),
        "",
        "- " + _("A count of 0 is shown as 0."),
        "- " + _("A count from 1 to 4 is withheld: the value is empty (null in JSON)."),
        "- " + _("Every other count is rounded to the nearest 5."),
        "- "
        + _(
            "A median is shown only where at least 5 forms were completed that week, "
            "rounded to the nearest 5 minutes."
        ),
        "- "
        + _(
            "Dates are whole weeks only, and the period is widened to whole weeks, "
            "so no figure covers a single day."
        ),
        "- "
        + _(
            "The files hold no names, dates of birth, postcodes, references, notes "
            "or names of staff."
        ),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def render(data: OpenData, language: str = "en") -> dict[str, bytes]:
    """The three files' names and bytes."""
    return {
        CSV_NAME: csv_bytes(data),
        JSON_NAME: json_bytes(data),
        README_NAME: readme_bytes(data, language),
    }


def write_open_data(folder: Path, data: OpenData, language: str = "en") -> list[Path]:
    """Write the three files into ``folder`` (made if missing); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        files.write_atomically(folder / name, body) for name, body in render(data, language).items()
    ]
