"""The people list at 100,000 people: the first page after sign-in, and
scrolling to the end, against the same data read by raw SQL on a bare
SQLCipher connection in the same run."""

from __future__ import annotations

import os

import sqlcipher3.dbapi2 as sqlcipher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QTableView

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from tests.benchmarks.conftest import BENCH_KEY, report, summary, timed_together
from ui.operations import people as people_ops
from ui.people.model import PAGE, PeopleModel

RAW_IDS = "SELECT id FROM people WHERE team_id = ? ORDER BY family_name, given_name, id"
RAW_PAGE = (
    "SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.postcode, "
    "(SELECT count(*) FROM cases c WHERE c.person_id = p.id AND c.status != 'closed') "
    "FROM people p WHERE p.id IN ({marks}) AND p.team_id = ?"
)


def test_people_list_first_page_and_scroll_to_end(big_profile: OpenProfile) -> None:
    app = QApplication.instance() or QApplication([])
    backend = LocalBackend(big_profile)
    actor = backend.sign_in("amira", DEMO_PASSWORD)

    raw = sqlcipher.connect(str(big_profile.paths.database))
    raw.execute(f"PRAGMA key = \"x'{BENCH_KEY.hex()}'\"")
    raw.execute("PRAGMA cipher_log_level = NONE")

    def raw_page(ids: list[int]) -> list[tuple[object, ...]]:
        sql = RAW_PAGE.format(marks=",".join("?" * len(ids)))
        return raw.execute(sql, [*ids, actor.team_id]).fetchall()

    def raw_first() -> None:
        ids = [r[0] for r in raw.execute(RAW_IDS, (actor.team_id,))]
        raw_page(ids[:PAGE])

    ids = [r[0] for r in raw.execute(RAW_IDS, (actor.team_id,))]

    def raw_end() -> None:
        raw_page(ids[-PAGE:])

    view = QTableView()
    view.resize(500, 700)
    view.show()

    def ours_first() -> None:
        """As the window does after sign-in: the caseload and its first page
        in one operation, then the view paints them."""
        model = PeopleModel(backend)
        model.set_ids(*people_ops.list_people(PAGE).call(backend))
        view.setModel(model)
        view.scrollToTop()
        app.processEvents()  # the view paints the first page
        assert model.index(0, 0).data() != "…"

    model = PeopleModel(backend)
    model.set_ids(people_ops.list_person_ids().call(backend))
    view.setModel(model)

    def ours_end() -> None:
        model.refresh_rows()  # forget cached pages, as after a change
        view.scrollToBottom()
        app.processEvents()
        view.scrollToTop()

    def paint_only() -> None:
        view.scrollToBottom()
        app.processEvents()  # rows cached: only the view's own work
        view.scrollToTop()
        app.processEvents()

    for fn in (raw_first, ours_first, raw_end, ours_end, paint_only):
        fn()  # warm caches
    repeat = 15
    raw_f, ours_f = timed_together([raw_first, ours_first], repeat)
    report(
        f"people list, first page after sign-in ({len(ids):,} people in the caseload)",
        [
            ("raw SQL: ids in name order + one page", *summary(raw_f)),
            ("PeopleModel in a painted QTableView", *summary(ours_f)),
        ],
        what="first page of people after sign-in",
        goal="≤ 1.5x",
    )
    view.setModel(model)
    raw_e, ours_e, paint_e = timed_together([raw_end, ours_end, paint_only], repeat)
    report(
        "people list, scroll to the end (cache cleared each time)",
        [
            ("raw SQL: the last page", *summary(raw_e)),
            ("PeopleModel: scrollToBottom + paint", *summary(ours_e)),
            ("paint only, end and top, rows cached", *summary(paint_e)),
        ],
    )
    assert model.index(model.rowCount() - 1, 0).data() != "…"
    view.close()
