"""Every item model of ours passes Qt's model tester, with real data."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester

from app.backend import LocalBackend
from ui.operations import people as people_ops
from ui.people.model import PAGE, PeopleModel
from ui.people.search import SearchModel


def test_people_model_is_a_valid_qt_model(
    qtmodeltester: ModelTester, backend: LocalBackend
) -> None:
    model = PeopleModel(backend)
    qtmodeltester.check(model, force_py=True)
    model.set_ids(people_ops.list_person_ids().call(backend))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(people_ops.list_person_ids().call(backend))


def test_people_model_reads_pages_lazily(backend: LocalBackend) -> None:
    ids = people_ops.list_person_ids().call(backend)
    model = PeopleModel(backend)
    model.set_ids(ids * 5)  # more than one page
    assert model.pages_fetched == 0
    last = model.rowCount() - 1
    assert model.index(last, 0).data()
    assert model.pages_fetched == 1
    assert model.index(last - 1, 0).data()
    assert model.pages_fetched == 1
    assert model.index(0, 0).data()
    assert model.pages_fetched == (2 if model.rowCount() > PAGE else 1)
    row = people_ops.person_rows([ids[0]]).call(backend)[0]
    assert model.index(0, 0).data() == f"{row.family_name}, {row.given_name}"


def test_search_model_is_a_valid_qt_model(
    qtmodeltester: ModelTester, backend: LocalBackend
) -> None:
    model = SearchModel()
    qtmodeltester.check(model, force_py=True)
    row = people_ops.person_rows(people_ops.list_person_ids().call(backend)[:1]).call(backend)[0]
    model.set_hits(people_ops.search(row.family_name).call(backend).hits)
    assert model.rowCount() >= 1
    qtmodeltester.check(model, force_py=True)


def test_people_model_rows_keep_their_own_person_when_one_is_left_out(
    backend: LocalBackend,
) -> None:
    """A person the worker can no longer see is left out of a page: the rows
    after them still show their own person, never their neighbour's."""
    ids = people_ops.list_person_ids().call(backend)[:2]
    gone = max(people_ops.list_person_ids().call(backend)) + 1000  # nobody
    model = PeopleModel(backend)
    model.set_ids([ids[0], gone, ids[1]])
    rows = {r.id: r for r in people_ops.person_rows(ids).call(backend)}
    assert model.index(0, 0).data() == f"{rows[ids[0]].family_name}, {rows[ids[0]].given_name}"
    assert model.index(1, 0).data() == "…"
    assert model.index(2, 0).data() == f"{rows[ids[1]].family_name}, {rows[ids[1]].given_name}"
    assert model.index(2, 0).data(PeopleModel.PersonIdRole) == ids[1]


def test_rows_read_with_the_ids_fill_the_first_page(backend: LocalBackend) -> None:
    """The list's first paint asks the database nothing when the first page
    came with the ids; a partial first page is not trusted."""
    ids, first = people_ops.list_people(PAGE).call(backend)
    model = PeopleModel(backend)
    model.set_ids(ids, first)
    assert model.index(0, 0).data() == f"{first[0].family_name}, {first[0].given_name}"
    assert model.index(len(first) - 1, 0).data() != "…"
    assert model.pages_fetched == 0
    partial = PeopleModel(backend)
    partial.set_ids(ids, first[:1])
    assert partial.index(len(first) - 1, 0).data() != "…"
    assert partial.pages_fetched == 1
