"""Activity rows put in directly (form drafts, sent forms, deliveries,
escalations, payments, paper), so every figure of the service page is a
known number: ``seed`` puts in the set the unit and UI tests check."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import EscalationStatus, ReasonCategory
from casework.kernel.models import Case, FormDraft, Person, Submission, Worker
from casework.kernel.records import CaseStatus
from casework.paper.models import PaperCopy, PaperReturn
from casework.performance.models import DemandReason, DemandRecord
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState

SERVICE = "pension-credit"
# Who a level went to, as the escalation view reads it back.
FACILITATOR = json.dumps(
    {
        "name": "Imran Hussain",
        "role": "Partner liaison officer",
        "organisation": "The Pension Service",
        "email": "imran.hussain@example.gov.uk",
        "phone": "01632 960485",
        "hours": "Monday to Friday, 9am to 5pm",
        "languages": "English",
        "channel": "email",
        "postal_address": [],
    }
)


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


class Seeder:
    """Rows put in directly, so every count below is known."""

    def __init__(self, session: Session, worker: Worker) -> None:
        self.s = session
        self.worker = worker
        self.n = 0

    def case(self, service: str = SERVICE, closed: bool = False) -> Case:
        self.n += 1
        person = Person(team_id=self.worker.team_id, given_name="Test", family_name=f"P{self.n}")
        self.s.add(person)
        self.s.flush()
        case = Case(
            reference=f"T-{self.worker.team_id}-{self.n:05d}",
            person_id=person.id,
            team_id=self.worker.team_id,
            service_id=service,
            title="t",
            status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
        )
        self.s.add(case)
        self.s.flush()
        return case

    def draft(
        self,
        case: Case,
        created: datetime,
        *,
        page: str | None = None,
        updated: datetime | None = None,
        submitted: bool = False,
    ) -> FormDraft:
        draft = FormDraft(
            case_id=case.id,
            service_id=case.service_id,
            service_version="1",
            current_page=page,
            submitted=submitted,
            created_by_id=self.worker.id,
            updated_by_id=self.worker.id,
            created_at=created,
            updated_at=updated or created,
        )
        self.s.add(draft)
        self.s.flush()
        return draft

    def sent(self, case: Case, created: datetime, submitted: datetime) -> Submission:
        draft = self.draft(case, created, submitted=True)
        sub = Submission(
            uuid=str(uuid.uuid4()),
            case_id=case.id,
            person_id=case.person_id,
            draft_id=draft.id,
            service_id=case.service_id,
            service_version="1",
            definition_sha256="0" * 64,
            answers="{}",
            facts="{}",
            submitted_by_id=self.worker.id,
            submitted_at=submitted,
        )
        self.s.add(sub)
        self.s.flush()
        return sub

    def item(
        self,
        connector: Connector,
        state: OutboxState,
        *,
        case: Case,
        item_id: str | None = None,
        key: str | None = None,
        body: str = "{}",
        created: datetime | None = None,
    ) -> None:
        self.s.add(
            OutboxItem(
                id=item_id or str(uuid.uuid4()),
                connector=connector,
                case_id=case.id,
                body=body,
                idempotency_key=key or str(uuid.uuid4()),
                state=state,
                next_attempt_at=at(1),
                created_at=created or at(12),
            )
        )

    def escalation(self, case: Case, raised: datetime) -> Escalation:
        row = Escalation(
            case_id=case.id,
            person_id=case.person_id,
            service_id=case.service_id,
            area="england",
            reason=ReasonCategory.NO_DECISION,
            description="d",
            status=EscalationStatus.RAISED,
            raised_by_id=self.worker.id,
            raised_at=raised,
        )
        self.s.add(row)
        self.s.flush()
        return row

    def level(self, esc: Escalation, level: int, sent: datetime, breached: datetime | None) -> None:
        self.s.add(
            EscalationLevel(
                escalation_id=esc.id,
                level=level,
                facilitator=FACILITATOR,
                channel="email",
                nation="england",
                sla_working_days=10,
                sent_at=sent,
                due_on=sent.date() + timedelta(days=14),
                breach_at=sent + timedelta(days=14),
                reminder_at=sent + timedelta(days=10),
                breached_at=breached,
                outbox_item_id=str(uuid.uuid4()),
                subject="s",
                body="b",
            )
        )

    def reasons(self, case: Case, at: datetime, *keys: str) -> None:
        record = DemandRecord(
            case_id=case.id,
            service_id=case.service_id,
            moment="later",
            note="",
            recorded_by_id=self.worker.id,
            recorded_at=at,
        )
        self.s.add(record)
        self.s.flush()
        for key in keys:
            self.s.add(DemandReason(record_id=record.id, reason=key))

    def copy(self, printed: datetime, case: Case | None = None) -> PaperCopy:
        self.n += 1
        row = PaperCopy(
            reference=f"REF{self.worker.team_id}-{self.n}",
            office="RVL",
            serial=f"{self.worker.team_id}-{self.n}",
            service_id=SERVICE,
            version="1",
            language="en",
            kind="blank" if case is None else "draft",
            pages=4,
            case_id=case.id if case else None,
            person_id=case.person_id if case else None,
            printed_by_id=self.worker.id,
            printed_at=printed,
        )
        self.s.add(row)
        self.s.flush()
        return row

    def back(self, copy: PaperCopy, case: Case, received: datetime) -> None:
        self.s.add(
            PaperReturn(
                copy_id=copy.id,
                case_id=case.id,
                scan_sha256=uuid.uuid4().hex + uuid.uuid4().hex,
                pages_found="1,2,3,4",
                pages_missing="",
                received_at=received,
            )
        )


def seed(session: Session, mine: Worker, other: Worker, first_page: str, third: str) -> None:
    me = Seeder(session, mine)
    # Forms: six started in November, three of them sent (30, 60, 90 minutes)…
    a, b, c = me.case(), me.case(), me.case()
    s1 = me.sent(a, at(3), at(3) + timedelta(minutes=30))
    s2 = me.sent(b, at(4), at(4) + timedelta(minutes=60))
    s3 = me.sent(c, at(5), at(5) + timedelta(minutes=90))
    # …one idle since 5 November (abandoned), one busy still, one on a closed case.
    me.draft(me.case(), at(5), updated=at(5))
    me.draft(me.case(), at(6), page=third, updated=at(15, month=12))
    me.draft(me.case(closed=True), at(7), page=third, updated=at(15, month=12))
    # A form started in October and sent in November: sent, not started (2 days).
    me.sent(me.case(), at(30, month=10), at(1))
    # Outside: December, another service, another office.
    me.draft(me.case(), at(2, month=12))
    me.draft(me.case(service="blue-badge"), at(8))
    them = Seeder(session, other)
    them.sent(them.case(), at(3), at(3, 11))
    them.draft(them.case(), at(4))
    # Delivered only when the platform confirmed it.
    me.item(Connector.NOTIFY_EMAIL, OutboxState.DELIVERED, case=a, item_id=s1.uuid)
    me.item(Connector.SUBMISSION_API, OutboxState.DELIVERED, case=b, key=s2.uuid)
    me.item(Connector.SUBMISSION_API, OutboxState.SENT, case=c, key=s3.uuid)
    # Escalations: one raised in November (breached at level 1, passed up)…
    e1 = me.escalation(a, at(10))
    me.level(e1, 1, at(10), at(24))
    me.level(e1, 2, at(24), None)
    # …one raised in October that breached and went up in November.
    e2 = me.escalation(b, at(1, month=10))
    me.level(e2, 1, at(1, month=10), at(3))
    me.level(e2, 2, at(3), None)
    e3 = them.escalation(them.case(), at(10))
    them.level(e3, 1, at(10), at(20))
    # Payments: two paid (£10 and £5.50), one not made, one waiting.
    for state, pence in (
        (OutboxState.DELIVERED, 1000),
        (OutboxState.DELIVERED, 550),
        (OutboxState.FAILED, 700),
        (OutboxState.SENT, 700),
    ):
        me.item(Connector.PAY, state, case=a, body=json.dumps({"amount": pence}))
    them.item(Connector.PAY, OutboxState.DELIVERED, case=them.case(), body='{"amount": 99}')
    # Paper: a blank copy and a copy for a case out; the case's back (scanned twice).
    me.copy(at(9))
    given = me.copy(at(9), a)
    me.back(given, a, at(20))
    me.back(given, a, at(21))
    me.copy(at(3, month=12))
    them.copy(at(9))
    # Why help was needed: three picks in November, one in October, one for
    # another service, one in another office.
    me.reasons(a, at(3), "online_service", "language")
    me.reasons(b, at(4), "online_service")
    me.reasons(c, at(5), "no_device")
    me.reasons(a, at(3, month=10), "chasing")
    me.reasons(me.case(service="blue-badge"), at(8), "wrong_decision")
    them.reasons(them.case(), at(9), "wrong_decision")
    del first_page
