"""Case tasks: things to do by a date, shown as overdue once the date passes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import load_case
from casework.kernel import timeline
from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Task, Worker, utcnow
from casework.kernel.records import Actor, TaskRecord
from casework.kernel.validators import require_text
from delegation.scope import Action


def add_task(
    session: Session,
    actor: Actor,
    case_id: int,
    title: str,
    due_on: date | None = None,
    assigned_worker_id: int | None = None,
) -> int:
    require_text({"title": title})
    load_case(session, actor, case_id, Action.DRAFT)
    clean = " ".join(title.split())
    if not clean:
        raise InvalidInput({"title": _("Say what needs doing, like 'Send GP letter'.")})
    if len(clean) > 200:
        raise InvalidInput({"title": _("Keep the task to 200 characters or fewer.")})
    task = Task(
        case_id=case_id,
        title=clean,
        due_on=due_on,
        assigned_worker_id=assigned_worker_id or actor.worker_id,
        created_by_id=actor.worker_id,
    )
    session.add(task)
    session.flush()
    said = (
        timeline.line(
            N_("Task added: {title} (due {date})"), title=clean, date=timeline.day(due_on)
        )
        if due_on
        else timeline.line(N_("Task added: {title}"), title=clean)
    )
    timeline.record(session, case_id, "task_added", said, actor)
    return task.id


def set_task_done(
    session: Session, actor: Actor, task_id: int, expected_version: int, done: bool
) -> int:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(_("That task no longer exists."))
    load_case(session, actor, task.case_id, Action.DRAFT)
    if task.version != expected_version:
        raise EditConflict(
            _("Someone else updated this task. It has been reloaded; check it and try again."),
            current_version=task.version,
        )
    task.done = done
    task.done_at = utcnow() if done else None
    session.flush()
    text = N_("Task done: {title}") if done else N_("Task reopened: {title}")
    timeline.record(
        session,
        task.case_id,
        "task_done" if done else "task_reopened",
        timeline.line(text, title=task.title),
        actor,
    )
    return task.version


def task_records(
    session: Session, case_id: int, today: date | None = None
) -> tuple[TaskRecord, ...]:
    today = today or date.today()
    stmt = (
        select(Task, Worker.display_name)
        .outerjoin(Worker, Worker.id == Task.assigned_worker_id)
        .where(Task.case_id == case_id)
        .order_by(Task.done, Task.due_on.is_(None), Task.due_on, Task.id)
    )
    return tuple(
        TaskRecord(
            id=task.id,
            version=task.version,
            title=task.title,
            due_on=task.due_on,
            done=task.done,
            assigned_to=name,
            overdue=bool(task.due_on and not task.done and task.due_on < today),
        )
        for task, name in session.execute(stmt)
    )
