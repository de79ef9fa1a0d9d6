"""One search over people, cases and notes, limited to the people the worker
may see: their team's caseload, or people under a mandate in force to them
(``delegation.visibility.seen_now``, one query). Each search is one audit entry.

On SQLite the index is the FTS5 table ``search_index`` kept current by
triggers (see the migration); its rowid encodes the source row, so updates
touch one index row. On PostgreSQL the same function uses full-text search
over expression indexes. Either way the caller gets ``SearchHit`` values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import BindParameter, bindparam, not_, select, text
from sqlalchemy.orm import Session

from casework.casefile.access import PERSON_FIELDS
from casework.kernel.models import Person
from casework.kernel.records import Actor, HitKind, SearchHit, SearchResults
from casework.kernel.validators import require_text
from delegation.policy import CASELOAD_CATEGORIES
from delegation.visibility import Seen, record_listing, seen_now

# rowid = source id * 4 + kind code: the triggers in the migration agree.
KIND_CODES = {1: "person", 2: "case", 3: "note"}
_KINDS = {code: HitKind(kind) for code, kind in KIND_CODES.items()}
MAX_TERMS = 8
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts5_query(user_text: str) -> str | None:
    """Turn what a worker typed into a safe FTS5 prefix query, or None.

    Each word is quoted (so no FTS5 syntax can be injected) and made a prefix
    match, and all words must appear: "jo smi" finds "John Smith".
    """
    terms = _TOKEN.findall(user_text)[:MAX_TERMS]
    if not terms:
        return None
    return " ".join('"' + t.replace('"', '""') + '"*' for t in terms)


def search(session: Session, actor: Actor, user_text: str, limit: int = 50) -> SearchResults:
    """Best matches first; an empty or punctuation-only query finds nothing."""
    require_text({"search": user_text})
    seen = seen_now(session, actor)  # during an assisted session: its person, nobody else
    team, mandated = seen.team_id, list(seen.mandated)
    readable: dict[int, str] | None = None  # read with the hits, where the index can
    if session.get_bind().dialect.name == "postgresql":
        hits = _search_postgres(session, team, user_text, limit, mandated)
    else:
        hits, readable = _search_sqlite(session, team, user_text, limit, mandated)
    outside = _outside_caseload(session, actor, seen)
    hits = _within_mandates(hits, outside, user_text)
    hits = _caseload_people(session, hits, outside, user_text, readable)
    record_listing(session, actor, "search", len({h.person_id for h in hits}))
    return SearchResults(query=user_text, hits=tuple(hits))


def _every_term_starts_a_word(text: str, user_text: str) -> bool:
    """Every word typed starts a word of ``text``, as the index matches
    (no accents, no case: "sian" finds "Siân")."""
    words = [_fold(w) for w in _TOKEN.findall(text)]
    terms = [_fold(t) for t in _TOKEN.findall(user_text)[:MAX_TERMS]]
    return all(any(w.startswith(t) for w in words) for t in terms)


def _outside_caseload(session: Session, actor: Actor, seen: Seen) -> set[int]:
    """The people the actor sees only under a mandate (not in their team caseload)."""
    if not seen.mandated:
        return set()
    in_caseload = Seen(actor.team_id, (), seen.walled, None).filter()
    return set(
        session.scalars(select(Person.id).where(Person.id.in_(seen.mandated), not_(in_caseload)))
    )


def _within_mandates(hits: list[SearchHit], outside: set[int], user_text: str) -> list[SearchHit]:
    """Someone seen only under a mandate is found by name, and no more: their
    cases and notes may be outside the scope, and the index's person text holds
    identifiers the scope may not grant (finding them by an NHS number would
    tell which number is theirs), so only a match on the name counts, and only
    the name is shown."""
    return [
        replace(hit, snippet=hit.title) if hit.person_id in outside else hit
        for hit in hits
        if hit.person_id not in outside
        or (hit.kind == "person" and _every_term_starts_a_word(hit.title, user_text))
    ]


# The person fields in the search index that the team caseload may read (the
# NHS number is health, which the caseload withholds): a person hit in the
# caseload must match, and show, only these.
CASELOAD_FIELDS = tuple(
    f
    for f in ("given_name", "family_name", "ni_number", "postcode", "email")
    if PERSON_FIELDS[f] in CASELOAD_CATEGORIES
)


def _readable(values: Sequence[object]) -> str:
    """A person's readable fields (``CASELOAD_FIELDS`` order) as one text."""
    return " ".join(str(v) for v in values if v)


@lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """As the index compares words: no accents, no case. (Names and
    postcodes recur from one search to the next: each is folded once.)"""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _caseload_people(
    session: Session,
    hits: list[SearchHit],
    outside: set[int],
    user_text: str,
    readable: dict[int, str] | None = None,
) -> list[SearchHit]:
    """A person hit from the caseload counts only if every word typed starts a
    word of a field the caseload may read, and its snippet is made from those
    fields alone: a withheld field (the NHS number) is never shown, and a hit
    on it alone is dropped (it would tell whose number it is). People seen only
    under a mandate were already cut down to their name.

    ``readable`` is each person hit's readable text when the search read it
    with the hits; otherwise it is read here, as plain columns."""
    wanted = [h.person_id for h in hits if h.kind == "person" and h.person_id not in outside]
    if not wanted:
        return hits
    if readable is None:
        fields = [getattr(Person, f) for f in CASELOAD_FIELDS]
        readable = {
            person_id: _readable(values)
            for person_id, *values in session.connection().execute(
                select(Person.id, *fields).where(Person.id.in_(wanted))
            )
        }
    terms = [_fold(t) for t in _TOKEN.findall(user_text)[:MAX_TERMS]]
    any_term = tuple(terms)  # str.startswith(tuple): does the word start with any term?
    shown: list[SearchHit] = []
    for hit in hits:
        text = readable.get(hit.person_id)
        if hit.kind != "person" or hit.person_id in outside or text is None:
            shown.append(hit)
            continue
        snippet = _marked(text, terms, any_term)
        if snippet is not None:  # made whole: dataclasses.replace costs more than the rest
            shown.append(
                SearchHit(hit.kind, hit.person_id, hit.case_id, hit.title, snippet, hit.score)
            )
    return shown


