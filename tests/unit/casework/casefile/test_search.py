"""Search over people, cases and notes (casework.casefile.search) on the real FTS5 index.

Whatever a worker types, search never fails and never reaches past their
team's caseload.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import session_factory
from app.demo import people as demo_people
from app.demo.vocabulary import FAMILY, GIVEN
from app.profile import OpenProfile
from casework.casefile import search as casefile_search
from casework.casefile.cases import case_detail, open_case
from casework.casefile.notes import add_note, edit_note
from casework.casefile.people import create_person, update_person
from casework.casefile.search import MAX_TERMS, fts5_query, search
from casework.kernel.accounts import actor_for
from casework.kernel.errors import InvalidInput
from casework.kernel.models import Case, Note, Person, Worker
from casework.kernel.records import Actor, SearchHit, SearchResults
from delegation.visibility import mandated_person_ids, seen_now
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input


@dataclass(frozen=True)
class Known:
    """Rows made for these tests, with words found nowhere in the demo data."""

    zebedee: int
    zebedee_case: int
    reference: str
    note: int
    sian: int
    ophelia: int  # in Northgate's caseload, not Riverside's


@pytest.fixture(scope="module")
def known(shared_write: WriteSession, shared_actor: Callable[[str], Actor]) -> Known:
    amira, sam = shared_actor("amira"), shared_actor("sam")
    with shared_write() as session:
        zebedee = create_person(
            session,
            amira,
            person_input(
                given_name="Zebedee",
                family_name="Quartermaine",
                ni_number="ZX 98 76 54 A",
                postcode="LL57 2PW",
                email="zeb.q@example.net",
            ),
        )
        case = open_case(session, amira, zebedee, "blue-badge", "Blue Badge renewal")
        note = add_note(session, amira, case, "Discussed the xylophone lessons and the bus pass.")
        sian = create_person(session, amira, person_input(given_name="Siân", family_name="ap Rhys"))
        ophelia = create_person(
            session, sam, person_input(given_name="Ophelia", family_name="Wolstenholme")
        )
        reference = case_detail(session, amira, case).reference
    return Known(zebedee, case, reference, note, sian, ophelia)


@pytest.fixture(scope="module")
def find(
    shared_profile: OpenProfile, shared_actor: Callable[[str], Actor]
) -> Callable[..., SearchResults]:
    """``find(text, as_="amira")``: search in a read transaction, as the backend does."""
    actors = {name: shared_actor(name) for name in ("amira", "sam")}

    def _find(text: str, as_: str = "amira", limit: int = 50) -> SearchResults:
        with session_factory(shared_profile.engine).begin() as session:
            return search(session, actors[as_], text, limit)

    return _find


def _people_ids(results: SearchResults) -> set[int]:
    return {h.person_id for h in results.hits if h.kind == "person"}


# -- finding things ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Zebedee",
        "zebedee quartermaine",
        "QUARTERMAINE",
        "zeb quar",  # every word a prefix: "jo smi" finds "John Smith"
        "Quartermaine, Zebedee",
        "ZX987654A",  # NI number
        "LL57 2PW",  # postcode
        "ll57",
        "zeb.q@example.net",
    ],
)
def test_people_are_found_by_name_identifier_postcode_and_email(
    find: Callable[..., SearchResults], known: Known, text: str
) -> None:
    results = find(text)
    assert results.query == text
    assert known.zebedee in _people_ids(results)
    [hit] = [h for h in results.hits if h.kind == "person" and h.person_id == known.zebedee]
    assert hit.title == "Zebedee Quartermaine"
    assert hit.case_id is None


def test_accents_do_not_matter(find: Callable[..., SearchResults], known: Known) -> None:
    assert known.sian in _people_ids(find("sian"))
    assert known.sian in _people_ids(find("Siân ap Rhys"))


def test_cases_are_found_by_reference_and_title(
    find: Callable[..., SearchResults], known: Known
) -> None:
    for text in (known.reference, known.reference.lower(), "blue badge renewal"):
        cases = [h for h in find(text).hits if h.kind == "case"]
        assert known.zebedee_case in {h.case_id for h in cases}, text
    [hit] = [h for h in find(known.reference).hits if h.kind == "case"]
    assert hit.person_id == known.zebedee
    assert hit.title == f"{known.reference} Blue Badge renewal"


def test_notes_are_found_by_their_words_with_a_snippet(
    find: Callable[..., SearchResults], known: Known
) -> None:
    [hit] = find("xylophone").hits
    assert hit.kind == "note"
    assert (hit.person_id, hit.case_id) == (known.zebedee, known.zebedee_case)
    assert "[xylophone]" in hit.snippet


def test_words_that_are_not_there_find_nothing(find: Callable[..., SearchResults]) -> None:
    assert find("zebedee xylophonist").hits == ()
    assert find("qwertyuiop").hits == ()


def test_the_index_follows_edits(profile: OpenProfile, write: WriteSession) -> None:
    demo_people.ensure_workers(profile.engine)
    with write() as session:
        amira = actor_for(session.scalars(select(Worker).where(Worker.username == "amira")).one())
        person = create_person(session, amira, person_input(family_name="Brightwater"))
        case = open_case(session, amira, person, "blue-badge", "Blue Badge")
        note = add_note(session, amira, case, "Mentioned the allotment")
    with write() as session:
        update_person(session, amira, person, 1, person_input(family_name="Darkwater"))
        edit_note(session, amira, note, 1, "Mentioned the greenhouse")

    def people(text: str) -> set[int]:
        with session_factory(profile.engine).begin() as session:
            return {h.person_id for h in search(session, amira, text).hits}

    assert people("brightwater") == set()
    assert people("darkwater") == {person}
    assert people("allotment") == set()
    assert people("greenhouse") == {person}


def test_a_worker_whose_account_was_closed_finds_nobody(
    profile: OpenProfile, write: WriteSession
) -> None:
    """Search asks whether the account is still active, as the lists do: an
    actor signed in before their account was closed finds no one, not even
    in their team's caseload."""
    demo_people.ensure_workers(profile.engine)
    with write() as session:
        worker = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        amira = actor_for(worker)
        person = create_person(session, amira, person_input(family_name="Brightwater"))

    def people(text: str) -> set[int]:
        with session_factory(profile.engine).begin() as session:
            return {h.person_id for h in search(session, amira, text).hits}

    assert people("brightwater") == {person}
    with write() as session:
        session.get_one(Worker, amira.worker_id).active = False
    assert people("brightwater") == set()


