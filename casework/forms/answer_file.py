"""A whole form's answers given as JSON (a script's file, or ``services
sample`` output), read and checked as the window reads and checks what a
worker types, then sent under the same policy decision.

``read_answers`` takes each answer through ``answers.read_answer`` (a
group's items child by child) and the whole set through ``check_all``: the
first problems are ``InvalidInput`` keyed ``page/question``, and nothing is
written. ``submit_answers`` then starts a draft on the case, saves the
answers and sends them by the chosen route, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework.forms import actions, drafts
from casework.forms import answers as rules
from casework.forms.definitions import Catalogue, Question, Service
from casework.forms.routes import FormPaper, Route, RouteSettings
from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _
from casework.kernel.records import Actor, SubmissionRecord

MAX_PROBLEMS = 5  # the first problems are said; the rest wait for the next try


def _read(question: Question, value: Any, language: str) -> Any:
    if question.type != "group":
        return rules.read_answer(question, value, language)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise rules.AnswerError(_("Give a list of items, each with its answers."))
    items = []
    for item in value:
        known = {c.id: c for c in question.children}
        unknown = sorted(set(item) - set(known))
        if unknown:
            raise rules.AnswerError(_("There is no question '{id}' here.").format(id=unknown[0]))
        items.append(
            {
                c.id: read
                for c in question.children
                if c.id in item and (read := rules.read_answer(c, item[c.id], language)) is not None
            }
        )
    return items


def read_answers(service: Service, data: object, language: str = "en") -> dict[str, Any]:
    """The answers in ``data`` as the form engine stores them, checked as the
    window checks them before sending; ``InvalidInput`` with the first problems."""
    if not isinstance(data, Mapping):
        raise InvalidInput({"answers": _("The answers must be a JSON object of question ids.")})
    pages = {q.id: p.id for p in service.pages for q in p.questions}
    problems: dict[str, str] = {}
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key not in pages:
            problems[f"answers/{key}"] = _("This form has no question '{id}'.").format(id=key)
            continue
        try:
            read = _read(service.question(key), value, language)
        except rules.AnswerError as exc:
            problems[f"{pages[key]}/{key}"] = str(exc)
            continue
        if read is not None:
            found[key] = read
    if not problems:
        for page in rules.check_all(service, found, language):
            for qid, message in page.errors.items():
                problems[f"{page.page_id}/{qid}"] = message
    if problems:
        first = dict(list(problems.items())[:MAX_PROBLEMS])
        raise InvalidInput({k: f"{k}: {v}" for k, v in first.items()})
    return rules.prune(service, found)


def submit_answers(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    case_id: int,
    service_id: str,
    answers: Mapping[str, Any],
    route: str | None = None,
    *,
    settings: RouteSettings | None = None,
    paper: FormPaper | None = None,
) -> tuple[SubmissionRecord, Route]:
    """Start a draft of ``service_id`` on the case, save ``answers`` (already
    read) and send them by ``route``: the submission and the route it took."""
    service = actions.service_for(catalogue, service_id)
    draft = actions.start_form(session, actor, catalogue, case_id, service.id)
    version = drafts.save_draft(
        session, actor, draft.id, draft.version, answers, None, services=catalogue.get
    )
    record = actions.submit_form(
        session, actor, catalogue, draft.id, version, route, settings=settings, paper=paper
    )
    found = actions.form_routes(session, actor, catalogue, draft.id, settings=settings, paper=None)
    taken = next(r for r in found if r.id == record.route)
    return record, taken
