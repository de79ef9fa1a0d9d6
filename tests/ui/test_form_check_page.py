"""Check your answers and the error summary, by keyboard: answers grouped
under the task list's sections with a heading each, a Change link per answer
reached with Tab and named "Change <question>"; an error summary of many
lines takes at most a third of the page, scrolls with it, and its links
move to the fields."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.form_driver import press
from tests.ui.test_forms import _open_case_forms, _start
from ui.forms.view import FormView
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow


def _to_check_page(qtbot: QtBot, win: MainWindow, backend: LocalBackend) -> FormView:
    _open_case_forms(qtbot, win, backend)
    view = _start(qtbot, win, "sample-service")
    press(qtbot, view.tasks_button)
    qtbot.waitUntil(lambda: view.mode == "tasks")
    press(qtbot, view.continue_button)  # Check your answers
    qtbot.waitUntil(lambda: view.mode == "check")
    return view


def _grid_rows(view: FormView) -> list[tuple[str, str]]:
    """The check page top to bottom: ("section", title) or ("answer", question id)."""
    body = view.scroll_area.widget()
    found: list[tuple[int, str, str]] = []
    for label in body.findChildren(QtWidgets.QLabel):
        if not label.isVisibleTo(body):
            continue
        y = label.mapTo(body, label.rect().topLeft()).y()
        if label.objectName() == "answerSection":
            found.append((y, "section", label.text()))
        elif label.objectName().startswith("answer-"):
            found.append((y, "answer", label.objectName().removeprefix("answer-")))
    return [(kind, name) for _y, kind, name in sorted(found)]


def test_check_answers_is_grouped_under_the_task_list_sections(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    view = _to_check_page(qtbot, win, form_backend)
    rows = _grid_rows(view)
    sections = [name for name, _pages in view._sections()]
    assert [name for kind, name in rows if kind == "section"] == sections
    assert rows[0][0] == "section"
    page_section = {
        q.id: page.text("section", view.language)
        for page in view.service.pages
        for q in page.questions
    }
    current = ""
    for kind, name in rows:
        if kind == "section":
            current = name
        else:
            assert page_section[name] == current, name


def test_every_change_link_is_reached_by_tab_and_named_for_its_question(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    view = _to_check_page(qtbot, win, form_backend)
    body = view.scroll_area.widget()
    links = [
        b for b in body.findChildren(QtWidgets.QPushButton) if b.objectName().startswith("change-")
    ]
    assert links
    labels = {q.id: q.text("label", view.language) for q in view.service.questions()}
    for link in links:
        qid = link.objectName().removeprefix("change-")
        assert link.accessibleName() == f"Change {labels[qid]}"
    reached = []
    for _press in range(len(links) + 40):
        focused = QtWidgets.QApplication.focusWidget()
        if focused in links and focused not in reached:
            reached.append(focused)
        if len(reached) == len(links):
            break
        qtbot.keyClick(focused or view, Qt.Key.Key_Tab)
    assert len(reached) == len(links)
    first = reached[0]
    page_of = next(
        p.id
        for p in view.service.pages
        for q in p.questions
        if first.objectName() == f"change-{q.id}"
    )
    qtbot.keyClick(first, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.mode == "page" and view.page_id == page_of)
    assert view.back_to_check


def test_a_long_error_summary_keeps_the_questions_in_sight(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    win.resize(1280, 720)
    _open_case_forms(qtbot, win, form_backend)
    view = _start(qtbot, win, "sample-service")
    first = next(iter(view.fields))
    errors = {first: "Enter your given name"}
    errors.update({f"missing-{n}": f"Problem number {n} on this form" for n in range(26)})
    view.show_errors(errors)  # 27 lines, as sending an incomplete form can give
    qtbot.waitUntil(lambda: view.summary_box.isVisible())
    page_height = view.scroll_area.viewport().height()
    assert view.summary_box.height() <= page_height // 3 + 1
    # It is part of the page (scrolls with it), and the first question shows below it.
    assert view.summary_box.parentWidget() is view.scroll_area.widget()
    field = view.fields[first]
    top = field.mapTo(view.scroll_area.viewport(), field.rect().topLeft()).y()
    assert 0 <= top < page_height
    # The summary's link takes the keyboard to its field.
    view.fields[first].setFocus()
    view.summary.setFocus()
    qtbot.keyClick(view.summary, Qt.Key.Key_Tab)
    qtbot.keyClick(view.summary, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.fields[first].isAncestorOf(QtWidgets.QApplication.focusWidget()))
