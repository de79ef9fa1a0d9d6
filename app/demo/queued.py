"""Demo work waiting in the outbox: ``alongside demo-data --queued N``.

Each item is made the way a worker makes it: a demo adviser signs in, opens
a case for one of their people, answers a shipped service's form (the
person's own facts where the form reuses them, plausible answers for the
rest) and sends it through ``casework.forms.actions.submit_form``, so a
``submission_api`` item's body is exactly what the app sends. For a
``notify_*`` connector the adviser opens the case and queues a message to
the person about it (an email, a text message, or a precompiled letter that
passes Notify's layout check), in one transaction.
"""

from __future__ import annotations

import io
import random
from datetime import date
from typing import Any

from casework.casefile.cases import case_detail, open_case
from casework.casefile.people import list_person_ids
from casework.forms import actions, drafts, payload
from casework.forms import answers as forms
from casework.forms.definitions import Question, Service
from casework.kernel.action import act
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from offline_sync import outbox
from offline_sync.records import Connector

QUEUEABLE = (
    Connector.SUBMISSION_API,
    Connector.NOTIFY_EMAIL,
    Connector.NOTIFY_SMS,
    Connector.NOTIFY_LETTER,
)
# The confirmation template the sandbox's Notify knows (any UUID works there).
CONFIRMATION_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
# Answers for the patterned questions, by their reuse name (examples from the forms' own hints).
PATTERNED = {"bank.sort_code": "309430", "bank.account_number": "00733445"}
WORDS = ("kitchen", "stairs", "garden", "bus stop", "surgery", "library", "shop", "bank")


def queued_connector(name: str) -> Connector:
    """The connector named, or a refusal listing the ones demo data can fill."""
    try:
        connector = Connector(name)
    except ValueError:
        connector = None
    if connector not in QUEUEABLE:
        raise AlongsideError(
            _("Demo data cannot queue work for '{name}'. Use one of: {names}.").format(
                name=name, names=", ".join(c.value for c in QUEUEABLE)
            )
        )
    assert connector is not None
    return connector


def _value(q: Question, rng: random.Random) -> Any:
    """A plausible answer for a question the person's record does not answer."""
    rules = q.raw.get("validation", {})
    rules = rules if isinstance(rules, dict) else {}
    kind = q.type
    if kind == "text" and "pattern" in rules:
        reuse = str(q.raw.get("reuse", ""))
        return PATTERNED.get(reuse, "AB12")
    if kind == "text":
        return rng.choice(("Not sure", "Yes, sometimes", "Only at weekends", "Since last year"))
    if kind == "long_text":
        return f"I find the {rng.choice(WORDS)} hard without help, most days."
    if kind == "email":
        return f"contact{rng.randrange(1000)}@example.com"
    if kind == "phone":
        return f"07700900{rng.randrange(1000):03d}"
    if kind == "number":
        low, high = int(rules.get("min", 0)), int(rules.get("max", 10))
        return rng.randint(low, max(low, min(high, low + 9)))
    if kind == "money":
        return rng.randrange(1000, 40000)
    if kind == "date":
        year = date.today().year + (rng.randrange(1, 3) if rules.get("not_in_past") else
                                    -rng.randrange(1, 40))  # fmt: skip
        return {"date": date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                "approximate": False}  # fmt: skip
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "choice":
        return rng.choice(q.options)
    if kind == "multi_choice":
        return [rng.choice(q.options)]
    if kind == "address":
        return {"lines": [f"{rng.randrange(1, 90)} Station Road"], "town": "Cardiff",
                "postcode": "CF10 1AA"}  # fmt: skip
    if kind == "ni_number":
        return "QQ123456C"
    if kind == "nhs_number":
        return "9434765919"
    if kind == "group":
        low = max(1, int(str(q.raw.get("min_items", 1) or 1)))
        return [{c.id: _value(c, rng) for c in q.children} for _ in range(low)]
    raise AssertionError(kind)


