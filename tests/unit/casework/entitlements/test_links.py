"""Entitlement links as data: the file loads, says why in both languages
without claiming certainty, names its source, and points at real services."""

from __future__ import annotations

import json
import logging

import pytest

from casework.entitlements.links import (
    LINKS_PATH,
    LinksError,
    Trigger,
    load_links,
    parse_links,
    read_links,
)
from casework.forms.definitions import Catalogue, load_catalogue
from casework.kernel.nations import Nation

# Services other helpers are writing this session (issue 20, item 1): a link
# may name one of them only while it is not in the catalogue; once it lands,
# its links are checked against its definition like every other.
PENDING = frozenset(
    {
        "pip",
        "adult-disability-payment",
        "housing-benefit",
        "bus-pass-england",
        "concessionary-travel-wales",
    }
)
CATALOGUE = load_catalogue()


def test_every_link_names_a_service_in_the_catalogue_or_one_being_written() -> None:
    ids = {s.id for s in CATALOGUE.services}
    for link in read_links():
        for service_id in (link.from_service, link.to_service):
            if service_id is not None:
                assert service_id in ids | (PENDING - ids), (link.id, service_id)


def test_reasons_are_in_both_languages_never_certain_and_sourced() -> None:
    for link in read_links():
        assert link.reason_en != link.reason_cy
        assert "check" in link.reason_en and "gwiriwch" in link.reason_cy, link.id
        for certain in ("will get", "is entitled", "are entitled", "qualifies for"):
            assert certain not in link.reason_en.lower(), link.id
        assert link.source.startswith("https://")
        if link.scheme is not None:
            assert link.scheme.url.startswith("https://")
            assert link.scheme.title("cy") != link.scheme.title("en")


def test_the_links_the_issue_asks_for_are_there() -> None:
    pairs = {(k.from_service, k.target): k for k in read_links()}
    assert Trigger.SENT in pairs["attendance-allowance", "pension-credit"].when
    for target in (
        "council-tax-reduction",
        "housing-benefit",
        "hc1-health-costs",
        "warm-home-discount",
        "free-tv-licence-over-75",
    ):
        assert ("pension-credit", target) in pairs
    assert ("pension-credit", "healthy-start") not in pairs  # not for pensioners
    assert ("carers-allowance", "carer-premium") in pairs
    assert pairs["pip", "carers-allowance"].for_carer
    assert pairs["adult-disability-payment", "blue-badge"].nations == {Nation.SCOTLAND}
    assert not pairs["pip", "blue-badge"].applies_in(Nation.SCOTLAND)
    assert pairs["pip", "blue-badge"].applies_in(None)  # no postcode: it may apply


def test_a_link_to_a_service_not_in_the_catalogue_is_skipped_with_a_note(
    caplog: pytest.LogCaptureFixture,
) -> None:
    only = Catalogue(
        tuple(s for s in CATALOGUE.services if s.id in ("attendance-allowance", "pension-credit")),
        (),
    )
    with caplog.at_level(logging.INFO, "alongside.entitlements"):
        kept = load_links(only)
    assert [k.id for k in kept if k.from_service == "attendance-allowance"] == [
        "attendance-allowance-pension-credit"
    ]
    assert "attendance-allowance-council-tax-reduction skipped" in caplog.text
    # an outside scheme needs no service
    assert any(k.target == "warm-home-discount" for k in kept)


def test_a_damaged_links_file_says_where() -> None:
    with pytest.raises(LinksError, match="links"):
        parse_links({})
    good = json.loads(LINKS_PATH.read_text(encoding="utf-8"))
    good["links"][0]["reason"].pop("cy")
    with pytest.raises(LinksError, match="/links/0/reason"):
        parse_links(good)
    good = json.loads(LINKS_PATH.read_text(encoding="utf-8"))
    good["links"].append(dict(good["links"][0]))
    with pytest.raises(LinksError, match="given twice"):
        parse_links(good)
