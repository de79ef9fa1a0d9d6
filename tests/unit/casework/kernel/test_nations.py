"""The postcode -> nation rule: whole areas, districts across a border area,
districts that straddle a border (the likelier nation, marked uncertain), and
the address lookup's country winning over all of them."""

from __future__ import annotations

import pytest

from casework.escalation import sla
from casework.kernel.nations import (
    Evidence,
    Nation,
    nation_of_area,
    nation_of_country,
    nation_of_postcode,
    place_postcode,
)

E, W, S, NI = Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND


@pytest.mark.parametrize(
    ("postcode", "nation"),
    [
        # Ordinary postcodes, one per area kind
        ("SW1A 1AA", E),
        ("CF10 1AA", W),
        ("EH1 1YZ", S),
        ("G2 1DU", S),
        ("BT1 5GS", NI),
        ("sa1 1aa", W),
        ("LL57 2PW", W),
        ("DG1 2BD", S),
        ("HR1 2PJ", E),
        ("GL1 2EH", E),
        ("CA1 1QS", E),
        ("TD1 1AA", S),
        ("ZE1 0AA", S),
        ("EC1A 1BB", E),
        ("W1J 7NT", E),
        # Chester and the Wirral (England), Deeside to Flint (Wales)
        ("CH1 2HS", E),
        ("CH2 1AA", E),
        ("CH3 5AA", E),
        ("CH41 5AA", E),
        ("CH66 1AA", E),
        ("CH5 3AA", W),
        ("CH6 5AA", W),
        ("CH7 1AA", W),
        ("CH8 7AA", W),
        # Shropshire (England), mid Wales and Ceredigion (Wales)
        ("SY1 1AA", E),
        ("SY3 8AA", E),
        ("SY11 1AA", E),
        ("SY16 1AA", W),
        ("SY18 6AA", W),
        ("SY20 8AA", W),
        ("SY21 7AA", W),
        ("SY23 1AA", W),
        ("SY25 6AA", W),
        ("LD1 5AA", W),
        ("NP20 1AA", W),
        ("NP44 1AA", W),
        ("TD14 5AA", S),
    ],
)
def test_postcodes_wholly_in_one_nation(postcode: str, nation: Nation) -> None:
    placement = place_postcode(postcode)
    assert placement is not None
    assert (placement.nation, placement.uncertain, placement.other) == (nation, False, None)
    assert nation_of_postcode(postcode) == nation


STRADDLING = [
    ("CH4 8AA", E, W),
    ("SY10 7AA", E, W),
    ("SY13 1AA", E, W),
    ("SY14 8AA", E, W),
    ("SY15 6AA", W, E),
    ("SY22 6AA", W, E),
    ("LD7 1AA", W, E),
    ("LD8 2AA", W, E),
    ("NP7 5AA", W, E),
    ("NP16 5AA", W, E),
    ("NP25 3AA", W, E),
    ("HR2 0AA", E, W),
    ("HR3 5AA", E, W),
    ("HR5 3AA", E, W),
    ("TD9 0AA", S, E),
    ("TD12 4AA", S, E),
    ("TD15 1AA", E, S),
    ("CA6 5AA", E, S),
]


@pytest.mark.parametrize(("postcode", "likeliest", "other"), STRADDLING)
def test_a_district_across_a_border_is_the_likelier_nation_and_uncertain(
    postcode: str, likeliest: Nation, other: Nation
) -> None:
    placement = place_postcode(postcode)
    assert placement is not None
    assert placement.nation == likeliest
    assert placement.uncertain and placement.other == other
    assert placement.candidates == (likeliest, other)
    assert placement.evidence is Evidence.DISTRICT
    # Written without the space, or as the district alone, it is the same district
    compact = postcode.replace(" ", "")
    assert place_postcode(compact) == placement
    assert place_postcode(postcode.split()[0]) == placement


@pytest.mark.parametrize(
    ("postcode", "country", "nation"),
    [
        ("SY10 7AA", "Wales", W),  # Llanrhaeadr-ym-Mochnant: Powys
        ("HR3 5AA", "Wales", W),  # Hay-on-Wye
        ("NP16 7AA", "England", E),  # Tutshill
        ("TD15 1AA", "Scotland", S),  # Paxton
        ("CF10 1AA", "England", E),  # the lookup wins even where the area disagrees
    ],
)
def test_the_address_lookups_country_wins(postcode: str, country: str, nation: Nation) -> None:
    placement = place_postcode(postcode, country)
    assert placement is not None
    assert (placement.nation, placement.uncertain) == (nation, False)
    assert placement.evidence is Evidence.ADDRESS_LOOKUP


def test_a_country_the_lookup_names_that_is_no_nation_falls_back_to_the_postcode() -> None:
    assert nation_of_country("Channel Islands") is None
    assert nation_of_country(" northern ireland ") is NI
    placement = place_postcode("LD7 1AA", "Channel Islands")
    assert placement is not None and placement.uncertain


@pytest.mark.parametrize("postcode", [None, "", "12345", "!!", "JE2 3AB", "GY1 1AA", "IM1 1AA"])
def test_no_nation_without_a_uk_postcode(postcode: str | None) -> None:
    assert place_postcode(postcode) is None
    assert nation_of_postcode(postcode) is None


def test_area_keys_use_the_same_rule_as_the_sla() -> None:
    assert sla.nation_of_area is nation_of_area
    assert nation_of_area("wales") is W
    assert nation_of_area("W06000015") is W
    assert nation_of_area("S12000036") is S
    assert nation_of_area("N09000003") is NI
    assert nation_of_area("somewhere") is None


def test_a_postcode_or_its_district_alone_is_read_and_nothing_else() -> None:
    from casework.kernel.nations import postcode_or_district

    assert postcode_or_district(" ch5 1aa") == "CH5 1AA"
    assert postcode_or_district("sy16") == "SY16"
    assert postcode_or_district("EC1A") == "EC1A"
    for bad in ("", "CH", "12345", "CH5 1", "not a postcode"):
        assert postcode_or_district(bad) is None, bad