@lru_cache(maxsize=256)
def _ascii_patterns(terms: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """For plain ASCII text, where folding is only lower case: one pattern per
    term (does it start a word?) and one for the whole of each word that
    starts with any term. The terms are folded and not empty."""
    flags = re.ASCII | re.IGNORECASE
    each = tuple(re.compile(r"(?<!\w)" + re.escape(t), flags) for t in terms)
    alternatives = "|".join(re.escape(t) for t in terms)
    return each, re.compile(r"(?<!\w)(?:" + alternatives + r")\w*", flags)


def _bracketed(word: re.Match[str]) -> str:
    # A function, not a template such as r"[\g<0>]": Python expands a
    # template in Python code for every match, which costs more.
    return f"[{word[0]}]"


def _marked(text: str, terms: list[str], any_term: tuple[str, ...]) -> str | None:
    """``text`` with each word that starts with a term in [ ], or None when
    some term starts no word (as ``_every_term_starts_a_word``, with the terms
    folded once). Plain ASCII text is matched by regular expressions, which
    run in C: lower case is all folding does to it, and it leaves every word
    where it was."""
    if text.isascii() and all(any_term) and any_term:  # no empty term: it starts every word
        each, word = _ascii_patterns(any_term)
        if not all(p.search(text) for p in each):
            return None
        return word.sub(_bracketed, text)
    words = [_fold(w) for w in _TOKEN.findall(text)]
    if not all(any(w.startswith(t) for w in words) for t in terms):
        return None
    marks = iter([w.startswith(any_term) for w in words])
    return _TOKEN.sub(lambda word: f"[{word[0]}]" if next(marks) else word[0], text)


# Seen: the caseload (without people who exist only through an assisted
# session), or a person under a mandate in force (ids from Python).
_VISIBLE = (
    "((p.team_id = :team AND p.id NOT IN "
    "(SELECT a.person_id FROM assisted_sessions AS a WHERE a.outcome = 'open')) "
    "OR p.id IN :mandated)"
)
_MANDATED: BindParameter[list[int]] = bindparam("mandated", expanding=True)


# Ranking (bm25) costs a look-up per matching row: cheap for a name, slow
# for a word in 100,000 notes. Above this many matches the index is read
# newest first instead, people before cases and notes, which stops early.
RANK_AT_MOST = 2_000

_SQLITE_COUNT = text("SELECT count(*) FROM search_index WHERE search_index MATCH :q")

# Each hit brings its person's readable fields (``_caseload_people`` checks a
# person hit against them), so they need no second query.
_READABLE = ", ".join(f"p.{f}" for f in CASELOAD_FIELDS)

_SQLITE_RANKED = text(
    f"""
    SELECT s.rowid, s.person_id, s.case_id, s.title,
           snippet(search_index, 0, '[', ']', '…', 10) AS snip, s.rank, {_READABLE}
    FROM search_index AS s
    JOIN people AS p ON p.id = s.person_id
    WHERE search_index MATCH :q AND {_VISIBLE}
    ORDER BY s.rank
    LIMIT :limit
    """
).bindparams(_MANDATED)

_SQLITE_RECENT = """
    SELECT s.rowid, s.person_id, s.case_id, s.title,
           snippet(search_index, 0, '[', ']', '…', 10) AS snip, 0.0, {readable}
    FROM search_index AS s
    JOIN people AS p ON p.id = s.person_id
    WHERE search_index MATCH :q AND {visible} AND {kinds}
    ORDER BY s.rowid DESC
    LIMIT :limit
"""
_SQLITE_RECENT_PEOPLE = text(
    _SQLITE_RECENT.format(visible=_VISIBLE, kinds="s.rowid % 4 = 1", readable=_READABLE)
).bindparams(_MANDATED)
_SQLITE_RECENT_OTHERS = text(
    _SQLITE_RECENT.format(visible=_VISIBLE, kinds="s.rowid % 4 != 1", readable=_READABLE)
).bindparams(_MANDATED)


def _search_sqlite(
    session: Session, team: int | None, user_text: str, limit: int, mandated: list[int]
) -> tuple[list[SearchHit], dict[int, str]]:
    """The hits, and the readable text of each person hit's person."""
    query = fts5_query(user_text)
    if query is None:
        return [], {}
    connection = session.connection()
    params = {"q": query, "team": team, "limit": limit, "mandated": mandated}
    matches = connection.execute(_SQLITE_COUNT, {"q": query}).scalar_one()
    if matches <= RANK_AT_MOST:
        rows = connection.execute(_SQLITE_RANKED, params).all()
    else:
        rows = connection.execute(_SQLITE_RECENT_PEOPLE, params).all()
        if len(rows) < limit:
            params["limit"] = limit - len(rows)
            rows = [*rows, *connection.execute(_SQLITE_RECENT_OTHERS, params).all()]
    hits = [
        SearchHit(
            kind=_KINDS[rowid % 4],
            person_id=person_id,
            case_id=case_id,
            title=title,
            snippet=snip,
            score=float(rank),
        )
        for rowid, person_id, case_id, title, snip, rank, *_ in rows
    ]
    readable = {row[1]: _readable(row[6:]) for row in rows if row[0] % 4 == 1}
    return hits, readable


# The best ``limit`` hits are chosen first; only those get a highlighted
# snippet (ts_headline reads the whole text), marked like SQLite's snippet().
_PG_SQL = text(
    """
    WITH q AS (SELECT to_tsquery('simple', :q) AS query),
    best AS (
        SELECT 'person' AS kind, p.id AS person_id, NULL::integer AS case_id,
               p.given_name || ' ' || p.family_name AS title,
               {person_doc} AS doc,
               ts_rank(to_tsvector('simple', {person_doc}), q.query) AS score,
               p.id * 4 + 1 AS tiebreak
        FROM people p, q
        WHERE {visible} AND to_tsvector('simple', {person_doc}) @@ q.query
        UNION ALL
        SELECT 'case', c.person_id, c.id, c.reference || ' ' || c.title,
               {case_doc},
               ts_rank(to_tsvector('simple', {case_doc}), q.query),
               c.id * 4 + 2
        FROM cases c JOIN people p ON p.id = c.person_id, q
        WHERE {visible} AND to_tsvector('simple', {case_doc}) @@ q.query
        UNION ALL
        SELECT 'note', c.person_id, c.id, c.reference || ' ' || c.title,
               n.body,
               ts_rank(to_tsvector('simple', n.body), q.query),
               n.id * 4 + 3
        FROM notes n JOIN cases c ON c.id = n.case_id JOIN people p ON p.id = c.person_id, q
        WHERE {visible} AND to_tsvector('simple', n.body) @@ q.query
        ORDER BY score DESC, tiebreak DESC
        LIMIT :limit
    )
    SELECT best.kind, best.person_id, best.case_id, best.title,
           ts_headline('simple', best.doc, q.query,
                       'StartSel="[", StopSel="]", MaxWords=10, MinWords=3, MaxFragments=1'),
           best.score
    FROM best, q
    ORDER BY best.score DESC, best.tiebreak DESC
    """.format(
        person_doc=(
            "p.given_name || ' ' || p.family_name || ' ' || coalesce(p.ni_number, '') || ' ' "
            "|| coalesce(p.nhs_number, '') || ' ' || coalesce(p.postcode, '') || ' ' "
            "|| coalesce(p.email, '')"
        ),
        case_doc="c.reference || ' ' || c.title || ' ' || c.service_id",
        visible=_VISIBLE,
    )
).bindparams(_MANDATED)

# The same expressions, for the GIN indexes the PostgreSQL migration creates.
PG_PERSON_DOCUMENT = (
    "given_name || ' ' || family_name || ' ' || coalesce(ni_number, '') || ' ' "
    "|| coalesce(nhs_number, '') || ' ' || coalesce(postcode, '') || ' ' "
    "|| coalesce(email, '')"
)


def _search_postgres(
    session: Session, team: int | None, user_text: str, limit: int, mandated: list[int]
) -> list[SearchHit]:
    terms = _TOKEN.findall(user_text.lower())[:MAX_TERMS]
    if not terms:
        return []
    query = " & ".join(f"{t}:*" for t in terms)
    rows = session.execute(
        _PG_SQL, {"q": query, "team": team, "limit": limit, "mandated": mandated}
    )
    return [
        SearchHit(
            kind=kind,
            person_id=pid,
            case_id=cid,
            title=title,
            snippet=snip or "",
            score=-float(score),
        )
        for kind, pid, cid, title, snip, score in rows
    ]