def test_results_respect_the_limit(find: Callable[..., SearchResults]) -> None:
    assert len(find("e", limit=5).hits) == 5
    assert len(find("e", limit=1).hits) == 1


# -- the caseload wall -----------------------------------------------------------


def test_another_team_does_not_find_riverside_people(
    find: Callable[..., SearchResults], known: Known
) -> None:
    for text in ("zebedee", "ZX987654A", "xylophone", known.reference, "sian"):
        assert find(text).hits, text
        assert find(text, as_="sam").hits == (), text


def test_riverside_does_not_find_northgate_people(
    find: Callable[..., SearchResults], known: Known
) -> None:
    assert _people_ids(find("wolstenholme", as_="sam")) == {known.ophelia}
    assert find("wolstenholme").hits == ()


def _team_of(shared_profile: OpenProfile) -> dict[int, int]:
    with session_factory(shared_profile.engine).begin() as session:
        return {pid: tid for pid, tid in session.execute(select(Person.id, Person.team_id))}


@pytest.mark.parametrize("as_", ["amira", "sam"])
def test_broad_searches_stay_inside_the_caseload(
    find: Callable[..., SearchResults],
    shared_profile: OpenProfile,
    shared_actor: Callable[[str], Actor],
    known: Known,
    as_: str,
) -> None:
    team = shared_actor(as_).team_id
    team_of = _team_of(shared_profile)
    for text in ("a", "e", "the", "0", "case", "blue"):
        hits = find(text, as_=as_, limit=500).hits
        assert all(team_of[h.person_id] == team for h in hits), text


# -- whatever is typed -----------------------------------------------------------


