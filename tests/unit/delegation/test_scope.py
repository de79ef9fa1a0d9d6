"""Scopes (delegation.scope): exact matches only, canonical identifiers, no
empty lists, nothing inferred. Each test fails if its rule is taken away."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delegation.scope import (
    ACTIONS,
    CATEGORIES,
    Scope,
    ScopeDetail,
    ScopeError,
    case_scope_id,
    covers,
    make_scope,
    match,
    narrows,
    scope_from_json,
    scope_to_json,
)
from delegation.scope_words import describe

BLUE = ScopeDetail(service_id="blue-badge", actions={"view", "draft"}, categories={"identity"})


@pytest.mark.parametrize(
    ("smuggled", "words"),
    [
        ("Blue-Badge", "exactly as 'blue-badge'"),
        ("BLUE-BADGE", "exactly as 'blue-badge'"),
        (" blue-badge", "exactly as 'blue-badge'"),
        ("blue-badge ", "exactly as 'blue-badge'"),
        ("ｂｌｕｅ-badge", "exactly as 'blue-badge'"),  # full-width letters fold under NFKC
        ("blu\u0435-badge", "not a valid name"),  # Cyrillic е
        ("blue-badge\u200b", "not a valid name"),  # zero-width space
        ("*", "wildcard"),
        ("blue-*", "wildcard"),
        ("", "empty"),
        ("   ", "empty"),
        ("blue--badge", "not a valid name"),
        ("-blue", "not a valid name"),
        ("1blue", "not a valid name"),
    ],
)
def test_a_smuggled_identifier_is_refused_at_creation(smuggled: str, words: str) -> None:
    with pytest.raises(ScopeError) as refused:
        ScopeDetail(service_id=smuggled, actions={"view"}, categories={"identity"})
    assert words in str(refused.value)
    # And a request naming it never matches a grant for the real service.
    assert not covers((BLUE,), smuggled, "view", frozenset({"identity"}))


@pytest.mark.parametrize(
    "bad",
    [
        {"actions": set(), "categories": {"identity"}},
        {"actions": {"view"}, "categories": set()},
        {"actions": {"*"}, "categories": {"identity"}},
        {"actions": {"View"}, "categories": {"identity"}},
        {"actions": {"view"}, "categories": {"all"}},
        {"actions": "view", "categories": {"identity"}},
    ],
)
def test_empty_unknown_or_wildcard_lists_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ScopeError):
        ScopeDetail(service_id="blue-badge", **bad)  # type: ignore[arg-type]


def test_a_detail_names_one_target_and_a_scope_is_not_empty() -> None:
    with pytest.raises(ScopeError):
        ScopeDetail(actions={"view"}, categories={"identity"})
    with pytest.raises(ScopeError):
        ScopeDetail(service_id="a", case="b", actions={"view"}, categories={"identity"})
    with pytest.raises(ScopeError):
        make_scope([])
    with pytest.raises(ScopeError):
        make_scope([BLUE, BLUE])


def test_a_grant_for_one_service_does_not_cover_another() -> None:
    scope = make_scope([BLUE])
    assert covers(scope, "blue-badge", "view", frozenset({"identity"}))
    assert not covers(scope, "pension-credit", "view", frozenset({"identity"}))


def test_view_does_not_imply_submit_and_categories_are_not_widened() -> None:
    scope = make_scope([BLUE])
    assert not covers(scope, "blue-badge", "submit", frozenset({"identity"}))
    assert not covers(scope, "blue-badge", "view", frozenset({"identity", "health"}))
    assert not covers(scope, "blue-badge", "*", frozenset({"identity"}))


def test_two_details_are_never_added_together() -> None:
    scope = make_scope(
        [
            ScopeDetail(service_id="blue-badge", actions={"view"}, categories={"identity"}),
            ScopeDetail(case="al-7k3m9qx", actions={"view"}, categories={"health"}),
        ]
    )
    assert match(scope, "view", frozenset({"identity"}), service_id="blue-badge") is not None
    assert (
        match(
            scope,
            "view",
            frozenset({"identity", "health"}),
            service_id="blue-badge",
            case="al-7k3m9qx",
        )
        is None
    )


def test_case_references_as_printed_become_scope_identifiers() -> None:
    assert case_scope_id("AL-7K3M9QX") == "al-7k3m9qx"
    with pytest.raises(ScopeError):
        case_scope_id("AL-7K3M9QX ")
    with pytest.raises(ScopeError):
        ScopeDetail(case="AL-7K3M9QX", actions={"view"}, categories={"identity"})


def test_stored_scopes_are_checked_as_strictly_as_new_ones() -> None:
    scope = make_scope([BLUE])
    assert scope_from_json(scope_to_json(scope)) == scope
    for stored in (
        "[]",
        "{}",
        "not json",
        '[{"service": "Blue-Badge", "actions": ["view"], "categories": ["identity"]}]',
        '[{"service": "blue-badge", "actions": [], "categories": ["identity"]}]',
        '[{"service": "blue-badge", "actions": ["view"], "categories": ["identity"], "x": 1}]',
    ):
        with pytest.raises(ScopeError):
            scope_from_json(stored)


def test_the_task_list_names_each_service_action_and_category_in_words() -> None:
    text = describe(make_scope([BLUE]))
    assert "look at the details" in text and "name, date of birth" in text
    assert "view, draft" not in text and "blue-badge" not in text
    assert text.startswith("Blue badge. The helper may:")  # no titles given: the id in words


# -- properties ------------------------------------------------------------------------

identifiers = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}\Z")
action_sets = st.frozensets(st.sampled_from(sorted(ACTIONS)), min_size=1)
category_sets = st.frozensets(st.sampled_from(sorted(CATEGORIES)), min_size=1)
details = st.builds(
    lambda s, a, c: ScopeDetail(service_id=s, actions=a, categories=c),
    st.sampled_from(["blue-badge", "pension-credit", "gp-registration", "hc1-health-costs"]),
    action_sets,
    category_sets,
)
scopes = st.lists(details, min_size=1, max_size=4, unique_by=lambda d: d.service_id).map(make_scope)


@given(scopes, identifiers, st.sampled_from(sorted(ACTIONS)), category_sets)
def test_covers_means_one_detail_names_it_all(
    scope: Scope, service: str, action: str, categories: frozenset[str]
) -> None:
    expected = any(
        d.service_id == service and action in d.actions and categories <= d.categories
        for d in scope
    )
    assert covers(scope, service, action, categories) is expected


@given(scopes, st.text(max_size=12), st.sampled_from(sorted(ACTIONS)), category_sets)
def test_no_non_canonical_text_is_ever_covered(
    scope: Scope, text: str, action: str, categories: frozenset[str]
) -> None:
    if covers(scope, text, action, categories):
        assert text in {d.service_id for d in scope}
        assert text.isascii() and text == text.strip().lower() and "*" not in text


@given(st.text(max_size=12))
def test_an_identifier_either_is_canonical_or_is_refused(text: str) -> None:
    try:
        detail = ScopeDetail(service_id=text, actions={"view"}, categories={"identity"})
    except ScopeError as refused:
        assert str(refused)
    else:
        assert detail.service_id == text
        assert text.isascii() and text == text.strip().casefold() and text[0].isalpha()


@given(scopes, scopes)
def test_narrows_only_when_nothing_is_added(child: Scope, parent: Scope) -> None:
    result = narrows(child, parent)
    for detail in child:
        same = [p for p in parent if p.service_id == detail.service_id]
        inside = any(
            detail.actions <= p.actions and detail.categories <= p.categories for p in same
        )
        if not inside:
            assert result is False
    if result:
        # Anything the child covers, the parent covers too.
        for detail in child:
            for action in detail.actions:
                assert covers(parent, detail.service_id or "", action, detail.categories)


@given(scopes)
def test_a_scope_narrows_itself_and_survives_storage(scope: Scope) -> None:
    assert narrows(scope, scope)
    assert scope_from_json(scope_to_json(scope)) == scope
