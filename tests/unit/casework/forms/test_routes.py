"""Every route is real: each queues exactly one delivery (printing none) with
the submission, in one transaction, and the timeline says what happened."""

from __future__ import annotations

import base64
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.forms import actions, answers, definitions, drafts, routes
from casework.forms.definitions import Catalogue
from casework.forms.routes import RouteSettings
from casework.forms.sample import sample_answers
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Submission
from casework.kernel.records import Actor
from casework.paper.form_routes import PAPER
from casework.paper.letter import check_letter
from offline_sync.models import OutboxItem
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input

CATALOGUE = definitions.load_catalogue()


def _draft(write: WriteSession, actor: Actor, case_id: int, service_id: str) -> tuple[int, int]:
    service = CATALOGUE.get(service_id)
    assert service is not None
    with write() as session:
        draft = actions.start_form(session, actor, CATALOGUE, case_id, service_id)
        version = drafts.save_draft(
            session,
            actor,
            draft.id,
            draft.version,
            sample_answers(service),
            None,
            services=CATALOGUE.get,
        )
    return draft.id, version


def _items(write: WriteSession) -> list[OutboxItem]:
    with write() as session:
        rows = list(session.scalars(select(OutboxItem)))
        session.expunge_all()
        return rows


def _lines(write: WriteSession, case_id: int) -> list[str]:
    with write() as session:
        return [e.summary for e in timeline.entries(session, case_id) if e.kind == "form_submitted"]


@pytest.mark.parametrize("service_id", [s.id for s in CATALOGUE.services])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_sample_answers_pass_every_check_of_every_service(
    service_id: str, language: str
) -> None:
    service = CATALOGUE.get(service_id)
    assert service is not None
    found = sample_answers(service, language)
    assert found and answers.check_all(service, found, language) == []


def test_the_routes_of_a_service_in_words() -> None:
    gp = routes.delivery_routes(CATALOGUE, "gp-registration", paper=PAPER)
    assert [r.id for r in gp] == ["notify_email", "paper_letter", "paper_print"]
    email = gp[0]
    assert email.available and email.inbox == "registrations@gp-surgery.example"
    assert email.words == "by email to registrations@gp-surgery.example, with the form attached"
    # No form to check: the letter is closed, with the reason.
    assert not gp[1].available and "postal address" in gp[1].reason
    assert gp[2].available and not gp[2].queues
    local = RouteSettings.from_settings({"routes.gp-registration.inbox": "gp@surgery.example"})
    assert routes.delivery_routes(CATALOGUE, "gp-registration", settings=local, paper=PAPER)[
        0
    ].inbox == ("gp@surgery.example")
    wrong = RouteSettings.from_settings({"routes.gp-registration.inbox": "the surgery"})
    closed = routes.delivery_routes(CATALOGUE, "gp-registration", settings=wrong, paper=PAPER)[0]
    assert not closed.available and "not an email address" in closed.reason
    # Without a way to draw the PDF, the email is closed.
    assert not routes.delivery_routes(CATALOGUE, "gp-registration")[0].available
    badge = routes.delivery_routes(CATALOGUE, "blue-badge", paper=PAPER)
    assert badge[0].id == "submission_api"
    assert badge[0].words == "to the department's online service"


def test_an_email_route_without_an_inbox_is_closed() -> None:
    service = CATALOGUE.get("gp-registration")
    assert service is not None
    raw = {k: v for k, v in service.raw.items() if k != "notify_email"}
    bare = Catalogue((definitions.parse_definition(json.dumps(raw).encode(), "gp.json"),), ())
    (email, *_rest) = routes.delivery_routes(bare, "gp-registration", paper=PAPER)
    assert not email.available and "No email inbox" in email.reason


def test_the_submission_api_route_queues_one_submission(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "blue-badge")
    with write() as session:
        record = actions.submit_form(session, amira, CATALOGUE, draft_id, version, paper=PAPER)
    (item,) = _items(write)
    assert item.connector == "submission_api" and item.idempotency_key == record.uuid
    assert record.route == "submission_api"
    assert _lines(write, case_id) == [
        "Form queued to go to the department's online service: Apply for a Blue Badge"
    ]


def test_an_email_goes_with_the_form_as_a_pdf_to_download(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    settings = RouteSettings(email_template_id="11111111-2222-4333-8444-555555555555")
    with write() as session:
        record = actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, settings=settings, paper=PAPER
        )
    (item,) = _items(write)
    assert item.connector == "notify_email" and record.route == "notify_email"
    body = json.loads(item.body)
    assert body["email_address"] == "registrations@gp-surgery.example"
    assert body["template_id"] == settings.email_template_id
    assert body["reference"] == item.id
    upload = body["personalisation"]["link_to_file"]
    assert upload["confirm_email_before_download"] is True
    assert upload["retention_period"] == "26 weeks"
    assert upload["filename"].endswith(".pdf")
    reader = PdfReader(io.BytesIO(base64.b64decode(upload["file"])))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sample answer" in text  # the answers are in it
    with write() as session:
        assert session.scalar(select(Submission.route)) == "notify_email"
    (line,) = _lines(write, case_id)
    assert line.startswith("Form queued to go by email to registrations@gp-surgery.example")
    assert "waiting to be delivered" not in line