@pytest.mark.parametrize("text", ["\x00", "smith\udc80", "\x1b[2J"])
def test_text_that_cannot_be_searched_for_is_refused_in_words(
    find: Callable[..., SearchResults], text: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        find(text)
    assert list(caught.value.fields) == ["search"]


@pytest.mark.parametrize(
    ("text", "finds_zebedee"),
    [
        ('"zebedee"', True),
        ('"zebedee', True),
        ('zebedee"', True),
        ('""zebedee""', True),
        ("zebedee*", True),
        ("*zebedee", True),
        ("zeb*edee", False),  # two words, "zeb" and "edee": the second matches nothing
        ("-zebedee", True),  # not FTS5's NOT: a worker's dash is punctuation
        ("zebedee -quartermaine", True),
        ("(zebedee", True),
        ("zebedee)", True),
        ("((zebedee quartermaine)", True),
        ("zebedee^", True),
        ("^zebedee", True),
        ("{given_name}: zebedee", False),
        ("zebedee'; DROP TABLE people; --", False),
        ("NEAR(zebedee quartermaine)", False),
        ("NEAR(", False),
        ("zebedee OR", False),
        ("OR zebedee", False),
        ("zebedee AND quartermaine", False),
        ("NOT", False),
        ("*", False),
        ('"', False),
        ("'", False),
        ("(", False),
        (")", False),
        ("-", False),
        (":", False),
        ("%", False),
        ("\\", False),
        ("", False),
        ("   ", False),
        ("\t\n ", False),
        ("🙂", False),
    ],
)
def test_fts5_syntax_and_injection_never_raise(
    find: Callable[..., SearchResults],
    known: Known,
    shared_profile: OpenProfile,
    text: str,
    finds_zebedee: bool,
) -> None:
    results = find(text)
    assert results.query == text
    assert (known.zebedee in _people_ids(results)) is finds_zebedee
    team_of = _team_of(shared_profile)
    assert all(team_of[h.person_id] == team_of[known.zebedee] for h in results.hits)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "!!!", "***", '""', "()"])
def test_empty_or_punctuation_only_finds_nothing(
    find: Callable[..., SearchResults], text: str
) -> None:
    assert fts5_query(text) is None
    assert find(text).hits == ()


def test_an_injection_attempt_leaves_the_tables_alone(
    find: Callable[..., SearchResults], shared_profile: OpenProfile
) -> None:
    def counts(session: Session) -> tuple[int | None, ...]:
        return tuple(
            session.scalar(select(func.count()).select_from(t)) for t in (Person, Case, Note)
        )

    with session_factory(shared_profile.engine).begin() as session:
        before = counts(session)
    find("x'); DELETE FROM people; --")
    find('" OR 1=1; DROP TABLE search_index; --')
    with session_factory(shared_profile.engine).begin() as session:
        assert counts(session) == before


def test_very_long_input_is_cut_to_a_few_words(
    find: Callable[..., SearchResults], known: Known
) -> None:
    assert known.zebedee in _people_ids(find("zebedee " * 5_000))
    assert find("z" * 100_000).hits == ()
    query = fts5_query("one two three four five six seven eight nine ten")
    assert query is not None and query.count("*") == MAX_TERMS
    assert "nine" not in query


def test_the_fts5_query_quotes_every_word() -> None:
    assert fts5_query('jo smi"th') == '"jo"* "smi"* "th"*'
    assert fts5_query("NEAR(a b)") == '"NEAR"* "a"* "b"*'


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(
        st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=60
    )
)
def test_any_text_at_all(
    find: Callable[..., SearchResults], shared_profile: OpenProfile, text: str
) -> None:
    results = find(text)
    assert results.query == text
    assert len(results.hits) <= 50
    riverside = find("zebedee").hits[0].person_id
    team_of = _team_of(shared_profile)
    assert all(team_of[h.person_id] == team_of[riverside] for h in results.hits)


def test_a_caseload_hit_never_shows_or_matches_a_withheld_field(
    shared_write: WriteSession,
    shared_actor: Callable[[str], Actor],
    find: Callable[..., SearchResults],
) -> None:
    """The caseload withholds health, so the NHS number is neither shown in a
    snippet nor enough to find someone (that would say whose number it is)."""
    amira = shared_actor("amira")
    with shared_write() as session:
        person = create_person(
            session,
            amira,
            person_input(
                given_name="Perpetua", family_name="Thistlethwaite", nhs_number="4857773457"
            ),
        )
        stored = session.get(Person, person)
        assert stored is not None and stored.nhs_number
        nhs = stored.nhs_number
    by_name = [h for h in find("Thistlethwaite").hits if h.person_id == person]
    assert len(by_name) == 1 and "[Thistlethwaite]" in by_name[0].snippet
    assert "4857773457" not in by_name[0].snippet.replace(" ", "")
    assert nhs not in by_name[0].snippet
    by_number = find("4857773457")
    assert person not in {h.person_id for h in by_number.hits}
    assert all("4857773457" not in h.snippet.replace(" ", "") for h in by_number.hits)
    both = find("Perpetua 4857773457")
    assert person not in {h.person_id for h in both.hits}


