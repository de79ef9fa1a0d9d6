"""Sending a form through the backend: the submission and its outbox item
are written in one transaction, and the body is the GOV.UK Forms v1 JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.kernel.models import Submission
from offline_sync import outbox
from offline_sync.models import OutboxItem
from tests.unit.casework.forms.sample_service import sample_bytes
from tests.unit.casework.forms.test_drafts import COMPLETE
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops

V1 = Path(__file__).resolve().parents[4] / "resources" / "contracts" / "forms"


@pytest.fixture
def forms_backend(demo_profile: OpenProfile, tmp_path: Path) -> LocalBackend:
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "sample-service.json").write_bytes(sample_bytes())
    backend = LocalBackend(demo_profile, services_dir=folder)
    backend.sign_in("amira", DEMO_PASSWORD)
    return backend


def _ready(backend: LocalBackend) -> tuple[int, int, int]:
    case_id = cases_ops.open_case(
        people_ops.list_person_ids().call(backend)[0], "sample-service", "Sample"
    ).call(backend)
    draft = forms_ops.start_form(case_id, "sample-service").call(backend)[0]
    answers = {**COMPLETE, "medicines": [{"medicine-name": "Aspirin", "prescribed": False}]}
    version = forms_ops.save_form(draft.case_id, draft.id, draft.version, answers, None).call(
        backend
    )
    return case_id, draft.id, version


def test_sending_queues_exactly_one_submission(
    forms_backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    case_id, draft_id, version = _ready(forms_backend)
    record = forms_ops.submit_form(case_id, draft_id, version).call(forms_backend)
    with session_factory(demo_profile.engine).begin() as session:
        items = session.scalars(
            select(OutboxItem).where(OutboxItem.connector != "pay")  # the fee: its own item
        ).all()
        assert len(items) == 1
        item = items[0]
        assert item.connector == "submission_api"
        assert item.idempotency_key == record.uuid
        assert item.case_id == record.case_id
        body = json.loads(item.body)
    schema = json.loads((V1 / "json_submission_schema_v1.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(body)
    assert body["submission_reference"] == record.uuid
    by_id = {a["question_id"]: a for a in body["answers"]}
    assert by_id["income"]["answer_text"] == "£150.00"
    assert by_id["medicines.1.medicine-name"]["answer_text"] == "Aspirin"
    assert by_id["home"]["postcode"] == "CF10 1AA"
    assert by_id["benefits"]["answer_text"] == ["Universal Credit"]
    assert "rent-amount" not in by_id  # not on this person's route


def test_if_queueing_fails_nothing_is_sent(
    forms_backend: LocalBackend, demo_profile: OpenProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, draft_id, version = _ready(forms_backend)

    def full(*_args: object, **_kwargs: object) -> str:
        raise outbox.OutboxError("the outbox could not take the item")

    monkeypatch.setattr(outbox, "enqueue", full)
    with pytest.raises(outbox.OutboxError):
        forms_ops.submit_form(case_id, draft_id, version).call(forms_backend)
    assert not forms_ops.form_draft(draft_id).call(forms_backend).submitted
    with session_factory(demo_profile.engine).begin() as session:
        assert session.scalar(select(Submission.id)) is None
        assert session.scalar(select(OutboxItem.id)) is None
