"""The main window: sign in, the people list with search, a person, a case,
and the lock screen.

The window owns the app's one ``Operations`` runner: every piece of work is
an operation (``ui.operations``) run on a worker, and its answer comes back
here, where it is shown. After a write the runner says what changed, and the
window reloads only the lists and details that show it. Refusals
(``AlongsideError``) are shown beside what the worker was doing and never
clear their typing; anything unexpected goes to the crash handler.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from casework.forms.definitions import Catalogue, Service
from casework.forms.versions import VersionTable
from casework.kernel.errors import AccountLocked, AlongsideError, EditConflict, InvalidInput
from casework.kernel.i18n import _, ngettext
from casework.kernel.nations import Placement
from casework.kernel.records import (
    Actor,
    CaseDetail,
    DraftRecord,
    PersonDetail,
    PersonInput,
    PersonRow,
    SearchResults,
    WorkRow,
)
from casework.performance.reasons import Moment
from ui.backend import Backend
from ui.cases.dialog import CaseDialog
from ui.cases.my_cases import MyCasesList
from ui.cases.view import CaseView
from ui.complaints.controller import ComplaintController
from ui.entitlements.controller import SuggestionsUi
from ui.entitlements.panel import MySuggestionsList
from ui.escalation.controller import EscalationController
from ui.escalation.view import EscalationsView
from ui.forms.view import FormView
from ui.mandates.controller import MandatesController
from ui.operations import Changes, Op, Operations, access, cases, forms, people
from ui.paper.menu import PaperMenu
from ui.paper.waiting import OverduePanel
from ui.payments.controller import FeesUi
from ui.people.dialog import PersonDialog
from ui.people.model import PAGE, PeopleModel
from ui.people.panel import PersonPanel
from ui.people.search import SearchModel
from ui.people.search_keys import SearchKeys
from ui.performance import open_data_dialog
from ui.performance.controller import DemandController
from ui.qt import Qt, QtCore, QtGui, QtWidgets
from ui.services.menu import ServicesMenu
from ui.sync.controller import SyncUi
from ui.text_updates.controller import TextUpdatesController
from ui.widgets import fit_columns
from ui.window import gc as ui_gc
from ui.window import quit_guard
from ui.window.lock_screen import LockScreen
from ui.window.sign_in import SignInPage, demo_banner

log = logging.getLogger("alongside.ui")

SEARCH_DELAY_MS = 250
SELECT_DELAY_MS = 120
_INPUT_EVENTS = {
    QtCore.QEvent.Type.KeyPress,
    QtCore.QEvent.Type.MouseButtonPress,
    QtCore.QEvent.Type.MouseMove,
    QtCore.QEvent.Type.Wheel,
    QtCore.QEvent.Type.TouchBegin,
}


class _IdleWatcher(QtCore.QObject):
    """Restarts the idle timer on any keyboard, mouse or touch input."""

    def __init__(self, timer: QtCore.QTimer, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = timer

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


class MainWindow(QtWidgets.QMainWindow):
    """The whole app for one signed-in worker."""

    def __init__(self, backend: Backend, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        ui_gc.install()
        self.backend = backend
        # The one runner of the app: every controller and view runs its work here.
        self.ops = Operations(backend, self)
        self.ops.failed.connect(self.unexpected)
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("Alongside — {profile}").format(profile=backend.profile_label))
        self.resize(1200, 760)
        self._search_job: int | None = None
        self._search_generation = 0
        self._results_for: str | None = None  # the text the results shown are for
        self.person_dialog: PersonDialog | None = None
        self.case_dialog: CaseDialog | None = None

        self._window_actions: list[QtGui.QAction] = []
        self.people_model = PeopleModel(backend, self)
        self.results_model = SearchModel(self)

        self.idle_timer = QtCore.QTimer(self)
        self.idle_timer.setObjectName("idleTimer")
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self._idle_watcher = _IdleWatcher(self.idle_timer, self)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self._idle_watcher)
        self.search_timer = QtCore.QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._run_search)
        self.select_timer = QtCore.QTimer(self)
        self.select_timer.setSingleShot(True)
        self.select_timer.setInterval(SELECT_DELAY_MS)
        self.select_timer.timeout.connect(self._load_selected_person)
        self._select_after_load: int | None = None
        # Answers about the case view's case older than the newest asked for are dropped.
        self._case_generation = 0
        self._forms_generation = 0
        self._opening_case = False
        self.ops.changes_applied.connect(self._changes_applied)
        # Each controller sees the window only through ``ui.host.Host``.
        self.mandates = MandatesController(self, self)
        self.sync_ui = SyncUi(self, self)
        self.escalation = EscalationController(self, self)
        self.complaints = ComplaintController(self, self)
        self.paper = PaperMenu(self, self)
        self.services = ServicesMenu(self, self)
        self.fees_ui = FeesUi(self, self)
        self.suggestions_ui = SuggestionsUi(self, self)
        self.suggestions_ui.form_requested.connect(self.open_form)
        self.text_updates = TextUpdatesController(self, self)
        self.demand = DemandController(self, self)
        self._build_ui()
        self._show_page(self.sign_in_page)

    def _build_ui(self) -> None:
        """Make every widget in the current language (again, after a switch)."""
        title = _("Alongside — {profile}").format(profile=self.backend.profile_label)
        self.setWindowTitle(self.sync_ui.window_title(title))
        self.stack = QtWidgets.QStackedWidget()
        self.setCentralWidget(self.stack)  # deletes the old pages, if any
        self.sign_in_page = SignInPage(self.backend.profile_label, self.backend.is_demo)
        self.work_page = self._build_work_page()
        self.lock_screen = LockScreen()
        for page in (self.sign_in_page, self.work_page, self.lock_screen):
            self.stack.addWidget(page)
        self._build_status_bar()
        self._build_actions()
        self.sign_in_page.submitted.connect(self._sign_in)
        self.sign_in_page.language_requested.connect(self.switch_language)
        self.lock_screen.unlock_requested.connect(self._unlock)
        self.lock_screen.sign_out_requested.connect(self.sign_out)
        self.sync_ui.attach(self.case_view.outbox)
        self.fees_ui.attach(self.case_view.fees)
        self.suggestions_ui.attach(
            self.case_view.suggestions, self.my_suggestions, self.case_view.decision_row
        )

    # -- building -------------------------------------------------------------
    def _build_work_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        page.setObjectName("workPage")
        outer = QtWidgets.QVBoxLayout(page)
        outer.setContentsMargins(6, 6, 6, 0)
        if self.backend.is_demo:
            outer.addWidget(demo_banner(_("DEMO profile — every person here is made up.")))
        self.acting_banner = self.mandates.build_banner()
        outer.addWidget(self.acting_banner)
        outer.addWidget(self.sync_ui.build_banner())
        splitter = QtWidgets.QSplitter()
        outer.addWidget(splitter, 1)

        left = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setAccessibleName(_("Search people, cases and notes"))
        self.search_edit.setPlaceholderText(_("Search people, cases and notes (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        column.addWidget(self.search_edit)
        self.list_label = QtWidgets.QLabel(_("Loading people…"))
        self.list_label.setObjectName("listLabel")
        self.list_stack = QtWidgets.QStackedWidget()
        self.people_view = QtWidgets.QTableView()
        self.people_view.setObjectName("peopleList")
        self.people_view.setAccessibleName(_("People"))
        self.people_view.setModel(self.people_model)
        self.people_view.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.people_view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.people_view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people_view.verticalHeader().hide()
        self.people_view.verticalHeader().setDefaultSectionSize(24)
        self.people_view.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.people_view, (200, 105, 85, 85), claim_width=True)
        self.people_view.setAlternatingRowColors(True)
        self.people_view.setTabKeyNavigation(False)
        self.results_view = QtWidgets.QListView()
        self.results_view.setObjectName("searchResults")
        self.results_view.setAccessibleName(_("Search results"))
        self.results_view.setModel(self.results_model)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_stack.addWidget(self.people_view)
        self.list_stack.addWidget(self.results_view)
        self.left_tabs = QtWidgets.QTabWidget()
        self.left_tabs.setObjectName("leftTabs")
        self.left_tabs.setAccessibleName(_("People and my cases"))
        people_page = QtWidgets.QWidget()
        people_column = QtWidgets.QVBoxLayout(people_page)
        people_column.setContentsMargins(0, 4, 0, 0)
        people_column.addWidget(self.list_label)
        people_column.addWidget(self.list_stack, 1)
        self.my_cases = MyCasesList()
        self.paper_overdue = OverduePanel()
        self.paper_overdue.attach(self.ops)
        my_cases_page = QtWidgets.QWidget()
        my_cases_column = QtWidgets.QVBoxLayout(my_cases_page)
        my_cases_column.setContentsMargins(0, 0, 0, 0)
        my_cases_column.addWidget(self.my_cases, 1)
        self.my_suggestions = MySuggestionsList()  # open suggestions of the next claim
        my_cases_column.addWidget(self.my_suggestions)
        my_cases_column.addWidget(self.mandates.reviews_panel)  # mandate reviews due
        my_cases_column.addWidget(self.paper_overdue)  # paper forms not back in time
        self.left_tabs.addTab(people_page, _("Pe&ople"))
        self.left_tabs.addTab(my_cases_page, _("&My cases"))
        self.escalations_view = EscalationsView()
        self.left_tabs.addTab(self.escalations_view, _("Escalation&s"))
        column.addWidget(self.left_tabs, 1)
        column.addWidget(self.mandates.ending_panel)  # mandates ending within 30 days
        splitter.addWidget(left)

        self.detail_stack = QtWidgets.QStackedWidget()
        self.person_panel = PersonPanel()
        self.case_view = CaseView()
        self.case_view.paper_waiting.attach(self.ops)
        self.case_view.paper_came_back.attach(self.ops)
        self.detail_stack.addWidget(self.person_panel)
        self.detail_stack.addWidget(self.case_view)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([480, 720])

        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        SearchKeys(self.search_edit, self.list_stack_view, self._search_enter)
        # Tab from the box goes to the list under it, then on to the tabs above it.
        QtWidgets.QWidget.setTabOrder(self.search_edit, self.results_view)
        QtWidgets.QWidget.setTabOrder(self.results_view, self.people_view)
        self.people_view.selectionModel().currentRowChanged.connect(
            lambda _cur, _prev: self.select_timer.start()
        )
        self.people_view.activated.connect(lambda _index: self._load_selected_person())
        self.results_view.activated.connect(self._open_hit)
        self.my_cases.case_requested.connect(self.open_case)
        self.paper_overdue.case_requested.connect(self.open_case)

        self.person_panel.edit_requested.connect(self.edit_person)
        self.person_panel.new_case_requested.connect(self.new_case)
        self.person_panel.mandates_requested.connect(self.mandates.show_mandates)
        self.person_panel.case_requested.connect(self.open_case)
        cv = self.case_view
        cv.back_requested.connect(self._back_to_person)
        cv.status_requested.connect(self._change_status)
        cv.note_requested.connect(self._add_note)
        cv.task_requested.connect(self._add_task)
        cv.task_toggled.connect(self._toggle_task)
        cv.attach_requested.connect(self._attach)
        cv.export_requested.connect(self._export)
        cv.form_requested.connect(self.open_form)
        cv.new_form_requested.connect(self.start_form)
        cv.paper_requested.connect(self.paper.open_draft)
        cv.paper_came_back.type_up.connect(self.paper.type_up)
        cv.paper_came_back.receive.connect(self.paper.open_returned)
        self.escalation.attach(self.escalations_view, cv, self.left_tabs)
        self.complaints.attach(cv)
        self.text_updates.attach(cv.text_updates)
        self.demand.attach(cv.demand)
        cv.frozen_row.print_requested.connect(self.mandates.print_frozen)
        self.form_view: FormView | None = None
        self._quitting = False  # set once quitting is decided (``ask_to_quit``)
        return page

    def _build_status_bar(self) -> None:
        bar = QtWidgets.QStatusBar()
        self.setStatusBar(bar)  # replaces (and deletes) the old one
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("busyProgress")
        self.progress.setAccessibleName(_("Working"))
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelSearch")
        self.cancel_button.setAccessibleName(_("Cancel search"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_search)
        self.signed_in_label = QtWidgets.QLabel()
        self.signed_in_label.setObjectName("signedInLabel")
        self.sync_status = self.sync_ui.build_status_bar(bar)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        bar.addPermanentWidget(self.signed_in_label)
        bar.addPermanentWidget(self.sync_status)
        self.progress.setVisible(self.ops.busy)
        self.ops.busy_changed.connect(self.progress.setVisible)

    def add_action(
        self, menu: QtWidgets.QMenu, text: str, keys: list[str], slot: Callable[[], Any]
    ) -> QtGui.QAction:
        action = QtGui.QAction(text, self)
        action.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        self._window_actions.append(action)
        return action

    def _build_actions(self) -> None:
        for old in self._window_actions:
            self.removeAction(old)
            old.deleteLater()
        self._window_actions = []
        menus = QtWidgets.QMenuBar()
        self.setMenuBar(menus)  # replaces (and deletes) the old one
        person = menus.addMenu(_("&People"))
        self.new_person_action = self.add_action(
            person, _("&New person…"), ["Ctrl+Shift+N"], self.new_person
        )
        self.new_case_action = self.add_action(
            person, _("&Open a case…"), ["Ctrl+O"], self.new_case
        )
        case_menu = menus.addMenu(_("&Case"))
        self.note_action = self.add_action(
            case_menu, _("Write a &note"), ["Ctrl+N"], self.write_note
        )
        self.task_action = self.add_action(case_menu, _("Add a &task"), ["Ctrl+T"], self.write_task)
        self.back_action = self.add_action(
            case_menu, _("&Back to person"), ["Alt+Left"], self._back_to_person
        )
        self.escalate_action = self.add_action(
            case_menu, _("&Escalate…"), ["Ctrl+E"], self.escalation.escalate
        )
        self.refer_action = self.add_action(case_menu, _("&Refer…"), [], self.escalation.refer)
        self.complain_action = self.add_action(
            case_menu,
            _("&Complain about this service…"),
            ["Ctrl+Shift+K"],
            self.complaints.complain,
        )
        self.escalations_action = self.add_action(
            case_menu, _("Escalations &view"), ["Ctrl+Shift+E"], self.escalation.show_view
        )
        self.directory_action = self.add_action(
            case_menu, _("Facilitator &directory…"), [], self.escalation.directory
        )
        self.search_action = self.add_action(
            person, _("&Search"), ["Ctrl+F", "Ctrl+K"], self.focus_search
        )
        self.open_data_action = self.add_action(
            person, _("E&xport open data…"), [], lambda: open_data_dialog.open_dialog(self)
        )
        person.addSeparator()
        self.lock_action = self.add_action(person, _("&Lock screen"), ["Ctrl+L"], self.lock)
        self.sign_out_action = self.add_action(person, _("Sign &out"), [], self.sign_out)
        self.quit_action = self.add_action(person, _("&Quit"), ["Ctrl+Q"], self.ask_to_quit)
        self._signed_in_actions = [
            self.new_person_action,
            self.new_case_action,
            self.note_action,
            self.task_action,
            self.back_action,
            self.escalate_action,
            self.refer_action,
            self.complain_action,
            self.escalations_action,
            self.directory_action,
            self.search_action,
            self.open_data_action,
            self.lock_action,
            self.sign_out_action,
            *self.mandates.add_actions(person),
        ]
        self._signed_in_actions += self.sync_ui.build_menu(menus)
        for action in self._signed_in_actions:
            action.setEnabled(False)
        self._signed_in_actions += self.paper.add_menu(menus)
        self._signed_in_actions += self.services.add_actions(case_menu)
        language = menus.addMenu(_("&Language"))
        group = QtGui.QActionGroup(self)
        for code, name in (("en", "English"), ("cy", "Cymraeg")):
            choice = QtGui.QAction(name, group)  # each language named in itself
            choice.setCheckable(True)
            choice.setChecked(code == self.backend.language)
            choice.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            language.addAction(choice)
            self._window_actions.append(choice)

    # -- language ---------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        """Show everything in ``language`` now, keeping where the worker was and
        what they had typed (the widgets are rebuilt, the work is not)."""
        if language == self.backend.language:
            return
        page = self.stack.currentWidget()
        where = (
            "sign_in"
            if page is self.sign_in_page
            else "lock"
            if page is self.lock_screen
            else "work"
        )
        kept = {
            "username": self.sign_in_page.username.text(),
            "search": self.search_edit.text(),
            "note": self.case_view.note_edit.toPlainText(),
            "task": self.case_view.task_title.text(),
            "due": self.case_view.task_due.text(),
        }
        person = self.person_panel.person
        case = self.case_view.case
        showing_case = self.detail_stack.currentWidget() is self.case_view
        form = self.form_view if self.detail_stack.currentWidget() is self.form_view else None
        form_state = None
        if form is not None:
            form.save_now()
            self.ops.wait_idle()
            form_state = (form.draft, form.service, form.state())
        row = self.people_view.currentIndex().row()
        case_tab = self.case_view.tabs.currentIndex()
        left_tab = self.left_tabs.currentIndex()
        chosen_form = self.case_view.chosen_form()
        escalation = self.escalation.view.selected()
        self.backend.set_language(language)
        self._build_ui()
        self.sign_in_page.username.setText(kept["username"])
        actor = self.actor
        if actor is not None:
            self._show_signed_in_label(actor)
            self.list_label.setText(self._people_count_text())
            self.people_model.refresh_rows()  # its cached rows' dates were in the old language
            if person is not None:
                self.person_panel.show_person(person)
            if case is not None:
                self.case_view.show_case(case)
                self.case_view.tabs.setCurrentIndex(case_tab)
                self.case_view.keep_form(chosen_form)
                # Read again in the new language: the timeline, the forms and the
                # services to start one for, the escalation line, text updates.
                self._reload_case()
                self.case_view.note_edit.setPlainText(kept["note"])
                self.case_view.task_title.setText(kept["task"])
                self.case_view.task_due.setText(kept["due"])
            if showing_case and case is not None:
                self.detail_stack.setCurrentWidget(self.case_view)
            self.left_tabs.setCurrentIndex(left_tab)  # People, My cases or Escalations
            if row >= 0:
                self.people_view.selectRow(row)
            self.search_edit.setText(kept["search"])
            self._load_my_cases()
            if person is not None:
                self._reload_person(person.id)
            self.escalation.view.keep(escalation.id if escalation is not None else None)
            self.escalation.reload()  # the escalations list, rebuilt empty
            self.sync_ui.refresh_status()  # the status bar, rebuilt empty
            self.mandates.person_shown(self.mandates.person_id)  # the banner is new
            if form_state is not None:
                draft, service, state = form_state
                view = self._show_form(draft, service)
                if view is not None:
                    view.restore(state)
        if where == "work" and actor is not None:
            self._show_page(self.work_page)
        elif where == "lock" and actor is not None:
            self.lock_screen.prepare(actor.display_name)
            self._show_page(self.lock_screen)
        else:
            self._show_page(self.sign_in_page)

    # -- pages ----------------------------------------------------------------
    def _show_page(self, page: QtWidgets.QWidget) -> None:
        self.stack.setCurrentWidget(page)
        signed_in = page is self.work_page
        for action in self._signed_in_actions:
            action.setEnabled(signed_in)
        self.lock_action.setEnabled(signed_in)
        self.sync_status.setVisible(signed_in)
        page.setFocus()

    @property
    def actor(self) -> Actor | None:
        return self.backend.current_actor

    @property
    def paper_dialog(self) -> QtWidgets.QDialog | None:
        """The paper dialog last opened."""
        return self.paper.dialog

    # -- what the controllers may ask (``ui.host.Host``) ---------------------------
    def dialog_parent(self) -> QtWidgets.QWidget:
        return self

    def show_status(self, text: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(text, msecs)

    def is_working(self) -> bool:
        return self.stack.currentWidget() is self.work_page

    def shown_person(self) -> PersonDetail | None:
        return self.person_panel.person

    def shown_case(self) -> CaseDetail | None:
        return self.case_view.case if hasattr(self, "case_view") else None

    def showing_case(self) -> bool:
        return self.detail_stack.currentWidget() is self.case_view

    # -- errors ---------------------------------------------------------------
    def unexpected(self, exc: BaseException) -> None:
        if isinstance(exc, AlongsideError):
            self.statusBar().showMessage(exc.message, 15000)
            QtWidgets.QMessageBox.warning(self, _("Alongside"), exc.message)
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    # -- sign in, lock, sign out ----------------------------------------------
    def _sign_in(self, username: str, password: str) -> None:
        self.ops.run(
            access.sign_in(username, password),
            self._signed_in,
            lambda exc: self.sign_in_page.failed(exc.message),
        )

    def _signed_in(self, actor: Actor) -> None:
        self.sign_in_page.reset()
        self._show_signed_in_label(actor)
        self._show_page(self.work_page)
        self.search_edit.setFocus()
        self._restart_idle_timer()
        self._load_people()
        self._load_my_cases()
        self.mandates.signed_in()
        self.ops.run(access.catalogue(), self._catalogue_loaded)
        self.sync_ui.signed_in()
        self.escalation.signed_in()
        # The long-lived objects are made: freeze them (see ui.window.gc), once
        # the work page has had its turn to paint, not before it.
        QtCore.QTimer.singleShot(0, ui_gc.settle)

    def _catalogue_loaded(self, catalogue: Catalogue) -> None:
        if catalogue.problems:
            names = ", ".join(Path(p.file).name for p in catalogue.problems)
            text = ngettext(
                "{n} service form could not be loaded and is left out ({names}). Drafts for it "
                "are kept. Tell your administrator.",
                "{n} service forms could not be loaded and are left out ({names}). Drafts for "
                "them are kept. Tell your administrator.",
                len(catalogue.problems),
            ).format(n=len(catalogue.problems), names=names)
            self.statusBar().showMessage(text, 30000)
            self.case_view.refuse(self.case_view.form_message, text)
            self.case_view.tabs.setCurrentIndex(0)

    def _show_signed_in_label(self, actor: Actor) -> None:
        self.signed_in_label.setText(
            _("Signed in as {name} ({team})").format(name=actor.display_name, team=actor.team_name)
        )

    def _people_count_text(self) -> str:
        n = self.people_model.rowCount()
        return ngettext("{n} person in your caseload", "{n} people in your caseload", n).format(
            n=f"{n:,}"
        )

    def _restart_idle_timer(self) -> None:
        minutes = max(1, self.backend.idle_lock_minutes)
        if self.idle_timer.interval() <= 0 or not hasattr(self, "_idle_set_by_test"):
            self.idle_timer.setInterval(minutes * 60 * 1000)
        self.idle_timer.start()

    def set_idle_interval(self, msecs: int) -> None:
        """Shorten the idle lock (tests)."""
        self._idle_set_by_test = True
        self.idle_timer.setInterval(msecs)
        if self.stack.currentWidget() is self.work_page:
            self.idle_timer.start()

    def lock(self) -> None:
        actor = self.actor
        if actor is None or self.stack.currentWidget() is not self.work_page:
            return
        self.idle_timer.stop()
        self.lock_screen.prepare(actor.display_name)
        self._show_page(self.lock_screen)
        self.lock_screen.password.setFocus()
        # Sign the audit chain's head while nobody is at the screen (decision 0026).
        self.ops.run(access.checkpoint_audit(), lambda _done: None)

    def _unlock(self, password: str) -> None:
        def done(ok: bool) -> None:
            if ok:
                self._show_page(self.work_page)
                self._restart_idle_timer()
            else:
                self.lock_screen.refused(_("That password is not right. Try again."))

        def refused(exc: AlongsideError) -> None:
            if isinstance(exc, AccountLocked):
                # Too many wrong passwords: the backend has signed the worker out.
                self.sign_out()
                self.sign_in_page.show_message(exc.message)
            else:
                self.lock_screen.refused(exc.message)

        self.ops.run(access.verify_password(password), done, refused)

    def sign_out(self) -> None:
        self.idle_timer.stop()
        # Answers for the worker who is leaving never reach the screen (a late
        # read would say "Sign in first."); their queued saves still run first.
        self.ops.forget_all()
        self.ops.run(access.sign_out())
        self.people_model.set_ids([])
        self.results_model.set_hits([])
        self.my_cases.clear()
        self.escalation.signed_out()
        self.search_edit.clear()
        self.case_view.case = None
        self.mandates.person_shown(None)
        self.mandates.signed_out()
        self.signed_in_label.clear()
        self.sync_ui.signed_out()
        self._show_page(self.sign_in_page)
        self.sign_in_page.reset()

    # -- people list and search -----------------------------------------------
    def _load_people(self, select: int | None = None) -> None:
        def loaded(listing: tuple[list[int], list[PersonRow]]) -> None:
            ids, first_rows = listing
            self.people_model.set_ids(ids, first_rows)
            self.list_label.setText(
                ngettext(
                    "{n} person in your caseload", "{n} people in your caseload", len(ids)
                ).format(n=f"{len(ids):,}")
            )
            if select is not None:
                row = self.people_model.row_of(select)
                if row >= 0:
                    self.people_view.selectRow(row)
                    self.people_view.scrollTo(self.people_model.index(row, 0))

        self.ops.run(people.list_people(PAGE), loaded)

    def _load_my_cases(self) -> None:
        def loaded(rows: list[WorkRow]) -> None:
            self.my_cases.show_rows(rows)
            self.left_tabs.setTabText(
                1, _("&My cases ({n})").format(n=len(rows)) if rows else _("&My cases")
            )

        self.ops.run(cases.my_cases(), loaded)
        self.paper_overdue.reload()
        self.suggestions_ui.load_mine()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def list_stack_view(self) -> QtWidgets.QAbstractItemView:
        """The list under the search box now: the results, or the people."""
        shown = self.list_stack.currentWidget()
        assert isinstance(shown, QtWidgets.QAbstractItemView)
        return shown

    def _search_now(self) -> None:
        self.search_timer.stop()
        self._run_search()

    def _search_enter(self) -> None:
        """Enter in the search box: open the highlighted result (searching
        first, then opening the first result, when the text has changed)."""
        text = self.search_edit.text().strip()
        showing = self.list_stack.currentWidget() is self.results_view
        if text and showing and text == self._results_for and not self.search_timer.isActive():
            index = self.results_view.currentIndex()
            if index.isValid():
                self._open_hit(index)
            return
        self.search_timer.stop()
        self._run_search(open_first=True)

    def _run_search(self, open_first: bool = False) -> None:
        text = self.search_edit.text().strip()
        self._results_for = None
        self.cancel_search(keep_text=True)
        if not text:
            self.list_stack.setCurrentWidget(self.people_view)
            self.list_label.setText(self._people_count_text())
            return
        self._search_generation += 1
        generation = self._search_generation
        self.left_tabs.setCurrentIndex(0)
        self.cancel_button.show()
        self.list_label.setText(_("Searching…"))

        def found(results: SearchResults) -> None:
            if generation != self._search_generation:
                return
            self._search_job = None
            self.cancel_button.hide()
            self.results_model.set_hits(results.hits)
            self.list_stack.setCurrentWidget(self.results_view)
            count = len(results.hits)
            self.list_label.setText(
                ngettext("{n} result for ‘{q}’", "{n} results for ‘{q}’", count).format(
                    n=count, q=text
                )
                if count
                else _(
                    "Nothing found for ‘{q}’. Check the spelling, or try part of a name."
                ).format(q=text)
            )
            self._results_for = text
            if count:
                self.results_view.setCurrentIndex(self.results_model.index(0))
                if open_first:
                    self._open_hit(self.results_model.index(0))

        def refused(exc: AlongsideError) -> None:
            self.cancel_button.hide()
            self.list_label.setText(exc.message)

        self._search_job = self.ops.run(people.search(text), found, refused)

    def cancel_search(self, keep_text: bool = False) -> None:
        if self._search_job is not None:
            self.ops.forget(self._search_job)
            self._search_job = None
            self._search_generation += 1
        self.cancel_button.hide()
        if not keep_text:
            self.search_edit.clear()

    def _open_hit(self, index: QtCore.QModelIndex) -> None:
        hit = self.results_model.hit(index.row())
        if hit.case_id is not None:
            self.open_case(hit.case_id)
        else:
            self.show_person(hit.person_id)

    # -- a person ---------------------------------------------------------------
    def _load_selected_person(self) -> None:
        index = self.people_view.currentIndex()
        if index.isValid():
            self.show_person(self.people_model.person_id(index.row()))

    def show_person(self, person_id: int) -> None:
        def loaded(person: PersonDetail) -> None:
            self.person_panel.show_person(person)
            self.detail_stack.setCurrentWidget(self.person_panel)
            self.mandates.person_shown(person.id)

        self.ops.run(people.person_detail(person_id), loaded)

    def _reload_person(self, person_id: int) -> None:
        """Show the person panel's person afresh, staying on the page shown now."""

        def loaded(person: PersonDetail) -> None:
            shown = self.person_panel.person
            if shown is not None and shown.id == person.id:
                self.person_panel.show_person(person)

        self.ops.run(people.person_detail(person_id), loaded, lambda _exc: None)

    def new_person(self) -> None:
        self._person_dialog(None)

    def edit_person(self) -> None:
        if self.person_panel.person is not None:
            self._person_dialog(self.person_panel.person)

    def _person_dialog(self, person: PersonDetail | None) -> None:
        dialog = PersonDialog(person, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.person_dialog = dialog

        def save(data: PersonInput) -> None:
            def saved(person_id: int) -> None:
                dialog.accept()
                self.statusBar().showMessage(_("Saved {name}.").format(name=data.given_name), 8000)
                # The list reloads for the change (selecting them); a new person is shown now.
                self._select_after_load = person_id
                if person is None:
                    self.show_person(person_id)

            def refused(exc: AlongsideError) -> None:
                fields = exc.fields if isinstance(exc, InvalidInput) else {}
                dialog.refused(fields, "" if fields else exc.message)

            self.ops.run(people.save_person(person, data), saved, refused)

        dialog.save_requested.connect(save)
        dialog.open()

    # -- a case -----------------------------------------------------------------
    def new_case(self) -> None:
        person = self.person_panel.person
        if person is None or self.stack.currentWidget() is not self.work_page:
            self.statusBar().showMessage(_("Choose a person first, then open a case."), 8000)
            return
        # The choices come from the service definitions: read them off the UI thread.
        # Then where the person lives, for each service's version there.
        self.ops.run(
            cases.service_choices(),
            lambda choices: self.ops.run(
                cases.service_versions(person.full_name, person.postcode),
                lambda found: self._case_dialog(person, choices, *found),
            ),
        )

    def _case_dialog(
        self,
        person: PersonDetail,
        choices: list[tuple[str, str]],
        place: Placement | None = None,
        versions: VersionTable | None = None,
    ) -> None:
        dialog = CaseDialog(
            person.full_name,
            choices,
            self,
            postcode=person.postcode,
            place=place,
            versions=versions,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.case_dialog = dialog

        def open_it(service_id: str, title: str) -> None:
            def opened(case_id: int) -> None:
                dialog.accept()
                self.open_case(case_id)
                self.demand.ask(case_id, Moment.CASE_OPENED)

            def refused(exc: AlongsideError) -> None:
                fields = exc.fields if isinstance(exc, InvalidInput) else {}
                dialog.refused(fields, "" if fields else exc.message)

            self.ops.run(cases.open_case(person.id, service_id, title), opened, refused)

        dialog.open_requested.connect(open_it)
        dialog.open()

    def _case_tab(self, index: int, widget: QtWidgets.QWidget) -> None:
        if self.case_view.case is None or self.detail_stack.currentWidget() is not self.case_view:
            self.statusBar().showMessage(_("Open a case first."), 8000)
            return
        self.case_view.tabs.setCurrentIndex(index)
        widget.setFocus()

    def write_note(self) -> None:
        self._case_tab(1, self.case_view.note_edit)

    def write_task(self) -> None:
        self._case_tab(2, self.case_view.task_title)

    def open_case(self, case_id: int) -> None:
        # Reloads (after a change) wait for a case being opened: it brings fresh data.
        self._case_generation += 1
        generation = self._case_generation
        self._opening_case = True

        def failed(exc: BaseException) -> None:
            if generation == self._case_generation:
                self._opening_case = False
            self.unexpected(exc)

        def loaded(case: CaseDetail) -> None:
            if generation != self._case_generation:
                return  # another case was asked for since
            self._opening_case = False
            self.case_view.show_case(case)
            self.detail_stack.setCurrentWidget(self.case_view)
            self.mandates.person_shown(case.person_id)
            self.case_view.tabs.setFocus()
            self._load_forms(case.id)
            self.escalation.case_shown(case.id)
            self.complaints.case_shown(case.id)
            self.text_updates.case_shown(case.id)
            self.demand.case_shown(case.id)

        self.ops.run(cases.case_detail(case_id), loaded, failed, on_failed=failed)

    # -- forms --------------------------------------------------------------------
    def _load_forms(self, case_id: int) -> None:
        self._forms_generation += 1
        generation = self._forms_generation

        def loaded(result: tuple[list[DraftRecord], dict[str, str]]) -> None:
            if generation != self._forms_generation:
                return  # an older answer, overtaken on the read pool
            if self.case_view.case is not None and self.case_view.case.id == case_id:
                self.case_view.show_forms(*result)

        self.ops.run(cases.case_forms(case_id), loaded)

    def start_form(self, case_id: int, service_id: str) -> None:
        def started(found: tuple[DraftRecord, Service | None]) -> None:
            if self._show_form(*found) is not None:
                self.demand.ask(case_id, Moment.FORM_STARTED, found[0].id)

        self.ops.run(
            forms.start_form(case_id, service_id),
            started,
            lambda exc: self.case_view.refuse(self.case_view.form_message, exc.message),
        )

    def open_form(self, draft_id: int, then: Callable[[FormView], object] | None = None) -> None:
        def shown(found: forms.DraftWithService) -> None:
            view = self._show_form(*found)
            if view is not None and then is not None:
                then(view)

        self.ops.run(
            forms.open_form(draft_id),
            shown,
            lambda exc: self.case_view.refuse(self.case_view.form_message, exc.message),
        )

    def _show_form(self, draft: DraftRecord, service: Service | None) -> FormView | None:
        if service is None:
            self.case_view.refuse(
                self.case_view.form_message,
                _(
                    "The form for '{id}' cannot be opened: its definition is missing or damaged. "
                    "The answers so far are kept; tell your administrator."
                ).format(id=draft.service_id),
            )
            return None
        self._close_form_view()
        case = self.case_view.case
        name = case.person_name if case is not None and case.id == draft.case_id else ""
        view = FormView(self.backend, self.ops, service, draft, person_name=name)
        view.closed.connect(self._form_closed)
        self.form_view = view
        self.detail_stack.addWidget(view)
        self.detail_stack.setCurrentWidget(view)
        return view

    def _close_form_view(self) -> None:
        if self.form_view is not None:
            self.detail_stack.removeWidget(self.form_view)
            self.form_view.deleteLater()
            self.form_view = None

    def _form_closed(self) -> None:
        self._close_form_view()
        self.detail_stack.setCurrentWidget(self.case_view)
        if self.case_view.case is not None:
            self._reload_case()
            self._load_forms(self.case_view.case.id)
            self.case_view.tabs.setCurrentIndex(4)

    def _reload_case(self, then: Callable[[], None] | None = None) -> None:
        case = self.case_view.case
        if case is None or self._opening_case:
            return
        self._case_generation += 1
        generation = self._case_generation

        def loaded(detail: CaseDetail) -> None:
            if generation != self._case_generation:
                return  # an older answer, overtaken on the read pool
            self.case_view.show_case(detail)
            self._load_forms(detail.id)
            self.escalation.case_shown(detail.id)
            self.complaints.case_shown(detail.id)
            self.text_updates.case_shown(detail.id)
            self.demand.case_shown(detail.id)
            if then is not None:
                then()

        self.ops.run(cases.case_detail(case.id), loaded)

    def _back_to_person(self) -> None:
        case = self.case_view.case
        if case is not None:
            self.show_person(case.person_id)
        self.detail_stack.setCurrentWidget(self.person_panel)

    def _case_write(self, op: Op[Any], label: QtWidgets.QLabel, then: Callable[[], None]) -> None:
        """Run a change to the open case (its ``Changes`` reload it); refusals go in ``label``."""

        def refused(exc: AlongsideError) -> None:
            self.case_view.refuse(label, exc.message)
            if isinstance(exc, EditConflict):
                self._reload_case()

        self.ops.run(op, lambda _result: then(), refused)

    def _change_status(self, case_id: int, version: int, status: str) -> None:
        case = self.case_view.case
        person_id = case.person_id if case is not None and case.id == case_id else None
        self._case_write(
            cases.change_status(case_id, person_id, version, status),
            self.case_view.message,
            lambda: None,
        )

    def _add_note(self, case_id: int, body: str) -> None:
        self._case_write(
            cases.add_note(case_id, body),
            self.case_view.note_message,
            self.case_view.note_saved,
        )

    def _add_task(self, case_id: int, title: str, due: date | None) -> None:
        self._case_write(
            cases.add_task(case_id, title, due),
            self.case_view.task_message,
            self.case_view.task_saved,
        )

    def _toggle_task(self, task_id: int, version: int, done: bool) -> None:
        case = self.case_view.case
        if case is None:
            return
        self._case_write(
            cases.set_task_done(case.id, task_id, version, done),
            self.case_view.task_message,
            lambda: None,
        )

    def _attach(self, case_id: int, path: Path) -> None:
        self._case_write(
            cases.attach_document(case_id, path),
            self.case_view.document_message,
            lambda: self.statusBar().showMessage(
                _("Attached {name}.").format(name=path.name), 8000
            ),
        )

    def _export(self, document_id: int, folder: Path) -> None:
        def saved(path: Path) -> None:
            self.statusBar().showMessage(_("Saved a copy to {path}.").format(path=path), 15000)

        self.ops.run(
            cases.export_document(document_id, folder),
            saved,
            lambda exc: self.case_view.refuse(self.case_view.document_message, exc.message),
        )

    def _changes_applied(self, changes: Changes) -> None:
        """Reload what the window shows, and only that, after a change."""
        if self.actor is None:
            return
        if changes.people:
            select, self._select_after_load = self._select_after_load, None
            self._load_people(select=select)
        elif changes.person_ids:
            self.people_model.refresh_rows()  # a row's open cases or name
        person = self.person_panel.person
        if person is not None and person.id in changes.person_ids:
            self._reload_person(person.id)
        case = self.case_view.case
        if case is not None and (changes.touches_case(case.id) or changes.escalations):
            self._reload_case()
        if changes.case_ids or changes.people or changes.escalations:
            self._load_my_cases()

    # -- closing ----------------------------------------------------------------
    def quit_reason(self) -> str | None:
        """Why quitting now must be asked first (``quit_guard``), or None."""
        form = self.form_view
        return quit_guard.reason(
            demo=self.backend.is_demo,
            signed_in=self.actor is not None,
            form_open=form is not None and form.isVisible(),
        )

    def ask_to_quit(self) -> None:
        """Quit (Ctrl+Q), asking first when that would lose something."""
        why = self.quit_reason()
        if why is None:
            self._quit_now()
        else:
            quit_guard.ask(self, why, self._quit_now)

    def _quit_now(self) -> None:
        form = self.form_view
        if form is not None and form.save_timer.isActive():
            form.save_now()  # the answers typed last go into the draft
        self._quitting = True
        self.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        # Closed from the window manager (not by the app itself): ask as Ctrl+Q does.
        if event.spontaneous() and not self._quitting and self.quit_reason() is not None:
            event.ignore()
            self.ask_to_quit()
            return
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._idle_watcher)
        self.sync_ui.shut_down()
        self.ops.wait_idle()
        super().closeEvent(event)
