"""The paper actions the window names: a blank form, a bulk export's list,
and a frozen draft's way out, each finding its definition in the catalogue."""

from __future__ import annotations

import pytest

from casework.forms import drafts
from casework.forms.definitions import Catalogue, parse_definition
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.records import Actor
from casework.paper import case_print
from tests.unit.casework.forms.sample_service import sample_bytes
from tests.unit.conftest import WriteSession

SERVICE = parse_definition(sample_bytes(), "sample.json")
CATALOGUE = Catalogue((SERVICE,), ())
EMPTY = Catalogue((), ())


def test_a_blank_form_needs_only_its_definition() -> None:
    assert case_print.blank_form(CATALOGUE, "sample-service", "cy", True).startswith(b"%PDF")
    with pytest.raises(NotFound) as missing:
        case_print.blank_form(EMPTY, "sample-service", "en", False)
    assert "'sample-service' cannot be opened" in missing.value.message


def test_a_batch_of_blank_forms_is_one_file_per_service_and_language(
    write: WriteSession, amira: Actor
) -> None:
    with write() as session:
        items = case_print.paper_batch(session, amira, CATALOGUE, "blank", ("en", "cy"), True)
        with pytest.raises(InvalidInput):
            case_print.paper_batch(session, amira, CATALOGUE, "blank", (), False)
    assert [(i.service_id, i.draft_id, i.language, i.large_print) for i in items] == [
        ("sample-service", None, "en", True),
        ("sample-service", None, "cy", True),
    ]
    assert items[0].file_name == case_print.file_name("sample-service-blank", "en", True)


def test_a_frozen_draft_prints_with_its_definition_or_not_at_all(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
    with write() as session:
        pdf = case_print.frozen_draft_pdf(session, amira, CATALOGUE, draft_id, "en")
    assert pdf.startswith(b"%PDF")
    with write() as session, pytest.raises(NotFound):
        case_print.frozen_draft_pdf(session, amira, EMPTY, draft_id, "en")
