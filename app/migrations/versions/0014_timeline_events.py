"""Timeline lines as events: the English message and its parameters, read in the reader's language.

Adds ``timeline_events.event`` (JSON, see ``casework.kernel.timeline``) and
converts the lines already written: text that matches a known line, in English
or in Welsh, becomes its event (words among its parameters, such as a status,
a service's title or a day, become words again); any other text stays as it
was written and is shown as is.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import gettext
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

ROOT = Path(__file__).resolve().parents[3]
LOCALE_DIR = ROOT / "resources" / "translations"
SERVICES = ROOT / "resources" / "catalogue" / "services.json"

# The lines Alongside wrote before this revision, frozen here (English, as
# written to the catalogue); a line written under an older text maps to today's.
TEMPLATES = (
    "Note: {text}",
    "Note edited",
    "Note added",
    "Document attached: {name}",
    "Case opened: {title}",
    "Status changed to '{status}'",
    "Task added: {title} (due {date})",
    "Task added: {title}",
    "Task done: {title}",
    "Task reopened: {title}",
    "Form started: {title}",
    "Form completed: {title}",
    "Form queued to go {route}: {title}",
    "Printed to send by post: {title}",
    "{name}'s record updated from the {title} form",
    "Fee of {amount} to pay: the payment page will be made at the next sync.",
    "New payment of {amount} asked for: the payment page will be made at the next sync.",
    "Referred to {team}.",
    "{team} could not take the referral: {reason}",
    "Escalated to {name} ({organisation}) {how}: {reason}. Reply due by {due}.",
    "Escalation acknowledged by the facilitator.",
    "Escalation resolved: {note}",
    "Escalation closed: {note}",
    "Chase escalation: {name} should reply by {due}",
    "{name} did not reply by {due}, and there is no one further up the ladder. "
    "Ring them on {phone}.",
    "{name} did not reply by {due}. Not passed on: {reason}",
    "{old} did not reply by {due}. Passed on to {name} ({role}); reply due by {new_due}.",
    "Text update queued for the person.",
    "Text updates turned on: the person agreed to texts to {phone}.",
    "Text updates turned off.",
    "The mandate this was sent under has ended; as the person agreed, "
    "what was already queued will still be delivered.",
    "Not sent: the mandate it was made under has ended, so it was cancelled.",
    "Already sent under a mandate that has now ended. Tell the service if "
    "the person does not want it to go ahead.",
    "{what}: sent.",
    "{what}: delivered.",
    "{what}: needs attention. {reason}",
    "{what}: not delivered. {reason}",
    "{what}: cancelled. {reason}",
    "{what}: accepted by GOV.UK Notify for printing and posting.",
    "Payment of {amount} requested: the payment page is ready.",
    "Payment of {amount} received.",
    "Payment of {amount} not made: {reason}",
    "Payment request of {amount} needs attention. {reason}",
    "Payment request of {amount} cancelled. {reason}",
)
RENAMED = {
    "{team} accepted the referral; they now act under mandate {id}.": (
        "{team} accepted the referral and can now act for the person."
    ),
}
# Parameters that are words: they are translated when read.
WORDS = {
    "status": (
        "Open",
        "Waiting for the person",
        "Waiting for the service",
        "Closed",
    ),
    "what": (
        "Email (GOV.UK Notify)",
        "Text message (GOV.UK Notify)",
        "Letter (GOV.UK Notify)",
        "Form to the department",
        "Payment request (GOV.UK Pay)",
        "Address lookup",
    ),
    "how": ("by email", "by post"),
    "reason": (
        "No decision made",
        "Wrong decision",
        "Evidence lost",
        "Urgent hardship",
        "Safeguarding",
        "Something else",
    ),
    "route": (
        "to the department's online service",
        "by email, with the form attached",
        "on paper: posted as a letter through GOV.UK Notify to the person",
        "on paper: printed here for the person to sign and post",
    ),
}
DAYS = ("date", "due", "new_due")


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        out.append(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)")
    return re.compile("".join(out) + r"\Z", re.DOTALL)


class Converter:
    """Old timeline text to an event (``None``: keep the text as it is)."""

    def __init__(self) -> None:
        welsh = gettext.translation(
            "alongside", localedir=LOCALE_DIR, languages=["cy"], fallback=True
        )
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for template in (*TEMPLATES, *RENAMED):
            now = RENAMED.get(template, template)
            self._patterns.append((_pattern(template), now))
            cy = welsh.gettext(template)
            if cy != template:
                self._patterns.append((_pattern(cy), now))
        self._words: dict[str, dict[str, str]] = {}
        for name, messages in WORDS.items():
            known = self._words.setdefault(name, {})
            for message in messages:
                known[message] = message
                known[welsh.gettext(message)] = message
        self._titles: dict[str, dict[str, str]] = {}
        try:
            services = json.loads(SERVICES.read_text(encoding="utf-8"))["services"]
        except (OSError, ValueError, KeyError):
            services = []
        for service in services:
            title = service.get("title")
            if isinstance(title, dict) and "en" in title:
                both = {"en": str(title["en"]), "cy": str(title.get("cy") or title["en"])}
                both["id"] = str(service.get("id", ""))
                self._titles[both["en"]] = both
                self._titles[both["cy"]] = both

    def __call__(self, text: str) -> dict[str, Any] | None:
        for pattern, message in self._patterns:
            # a line with an empty reason was written without its last space
            found = pattern.match(text) or pattern.match(text + " ")
            if found is None:
                continue
            params = {
                name: self._param(name, value)
                for name, value in found.groupdict().items()
                if f"{{{name}}}" in message
            }
            event: dict[str, Any] = {"m": message}
            if params:
                event["p"] = params
            return event
        return None

    def _param(self, name: str, value: str) -> Any:
        word = self._words.get(name, {}).get(value)
        if word is not None:
            return {"m": word}
        if name == "title" and value in self._titles:
            return dict(self._titles[value])
        if name in DAYS:
            try:
                return {"day": datetime.strptime(value, "%d %B %Y").date().isoformat()}
            except ValueError:
                return value
        return value


def upgrade() -> None:
    with op.batch_alter_table("timeline_events") as batch:
        batch.add_column(sa.Column("event", sa.Text(), nullable=True))
    bind = op.get_bind()
    table = sa.table(
        "timeline_events",
        sa.column("id", sa.Integer),
        sa.column("summary", sa.Text),
        sa.column("event", sa.Text),
    )
    convert = Converter()
    rows = bind.execute(sa.select(table.c.id, table.c.summary)).all()
    changes = []
    for row_id, summary in rows:
        event = convert(summary or "")
        if event is not None:
            changes.append({"b_id": row_id, "event": json.dumps(event, ensure_ascii=False)})
    if changes:
        bind.execute(table.update().where(table.c.id == sa.bindparam("b_id")), changes)


def downgrade() -> None:
    with op.batch_alter_table("timeline_events") as batch:
        batch.drop_column("event")
