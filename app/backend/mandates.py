"""``MandateActions``: the facade's mandate and assisted-session methods.

A mixin ``LocalBackend`` inherits (it uses the backend's ``_tx``,
``_need_actor`` and ``catalogue``). Each method is one user action in one
transaction and returns plain records from ``delegation.records``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from casework.casefile import assisted
from casework.kernel.errors import InvalidInput, NotFound, StorageFull
from casework.kernel.i18n import _, current_language
from casework.kernel.records import PersonInput
from casework.paper.documents import (
    ConsentReceipt,
    DocumentOptions,
    SharedItem,
    render_consent_receipt,
)
from delegation import listing, mandate_lookups, mandates
from delegation.audit import ReasonCode
from delegation.models import Mandate
from delegation.records import (
    AssistedStart,
    AuditRecord,
    Basis,
    ConsentMethod,
    Grantee,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    ScopeChoice,
    SessionRecord,
    WorkInProgress,
)
from delegation.scope import CATEGORIES, Action, Scope, describe
from offline_sync import revocation

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from casework.forms.definitions import Catalogue, Service
    from casework.kernel.records import Actor


def _categories(service: Service) -> tuple[str, ...]:
    found: set[str] = set()
    stack = list(service.questions())
    while stack:
        question = stack.pop()
        found.add(question.category)
        stack.extend(question.children)
    return tuple(sorted(found & CATEGORIES))


class MandateActions:
    """Mandates, consent receipts, the audit view and assisted sessions."""

    if TYPE_CHECKING:

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...

        def _need_actor(self) -> Actor: ...

        @property
        def catalogue(self) -> Catalogue: ...

    # -- choices for the grant dialog ---------------------------------------
    def grantee_choices(self) -> list[Grantee]:
        actor = self._need_actor()
        return [
            Grantee("worker", actor.worker_id, _("Me ({name})").format(name=actor.display_name)),
            Grantee("team", actor.team_id, _("My team ({name})").format(name=actor.team_name)),
        ]

    def supervisor_choices(self) -> list[Grantee]:
        """Active supervisors in the worker's team, other than the worker (the
        second approver an emergency mandate needs)."""
        actor = self._need_actor()
        with self._tx(write=False) as session:
            rows = mandate_lookups.second_approvers(session, actor)
            return [Grantee("worker", w.id, w.display_name) for w in rows]

    def scope_choices(self) -> list[ScopeChoice]:
        language = current_language()
        return [
            ScopeChoice(s.id, s.text("title", language), _categories(s))
            for s in self.catalogue.services
        ]

    def basis_longest_days(self) -> dict[str, int]:
        return {basis.value: mandates.MAX_DURATION[basis].days for basis in Basis}

    def describe_scope(self, scope: Scope) -> str:
        return describe(scope)

    # -- a person's mandates --------------------------------------------------
    def person_mandates(self, person_id: int) -> list[MandateRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return listing.person_mandates(session, actor, person_id)

    def acting_mandate(self, person_id: int) -> MandateRecord | None:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return listing.acting_mandate(session, actor, person_id)

    def person_audit(self, person_id: int) -> list[AuditRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return listing.person_audit(session, actor, person_id)

    def grant_mandate(self, request: GrantRequest) -> GrantOutcome:
        """Grant, record the consent, and activate unless the screen raised a concern
        (then the mandate is rejected, with the reason, and nothing may be done)."""
        actor = self._need_actor()
        try:
            basis = Basis(request.basis)
            method = ConsentMethod(request.consent_method)
        except ValueError as exc:
            raise InvalidInput({"basis": _("Choose a basis and how consent was given.")}) from exc
        if basis is Basis.ASSISTED_SESSION:
            raise InvalidInput({"basis": _("Start an assisted session from the Session menu.")})
        if request.task_list_shown != describe(request.scope):
            raise InvalidInput(
                {"task_list": _("The task list changed: show the person the new one.")}
            )
        worker = request.grantee_id if request.grantee_kind == "worker" else None
        team = request.grantee_id if request.grantee_kind == "team" else None
        with self._tx(write=True) as session:
            mandate = mandates.grant(
                session,
                actor,
                person_id=request.person_id,
                basis=basis,
                scope=request.scope,
                ends_at=request.ends_at,
                grantee_worker_id=worker,
                grantee_team_id=team,
                evidence_reference=request.evidence_reference,
                evidence_next_check=request.evidence_next_check,
                emergency_reason=request.emergency_reason,
                second_approver_id=request.second_approver_id,
                work_in_progress=WorkInProgress.FINISH_QUEUED
                if request.finish_queued
                else WorkInProgress.FREEZE,
                sub_delegation_allowed=request.sub_delegation_allowed,
            )
            consent = mandates.record_consent(
                session,
                actor,
                mandate.id,
                method=method,
                task_list_shown=request.task_list_shown,
                seen_alone=request.seen_alone,
                safeguarding_answers=request.safeguarding_answers,
                interpreter_used=request.interpreter_used,
                witness=request.witness,
            )
            if mandates.safeguarding_concern(consent):
                mandates.reject(session, actor, mandate.id, ReasonCode.SAFEGUARDING_CONCERN)
                return GrantOutcome(
                    listing.record(session, mandate),
                    False,
                    _(
                        "The safeguarding questions raised a concern, so this mandate is not "
                        "active and nothing can be done under it. Do not go ahead: speak to "
                        "your supervisor or the duty safeguarding lead today. The answers are "
                        "recorded."
                    ),
                )
            mandates.activate(session, actor, mandate.id)
            return GrantOutcome(listing.record(session, mandate), True)

    def renew_mandate(
        self, mandate_id: int, expected_version: int, ends_at: datetime, person_agreed: bool
    ) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            mandate = listing.renew(
                session,
                actor,
                mandate_id,
                ends_at,
                person_agreed=person_agreed,
                expected_version=expected_version,
            )
            return mandate.version

    def activate_mandate(self, mandate_id: int, expected_version: int) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return mandates.activate(
                session, actor, mandate_id, expected_version=expected_version
            ).version

    def suspend_mandate(self, mandate_id: int, expected_version: int, reason_code: str) -> int:
        actor = self._need_actor()
        code = _reason(reason_code)
        with self._tx(write=True) as session:
            return mandates.suspend(
                session, actor, mandate_id, code, expected_version=expected_version
            ).version

    def revoke_mandate(self, mandate_id: int, expected_version: int, reason_code: str) -> int:
        actor = self._need_actor()
        code = _reason(reason_code)
        with self._tx(write=True) as session:
            # The one door for revoking: sub-mandates fall too, queued work stops
            # (unless the person agreed it may finish), sent work is flagged.
            revocation.revoke(session, actor, mandate_id, code, expected_version=expected_version)
            return mandates.load(session, mandate_id, for_update=False).version

    def consent_receipt_pdf(self, mandate_id: int) -> bytes:
        """The receipt the person keeps: what, with whom, until when, how to withdraw."""
        actor = self._need_actor()
        with self._tx(write=False) as session:
            mandate = mandate_lookups.find_mandate(session, mandate_id)
            if mandate is None:
                raise NotFound(_("There is no such mandate."))
            shown = listing.person_mandates(session, actor, mandate.person_id)
            record = next(m for m in shown if m.id == mandate_id)
            consent = mandate_lookups.first_consent(session, mandate_id)
            given_on = (consent.recorded_at if consent else mandate.created_at).date()
            titles = {s.id: s.text("title", current_language()) for s in self.catalogue.services}
            receipt = _receipt(session, mandate, record, given_on, titles)
        return render_consent_receipt(receipt, DocumentOptions(language=current_language()))

    def save_consent_receipt(self, mandate_id: int, path: Path) -> Path:
        data = self.consent_receipt_pdf(mandate_id)
        try:
            path.write_bytes(data)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise StorageFull(
                _("The receipt could not be saved to {path} ({reason}).").format(
                    path=path, reason=exc.strerror or exc
                )
            ) from exc
        return path

    # -- assisted sessions ----------------------------------------------------
    def assisted_task_list(self, service_id: str) -> str:
        return assisted.task_list(service_id, self._service_categories(service_id))

    def _service_categories(self, service_id: str) -> tuple[str, ...]:
        service = self.catalogue.get(service_id)
        if service is None:
            raise NotFound(_("There is no form for that service."))
        return _categories(service)

    def start_assisted_session(self, start: AssistedStart) -> SessionRecord:
        actor = self._need_actor()
        service = self.catalogue.get(start.service_id)
        if service is None:
            raise InvalidInput({"service": _("Choose the service to help with.")})
        with self._tx(write=True) as session:
            return assisted.start(
                session,
                actor,
                person=PersonInput(start.given_name, start.family_name),
                service_id=service.id,
                service_title=service.text("title", current_language()),
                categories=_categories(service),
                task_list_shown=start.task_list_shown,
                safeguarding_answers=start.safeguarding_answers,
                seen_alone=start.seen_alone,
                interpreter_used=start.interpreter_used,
                witness=start.witness,
                minutes=start.minutes,
            )

    def current_assisted_session(self) -> SessionRecord | None:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return assisted.current(session, actor)

    def wipe_abandoned_sessions(self) -> int:
        """Wipe sessions left open past their end (run at sign-in); returns how many."""
        self._need_actor()
        with self._tx(write=True) as session:
            return len(assisted.wipe_abandoned(session))

    def keep_assisted_session(self, session_id: int, person_agreed_to_case: bool) -> SessionRecord:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return assisted.keep(
                session, actor, session_id, person_agreed_to_case=person_agreed_to_case
            )

    def wipe_assisted_session(self, session_id: int, *, timed_out: bool = False) -> dict[str, int]:
        """Wipe the person's data; ``timed_out`` when nobody answered at the limit."""
        actor = self._need_actor()
        with self._tx(write=True) as session:
            report = assisted.wipe(session, actor, session_id, timed_out=timed_out)
        return dict(report.rows)


