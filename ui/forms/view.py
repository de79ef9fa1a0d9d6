"""Filling in a service's form on a person's behalf, GOV.UK style.

One question (or a small group) per page with Back and Continue; a task
list for long forms; "Check your answers" with Change links; an error
summary at the top whose links move to the field; inline errors in the
definition's own words. Every change is saved to the draft a moment later
(text that cannot be read yet is saved as typed), so a crash or a power cut
loses nothing. Known answers are offered with where they came from, and
used only when the worker chooses.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from casework.forms import answers as forms
from casework.forms.answers import AnswerError
from casework.forms.definitions import Page, Question, Service
from casework.forms.routes import Route
from casework.kernel.errors import AccessRefused, AlongsideError, InvalidInput
from casework.kernel.i18n import _, current_language
from casework.kernel.records import DraftRecord, KnownAnswer, ProfileDifference, SubmissionRecord
from ui.backend import Backend
from ui.forms import frozen as frozen_draft
from ui.forms import keys as form_keys
from ui.forms.fields import AddressField, QuestionField, field_for
from ui.operations import Operations, address
from ui.operations import forms as forms_ops
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ui.widgets import heading, message_label

TYPED = "__typed__"  # answers that could not be read yet, kept as typed
SAVE_DELAY_MS = 400


class FormView(QtWidgets.QWidget):
    """The journey through one draft."""

    closed = Signal()
    submitted = Signal(object)  # SubmissionRecord

    def __init__(
        self,
        backend: Backend,
        ops: Operations,
        service: Service,
        draft: DraftRecord,
        parent: QtWidgets.QWidget | None = None,
        person_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formView")
        self.backend = backend
        self.ops = ops
        self.service = service
        self.draft = draft
        self.person_name = person_name
        self.language = current_language()
        answers = dict(draft.answers)
        typed = answers.pop(TYPED, None)
        self.typed: dict[str, Any] = dict(typed) if isinstance(typed, dict) else {}
        self.answers: dict[str, Any] = dict(answers)
        self.version = draft.version
        self.mode = "page"
        self.page_id: str | None = draft.current_page
        self.back_to_check = False
        self.known: dict[str, KnownAnswer] = {}
        self.fields: dict[str, QuestionField] = {}
        # Made again on each Check your answers screen; hidden until needed.
        self.update_record = QtWidgets.QCheckBox()
        self.sent: SubmissionRecord | None = None
        # The ways the form can go (loaded on the Check your answers screen) and the choice.
        self.routes: list[Route] = []
        self.route_choice = QtWidgets.QButtonGroup(self)
        self._saving = False
        self._dirty = False
        alive = self._alive = [True]
        self.destroyed.connect(lambda _obj=None: alive.__setitem__(0, False))
        self._build()
        self.save_timer = QtCore.QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_now)
        if draft.submitted:
            self.mode = "sent"
        elif draft.frozen:
            self.mode = "frozen"  # its mandate ended: read only, printable for the person
        elif self.page_id is None or self.page_id not in {p.id for p in service.pages}:
            first = forms.next_page(service, self.answers, None)
            self.page_id = first.id if first else None
        self.ops.run(forms_ops.known_answers(draft.case_id, service.id), self._known_loaded)
        self.show_screen()

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.close_button = QtWidgets.QPushButton(_("← Back to the case"))
        self.close_button.setAccessibleName(_("Back to the case"))
        self.tasks_button = QtWidgets.QPushButton(_("&Task list"))
        self.tasks_button.setAccessibleName(_("Task list"))
        self.save_status = QtWidgets.QLabel()
        self.save_status.setObjectName("formSaveStatus")
        self.save_status.setAccessibleName(_("Save status"))
        top.addWidget(self.close_button)
        top.addStretch(1)
        top.addWidget(self.save_status)
        top.addWidget(self.tasks_button)
        outer.addLayout(top)
        caption = QtWidgets.QLabel(self.service.text("title", self.language))
        caption.setObjectName("formCaption")
        caption.setStyleSheet("color: #505a5f;")
        outer.addWidget(caption)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("formErrorSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.summary.setStyleSheet("QLabel { border: 3px solid #d4351c; padding: 8px; }")
        self.summary.setAccessibleName(_("There is a problem"))
        self.summary.linkActivated.connect(self._focus_link)
        # The summary sits at the top of the page and scrolls with it; a long
        # one scrolls within a box of at most a third of the page, so the
        # questions it names stay in sight (``_fit_summary``).
        self.summary_box = QtWidgets.QScrollArea()
        self.summary_box.setObjectName("formErrorSummaryBox")
        self.summary_box.setWidgetResizable(True)
        self.summary_box.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.summary_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary_box.setWidget(self.summary)
        self.summary_box.hide()
        self.title = heading("", "formPageTitle", 1.5)
        outer.addWidget(self.title)
        self.page_hint = QtWidgets.QLabel()
        self.page_hint.setWordWrap(True)
        outer.addWidget(self.page_hint)
        self.scroll_area = QtWidgets.QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll_area, 1)
        self.message = message_label("formMessage")
        outer.addWidget(self.message)
        bottom = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("&Back"))
        self.back_button.setAccessibleName(_("Back to the previous page"))
        self.continue_button = QtWidgets.QPushButton(_("Co&ntinue"))
        self.continue_button.setObjectName("formContinue")
        self.continue_button.setAccessibleName(_("Continue"))
        self.continue_button.setStyleSheet(
            "QPushButton { background: #00703c; color: white; padding: 6px 14px;"
            " font-weight: bold; }"
        )
        bottom.addWidget(self.continue_button)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        outer.addLayout(bottom)
        self.close_button.clicked.connect(self.close_form)
        self.tasks_button.clicked.connect(self.show_task_list)
        self.back_button.clicked.connect(self.go_back)
        self.continue_button.clicked.connect(self.go_on)

    def _known_loaded(self, known: dict[str, KnownAnswer]) -> None:
        self.known = known
        if self.mode == "page":
            self._offer_known()

    @property
    def route_answers(self) -> dict[str, Any]:
        """The answers on the person's route (leftovers from other branches dropped)."""
        return forms.prune(self.service, self.answers)

    # -- which screen --------------------------------------------------------------
    @property
    def page(self) -> Page | None:
        return next((p for p in self.service.pages if p.id == self.page_id), None)

    def show_screen(self) -> None:
        self.summary_box.hide()
        self.message.hide()
        body = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(body)
        column.addWidget(self.summary_box)  # taken from the old page before it goes
        self.fields = {}
        self.back_button.setVisible(self.mode in ("page", "check"))
        self.tasks_button.setVisible(self.mode not in ("sent", "frozen"))
        self.continue_button.setVisible(self.mode != "frozen")
        self.page_hint.hide()
        if self.mode == "page" and self.page is not None:
            self._render_page(column)
        elif self.mode == "tasks":
            self._render_tasks(column)
        elif self.mode == "check":
            self._render_check(column)
        elif self.mode == "frozen":
            self.title.setText(self.service.text("title", self.language))
            self.frozen_panel = frozen_draft.FrozenPanel(
                self,
                column,
                self.answer_grid(change_links=False),
                ops=self.ops,
                person_name=self.person_name,
                file_name=f"{self.service.id}-draft-{self.draft.id}.pdf",
                draft_id=self.draft.id,
            )
        else:
            self._render_sent(column)
        column.addStretch(1)
        self.continue_button.setMinimumWidth(self.continue_button.sizeHint().width())
        self.continue_button.updateGeometry()
        # The old screen may hold the widget whose signal brought us here (Enter
        # in a field, a Change link): delete it later, never under its own feet.
        # Hidden while still in the window, so its focus moves within the form;
        # kept a child, never a window of its own (a window deleted with the
        # focus in it leaves the main window inactive, and typing goes nowhere).
        previous = self.scroll_area.widget()
        if previous is not None:
            previous.hide()
            self.scroll_area.takeWidget()
            previous.setParent(self)
            previous.deleteLater()
        self.scroll_area.setWidget(body)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._first_focus()

    def _render_page(self, column: QtWidgets.QVBoxLayout) -> None:
        page = self.page
        assert page is not None
        self.title.setText(page.text("title", self.language))
        hint = page.text("hint", self.language)
        self.page_hint.setText(hint)
        self.page_hint.setVisible(bool(hint))
        self.continue_button.setText(_("Co&ntinue"))
        self.continue_button.setAccessibleName(_("Continue"))
        for question in page.questions:
            field = field_for(question, self.language)
            if isinstance(field, AddressField):
                field.use_lookup(
                    self.ops, partial(address.look_up_address, case_id=self.draft.case_id)
                )
            if question.id in self.typed:
                field.show_value(self.typed[question.id])
            elif question.id in self.answers:
                field.show_value(self.answers[question.id])
            field.changed.connect(lambda q=question.id: self._changed(q))
            field.submitted.connect(self.go_on)
            self.fields[question.id] = field
            column.addWidget(field)
        self._update_visibility()
        self._offer_known()

    def _offer_known(self) -> None:
        for qid, field in self.fields.items():
            known = self.known.get(qid)
            if known is None or self.answers.get(qid) not in (None, [], "") or qid in self.typed:
                continue
            shown = forms.display_value(field.question, known.value, self.language)
            field.offer_known(known.value, shown, known.source)

    def _update_visibility(self) -> None:
        route = self.route_answers
        for field in self.fields.values():
            field.setVisible(forms.question_shows(field.question, route))

    def _sections(self) -> list[tuple[str, list[Page]]]:
        sections: dict[str, list[Page]] = {}
        for page in forms.visible_pages(self.service, self.answers):
            sections.setdefault(page.text("section", self.language), []).append(page)
        return list(sections.items())

    def _render_tasks(self, column: QtWidgets.QVBoxLayout) -> None:
        self.title.setText(self.service.text("title", self.language))
        self.continue_button.setText(_("Check your a&nswers"))
        self.continue_button.setAccessibleName(_("Check your answers"))
        route = self.route_answers
        for name, pages in self._sections():
            complete = all(not forms.check_page(p, route) for p in pages)
            started = any(q.id in route for p in pages for q in forms.visible_questions(p, route))
            status = (
                _("Completed") if complete else _("In progress") if started else _("Not started")
            )
            row = QtWidgets.QHBoxLayout()
            link = QtWidgets.QPushButton(name)
            link.setFlat(True)
            link.setStyleSheet("color: #1d70b8; text-decoration: underline; text-align: left;")
            link.setAccessibleName(_("{section}: {status}").format(section=name, status=status))
            link.clicked.connect(lambda _c=False, p=pages[0].id: self.open_page(p))
            tag = QtWidgets.QLabel(status)
            tag.setStyleSheet(
                "font-weight: bold; color: %s;" % ("#00703c" if complete else "#505a5f")
            )
            row.addWidget(link)
            row.addStretch(1)
            row.addWidget(tag)
            column.addLayout(row)

    def answer_grid(self, change_links: bool) -> QtWidgets.QGridLayout:
        """Each visible question's label and answer, under its task-list section's
        heading, as on the check page; with ``change_links`` each row also has a
        Change link back to its page."""
        grid = QtWidgets.QGridLayout()
        row = 0
        route = self.route_answers
        pages = [(section, page) for section, in_section in self._sections() for page in in_section]
        shown_section = None
        for section, page in pages:
            questions = forms.visible_questions(page, route)
            if questions and section != shown_section:
                shown_section = section
                title = heading(section, "answerSection", 1.25)
                title.setAccessibleName(section)
                if row:
                    grid.setRowMinimumHeight(row, 12)  # a gap before each later section
                    row += 1
                grid.addWidget(title, row, 0, 1, 3)
                row += 1
            for question in questions:
                label = QtWidgets.QLabel(question.text("label", self.language))
                label.setWordWrap(True)
                label.setStyleSheet("font-weight: bold;")
                value = route.get(question.id)
                shown = forms.display_value(question, value, self.language) or _("Not answered")
                if question.type == "group" and isinstance(value, list):
                    first = question.children[0].id
                    shown = "\n".join(str(item.get(first, "")) for item in value) or shown
                answer = QtWidgets.QLabel(shown)
                answer.setWordWrap(True)
                answer.setObjectName(f"answer-{question.id}")
                grid.addWidget(label, row, 0)
                grid.addWidget(answer, row, 1)
                if change_links:
                    grid.addWidget(self._change_link(question, page.id), row, 2)
                row += 1
        grid.setColumnStretch(1, 1)
        return grid

    def _change_link(self, question: Question, page_id: str) -> QtWidgets.QPushButton:
        label = question.text("label", self.language)
        change = QtWidgets.QPushButton(_("Change"))
        change.setFlat(True)
        change.setObjectName(f"change-{question.id}")
        change.setStyleSheet("color: #1d70b8; text-decoration: underline;")
        change.setAccessibleName(_("Change {label}").format(label=label))
        change.clicked.connect(lambda _c=False: self.open_page(page_id, back_to_check=True))
        return change

    def _render_check(self, column: QtWidgets.QVBoxLayout) -> None:
        self.title.setText(_("Check your answers before sending the form"))
        self.continue_button.setText(_("Accept and sen&d"))
        self.continue_button.setAccessibleName(_("Accept and send"))
        # How it will go comes first, where the worker sees it before the answers.
        self._render_routes(column)
        column.addLayout(self.answer_grid(change_links=True))
        self.update_record = QtWidgets.QCheckBox()
        self.update_record.setObjectName("updateRecord")
        self.update_record.hide()
        self.differences = QtWidgets.QLabel()
        self.differences.setObjectName("recordDifferences")
        self.differences.setWordWrap(True)
        self.differences.hide()
        column.addWidget(self.differences)
        column.addWidget(self.update_record)
        on_screen = dict(self.answers)
        box = self.update_record

        def loaded(differences: list[ProfileDifference]) -> None:
            # Only for the screen that asked: an older answer must not reset the box.
            if self.mode == "check" and self.update_record is box:
                self._differences_loaded(differences)

        self.ops.run(forms_ops.profile_differences(self.draft.id, on_screen), loaded)
        declaration = QtWidgets.QLabel(
            _("Declaration") + "\n" + self.service.text("declaration", self.language)
        )
        declaration.setWordWrap(True)
        declaration.setStyleSheet("margin-top: 12px;")
        column.addWidget(declaration)

    def _render_routes(self, column: QtWidgets.QVBoxLayout) -> None:
        """How the form will go: loaded in a worker, a choice when several are open."""
        box = QtWidgets.QGroupBox(_("How the form goes"))
        box.setObjectName("formRoutes")
        box.setAccessibleName(_("How the form goes"))
        layout = QtWidgets.QVBoxLayout(box)
        waiting = QtWidgets.QLabel(_("Finding the ways this form can go…"))
        layout.addWidget(waiting)
        column.addWidget(box)
        self.route_box = box
        self.route_choice = QtWidgets.QButtonGroup(box)
        self.routes = []

        def loaded(found: list[Route]) -> None:
            if self.mode == "check" and self.route_box is box:
                waiting.hide()
                self._routes_loaded(layout, found)

        def not_loaded(exc: BaseException) -> None:
            if self.mode == "check" and self.route_box is box:
                waiting.setText(exc.message if isinstance(exc, AlongsideError) else str(exc))

        self.ops.run(forms_ops.form_routes(self.draft.id), loaded, not_loaded, on_failed=not_loaded)

    def _routes_loaded(self, layout: QtWidgets.QVBoxLayout, found: list[Route]) -> None:
        self.routes = found
        open_routes = [r for r in found if r.available]
        if not open_routes:
            none = QtWidgets.QLabel(_("This form has no way to go at the moment."))
            none.setObjectName("noRoute")
            none.setWordWrap(True)
            layout.addWidget(none)
        elif len(open_routes) == 1:
            only = QtWidgets.QLabel(_("It will go {route}.").format(route=open_routes[0].words))
            only.setObjectName("onlyRoute")
            only.setWordWrap(True)
            only.setProperty("route", open_routes[0].id)
            layout.addWidget(only)
        else:
            layout.addWidget(QtWidgets.QLabel(_("Choose how it goes:")))
            for n, route in enumerate(open_routes):
                button = QtWidgets.QRadioButton(_("Send it {route}").format(route=route.words))
                if not route.queues:
                    button.setText(_("Print it here for the person to sign and post"))
                button.setObjectName(f"route-{route.id}")
                button.setAccessibleName(button.text())
                button.setProperty("route", route.id)
                button.setChecked(n == 0)
                self.route_choice.addButton(button)
                layout.addWidget(button)
        for route in found:
            if not route.available:
                closed = QtWidgets.QLabel(
                    _("Not {route}: {reason}").format(route=route.words, reason=route.reason)
                )
                closed.setObjectName(f"closed-{route.id}")
                closed.setWordWrap(True)
                closed.setStyleSheet("color: #505a5f;")
                layout.addWidget(closed)
        if not open_routes:
            self.continue_button.setEnabled(False)

    def chosen_route(self) -> str | None:
        """The route id the worker chose (None: the first open one)."""
        checked = self.route_choice.checkedButton()
        if checked is not None:
            return str(checked.property("route"))
        open_routes = [r for r in self.routes if r.available]
        return open_routes[0].id if open_routes else None

    def _differences_loaded(self, differences: list[ProfileDifference]) -> None:
        if not differences or self.update_record.isVisible():
            return
        lines = [
            _("{label}: the record says ‘{old}’, this form says ‘{new}’").format(
                label=d.label, old=d.on_record or _("nothing"), new=d.in_form
            )
            for d in differences
        ]
        self.differences.setText(
            _("Some answers are different from the person's record:") + "\n" + "\n".join(lines)
        )
        self.differences.show()
        self.update_record.setText(_("Also update the person's record with these answers"))
        self.update_record.setAccessibleName(self.update_record.text())
        self.update_record.show()

    def _render_sent(self, column: QtWidgets.QVBoxLayout) -> None:
        route_id = self.sent.route if self.sent else None
        route = next((r for r in self.routes if r.id == route_id), None)
        printed = route_id == "paper_print"
        # Nothing says "sent": an item is queued (or, printing, nothing is).
        self.title.setText(_("Form ready to print") if printed else _("Form queued to go"))
        self.continue_button.setText(_("&Back to the case"))
        self.continue_button.setAccessibleName(_("Back to the case"))
        panel = QtWidgets.QLabel()
        panel.setObjectName("formSentPanel")
        panel.setWordWrap(True)
        panel.setStyleSheet("background: #00703c; color: white; padding: 16px; font-size: 14pt;")
        reference = self.sent.uuid[:8].upper() if self.sent else ""
        panel.setText(
            _("{title}\nReference {ref}").format(
                title=self.service.text("title", self.language), ref=reference
            )
        )
        column.addWidget(panel)
        if printed:
            how = _(
                "The answers are saved on the case exactly as given. Nothing is sent: print "
                "the form from the case for the person to sign and post."
            )
        elif route is not None:
            how = _(
                "The answers are saved on the case exactly as given. The form goes {route} "
                "as soon as Alongside can reach it; the case timeline shows when."
            ).format(route=route.words)
        else:
            how = _(
                "The answers are saved on the case exactly as given. The case timeline shows "
                "how the form goes, and when."
            )
        after = QtWidgets.QLabel(how + "\n\n" + self.service.text("next_steps", self.language))
        after.setWordWrap(True)
        column.addWidget(after)

    # -- keys (ui.forms.keys) -------------------------------------------------------
    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._first_focus()  # a form just started or resumed: its first question

    def focusNextPrevChild(self, next: bool) -> bool:
        after = (self.continue_button, self.back_button, self.tasks_button, self.close_button)
        ring = form_keys.tab_ring(self, self.scroll_area.widget(), after)
        if self.summary.isVisible() and form_keys.tab_stop(self.summary):
            ring.insert(0, self.summary)
        return form_keys.move_in_ring(ring, next) or super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if not form_keys.enter_pressed(event, self.go_on):
            super().keyPressEvent(event)

    def _first_focus(self) -> None:
        visible = [f for f in self.fields.values() if not f.isHidden()]
        if visible:
            visible[0].focus()
        elif self.mode == "frozen":
            self.frozen_panel.print_button.setFocus()
        else:
            self.continue_button.setFocus()

    # -- moving --------------------------------------------------------------------
    def open_page(self, page_id: str, back_to_check: bool = False) -> None:
        self.mode = "page"
        self.page_id = page_id
        self.back_to_check = back_to_check
        self.schedule_save()
        self.show_screen()

    def show_task_list(self) -> None:
        self.mode = "tasks"
        self.show_screen()

    def go_back(self) -> None:
        if self.mode == "check":
            self.show_task_list()
            return
        if self.back_to_check:
            self.mode = "check"
            self.show_screen()
            return
        previous = forms.previous_page(self.service, self.answers, self.page_id or "")
        if previous is None:
            self.show_task_list()
        else:
            self.open_page(previous.id)

    def go_on(self) -> None:
        if self.mode == "page":
            self._continue_page()
        elif self.mode == "tasks":
            self.mode = "check"
            self.show_screen()
        elif self.mode == "check":
            self.send()
        else:
            self.close_form()

    def _continue_page(self) -> None:
        page = self.page
        if page is None:
            return
        errors: dict[str, str] = {}
        for qid, field in self.fields.items():
            if field.isHidden():
                continue
            try:
                field.value()
            except AnswerError as exc:
                errors[qid] = str(exc)
        for qid, message in forms.check_page(page, self.route_answers, self.language).items():
            top = qid.split(":")[0]
            errors.setdefault(top, message)
        if errors:
            self.show_errors(errors)
            return
        self._clear_errors()
        if self.back_to_check:
            self.mode = "check"
            self.back_to_check = False
            self.schedule_save()
            self.show_screen()
            return
        following = forms.next_page(self.service, self.answers, page.id)
        if following is None:
            self.mode = "check"
            self.schedule_save()
            self.show_screen()
        else:
            self.open_page(following.id)

    def show_errors(self, errors: dict[str, str]) -> None:
        links = []
        for qid, message in errors.items():
            field = self.fields.get(qid)
            if field is not None:
                field.set_error(message)
            links.append(f'<a href="#{qid}">{_escape(message)}</a>')
        self.summary.setText(
            "<b>" + _escape(_("There is a problem")) + "</b><br>" + "<br>".join(links)
        )
        self.summary_box.show()
        self._fit_summary()
        first = next((self.fields[q] for q in errors if q in self.fields), None)
        if first is not None:
            first.focus()
            self.scroll_area.ensureWidgetVisible(first)

    def _fit_summary(self) -> None:
        """The summary's box: as tall as its lines, but no more than a third of the page."""
        third = max(self.scroll_area.viewport().height() // 3, 3 * self.fontMetrics().height())
        width = max(self.scroll_area.viewport().width() - 40, 200)
        wanted = self.summary.heightForWidth(width) + 2 * self.summary_box.frameWidth()
        self.summary_box.setFixedHeight(min(max(wanted, self.summary.sizeHint().height()), third))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.summary_box.isVisible():
            self._fit_summary()

    def _clear_errors(self) -> None:
        self.summary_box.hide()
        for field in self.fields.values():
            field.set_error("")

    def _focus_link(self, link: str) -> None:
        field = self.fields.get(link.lstrip("#"))
        if field is not None:
            field.focus()
            self.scroll_area.ensureWidgetVisible(field)

    # -- answers and saving ----------------------------------------------------------
    def _changed(self, qid: str) -> None:
        field = self.fields[qid]
        try:
            value = field.value()
        except AnswerError:
            self.typed[qid] = field.raw()
            self.answers.pop(qid, None)
        else:
            self.typed.pop(qid, None)
            if value is None:
                self.answers.pop(qid, None)
            else:
                self.answers[qid] = value
        self._update_visibility()
        self.schedule_save()

    def schedule_save(self) -> None:
        if self.mode in ("sent", "frozen"):
            return
        self.save_status.setText(_("Saving…"))
        self.save_timer.start()

    def payload(self) -> dict[str, Any]:
        data = dict(self.answers)
        if self.typed:
            data[TYPED] = dict(self.typed)
        return data

    def save_now(self) -> None:
        self.save_timer.stop()
        if self.mode == "frozen":
            return  # a frozen draft is never saved again
        if self._saving:
            self._dirty = True
            return
        self._saving = True
        self._dirty = False
        draft_id, version, data, page = self.draft.id, self.version, self.payload(), self.page_id
        case_id = self.draft.case_id

        def saved(new_version: int) -> None:
            self.version = new_version
            self._saving = False
            if not self._alive[0]:
                return  # closed while it saved: nothing left to show it on
            self.save_status.setText(_("Saved"))
            if self._dirty:
                self.save_now()

        def refused(exc: BaseException) -> None:
            self._saving = False
            if not isinstance(exc, AlongsideError):
                raise exc
            if not self._alive[0]:
                return
            text = exc.message
            self.save_status.setText(_("Not saved"))
            self.message.setText(text)
            self.message.show()
            if isinstance(exc, AccessRefused):  # its mandate may have ended meanwhile
                self.ops.run(forms_ops.form_draft(draft_id), self._check_frozen)

        self.ops.run(
            forms_ops.save_form(case_id, draft_id, version, data, page),
            saved,
            refused,
            on_failed=refused,
        )

    def _check_frozen(self, draft: DraftRecord) -> None:
        """The mandate ended while the form was open: stop saving, show it read only."""
        if not draft.frozen or self.mode == "frozen":
            return
        self.save_timer.stop()
        self._dirty = False
        self.draft = draft
        answers = dict(draft.answers)
        answers.pop(TYPED, None)
        self.answers = answers
        self.typed = {}
        self.mode = "frozen"
        self.show_screen()
        self.save_status.setText(_("Not saved"))
        self.message.setText(
            _(
                "The mandate ended while this form was open, so the last changes were not "
                "saved. The form as last saved can be printed for the person."
            )
        )
        self.message.show()

    @property
    def saved(self) -> bool:
        return not (self._saving or self._dirty or self.save_timer.isActive())

    def send(self) -> None:
        if not self.saved:
            # Send only what was saved: finish the save, then try again.
            if self.save_timer.isActive():
                self.save_now()
            QtCore.QTimer.singleShot(100, self.send)
            return
        self.continue_button.setEnabled(False)

        update_record = (
            self.mode == "check"
            and self.update_record.isVisible()
            and self.update_record.isChecked()
        )

        def sent(record: SubmissionRecord) -> None:
            self.continue_button.setEnabled(True)
            self.sent = record
            if update_record:

                def not_updated(exc: BaseException) -> None:
                    self.save_status.setText(
                        exc.message if isinstance(exc, AlongsideError) else str(exc)
                    )

                self.ops.run(
                    forms_ops.update_record_from_form(self.draft.person_id, self.draft.id),
                    lambda _version: self.save_status.setText(_("Record updated")),
                    not_updated,
                    on_failed=not_updated,
                )
            self.mode = "sent"
            self.show_screen()
            self.submitted.emit(record)

        def refused(exc: BaseException) -> None:
            self.continue_button.setEnabled(True)
            if isinstance(exc, InvalidInput) and "route" in exc.fields:
                self.message.setText(exc.fields["route"])
                self.message.show()
            elif isinstance(exc, InvalidInput):
                first = next(iter(exc.fields))
                page_id, _slash, qid = first.partition("/")
                self.open_page(page_id, back_to_check=True)
                wanted = {
                    k.partition("/")[2].split(":")[0]: v
                    for k, v in exc.fields.items()
                    if k.startswith(page_id + "/")
                }
                self.show_errors(wanted or {qid: exc.message})
            elif isinstance(exc, AlongsideError):
                self.message.setText(exc.message)
                self.message.show()
            else:
                raise exc

        self.ops.run(
            forms_ops.submit_form(
                self.draft.case_id, self.draft.id, self.version, self.chosen_route()
            ),
            sent,
            refused,
            on_failed=refused,
        )

    def close_form(self) -> None:
        if self.save_timer.isActive():
            self.save_now()
        self.closed.emit()

    def state(self) -> dict[str, Any]:
        """Where the worker is, to rebuild the view in another language."""
        return {
            "mode": self.mode,
            "page_id": self.page_id,
            "back_to_check": self.back_to_check,
            "answers": dict(self.answers),
            "typed": dict(self.typed),
            "version": self.version,
            "known": self.known,
            "sent": self.sent,
        }

    def restore(self, state: dict[str, Any]) -> None:
        self.mode = state["mode"]
        self.page_id = state["page_id"]
        self.back_to_check = state["back_to_check"]
        self.answers = state["answers"]
        self.typed = state["typed"]
        self.version = state["version"]
        self.known = state["known"]
        self.sent = state["sent"]
        self.show_screen()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
