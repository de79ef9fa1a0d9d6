"""Post it to them: a pre-filled form as a GOV.UK Notify letter to its person.

A short form with the person's address passes Notify's rules and is queued
in the outbox with a timeline line that does not say it was posted; a long
one is refused in plain words ("As a letter, this form is N pages; a posted letter can
be at most 10"), as is a person with no address; a PDF that breaks the rules
is never queued, whatever the window hands in.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.backend import LocalBackend
from app.profile import OpenProfile
from casework.kernel.action import act
from casework.kernel.errors import InvalidInput
from casework.kernel.models import Case, TimelineEvent
from casework.paper import post
from casework.paper.case_print import PaperJob
from casework.paper.models import PaperCopy
from offline_sync.models import OutboxItem
from offline_sync.records import Connector
from tests.unit.casework.paper.helpers import answers_for, pdf_text, squash
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import letters
from ui.operations import people as people_ops


def _draft(backend: LocalBackend, service_id: str, answers: dict[str, object]) -> tuple[int, int]:
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, service_id, "A claim").call(backend)
    record = forms_ops.start_form(case_id, service_id).call(backend)[0]
    forms_ops.save_form(record.case_id, record.id, record.version, answers, None).call(backend)
    return case_id, record.id


def _letters(profile: OpenProfile) -> list[OutboxItem]:
    with Session(profile.engine) as session:
        return list(
            session.scalars(
                select(OutboxItem).where(OutboxItem.connector == Connector.NOTIFY_LETTER)
            )
        )


def _copies(profile: OpenProfile, draft_id: int) -> list[tuple[str, int]]:
    with Session(profile.engine) as session:
        rows = session.execute(
            select(PaperCopy.reference, PaperCopy.pages).where(PaperCopy.draft_id == draft_id)
        )
        return [(str(r), int(p)) for r, p in rows]


def test_a_short_form_is_offered_and_queued_as_a_letter(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    case_id, draft_id = _draft(backend, "register-to-vote", {"given-name": "Eluned"})
    offer = letters.letter_offer(draft_id, "en", False).call(backend)
    assert offer.pdf is not None and offer.reason == ""
    assert len(offer.address) >= 3 and offer.address[-1]  # name, lines, postcode
    first = squash(PdfReader(io.BytesIO(offer.pdf)).pages[0].extract_text())
    assert squash(offer.address[0]) in first and "Eluned" in squash(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(offer.pdf)).pages)
    )

    # Checking recorded no copy; posting records one, with its own reference on the letter.
    assert _copies(demo_profile, draft_id) == []
    queued = letters.post_letter(draft_id, "en", False).call(backend)
    assert queued.case_id == case_id
    [item] = _letters(demo_profile)
    body = json.loads(item.body)
    assert item.id == queued.item_id and item.case_id == case_id and body["postage"] == "second"
    sent = base64.b64decode(body["content"])
    [(reference, pages)] = _copies(demo_profile, draft_id)
    assert pages == len(PdfReader(io.BytesIO(sent)).pages)
    assert squash(reference) in pdf_text(sent)
    with Session(demo_profile.engine) as session:
        lines = session.scalars(
            select(TimelineEvent.summary).where(TimelineEvent.case_id == case_id)
        ).all()
    said = [line for line in lines if "post" in line.lower()]
    assert said and "GOV.UK Notify" in said[-1]
    assert not any("posted" in line.lower() or " sent" in line.lower() for line in said)


def _job(backend: LocalBackend, draft_id: int, large_print: bool) -> PaperJob:
    return backend.perform(
        act(post.letter_job, backend.catalogue, draft_id, "en", large_print), write=True
    )


def test_the_plain_words_name_the_pages_and_the_limit(backend: LocalBackend) -> None:
    service = backend.catalogue.get("attendance-allowance")
    assert service is not None
    _case, draft_id = _draft(backend, service.id, answers_for(service))
    offer = letters.letter_offer(draft_id, "en", True).call(backend)
    pdf = post.render(_job(backend, draft_id, True))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert offer.reason == (
        f"As a letter, this form is {pages} pages; a posted letter can be at most 10. "
        "Print it and post it yourself."
    )


def test_no_address_means_no_letter(backend: LocalBackend, demo_profile: OpenProfile) -> None:
    case_id, draft_id = _draft(backend, "register-to-vote", {"given-name": "Eluned"})
    with Session(demo_profile.engine) as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.person.postcode = None
        session.commit()
    with pytest.raises(InvalidInput, match="no postal address"):
        letters.letter_offer(draft_id, "en", False).call(backend)
    assert _letters(demo_profile) == []


def test_a_long_form_posted_anyway_queues_nothing_and_keeps_no_copy(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    service = backend.catalogue.get("attendance-allowance")
    assert service is not None
    _case, draft_id = _draft(backend, service.id, answers_for(service))
    with pytest.raises(InvalidInput, match="a posted letter can be at most 10"):
        letters.post_letter(draft_id, "en", True).call(backend)
    assert _letters(demo_profile) == []
    assert _copies(demo_profile, draft_id) == []


def test_a_letter_that_breaks_the_rules_is_never_queued(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    _case, draft_id = _draft(backend, "register-to-vote", {"given-name": "Eluned"})
    # The form as printed here: no address in Notify's window.
    job = _job(backend, draft_id, False)
    plain = post.render(replace(job, options=replace(job.options, letter_address=None)))
    with pytest.raises(InvalidInput, match="Print it and post it yourself"):
        backend.perform(act(post.post_letter, backend.catalogue, draft_id, plain), write=True)
    assert _letters(demo_profile) == []
