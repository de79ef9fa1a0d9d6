"""How a sent form goes: the routes of a service, in words, and whether each is open now.

A service's ``channels`` are its routes. ``submission_api`` goes to the
department's online service; ``notify_email`` sends the filled-in form as a
PDF to the service's inbox with GOV.UK Notify's send-a-file feature (the
inbox from the definition's ``notify_email.inbox``, or the local setting
``routes.<service id>.inbox`` that overrides it); ``paper`` is two routes: a
precompiled letter to the person through Notify (``paper_letter``, only when
the person's record has a postal address and the form passes Notify's letter
rules) or printing it here (``paper_print``, which queues nothing).

Drawing PDFs is the paper layer's work, above this one: the caller hands in a
``FormPaper`` (``casework.paper.form_routes.PAPER``). Without one, the routes
that need a PDF are closed, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from casework.forms.definitions import Catalogue, Service
from casework.kernel.i18n import N_, _
from casework.kernel.timeline import Line, line

SUBMISSION_API = "submission_api"
NOTIFY_EMAIL = "notify_email"
PAPER_LETTER = "paper_letter"
PAPER_PRINT = "paper_print"
ROUTE_IDS = (SUBMISSION_API, NOTIFY_EMAIL, PAPER_LETTER, PAPER_PRINT)
# What ``route`` may also be: a channel naming its first open route.
CHANNEL_ROUTES = {
    SUBMISSION_API: (SUBMISSION_API,),
    NOTIFY_EMAIL: (NOTIFY_EMAIL,),
    "paper": (PAPER_LETTER, PAPER_PRINT),
}
# The Notify email template for forms sent by email: its body has the
# ((link_to_file)) placeholder. The setting ``notify.form_template_id`` overrides it.
DEFAULT_FORM_TEMPLATE_ID = "8c1f3b7e-5a2d-4e6f-9b0a-3d7c2e1f4a95"
TEMPLATE_SETTING = "notify.form_template_id"
FILE_RETENTION = "26 weeks"
MAX_FILE_BYTES = 2 * 1024 * 1024  # Notify's limit for a file sent by email
LETTER_POSTAGE = "second"
# The definition schema's rule for an inbox, applied to a local setting too.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FormPaper(Protocol):
    """The paper layer's PDFs of a form (``casework.paper.form_routes.PAPER``)."""

    def form_pdf(
        self,
        service: Service,
        answers: Mapping[str, Any],
        *,
        case_reference: str,
        record: tuple[str, int],
        language: str,
        letter_address: Sequence[str] | None = None,
    ) -> bytes:
        """The form filled in with ``answers``; ``record`` is ("draft" or
        "submission", its id) for the printed reference; a letter when
        ``letter_address`` is given (a ``ValueError`` saying why not)."""
        ...

    def check_letter(self, pdf: bytes) -> list[str]:
        """Why GOV.UK Notify would refuse ``pdf`` as a precompiled letter."""
        ...


@dataclass(frozen=True)
class RouteSettings:
    """Local settings for routes: inboxes by service id and the email template."""

    inboxes: Mapping[str, str] = field(default_factory=dict)
    email_template_id: str = DEFAULT_FORM_TEMPLATE_ID

    @classmethod
    def from_settings(cls, extra: Mapping[str, str]) -> RouteSettings:
        """From dotted settings: ``routes.<service id>.inbox`` and ``notify.form_template_id``."""
        inboxes = {
            key[len("routes.") : -len(".inbox")]: value.strip()
            for key, value in extra.items()
            if key.startswith("routes.") and key.endswith(".inbox") and value.strip()
        }
        return cls(inboxes, extra.get(TEMPLATE_SETTING) or DEFAULT_FORM_TEMPLATE_ID)


@dataclass(frozen=True)
class Route:
    """One way a form can go, in the worker's words."""

    id: str  # one of ROUTE_IDS
    channel: str  # the definition's channel: submission_api, notify_email or paper
    words: str  # "to the department's online service"; reads after "Form queued to go"
    available: bool
    reason: str = ""  # why it is closed, when it is
    queues: bool = True  # False for printing: nothing goes into the outbox
    inbox: str | None = None  # notify_email: where it goes
    letter_address: tuple[str, ...] = ()  # paper_letter: the person's address


def route_line(route: Route) -> Line:
    """How ``route`` goes, as a timeline word (read in the reader's language)."""
    if route.id == NOTIFY_EMAIL and route.inbox:
        return line(N_("by email to {inbox}, with the form attached"), inbox=route.inbox)
    if route.id == PAPER_LETTER and route.letter_address:
        return line(
            N_("on paper: posted as a letter through GOV.UK Notify to {address}"),
            address=", ".join(route.letter_address),
        )
    if route.id == PAPER_LETTER:
        return line(N_("on paper: posted as a letter through GOV.UK Notify to the person"))
    if route.id == PAPER_PRINT:
        return line(N_("on paper: printed here for the person to sign and post"))
    if route.id == NOTIFY_EMAIL:
        return line(N_("by email, with the form attached"))
    return line(N_("to the department's online service"))


def inbox_for(service: Service, settings: RouteSettings) -> str | None:
    """The service's inbox: the local setting, else the definition's."""
    local = settings.inboxes.get(service.id)
    if local:
        return local
    block = service.raw.get("notify_email")
    inbox = block.get("inbox") if isinstance(block, Mapping) else None
    return str(inbox) if isinstance(inbox, str) and inbox.strip() else None


