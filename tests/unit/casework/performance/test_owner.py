"""Who is accountable for a service, from its definition: the owning body and
the named role, in the reader's language, on a real encrypted profile; every
shipped definition names its role, with a source."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from casework.forms.definitions import Catalogue, load_catalogue
from casework.kernel.i18n import set_language
from casework.performance.owner import service_owner
from tests.unit.conftest import WriteSession

ROLE_EN = "Director General, Disability, Health and Pensions, Department for Work and Pensions"
ROLE_CY = "Cyfarwyddwr Cyffredinol, Anabledd, Iechyd a Phensiynau, yr Adran Gwaith a Phensiynau"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def welsh() -> Iterator[None]:
    set_language("cy")
    try:
        yield
    finally:
        set_language("en")


def test_the_named_role_in_english(write: WriteSession, catalogue: Catalogue) -> None:
    with write() as session:
        owner = service_owner(session, catalogue.service_of("pension-credit"), "Cardiff")
    assert owner.accountable == ROLE_EN
    assert owner.body == "Department for Work and Pensions (The Pension Service)"


def test_the_named_role_in_welsh(write: WriteSession, catalogue: Catalogue, welsh: None) -> None:
    with write() as session:
        owner = service_owner(session, catalogue.service_of("pension-credit"), "Cardiff")
    assert owner.accountable == ROLE_CY
    assert owner.body == "Yr Adran Gwaith a Phensiynau (Y Gwasanaeth Pensiwn)"


def test_a_definition_without_a_role_names_none(write: WriteSession, catalogue: Catalogue) -> None:
    service = catalogue.service_of("pension-credit")
    raw = dict(service.raw)
    owner_raw = raw["owner"]
    assert isinstance(owner_raw, dict)
    raw["owner"] = {k: v for k, v in owner_raw.items() if k != "role"}
    with write() as session:
        owner = service_owner(session, dataclasses.replace(service, raw=raw), "Cardiff")
    assert owner.accountable == ""
    assert owner.body.startswith("Department for Work and Pensions")


def test_every_shipped_definition_names_its_accountable_role(catalogue: Catalogue) -> None:
    for service in catalogue.services:
        owner = service.raw["owner"]
        role = owner.get("role") if isinstance(owner, dict) else None
        assert isinstance(role, dict), service.id
        assert str(role["en"]).strip() and str(role["cy"]).strip(), service.id
        assert role["en"] != role["cy"], service.id
