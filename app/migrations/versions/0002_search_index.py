"""Search index: FTS5 with triggers on SQLite, GIN expression indexes on PostgreSQL.

The SQLite rowid of an index row is ``source id * 4 + kind`` (1 person,
2 case, 3 note), matching ``casework.casefile.search.KIND_CODES``, so a trigger
replaces exactly one index row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PERSON_BODY = (
    "{t}.given_name || ' ' || {t}.family_name || ' ' || coalesce({t}.ni_number, '') || ' ' "
    "|| coalesce({t}.nhs_number, '') || ' ' || coalesce({t}.postcode, '') || ' ' "
    "|| coalesce({t}.email, '')"
)
CASE_BODY = "{t}.reference || ' ' || {t}.title || ' ' || {t}.service_id"

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        body, title UNINDEXED, person_id UNINDEXED, case_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')""",
    # people
    f"""CREATE TRIGGER people_ai AFTER INSERT ON people BEGIN
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        VALUES (new.id * 4 + 1, {PERSON_BODY.format(t="new")},
                new.given_name || ' ' || new.family_name, new.id, NULL);
    END""",
    f"""CREATE TRIGGER people_au AFTER UPDATE OF given_name, family_name, ni_number,
            nhs_number, postcode, email ON people BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        VALUES (new.id * 4 + 1, {PERSON_BODY.format(t="new")},
                new.given_name || ' ' || new.family_name, new.id, NULL);
    END""",
    """CREATE TRIGGER people_ad AFTER DELETE ON people BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    END""",
    # cases
    f"""CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        VALUES (new.id * 4 + 2, {CASE_BODY.format(t="new")},
                new.reference || ' ' || new.title, new.person_id, new.id);
    END""",
    f"""CREATE TRIGGER cases_au AFTER UPDATE OF reference, title, service_id, person_id
            ON cases BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        VALUES (new.id * 4 + 2, {CASE_BODY.format(t="new")},
                new.reference || ' ' || new.title, new.person_id, new.id);
    END""",
    """CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    END""",
    # notes
    """CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        SELECT new.id * 4 + 3, new.body, c.reference || ' ' || c.title, c.person_id, c.id
        FROM cases AS c WHERE c.id = new.case_id;
    END""",
    """CREATE TRIGGER notes_au AFTER UPDATE OF body, case_id ON notes BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
        INSERT INTO search_index(rowid, body, title, person_id, case_id)
        SELECT new.id * 4 + 3, new.body, c.reference || ' ' || c.title, c.person_id, c.id
        FROM cases AS c WHERE c.id = new.case_id;
    END""",
    """CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
    END""",
    # rows that existed before this migration
    f"""INSERT INTO search_index(rowid, body, title, person_id, case_id)
        SELECT p.id * 4 + 1, {PERSON_BODY.format(t="p")}, p.given_name || ' ' || p.family_name,
               p.id, NULL FROM people AS p""",
    f"""INSERT INTO search_index(rowid, body, title, person_id, case_id)
        SELECT c.id * 4 + 2, {CASE_BODY.format(t="c")}, c.reference || ' ' || c.title,
               c.person_id, c.id FROM cases AS c""",
    """INSERT INTO search_index(rowid, body, title, person_id, case_id)
        SELECT n.id * 4 + 3, n.body, c.reference || ' ' || c.title, c.person_id, c.id
        FROM notes AS n JOIN cases AS c ON c.id = n.case_id""",
]

SQLITE_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_{event}"
        for table in ("people", "cases", "notes")
        for event in ("ai", "au", "ad")
    ),
    "DROP TABLE IF EXISTS search_index",
]

POSTGRES_UP = [
    "CREATE INDEX ix_people_search ON people USING gin "
    f"(to_tsvector('simple', {PERSON_BODY.format(t='people')}))",
    "CREATE INDEX ix_cases_search ON cases USING gin "
    f"(to_tsvector('simple', {CASE_BODY.format(t='cases')}))",
    "CREATE INDEX ix_notes_search ON notes USING gin (to_tsvector('simple', body))",
]

POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_people_search",
    "DROP INDEX IF EXISTS ix_cases_search",
    "DROP INDEX IF EXISTS ix_notes_search",
]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)
