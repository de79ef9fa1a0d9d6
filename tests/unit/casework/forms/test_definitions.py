"""Service definitions: the shipped ones are complete, and bad ones are
refused with the file, the JSON pointer and a plain reason, never a crash."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.forms.definitions import (
    MAX_DEFINITION_BYTES,
    SCHEMA_PATH,
    DefinitionError,
    definition_files,
    load_catalogue,
    load_definition,
    parse_definition,
)
from tests.unit.casework.forms.sample_service import sample, sample_bytes

Edit = Callable[[dict[str, Any]], object]


def _q(d: dict[str, Any], page: int, question: int) -> dict[str, Any]:
    return d["pages"][page]["questions"][question]


def _refused(data: bytes) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, "bad.json")
    return caught.value


def test_the_sample_definition_is_valid() -> None:
    service = parse_definition(sample_bytes(), "sample.json")
    assert service.id == "sample-service"
    assert service.question("income").type == "money"


BAD: list[tuple[str, Edit, str, str]] = [
    ("missing title", lambda d: d.pop("title"), "/", "'title' is a required property"),
    ("missing Welsh", lambda d: d["title"].pop("cy"), "/title", "'cy' is a required property"),
    ("empty Welsh", lambda d: d["summary"].update(cy="   "), "/summary/cy", "empty"),
    (
        "unknown type",
        lambda d: _q(d, 0, 0).update(type="essay"),
        "/pages/0/questions/0/type",
        "'essay' is not one of the allowed values",
    ),
    ("unknown field", lambda d: d.update(colour="red"), "/", "colour"),
    (
        "bad category",
        lambda d: _q(d, 0, 0).update(category="secret"),
        "/pages/0/questions/0/category",
        "not one of the allowed values",
    ),
    ("wrong type of value", lambda d: d.update(version=2026), "/version", "is not of type"),
    ("bad version", lambda d: d.update(version="one"), "/version", "does not match"),
    (
        "choice without options",
        lambda d: _q(d, 5, 0).pop("options"),
        "/pages/5/questions/0",
        "'options' is a required property",
    ),
    ("options on text", lambda d: _q(d, 0, 0).update(options=[]), "/pages/0/questions/0", ""),
    (
        "group without max",
        lambda d: _q(d, 7, 0).pop("max_items"),
        "/pages/7/questions/0",
        "'max_items' is a required property",
    ),
    (
        "duplicate question id",
        lambda d: _q(d, 0, 1).update(id="given-name"),
        "/pages/0/questions/1/id",
        "used twice",
    ),
    ("duplicate page id", lambda d: d["pages"][1].update(id="name"), "/pages/1/id", "used twice"),
    (
        "duplicate option",
        lambda d: _q(d, 5, 0)["options"][1].update(value="own"),
        "/pages/5/questions/0/options/1/value",
        "used twice",
    ),
    (
        "condition looks forward (a cycle)",
        lambda d: _q(d, 0, 0).update(condition={"question": "tenure", "equals": "own"}),
        "/pages/0/questions/0/condition/question",
        "not asked before",
    ),
    (
        "condition on itself",
        lambda d: _q(d, 0, 0).update(condition={"question": "given-name", "equals": "x"}),
        "/pages/0/questions/0/condition/question",
        "not asked before",
    ),
    (
        "condition on unknown question",
        lambda d: d["pages"][6].update(condition={"question": "nope", "equals": "x"}),
        "/pages/6/condition/question",
        "not asked before",
    ),
    (
        "condition value not an option",
        lambda d: d["pages"][6].update(condition={"question": "tenure", "equals": "lease"}),
        "/pages/6/condition",
        "not one of the options",
    ),
    (
        "yes/no compared with text",
        lambda d: _q(d, 3, 1).update(condition={"question": "has-income", "equals": "yes"}),
        "/pages/3/questions/1/condition",
        "true or false",
    ),
    (
        "includes on a single choice",
        lambda d: d["pages"][6].update(condition={"question": "tenure", "includes": "rent"}),
        "/pages/6/condition/includes",
        "multiple-choice",
    ),
    (
        "min over max",
        lambda d: _q(d, 3, 2).update(validation={"min": 5, "max": 1}),
        "/pages/3/questions/2/validation",
        "min is more than max",
    ),
    (
        "bad pattern",
        lambda d: _q(d, 0, 0).update(validation={"pattern": "([a-z"}),
        "/pages/0/questions/0/validation/pattern",
        "regular expression",
    ),
    (
        "backreference",
        lambda d: _q(d, 0, 0).update(validation={"pattern": r"(a)\1"}),
        "/pages/0/questions/0/validation/pattern",
        "backreferences and lookaround cannot be used",
    ),
    (
        "lookahead",
        lambda d: _q(d, 0, 0).update(validation={"pattern": "(?=a)a+"}),
        "/pages/0/questions/0/validation/pattern",
        "checked safely",
    ),
    (
        "lookbehind",
        lambda d: _q(d, 0, 0).update(validation={"pattern": "(?<!x)a"}),
        "/pages/0/questions/0/validation/pattern",
        "checked safely",
    ),
    (
        "pattern too big to run",
        lambda d: _q(d, 0, 0).update(validation={"pattern": "((a{100}){100}){100}"}),
        "/pages/0/questions/0/validation/pattern",
        "checked safely",
    ),
    (
        "pattern too long",
        lambda d: _q(d, 0, 0).update(validation={"pattern": "a" * 1001}),
        "/pages/0/questions/0/validation/pattern",
        "longer than 1,000 characters",
    ),
    (
        "group in a group",
        lambda d: _q(d, 7, 0)["questions"].append(
            {
                "id": "inner",
                "type": "group",
                "label": {"en": "x", "cy": "x"},
                "category": "health",
                "item_label": {"en": "x", "cy": "x"},
                "max_items": 2,
                "questions": [
                    {
                        "id": "z",
                        "type": "text",
                        "label": {"en": "z", "cy": "z"},
                        "category": "health",
                    }
                ],
            }
        ),
        "/pages/7/questions/0/questions/3/type",
        "cannot hold another",
    ),
    ("no pages", lambda d: d.update(pages=[]), "/pages", "should be non-empty"),
    ("markup in a title", lambda d: d["title"].update(en="<b>Apply</b>"), "/title/en", "(<b>)"),
    (
        "markup in a Welsh page title",
        lambda d: d["pages"][0]["title"].update(cy="Beth yw <i>eich</i> enw?"),
        "/pages/0/title/cy",
        "markup is not allowed in text (<i>)",
    ),
    (
        "a script in a label",
        lambda d: _q(d, 0, 0)["label"].update(en="Name<script>alert(1)</script>"),
        "/pages/0/questions/0/label/en",
        "(<script>)",
    ),
    (
        "an entity in a hint",
        lambda d: _q(d, 0, 0).update(hint={"en": "Use &lt;capitals&gt;", "cy": "Cymraeg"}),
        "/pages/0/questions/0/hint/en",
        "(&lt;)",
    ),
    (
        "a numeric entity in an option",
        lambda d: _q(d, 5, 0)["options"][0]["label"].update(cy="Perchennog&#160;tŷ"),
        "/pages/5/questions/0/options/0/label/cy",
        "(&#160;)",
    ),
    (
        "a comment in the summary",
        lambda d: d["summary"].update(en="A form <!-- hidden -->"),
        "/summary/en",
        "(<!-- hidden -->)",
    ),
    (
        "markup in a source title",
        lambda d: d["sources"][0].update(title="<a href='x'>GOV.UK</a>"),
        "/sources/0/title",
        "(<a href='x'>)",
    ),
    (
        "markup in an error message",
        lambda d: _q(d, 0, 0).update(errors={"required": {"en": "<u>Say</u>", "cy": "Dywedwch"}}),
        "/pages/0/questions/0/errors/required/en",
        "(<u>)",
    ),
    (
        "unknown field on a page",
        lambda d: d["pages"][0].update(style="bold"),
        "/pages/0",
        "an unknown field",
    ),
    (
        "unknown field on a question",
        lambda d: _q(d, 0, 0).update(html="<b>"),
        "/pages/0/questions/0",
        "an unknown field",
    ),
    (
        "unknown language in a text",
        lambda d: d["title"].update(fr="Demander"),
        "/title",
        "an unknown field",
    ),
    (
        "unknown rule in validation",
        lambda d: _q(d, 0, 0).update(validation={"regex": "a"}),
        "/pages/0/questions/0/validation",
        "an unknown field",
    ),
    (
        "unknown field in a condition",
        lambda d: d["pages"][6].update(
            condition={"question": "tenure", "equals": "own", "also": 1}
        ),
        "/pages/6/condition",
        "",
    ),
    ("no sources", lambda d: d.update(sources=[]), "/sources", "should be non-empty"),
    (
        "source not https",
        lambda d: d["sources"][0].update(url="http://example.com"),
        "/sources/0/url",
        "does not match",
    ),
    ("unknown channel", lambda d: d.update(channels=["fax"]), "/channels/0", "not one of"),
    (
        "fee in pounds",
        lambda d: d["fee"].update(amount_pence=9.99),
        "/fee/amount_pence",
        "is not of type 'integer'",
    ),
    (
        "approximate on a text",
        lambda d: _q(d, 0, 0).update(approximate_allowed=True),
        "/pages/0/questions/0",
        "",
    ),
    (
        "bad identifier",
        lambda d: _q(d, 0, 0).update(id="Given Name"),
        "/pages/0/questions/0/id",
        "does not match",
    ),
]


@pytest.mark.parametrize(
    ("edit", "pointer", "reason"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_a_bad_definition_is_refused_precisely(edit: Edit, pointer: str, reason: str) -> None:
    data = sample()
    edit(data)
    error = _refused(sample_bytes(data))
    assert error.file == "bad.json"
    assert error.pointer == pointer
    assert reason in error.reason
    assert str(error).startswith(f"bad.json: {pointer}: ")


def test_text_that_only_looks_a_little_like_markup_is_fine() -> None:
    data = sample()
    data["summary"]["en"] = "Savings < £16,000 & income > £0; Smith & Co; 3<4"
    _q(data, 0, 0)["validation"] = {"pattern": "[^<>&;]+"}
    assert parse_definition(sample_bytes(data), "ok.json").id == "sample-service"


@pytest.mark.parametrize(
    ("text", "pointer", "key"),
    [
        ('{"id": "a", "id": "b"}', "/id", "id"),
        ('{"pages": [{"id": "p"}, {"title": {"en": "a", "cy": "b", "en": "c"}}]}',
         "/pages/1/title/en", "en"),
        ('{"x": {"a/b": 1, "a/b": 2}}', "/x/a~1b", "a/b"),
    ],
    ids=["top level", "deep in a page", "a key with a slash"],
)  # fmt: skip
def test_a_key_given_twice_is_refused_where_it_is(text: str, pointer: str, key: str) -> None:
    error = _refused(text.encode())
    assert error.pointer == pointer
    assert error.reason == f"the field {key!r} is given twice in the same object"


def test_a_key_given_twice_in_a_whole_definition() -> None:
    text = sample_bytes().decode().replace('"id": "given-name"', '"id": "a", "id": "given-name"')
    assert text != sample_bytes().decode()
    error = _refused(text.encode())
    assert (error.pointer, error.file) == ("/pages/0/questions/0/id", "bad.json")


def _object_schemas(node: object, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    """Every subschema that describes an object (not the tests inside an ``if``)."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if (node.get("type") == "object" or "properties" in node) and "/if" not in where:
            found.append((where, node))
        for key, value in node.items():
            found += _object_schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _object_schemas(value, f"{where}/{i}")
    return found


