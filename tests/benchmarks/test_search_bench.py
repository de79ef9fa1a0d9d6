"""Search latency: our search (caseload filter, SQLAlchemy, records) against
the same raw FTS5 query on a bare SQLCipher connection, in the same run."""

from __future__ import annotations

import random

import sqlcipher3.dbapi2 as sqlcipher

from app.backend import LocalBackend
from app.demo import DEMO_PASSWORD, FAMILY, GIVEN
from app.profile import OpenProfile
from casework.search import fts5_query
from tests.benchmarks.conftest import BENCH_KEY, report, summary, timed

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

    def run_raw() -> None:
        for q in queries:
            raw.execute(RAW, (fts5_query(q),)).fetchall()

    def run_ours() -> None:
        for q in queries:
            backend.search(q)

    run_raw(), run_ours()  # warm the page cache for both
    raw_samples = [s / len(queries) for s in timed(run_raw, 5)]
    our_samples = [s / len(queries) for s in timed(run_ours, 5)]
    per_query_raw = []
    per_query_ours = []
    for q in queries:
        per_query_raw += timed(lambda q=q: raw.execute(RAW, (fts5_query(q),)).fetchall(), 3)
        per_query_ours += timed(lambda q=q: backend.search(q), 3)
    raw.close()
    report(
        "search, per query (60 queries x 3; 100k people, ~1M notes)",
        [
            ("raw FTS5 MATCH (no caseload filter)", *summary(per_query_raw)),
            ("Alongside search()", *summary(per_query_ours)),
        ],
    )
    report(
        "search, whole batch mean per query",
        [("raw FTS5 MATCH", *summary(raw_samples)), ("Alongside search()", *summary(our_samples))],
    )
    hits = backend.search("bank").hits
    assert hits, "the benchmark profile should find notes about bank statements"
