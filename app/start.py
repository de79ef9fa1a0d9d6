"""Starting the window: the sign-in window first, the rest on a worker thread.

Order matters (as in qutebrowser): the excepthook and faulthandler are in
place before the QApplication exists. Then only light modules run before the
first paint: the profile's settings file (its name, language and key
source) and the sign-in window (``ui.window.start``). After
that paint, ``app.gui.load`` runs on a worker thread: the heavy imports, the
profile opened (or a demo made), its migrations checked, the backend built.
The UI thread then builds the main window, which takes over the same
top-level window. A start-up error from the load is shown as it always was
(``dialogs.show_fatal``, exit code 1).

A computer with no profile yet runs the first-run set-up instead, as before.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app import crash
from app.paths import ProfilePaths, resolve_profile_dir
from app.settings import Settings, load_settings
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import set_language
from ui import application, dialogs
from ui.qt import QtCore, Signal
from ui.window.start import StartWindow

if TYPE_CHECKING:
    from app.gui import Loaded
    from ui.window.main import MainWindow


class Start(QtCore.QObject):
    """The sign-in window, the worker thread that loads the rest, and the handover."""

    loaded = Signal(object)  # emitted on the worker thread, run on the UI thread
    load_failed = Signal(object)
    ready = Signal()  # the main window has taken over
    gave_up = Signal(int)  # a start-up error was shown; the exit code

    def __init__(
        self,
        paths: ProfilePaths,
        settings: Settings | None,
        *,
        passphrase: str | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        """``settings`` is None for the demo. ``gate``, if given, holds the load
        back until it is set (tests)."""
        super().__init__()
        self._paths = paths
        self._demo = settings is None
        self._passphrase = passphrase
        self._gate = gate
        self._thread: threading.Thread | None = None
        self.result: Loaded | None = None
        self.window: MainWindow | None = None
        self.shell = StartWindow("" if settings is None else settings.profile_name, self._demo)
        self.loaded.connect(self._take_over)
        self.load_failed.connect(self._fail)

    def begin_after_paint(self) -> None:
        """Start the load once the sign-in window has painted (the worker thread
        would otherwise share the interpreter with the first paint)."""
        self.shell.first_painted.connect(self.begin)

    def begin(self) -> None:
        """Start loading the profile and the main window on a worker thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="alongside-start")
            self._thread.start()

    def _load(self) -> None:  # the worker thread: never touches a widget
        if self._gate is not None:
            self._gate.wait()
        try:
            from app import gui

            self.result = gui.load(self._paths, demo=self._demo, passphrase=self._passphrase)
        except Exception as exc:  # shown on the UI thread, as a start-up error
            self.load_failed.emit(exc)
            return
        self.loaded.emit(self.result)

    def _take_over(self, result: Loaded) -> None:
        from ui.window.main import MainWindow  # loaded by the worker already

        self.window = MainWindow(result.backend)
        self.shell.take_over(self.window, self.window.sign_in_page)
        self.ready.emit()

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, AlongsideError):
            dialogs.show_fatal(exc.message)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        self.gave_up.emit(1)

    def finish(self) -> None:
        """After the window has gone: wait for the worker, then close what it opened."""
        if self._thread is not None:
            self._thread.join()
        if self.result is not None:
            self.result.close()
            self.result = None


def run_window(profile_arg: str | None, *, demo: bool = False) -> int:
    """Run the window until it closes; returns the exit code."""
    paths = ProfilePaths(resolve_profile_dir(profile_arg))
    crash_folder = Path(tempfile.gettempdir()) / "alongside-crash" if demo else paths.crashes
    crash.install(crash_folder)
    if not demo and not paths.settings.exists():
        from app import gui

        return gui.run_set_up(paths)
    qt_app = application.create_application(sys.argv)
    crash.set_dialog(dialogs.show_crash)
    settings: Settings | None = None
    passphrase: str | None = None
    try:
        if not demo:
            settings = load_settings(paths.settings)
            set_language(settings.language)
            if settings.key_source == "passphrase" and not settings.database_url:
                from app import keys

                if keys.key_from_environment() is None:
                    passphrase = dialogs.ask_passphrase()  # the first screen, then
    except AlongsideError as exc:
        dialogs.show_fatal(exc.message)
        return 1
    start = Start(paths, settings, passphrase=passphrase)
    start.gave_up.connect(qt_app.exit)
    if not application.exits_after_first_paint():
        start.begin_after_paint()
    try:
        return application.exec_main(qt_app, start.shell)
    finally:
        start.finish()