def _reason(code: str) -> ReasonCode:
    try:
        return ReasonCode(code)
    except ValueError as exc:
        raise InvalidInput({"reason": _("Choose a reason.")}) from exc


def _receipt(
    session: Session,
    mandate: Mandate,
    record: MandateRecord,
    given_on: date,
    titles: dict[str, str],
) -> ConsentReceipt:
    team = mandate_lookups.grantee_team(session, mandate)
    who = f"{record.grantee} ({team.name})" if team else record.grantee
    shared = [
        SharedItem(
            what=", ".join(_category(c) for c in sorted(d.categories)),
            with_whom=who,
            purpose=_("{service}: {actions}").format(
                service=titles.get(d.service_id or "", d.service_id)
                if d.service_id
                else (d.case or "").upper(),
                actions=", ".join(_action(a) for a in Action if a in d.actions),
            ),
        )
        for d in record.scope
    ]
    return ConsentReceipt(
        reference=f"M{mandate.id:06d}",
        person_name=record.person_name,
        given_to=who,
        given_on=given_on,
        until=mandate.ends_at.date(),
        shared=shared,
        how_to_withdraw=_(
            "Tell {who}, in person, by phone or in writing, that you want to stop. "
            "You can do this at any time and you do not have to give a reason."
        ).format(who=who),
    )


def _category(name: str) -> str:
    labels = {
        "identity": _("your name, date of birth and identity numbers"),
        "contact": _("your phone number and email"),
        "address": _("your address"),
        "health": _("your health"),
        "financial": _("your money and benefits"),
        "household": _("the people you live with"),
        "care": _("the care and support you get"),
        "other": _("other answers on the form"),
    }
    return labels.get(name, name)


def _action(action: Action) -> str:
    labels = {
        Action.VIEW: _("look at"),
        Action.DRAFT: _("fill in"),
        Action.SUBMIT: _("send"),
        Action.CONTACT: _("contact the service"),
        Action.PRINT: _("print"),
        Action.ESCALATE: _("escalate"),
    }
    return labels[action]