# -- the same answers as before the fast path (issue 15) ---------------------------


def _fold_before(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _caseload_people_before(
    session: Session, hits: list[SearchHit], outside: set[int], user_text: str
) -> list[SearchHit]:
    """``_caseload_people`` as it was: whole ``Person`` records, no fold cache."""
    wanted = [h.person_id for h in hits if h.kind == "person" and h.person_id not in outside]
    if not wanted:
        return hits
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
    terms = [_fold_before(t) for t in re.findall(r"\w+", user_text)[: casefile_search.MAX_TERMS]]

    def starts(text: str) -> bool:
        words = [_fold_before(w) for w in re.findall(r"\w+", text)]
        return all(any(w.startswith(t) for w in words) for t in terms)

    shown: list[SearchHit] = []
    for hit in hits:
        person = people.get(hit.person_id)
        if hit.kind != "person" or hit.person_id in outside or person is None:
            shown.append(hit)
            continue
        readable = " ".join(
            str(v) for f in casefile_search.CASELOAD_FIELDS if (v := getattr(person, f))
        )
        if not starts(readable):
            continue
        snippet = re.sub(
            r"\w+",
            lambda m: f"[{m[0]}]" if any(_fold_before(m[0]).startswith(t) for t in terms) else m[0],
            readable,
        )
        shown.append(replace(hit, snippet=snippet))
    return shown


@pytest.mark.parametrize("who", ["amira", "sam"])
def test_search_answers_as_it_did_before_the_fast_path(
    shared_profile: OpenProfile,
    shared_actor: Callable[[str], Actor],
    known: Known,
    who: str,
) -> None:
    actor = shared_actor(who)
    queries = [
        *FAMILY[:12],
        *(f[:3] for f in FAMILY[12:24]),
        *(f"{g} {f[:2]}" for g, f in zip(GIVEN[:8], FAMILY[30:38], strict=True)),
        "sian",
        "Zebedee",
        "LL57 2PW",
        "cf",
        "bank",
        "council",
        "a",
    ]
    people_found = 0
    with session_factory(shared_profile.engine).begin() as session:
        for text in queries:
            seen = seen_now(session, actor)
            mandated = list(seen.mandated)
            assert mandated == mandated_person_ids(session, actor)  # no session runs here
            hits, _ = casefile_search._search_sqlite(session, actor.team_id, text, 50, mandated)
            outside = casefile_search._outside_caseload(session, actor, seen)
            hits = casefile_search._within_mandates(hits, outside, text)
            before = tuple(_caseload_people_before(session, hits, outside, text))
            assert search(session, actor, text).hits == before, text
            people_found += sum(h.kind == "person" for h in before)
    assert people_found > 5  # the comparison covers the person hits it is about


def _marked_word_by_word(text: str, terms: list[str]) -> str | None:
    """``_marked`` as it was for ASCII text: the words folded one by one."""
    words = re.findall(r"\w+", text.lower())
    if not all(any(w.startswith(t) for w in words) for t in terms):
        return None
    return re.sub(
        r"\w+",
        lambda m: f"[{m[0]}]" if any(m[0].lower().startswith(t) for t in terms) else m[0],
        text,
    )


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet="ajoJSs -_'1", max_size=30),
    typed=st.lists(st.text(alphabet="ajoJSs1_ßıé", min_size=1, max_size=3), min_size=1, max_size=3),
)
@example(text="jo ajo Jo_jo jo-a", typed=["jo"])
@example(text="SMITH smith-x 1a", typed=["sm", "X", "1"])
@example(text="ss Strasse", typed=["ß"])
@example(text="Dai", typed=["dı"])
def test_ascii_marking_by_pattern_marks_as_word_by_word(text: str, typed: list[str]) -> None:
    """The regular expressions for ASCII text find and mark the same words as
    folding each word and comparing: upper case, digits, underscores,
    punctuation, and typed letters that fold to ASCII (ß) or do not (ı, é)."""
    terms = [casefile_search._fold(t) for t in typed]
    got = casefile_search._marked(text, terms, tuple(terms))
    assert got == _marked_word_by_word(text, terms)