def test_every_object_in_the_schema_refuses_unknown_fields() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    objects = _object_schemas(schema)
    assert len(objects) > 10
    open_ = [where for where, node in objects if node.get("additionalProperties") is not False]
    assert open_ == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"id": ', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[]", "is not of type 'object'"),
        (b"null", "is not of type 'object'"),
        (b"[" * 100_000 + b"]" * 100_000, ""),
        (b" " * (MAX_DEFINITION_BYTES + 1), "at most"),
    ],
    ids=["invalid utf-8", "truncated", "empty", "array", "null", "deeply nested", "huge"],
)
def test_files_that_are_not_definitions(data: bytes, reason: str) -> None:
    error = _refused(data)
    assert reason in error.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_json_is_refused_or_accepted_without_crashing(value: object) -> None:
    try:
        parse_definition(json.dumps(value).encode("utf-8"), "fuzz.json")
    except DefinitionError as error:
        assert error.reason


def test_a_catalogue_skips_bad_definitions_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_bytes(sample_bytes())
    (tmp_path / "broken.json").write_bytes(b"{not json")
    twin = sample()
    (tmp_path / "twin.json").write_bytes(sample_bytes(twin))
    catalogue = load_catalogue(tmp_path)
    assert [s.id for s in catalogue.services] == ["sample-service"]
    files = sorted(Path(p.file).name for p in catalogue.problems)
    assert files == ["broken.json", "twin.json"]
    assert any("already used" in p.reason for p in catalogue.problems)


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(tmp_path / "missing.json")
    assert "cannot be read" in caught.value.reason


# -- the shipped definitions -----------------------------------------------------------


SHIPPED = definition_files()


def test_the_shipped_catalogue_loads_cleanly() -> None:
    catalogue = load_catalogue()
    assert catalogue.problems == ()
    assert len(catalogue.services) == len(SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_shipped_definition_is_deep_and_bilingual(path: Path) -> None:
    service = load_definition(path)
    assert service.id == path.stem
    assert service.question_count() >= 20, "a real form has its real questions"
    assert len(service.raw["sources"]) >= 1

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if set(node) >= {"en", "cy"}:
                assert node["cy"].strip(), node
                # Longer text copied across untranslated is not Welsh.
                assert len(node["en"]) < 25 or node["cy"] != node["en"], node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(service.raw)
