"""The service page's figures on the 100,000-person profile with a year of
activity (form drafts, sent forms, deliveries, escalations and their levels,
payments, paper copies and returns, failure-demand reasons, added in bulk SQL to a copy of the
profile), against the very aggregate statements ``service_figures`` runs,
replayed on a bare SQLCipher connection in the same run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.paths import ProfilePaths
from app.profile import OpenProfile, open_profile
from casework.kernel.action import act
from casework.performance.figures import service_figures
from tests.benchmarks.conftest import BENCH_KEY, report, summary, timed_together

SERVICE = "pension-credit"
TODAY = date(2026, 12, 5)
# A year of activity before TODAY, spread evenly: (SQL for a random moment in it).
WHEN = "datetime('2026-12-05', '-' || (abs(random()) % 31536000) || ' seconds')"
ACTIVITY = (
    # About seven cases in ten have a form started; half of those are sent.
    f"""INSERT INTO form_drafts (case_id, service_id, service_version, answers, current_page,
        submitted, created_by_id, updated_by_id, created_at, updated_at, version)
        SELECT id, service_id, '1', '{{}}',
               CASE abs(random()) % 5 WHEN 0 THEN NULL WHEN 1 THEN 'your-name'
                    WHEN 2 THEN 'date-of-birth' WHEN 3 THEN 'address' ELSE 'ni-number' END,
               abs(random()) % 2, 1, 1, {WHEN}, {WHEN}, 1
        FROM cases WHERE abs(random()) % 10 < 7""",
    "UPDATE form_drafts SET updated_at = created_at WHERE updated_at < created_at",
    """INSERT INTO submissions (uuid, case_id, person_id, draft_id, service_id, service_version,
        definition_sha256, answers, facts, submitted_by_id, submitted_at, route)
        SELECT lower(hex(randomblob(16))), d.case_id, c.person_id, d.id, d.service_id, '1',
               '0', '{}', '{}', 1,
               datetime(d.created_at, '+' || (abs(random()) % 172800) || ' seconds'),
               'submission_api'
        FROM form_drafts d JOIN cases c ON c.id = d.case_id WHERE d.submitted = 1""",
    """INSERT INTO outbox_items (id, connector, case_id, body, idempotency_key, state, attempts,
        next_attempt_at, in_doubt, created_at, updated_at)
        SELECT lower(hex(randomblob(16))), 'submission_api', case_id, '{}', uuid,
               CASE abs(random()) % 10 WHEN 0 THEN 'sent' WHEN 1 THEN 'failed'
                    ELSE 'delivered' END, 1, submitted_at, 0, submitted_at, submitted_at
        FROM submissions""",
    f"""INSERT INTO outbox_items (id, connector, case_id, body, idempotency_key, state, attempts,
        next_attempt_at, in_doubt, created_at, updated_at)
        SELECT lower(hex(randomblob(16))), 'pay', id, '{{"amount": 1000}}',
               lower(hex(randomblob(16))),
               CASE abs(random()) % 4 WHEN 0 THEN 'failed' WHEN 1 THEN 'sent'
                    ELSE 'delivered' END, 1, {WHEN}, 0, {WHEN}, {WHEN}
        FROM cases WHERE abs(random()) % 10 = 0""",
    f"""INSERT INTO escalations (case_id, person_id, service_id, area, reason, description,
        status, current_level, raised_by_id, raised_at, outcome, version)
        SELECT id, person_id, service_id, 'england', 'no_decision', '', 'raised', 1, 1,
               {WHEN}, '', 1
        FROM cases WHERE abs(random()) % 20 = 0""",
    """INSERT INTO escalation_levels (escalation_id, level, facilitator, channel, nation,
        sla_working_days, sent_at, due_on, breach_at, reminder_at, breached_at, outbox_item_id,
        subject, body)
        SELECT e.id, n.level, '{}', 'email', 'england', 10,
               datetime(e.raised_at, '+' || (14 * (n.level - 1)) || ' days'),
               date(e.raised_at, '+' || (14 * n.level) || ' days'),
               datetime(e.raised_at, '+' || (14 * n.level) || ' days'),
               datetime(e.raised_at, '+' || (14 * n.level - 4) || ' days'),
               CASE WHEN abs(random()) % 3 = 0
                    THEN datetime(e.raised_at, '+' || (14 * n.level) || ' days') END,
               lower(hex(randomblob(16))), '', ''
        FROM escalations e JOIN (SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 3) n
        WHERE n.level = 1 OR (e.id + n.level) % 3 = 0""",
    f"""INSERT INTO paper_copies (reference, office, serial, service_id, version, language,
        large_print, kind, pages, person_id, case_id, printed_by_id, printed_at)
        SELECT 'B-' || id, 'BEN', 'S' || id, service_id, '1', 'en', 0, 'draft', 4,
               person_id, id, 1, {WHEN}
        FROM cases WHERE abs(random()) % 10 = 0""",
    """INSERT INTO paper_returns (copy_id, case_id, scan_sha256, pages_found, pages_missing,
        received_at)
        SELECT id, case_id, lower(hex(randomblob(32))), '1,2,3,4', '',
               datetime(printed_at, '+' || (abs(random()) % 1209600) || ' seconds')
        FROM paper_copies WHERE abs(random()) % 2 = 0""",
    # Why help was needed: a pick on about half the cases, one reason each.
    f"""INSERT INTO demand_records (case_id, service_id, moment, note, recorded_by_id,
        recorded_at)
        SELECT id, service_id, 'case_opened', '', 1, {WHEN}
        FROM cases WHERE abs(random()) % 2 = 0""",
    """INSERT INTO demand_reasons (record_id, reason)
        SELECT id, CASE abs(random()) % 8 WHEN 0 THEN 'online_service' WHEN 1 THEN 'no_device'
                    WHEN 2 THEN 'not_understood' WHEN 3 THEN 'chasing'
                    WHEN 4 THEN 'evidence_lost' WHEN 5 THEN 'wrong_decision'
                    WHEN 6 THEN 'language' ELSE 'access_needs' END
        FROM demand_records""",
    "ANALYZE",
)
FIGURE_TABLES = (
    "form_drafts",
    "submissions",
    "escalation",
    "outbox_items",
    "paper_",
    "demand_",
)


def _raw(path: Any) -> Any:
    raw = sqlcipher.connect(str(path))
    raw.execute(f"PRAGMA key = \"x'{BENCH_KEY.hex()}'\"")
    raw.execute("PRAGMA cipher_log_level = NONE")
    return raw


@pytest.fixture(scope="module")
def busy_profile(
    big_profile: OpenProfile, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpenProfile]:
    """A copy of the benchmark profile with a year of activity (the cached
    profile itself is left as the other benchmarks expect it)."""
    with big_profile.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    paths = ProfilePaths(tmp_path_factory.mktemp("service-bench") / "profile")
    paths.root.mkdir(parents=True)
    shutil.copy2(big_profile.paths.database, paths.database)
    for name in ("settings.json", "complete"):
        if (big_profile.paths.root / name).exists():
            shutil.copy2(big_profile.paths.root / name, paths.root / name)
    raw = _raw(paths.database)
    for statement in ACTIVITY:
        raw.execute(statement)
    raw.commit()
    raw.close()
    profile = open_profile(paths)
    yield profile
    profile.close()


def test_service_figures_against_raw_aggregates(busy_profile: OpenProfile) -> None:
    backend = LocalBackend(busy_profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    catalogue = backend.catalogue
    periods = {
        "last 4 weeks": (TODAY - timedelta(days=27), TODAY),
        "last year": (TODAY - timedelta(days=364), TODAY),
    }

    def ours(start: date, end: date) -> object:
        action = act(service_figures, SERVICE, start, end, catalogue=catalogue)
        return backend.perform(action, write=True)  # as the window runs it: audited

    # The statements service_figures runs for the figures, captured once.
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _m: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and any(
            t in statement for t in FIGURE_TABLES
        ):
            captured.append((statement, params))

    raw = _raw(busy_profile.paths.database)
    for schema in ("as migrated",):  # 0019 added the service and time indexes these use
        for label, (start, end) in periods.items():
            captured.clear()
            event.listen(busy_profile.engine, "before_cursor_execute", capture)
            figures = ours(start, end)
            event.remove(busy_profile.engine, "before_cursor_execute", capture)
            statements = list(captured)
            print(f"\n[bench] {label}, {schema}: {figures}")
            print(f"[bench] {len(statements)} aggregate statements")

            def raw_same(statements: list[tuple[str, Any]] = statements) -> None:
                for sql, params in statements:
                    raw.execute(sql, params).fetchall()

            def ours_now(start: date = start, end: date = end) -> None:
                ours(start, end)

            base, mine = timed_together([raw_same, ours_now], repeat=11)
            rows = [
                ("raw SQL, the same aggregates", *summary(base)),
                ("service_figures (audited)", *summary(mine)),
            ]
            first = label == "last 4 weeks"
            what = "service page figures, last 4 weeks"
            report(
                f"service page figures, {label}, {schema}",
                rows,
                what=(what if schema == "as migrated" else f"{what} ({schema})") if first else None,
                goal="under 300 ms" if first else "",
            )
    raw.close()
