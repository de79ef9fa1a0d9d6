"""The first window: the sign-in page, painted before the profile is open.

It imports nothing heavier than the sign-in page, so it is on screen while
the database, the models and the rest of the window load on a worker thread.
The worker can type (and switch language) at once. When the main window is
ready it takes over this same top-level window (``take_over``): what was
typed is carried across, and a sign-in asked for early runs then. Until
then "Opening the profile…" says why nothing has happened yet.
"""

from __future__ import annotations

from casework.kernel.i18n import _, set_language
from ui.qt import QtCore, QtGui, QtWidgets, Signal
from ui.window.sign_in import SignInPage


class StartWindow(QtWidgets.QWidget):
    """The top-level window from the first paint until the app closes."""

    first_painted = Signal()  # once, when anything in this window has painted

    def __init__(self, profile_name: str, is_demo: bool) -> None:
        super().__init__()
        self.setObjectName("startWindow")
        self.resize(1200, 760)
        self._profile_name = profile_name
        self._is_demo = is_demo
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # The sign-in asked for before the main window was ready, if any.
        self.pending = False
        self.main_window: QtWidgets.QMainWindow | None = None
        self.sign_in_page = self._new_page("")
        self._painted = False
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # until the first paint

    @property
    def profile_label(self) -> str:
        """The profile's name as the sign-in page shows it (as the backend says it)."""
        return _("DEMO") if self._is_demo else self._profile_name

    def _new_page(self, username: str) -> SignInPage:
        self.setWindowTitle(_("Alongside — {profile}").format(profile=self.profile_label))
        page = SignInPage(self.profile_label, self._is_demo)
        page.username.setText(username)
        page.submitted.connect(self._submitted)
        page.language_requested.connect(self.switch_language)
        self._layout.addWidget(page)
        self.setFocusProxy(page)
        return page

    def switch_language(self, language: str) -> None:
        """Show the sign-in page in ``language``, keeping the username typed."""
        old = self.sign_in_page
        set_language(language)
        self.sign_in_page = self._new_page(old.username.text())
        self._layout.removeWidget(old)
        old.deleteLater()
        if self.pending:
            self._opening()
        self.sign_in_page.setFocus()

    def _submitted(self, _username: str, _password: str) -> None:
        self.pending = True
        self._opening()

    def _opening(self) -> None:
        page = self.sign_in_page
        page.set_busy(True)
        page.show_message(_("Opening the profile…"))
        page.message.setStyleSheet("")  # news, not a refusal

    def take_over(self, window: QtWidgets.QMainWindow, sign_in: SignInPage) -> None:
        """Show ``window`` (whose sign-in page is ``sign_in``) inside this window,
        in place of the early page, keeping what was typed and where."""
        early = self.sign_in_page
        focus = QtWidgets.QApplication.focusWidget()
        sign_in.username.setText(early.username.text())
        sign_in.password.setText(early.password.text())
        window.setParent(self, QtCore.Qt.WindowType.Widget)
        self._layout.removeWidget(early)
        self._layout.addWidget(window)
        self.setFocusProxy(window)
        self.main_window = window
        self.setWindowTitle(window.windowTitle())
        window.windowTitleChanged.connect(self.setWindowTitle)
        window.installEventFilter(self)
        window.show()
        early.hide()
        early.deleteLater()
        self.sign_in_page = sign_in
        if self.pending:
            self.pending = False
            sign_in.button.click()
        elif focus is early.password:
            sign_in.password.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            sign_in.password.setCursorPosition(early.password.cursorPosition())
        else:
            sign_in.username.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            sign_in.username.setCursorPosition(early.username.cursorPosition())

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            not self._painted
            and event.type() == QtCore.QEvent.Type.Paint
            and isinstance(watched, QtWidgets.QWidget)
            and watched.window() is self
        ):
            self._painted = True
            QtCore.QTimer.singleShot(0, self._after_first_paint)
        # The main window closed itself (Quit): this window, and so the app, closes too.
        window = self.main_window
        if (
            watched is window
            and event.type() == QtCore.QEvent.Type.Hide
            and not window.isVisibleTo(self)  # closed, not hidden with this window
        ):
            QtCore.QTimer.singleShot(0, self.close)
        return False

    def _after_first_paint(self) -> None:
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.first_painted.emit()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        window = self.main_window
        ask = getattr(window, "ask_to_quit", None)
        if event.spontaneous() and window is not None and window.isVisible() and callable(ask):
            # Closed from the window manager: the main window asks first if
            # quitting would lose something (``ui.window.quit_guard``), then closes.
            event.ignore()
            ask()
            return
        if window is not None and window.isVisible() and not window.close():
            event.ignore()
            return
        super().closeEvent(event)