def letter_address(name: str, address: str, postcode: str | None) -> list[str]:
    """A person's address as letter lines (name, lines, postcode); empty without one."""
    lines = [line.strip() for line in address.replace(",", "\n").splitlines() if line.strip()]
    if not lines or not postcode:
        return []
    return [name, *lines, postcode]


@dataclass(frozen=True)
class FormOnPaper:
    """What a letter check needs: the answers, the record and the person's address."""

    answers: Mapping[str, Any]
    case_reference: str
    record: tuple[str, int]
    address: Sequence[str]
    language: str


def delivery_routes(
    catalogue: Catalogue,
    service_id: str,
    *,
    settings: RouteSettings | None = None,
    paper: FormPaper | None = None,
    form: FormOnPaper | None = None,
    check_letter: bool = True,
) -> list[Route]:
    """Every route of ``service_id``, in the definition's order, each saying
    whether it is open now. ``form`` is the filled-in form the letter route
    checks against Notify's rules (without it, the letter is closed);
    ``check_letter`` False skips drawing it (the letter is then open when
    the person has an address, and must be checked before it is queued)."""
    service = catalogue.get(service_id)
    if service is None:
        return []
    settings = settings or RouteSettings()
    found: list[Route] = []
    for channel in service.channels:
        if channel == SUBMISSION_API:
            found.append(
                Route(SUBMISSION_API, channel, _("to the department's online service"), True)
            )
        elif channel == NOTIFY_EMAIL:
            found.append(_email_route(service, settings, paper))
        elif channel == "paper":
            found.append(_letter_route(service, paper, form, check_letter))
            found.append(
                Route(
                    PAPER_PRINT,
                    channel,
                    _("on paper: printed here for the person to sign and post"),
                    True,
                    queues=False,
                )
            )
    return found


def _email_route(service: Service, settings: RouteSettings, paper: FormPaper | None) -> Route:
    inbox = inbox_for(service, settings)
    if inbox is None:
        return Route(
            NOTIFY_EMAIL,
            NOTIFY_EMAIL,
            _("by email, with the form attached"),
            False,
            _("No email inbox is set for this service. Ask your administrator to set one."),
        )
    words = _("by email to {inbox}, with the form attached").format(inbox=inbox)
    if not _EMAIL.match(inbox):
        return Route(
            NOTIFY_EMAIL,
            NOTIFY_EMAIL,
            words,
            False,
            _("The inbox set for this service is not an email address. Ask your administrator."),
        )
    if paper is None:
        return Route(
            NOTIFY_EMAIL, NOTIFY_EMAIL, words, False, _("The form cannot be made into a PDF here.")
        )
    return Route(NOTIFY_EMAIL, NOTIFY_EMAIL, words, True, inbox=inbox)


def _letter_route(
    service: Service, paper: FormPaper | None, form: FormOnPaper | None, check: bool
) -> Route:
    general = _("on paper: posted as a letter through GOV.UK Notify to the person")
    if form is None or not form.address:
        return Route(
            PAPER_LETTER,
            "paper",
            general,
            False,
            _("The person's record has no postal address with a postcode to post a letter to."),
        )
    words = _("on paper: posted as a letter through GOV.UK Notify to {address}").format(
        address=", ".join(form.address)
    )
    if paper is None:
        return Route(
            PAPER_LETTER, "paper", words, False, _("The form cannot be made into a PDF here.")
        )
    problems = letter_problems(service, paper, form) if check else []
    if problems:
        return Route(
            PAPER_LETTER,
            "paper",
            words,
            False,
            _("GOV.UK Notify would refuse this letter: {problems}").format(
                problems=" ".join(problems)
            ),
        )
    return Route(PAPER_LETTER, "paper", words, True, letter_address=tuple(form.address))


def letter_pdf(service: Service, paper: FormPaper, form: FormOnPaper) -> bytes:
    """The form as a precompiled letter to the person (``ValueError`` if it cannot be)."""
    return paper.form_pdf(
        service,
        form.answers,
        case_reference=form.case_reference,
        record=form.record,
        language=form.language,
        letter_address=form.address,
    )


def letter_problems(service: Service, paper: FormPaper, form: FormOnPaper) -> list[str]:
    """Why the form could not go as a Notify letter (empty when it can)."""
    try:
        pdf = letter_pdf(service, paper, form)
    except ValueError as exc:
        return [str(exc)]
    return paper.check_letter(pdf)


def choose(routes: Sequence[Route], wanted: str | None) -> Route:
    """The route to take: ``wanted`` (a route id, or a channel for its first
    open route), else the first open one. ``ValueError`` with the reason when
    there is none."""
    if wanted is None:
        for route in routes:
            if route.available:
                return route
        raise ValueError(_("This form has no way to go at the moment.") + " " + _reasons(routes))
    ids = CHANNEL_ROUTES.get(wanted, (wanted,))
    named = [r for r in routes if r.id in ids]
    if not named:
        raise ValueError(
            _("This form cannot go that way. It can go: {routes}.").format(
                routes="; ".join(r.words for r in routes)
            )
        )
    for route in named:
        if route.available:
            return route
    return _closed(named)


def _closed(named: Sequence[Route]) -> Route:
    raise ValueError(_reasons(named))


def _reasons(routes: Sequence[Route]) -> str:
    return " ".join(r.reason for r in routes if not r.available and r.reason)