def answers_for(service: Service, known: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Answers on the form's real route: the person's facts first, then plausible ones."""
    answers: dict[str, Any] = {}
    for q in service.questions():
        answers[q.id] = known[q.id] if q.id in known else _value(q, rng)
    # prune judges conditions on the answers it was given: repeat until stable.
    while (pruned := forms.prune(service, answers)) != answers:
        answers = pruned
    return answers


def _letter_pdf(name: str, address: list[str], reference: str) -> bytes:
    """A one-page A4 confirmation: the address in Notify's window, the body below it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont("Helvetica", 10)
    for n, line in enumerate([name, *address][:7]):
        canvas.drawString(30 * mm, A4[1] - 45 * mm - n * 4 * mm, line)
    canvas.drawString(20 * mm, A4[1] - 110 * mm, f"Dear {name},")
    canvas.drawString(
        20 * mm, A4[1] - 118 * mm, f"We are helping you with {reference}. We will be in touch soon."
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _message(connector: Connector, person: Any, reference: str, n: int) -> dict[str, Any]:
    first = person.given_name
    if connector == Connector.NOTIFY_EMAIL:
        return {
            "email_address": person.email or f"person{n}@example.com",
            "template_id": CONFIRMATION_TEMPLATE,
            "personalisation": {"first_name": first, "reference": reference},
        }
    if connector == Connector.NOTIFY_SMS:
        phone = (person.phone or f"07700900{n % 1000:03d}").replace(" ", "")
        return {
            "phone_number": phone,
            "template_id": CONFIRMATION_TEMPLATE,
            "personalisation": {"first_name": first, "reference": reference},
        }
    lines = [line for line in (person.address or "").splitlines() if line.strip()]
    lines = (lines or ["1 High Street", "Cardiff"]) + [person.postcode or "CF10 1AA"]
    return payload.precompiled_letter(
        _letter_pdf(f"{first} {person.family_name}", lines, reference)
    )


def add_queued(profile: Any, count: int, connector: Connector, *, seed: int = 1) -> list[str]:
    """Queue ``count`` items as a demo adviser would; returns their outbox ids."""
    from sqlalchemy import select

    from app.backend import LocalBackend
    from app.demo.people import DEMO_PASSWORD, DEMO_WORKERS
    from casework.kernel.models import Person
    from offline_sync.models import OutboxItem

    rng = random.Random(seed)
    backend = LocalBackend(profile)
    backend.sign_in(DEMO_WORKERS[0].username, DEMO_PASSWORD)
    services = [s for s in backend.catalogue.services if "submission_api" in s.channels]
    people = backend.perform(act(list_person_ids), write=True)
    if not people:
        raise AlongsideError(_("There is nobody to send a form for. Add people with --people."))
    queued: list[str] = []
    for n in range(count):
        person_id = people[n % len(people)]
        service = services[n % len(services)]
        case_id = backend.perform(
            act(open_case, person_id, service.id, service.text("title", "en")), write=True
        )
        if connector != Connector.SUBMISSION_API:
            reference = backend.perform(act(case_detail, case_id), write=True).reference
            with backend._tx(write=True) as session:
                person = session.get(Person, person_id)
                assert person is not None
                body = _message(connector, person, reference, n)
                queued.append(outbox.enqueue(session, connector, body, case_id))
            continue
        catalogue = backend.catalogue
        draft = backend.perform(act(actions.start_form, catalogue, case_id, service.id), write=True)
        found = backend.perform(
            act(actions.known_answers, catalogue, case_id, service.id), write=True
        )
        known = {k: v.value for k, v in found.items()}
        answers = answers_for(service, known, rng)
        version = backend.perform(
            act(drafts.save_draft, draft.id, draft.version, answers, None, services=catalogue.get),
            write=True,
        )
        record = backend.perform(
            act(actions.submit_form, catalogue, draft.id, version, "submission_api"), write=True
        )
        with backend._tx(write=False) as session:
            item = session.scalar(
                select(OutboxItem.id).where(
                    OutboxItem.connector == Connector.SUBMISSION_API,
                    OutboxItem.idempotency_key == record.uuid,
                )
            )
        assert item is not None
        queued.append(item)
    return queued