def test_a_letter_goes_to_the_person_and_passes_the_letter_rules(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "blue-badge")
    with write() as session:
        routes_now = actions.form_routes(session, amira, CATALOGUE, draft_id, paper=PAPER)
    # Blue Badge's form fits Notify's 10 pages; GP registration's 12 do not.
    letter = next(r for r in routes_now if r.id == "paper_letter")
    assert letter.available, letter.reason
    assert letter.letter_address == ("Nia Pritchard", "1 Stryd Fawr", "Cardiff", "CF10 1AA")
    with write() as session:
        record = actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, "paper_letter", paper=PAPER
        )
    (item,) = _items(write)
    assert item.connector == "notify_letter" and record.route == "paper_letter"
    body = json.loads(item.body)
    assert body["postage"] == "second" and body["reference"] == item.id
    assert check_letter(base64.b64decode(body["content"])) == []
    (line,) = _lines(write, case_id)
    assert line.startswith("Form queued to go on paper: posted as a letter through GOV.UK Notify")


def test_printing_queues_nothing_and_never_says_sent(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with write() as session:
        record = actions.submit_form(session, amira, CATALOGUE, draft_id, version, "paper_print")
    assert record.route == "paper_print" and _items(write) == []
    assert _lines(write, case_id) == ["Printed to send by post: Register with a GP surgery (GMS1)"]


def test_a_letter_needs_the_persons_address(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        person = create_person(session, amira, person_input(address="", postcode=""))
        case_id = open_case(session, amira, person, "gp-registration", "Registering")
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(InvalidInput) as closed, write() as session:
        actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, "paper_letter", paper=PAPER
        )
    assert "postal address" in closed.value.fields["route"]
    with write() as session:
        assert session.scalar(select(func.count(Submission.id))) == 0
    assert _items(write) == []


def test_a_form_too_long_for_a_letter_cannot_go_as_one(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(InvalidInput) as closed, write() as session:
        actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, "paper_letter", paper=PAPER
        )
    assert "Notify takes at most 10" in closed.value.fields["route"]
    assert _items(write) == []


def test_a_letter_that_breaks_the_rules_is_refused_and_nothing_is_sent(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    class Strict:
        def form_pdf(self, *args: object, **kwargs: object) -> bytes:
            return PAPER.form_pdf(*args, **kwargs)  # type: ignore[arg-type]

        def check_letter(self, pdf: bytes) -> list[str]:
            return ["Text is in the margin."]

    draft_id, version = _draft(write, amira, case_id, "blue-badge")
    with pytest.raises(InvalidInput) as refused, write() as session:
        actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, "paper_letter", paper=Strict()
        )
    assert "Text is in the margin." in refused.value.fields["route"]
    assert _items(write) == []


def test_a_failure_after_the_item_is_queued_leaves_neither(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(RuntimeError), write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft_id, version, paper=PAPER)
        assert session.scalar(select(func.count(OutboxItem.id))) == 1
        raise RuntimeError("the disk fills after the enqueue")
    assert _items(write) == []
    with write() as session:
        assert session.scalar(select(func.count(Submission.id))) == 0
    assert _lines(write, case_id) == []


def test_an_invalid_or_refused_form_queues_nothing(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    with write() as session:
        draft = actions.start_form(session, amira, CATALOGUE, case_id, "gp-registration")
    with pytest.raises(InvalidInput), write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft.id, draft.version, paper=PAPER)
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(AccessRefused), write() as session:
        actions.submit_form(session, sam, CATALOGUE, draft_id, version, paper=PAPER)
    assert _items(write) == []
    with write() as session:
        assert session.scalar(select(func.count(Submission.id))) == 0


def test_a_route_the_service_does_not_have_is_refused(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(InvalidInput) as wrong, write() as session:
        actions.submit_form(
            session, amira, CATALOGUE, draft_id, version, "submission_api", paper=PAPER
        )
    assert "cannot go that way" in wrong.value.fields["route"]
    assert _items(write) == []


class _Counting:
    """The real paper maker, counting the PDFs drawn; its letter check may refuse."""

    def __init__(self, refuse: bool = False) -> None:
        self.drawn = 0
        self.refuse = refuse

    def form_pdf(self, *args: object, **kwargs: object) -> bytes:
        self.drawn += 1
        return PAPER.form_pdf(*args, **kwargs)  # type: ignore[arg-type]

    def check_letter(self, pdf: bytes) -> list[str]:
        return ["Text is in the margin."] if self.refuse else check_letter(pdf)


def test_sending_by_the_api_draws_no_letter(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    counting = _Counting()
    draft_id, version = _draft(write, amira, case_id, "blue-badge")
    with write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft_id, version, paper=counting)
    assert counting.drawn == 0 and [i.connector for i in _items(write)] == ["submission_api"]


def test_by_default_a_letter_that_breaks_the_rules_gives_way_to_printing(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    service = CATALOGUE.get("blue-badge")
    assert service is not None
    raw = {**service.raw, "channels": ["paper"]}
    paper_only = Catalogue((definitions.parse_definition(json.dumps(raw).encode(), "bb.json"),), ())
    with write() as session:
        draft = actions.start_form(session, amira, paper_only, case_id, "blue-badge")
        version = drafts.save_draft(
            session, amira, draft.id, draft.version, sample_answers(service), None,
            services=paper_only.get,
        )  # fmt: skip
    with write() as session:
        record = actions.submit_form(
            session, amira, paper_only, draft.id, version, paper=_Counting(refuse=True)
        )
    assert record.route == "paper_print" and _items(write) == []


def test_a_form_too_large_for_notify_is_not_sent_by_email(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    class Huge(_Counting):
        def form_pdf(self, *args: object, **kwargs: object) -> bytes:
            return b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)

    draft_id, version = _draft(write, amira, case_id, "gp-registration")
    with pytest.raises(InvalidInput) as large, write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft_id, version, paper=Huge())
    assert "too large to send by email" in large.value.fields["route"]
    assert _items(write) == []
