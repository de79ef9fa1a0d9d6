"""The status and audit words a worker reads, in English and Welsh: the
escalation check's status line, a sync's result (in the outbox's own state
words) and the audit tab, where a sitting's autosaves are one line. Every
rendered string is scanned for service ids, enum values and snake_case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from casework.kernel.i18n import _, set_language
from delegation.records import AuditRecord
from delegation.scope_words import ScopeNames
from offline_sync.names import STATE_NAMES, run_words
from tests.ui.test_mandate_words import _grant_demo_mandate
from tests.ui.test_mandates import _open_first_person
from tests.unit.plain_words import internal_terms
from ui.escalation.controller import check_words
from ui.mandates.audit_lines import audit_lines
from ui.mandates.view import MandatesDialog
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.window.main import MainWindow

START = datetime(2026, 12, 5, 10, 2, tzinfo=UTC)
NAMES = ScopeNames({"attendance-allowance": {"en": "Attendance Allowance", "cy": "Lwfans Gweini"}})
JARGON = ("set aside", "passed on", "neilltuo", "trosglwyddo")


def entry(seq: int, minutes: float, action: str = "draft", **changes: object) -> AuditRecord:
    fields: dict[str, object] = {
        "seq": seq,
        "at": START + timedelta(minutes=minutes),
        "worker": "Amira Shah",
        "action": action,
        "target": "attendance-allowance",
        "outcome": "allow",
        "reason": "",
        "mandate_id": 1,
        "names": NAMES,
    }
    fields.update(changes)
    return AuditRecord(**fields)  # type: ignore[arg-type]


def a_day() -> list[AuditRecord]:
    """Newest first, as the audit lists them: a look, 12 autosaves over 29
    minutes, a refused save, another service's save, and a save next day."""
    saves = [entry(100 + i, 29 * i / 11) for i in range(12)]
    return list(
        reversed(
            [
                entry(1, -5, "view"),
                *saves,
                entry(200, 31, outcome="deny", reason="outside_scope"),
                entry(201, 32, target="blue-badge"),
                entry(202, 24 * 60),
            ]
        )
    )


def test_consecutive_autosaves_of_one_form_are_one_line_and_none_is_dropped() -> None:
    entries = a_day()
    lines = audit_lines(entries)
    assert [len(line.entries) for line in lines] == [1, 1, 1, 12, 1]
    assert sum(len(line.entries) for line in lines) == len(entries)
    sitting = lines[3]
    assert sitting.what_text("Worked on a form") == "Worked on a form: 12 changes"
    assert sitting.when_text().endswith("–" + sitting.when_text()[-5:])
    assert sitting.when_text().count(":") == 2  # "5 Dec 2026 10:02–10:31"


def test_a_gap_of_more_than_a_sitting_starts_a_new_line() -> None:
    lines = audit_lines(list(reversed([entry(1, 0), entry(2, 10), entry(3, 41)])))
    assert [len(line.entries) for line in lines] == [1, 2]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_status_and_audit_words_are_plain(qtbot: QtBot, language: str) -> None:
    set_language(language)
    view = MandatesDialog("Mary Jones")
    qtbot.addWidget(view)
    view.show_audit(a_day())
    assert view.audit.topLevelItemCount() == 5
    shown = {
        "audit": [
            view.audit.topLevelItem(i).text(c)
            for i in range(view.audit.topLevelItemCount())
            for c in range(5)
        ],
        "escalation check": [check_words(re, rem) for re in (0, 1, 3) for rem in (0, 1, 2)],
        "sync result": [
            run_words(sent, attention, stopped)
            for sent in (0, 1, 4)
            for attention in (0, 1, 2)
            for stopped in (False, True)
        ],
    }
    assert check_words(0, 0) == ""
    grouped = view.audit.topLevelItem(3)
    assert "12" in grouped.text(2) and "–" in grouped.text(0)
    # A sync's refused items are named as the outbox names their state.
    assert f"“{_(STATE_NAMES['needs_attention'])}”" in run_words(3, 2)
    for where, texts in shown.items():
        for text in texts:
            assert not internal_terms(text), (where, text)
            assert not any(word in text.lower() for word in JARGON), (where, text)
    if language == "cy":  # every one of them is Welsh, not the English fallback
        welsh = {t for t in shown["escalation check"] + shown["sync result"] if t}
        set_language("en")
        english = {check_words(re, rem) for re in (0, 1, 3) for rem in (0, 1, 2)}
        english |= {
            run_words(s, a, st) for s in (0, 1, 4) for a in (0, 1, 2) for st in (False, True)
        }
        assert not welsh & english


def test_a_sittings_autosaves_are_one_line_in_the_audit_tab(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    """Real autosaves under a mandate, then the person's Mandates and audit
    window: the saves are one line that says how many, and none is lost."""
    win = signed_in
    person_id = _open_first_person(qtbot, win)
    _grant_demo_mandate(win, person_id)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(win.backend)
    draft, _service = forms_ops.start_form(case_id, "blue-badge").call(win.backend)
    version = draft.version
    for _save in range(6):
        version = forms_ops.save_form(case_id, draft.id, version, {}, None).call(win.backend)
    entries = mandates_ops.person_audit(person_id).call(win.backend)
    saves = [e for e in entries if e.action == "draft" and e.target == "blue-badge"]
    assert len(saves) >= 6
    win.mandates.show_mandates()
    qtbot.waitUntil(lambda: isinstance(win.mandates.mandates_dialog, MandatesDialog))
    view = win.mandates.mandates_dialog
    assert isinstance(view, MandatesDialog)
    qtbot.waitUntil(lambda: view.audit.topLevelItemCount() > 0)
    what = [view.audit.topLevelItem(i).text(2) for i in range(view.audit.topLevelItemCount())]
    grouped = [w for w in what if w.startswith("Worked on a form: ")]
    assert grouped, what
    assert view.audit.topLevelItemCount() < len(entries)
    assert sum(len(line.entries) for line in audit_lines(entries)) == len(entries)
    view.close()
