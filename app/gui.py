"""Opening the profile behind the window: the heavy half of starting up.

``app.start`` paints the sign-in window first, then runs ``load`` on a worker
thread: this module's imports (SQLAlchemy, SQLCipher, the models, the main
window's modules) happen there. It opens the profile (or makes a throwaway
demo), checks its migrations and builds the backend. A computer with no
profile yet runs the first-run set-up instead (``run_set_up``).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from app import keys
from app.backend import LocalBackend
from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import (
    OpenProfile,
    create_profile,
    discard_new_profile,
    open_profile,
)
from casework.kernel import accounts
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import set_language
from casework.kernel.records import Role

log = logging.getLogger("alongside.app")


def make_demo_profile() -> OpenProfile:
    """A throwaway profile with demo data, copied from a cached seed (``app.demo.profile``)."""
    from app.demo.profile import make_demo_profile as make

    return make()


def create_first_profile(paths: ProfilePaths, answers: object) -> OpenProfile:
    """Create a real profile and its first administrator from the set-up answers."""
    from ui.setup_wizard import SetupAnswers

    assert isinstance(answers, SetupAnswers)
    profile = create_profile(
        paths, name=answers.profile_name, passphrase=answers.passphrase or None
    )
    try:
        with session_factory(profile.engine, write=True).begin() as session:
            team = accounts.get_or_create_team(session, answers.team_name)
            accounts.create_worker(
                session,
                username=answers.username,
                display_name=answers.display_name,
                password=answers.password,
                role=Role.ADMIN,
                team=team,
            )
    except BaseException:
        # Nothing half-made: the next start offers the set-up again.
        discard_new_profile(profile)
        raise
    return profile


@dataclass
class Loaded:
    """What the start-up worker hands the window: the open profile and its backend."""

    profile: OpenProfile
    backend: LocalBackend

    def close(self) -> None:
        """After the window has gone: sign the audit head, then close the database."""
        self.backend.checkpoint_audit()  # no UI thread left to hold up
        self.profile.close()


def load(paths: ProfilePaths, *, demo: bool, passphrase: str | None = None) -> Loaded:
    """Everything behind the sign-in window, run on the start-up worker thread.

    The window's own modules load here too, so the UI thread only builds it.
    ``passphrase`` was asked for on the UI thread, before the first window.
    """
    import ui.window.main  # noqa: F401 - imported here, off the UI thread

    if demo:
        profile = make_demo_profile()
    else:
        profile = open_profile(paths, None if passphrase is None else lambda: passphrase)
    try:
        backend = LocalBackend(profile)
        backend.sweep_mandates()  # ended and unused mandates stop before anyone signs in
    except BaseException:
        profile.close()
        raise
    return Loaded(profile, backend)


def run_set_up(paths: ProfilePaths) -> int:
    """No profile yet: the first-run set-up, then the window (on the UI thread)."""
    from ui import application, dialogs, setup_wizard
    from ui.window.main import MainWindow

    qt_app = application.create_application(sys.argv)
    created: list[OpenProfile] = []

    def create(answers: setup_wizard.SetupAnswers) -> None:
        created.append(create_first_profile(paths, answers))

    try:
        if not setup_wizard.run_first_run_setup(keys.keyring_available(), create):
            return 0
    except AlongsideError as exc:
        dialogs.show_fatal(exc.message)
        return 1
    profile = created[0]
    set_language(profile.settings.language)
    backend = LocalBackend(profile)
    backend.sweep_mandates()
    window = MainWindow(backend)
    try:
        return application.exec_main(qt_app, window)
    finally:
        Loaded(profile, backend).close()
