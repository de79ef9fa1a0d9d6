"""Search latency: our search (caseload filter, SQLAlchemy, records) against
the same raw FTS5 query on a bare SQLCipher connection, in the same run."""

from __future__ import annotations

import random

import sqlcipher3.dbapi2 as sqlcipher

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.demo.vocabulary import FAMILY, GIVEN
from app.profile import OpenProfile
from casework.casefile import search
from casework.casefile.search import fts5_query
from tests.benchmarks.conftest import BENCH_KEY, report, summary, timed_together
from ui.operations import people as people_ops

RAW = (
    "SELECT rowid, person_id, case_id, title, snippet(search_index, 0, '[', ']', '…', 10), rank "
    "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
)


def _queries() -> list[str]:
    rng = random.Random(5)
    words = ["bank", "interpreter", "decision", "GP", "council", "Tuesday"]
    queries = []
    for _ in range(60):
        kind = rng.random()
        if kind < 0.4:
            queries.append(rng.choice(FAMILY)[:3])
        elif kind < 0.7:
            queries.append(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)[:2]}")
        else:
            queries.append(rng.choice(words))
    return queries


def test_search_against_raw_fts5(big_profile: OpenProfile) -> None:
    backend = LocalBackend(big_profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    queries = _queries()

    raw = sqlcipher.connect(str(big_profile.paths.database))
    raw.execute(f"PRAGMA key = \"x'{BENCH_KEY.hex()}'\"")
    raw.execute("PRAGMA cipher_log_level = NONE")

    def sql(statement: object) -> str:
        # Amira has no mandates: the list of mandated people is empty.
        return str(statement).replace("(__[POSTCOMPILE_mandated])", "(NULL)")

    def raw_same(q: str) -> list[tuple[object, ...]]:
        """Exactly the statements search() runs, on a bare connection."""
        params = {"q": fts5_query(q), "team": 1, "limit": 50}
        count = raw.execute(str(search._SQLITE_COUNT), {"q": params["q"]}).fetchone()[0]
        if count <= search.RANK_AT_MOST:
            return raw.execute(sql(search._SQLITE_RANKED), params).fetchall()
        rows = raw.execute(sql(search._SQLITE_RECENT_PEOPLE), params).fetchall()
        if len(rows) < 50:
            params["limit"] = 50 - len(rows)
            rows += raw.execute(sql(search._SQLITE_RECENT_OTHERS), params).fetchall()
        return rows

    for q in queries:  # warm the page cache for every variant
        raw.execute(RAW, (fts5_query(q),)).fetchall()
        raw_same(q)
        people_ops.search(q).call(backend)
    ranked: list[float] = []
    same: list[float] = []
    ours: list[float] = []
    for q in queries:
        fts = fts5_query(q)
        r, b, o = timed_together(
            [
                lambda fts=fts: raw.execute(RAW, (fts,)).fetchall(),
                lambda q=q: raw_same(q),
                lambda q=q: people_ops.search(q).call(backend),
            ],
            3,
        )
        ranked += r
        same += b
        ours += o
    raw.close()
    report(
        f"search, per query ({len(queries)} queries x 3)",
        [
            ("raw FTS5, same statements as search()", *summary(same)),
            ("Alongside search() (caseload, records)", *summary(ours)),
            ("raw FTS5 MATCH ORDER BY rank LIMIT 50", *summary(ranked)),
        ],
        what="search, p50 / p95",
        goal="≤ 1.2x and under 50 ms",
        p95=True,
    )
    assert people_ops.search("bank").call(backend).hits, (
        "the benchmark profile has notes about bank statements"
    )
