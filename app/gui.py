"""Starting the window: crash handling first, then the profile, then the UI.

Order matters (as in qutebrowser): the excepthook and faulthandler are in
place before the QApplication exists; the profile is opened (or created by
the first-run set-up, or made as a throwaway demo) before the main window.
"""

from __future__ import annotations

import atexit
import logging
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from app import crash, keys
from app.backend import LocalBackend
from app.database import session_factory
from app.paths import ProfilePaths, resolve_profile_dir
from app.profile import (
    OpenProfile,
    create_profile,
    discard_new_profile,
    open_profile,
    profile_exists,
)
from casework.kernel import accounts
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, set_language
from casework.kernel.records import Role

log = logging.getLogger("alongside.app")
DEMO_PEOPLE = 250


def make_demo_profile() -> OpenProfile:
    """A throwaway profile with demo data; its key lives only in memory."""
    from app.demo import people

    root = Path(tempfile.mkdtemp(prefix="alongside-demo-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    profile = create_profile(
        ProfilePaths(root / "profile"), name=_("Demo"), demo=True, key=secrets.token_bytes(32)
    )
    people.add_people(profile.engine, DEMO_PEOPLE, seed=2026)
    from app.demo.sandbox import attach_sandbox, queue_demo_items

    attach_sandbox(profile)  # the demo syncs to its own local sandbox platform
    queue_demo_items(profile)
    from app.demo.escalations import add_escalations

    add_escalations(profile.engine)
    return profile


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


def run_gui(profile_arg: str | None, *, demo: bool = False) -> int:
    """Run the window until it closes; returns the exit code."""
    paths = ProfilePaths(resolve_profile_dir(profile_arg))
    crash_folder = Path(tempfile.gettempdir()) / "alongside-crash" if demo else paths.crashes
    crash.install(crash_folder)

    from ui import application, dialogs, setup_wizard
    from ui.window.main import MainWindow

    qt_app = application.create_application(sys.argv)
    crash.set_dialog(dialogs.show_crash)

    profile: OpenProfile | None = None
    try:
        if demo:
            profile = make_demo_profile()
        elif not profile_exists(paths):
            created: list[OpenProfile] = []

            def create(answers: setup_wizard.SetupAnswers) -> None:
                created.append(create_first_profile(paths, answers))

            if not setup_wizard.run_first_run_setup(keys.keyring_available(), create):
                return 0
            profile = created[0]
        else:
            profile = open_profile(paths, dialogs.ask_passphrase)
    except AlongsideError as exc:
        dialogs.show_fatal(exc.message)
        return 1
    set_language(profile.settings.language)
    backend = LocalBackend(profile)
    backend.sweep_mandates()  # ended and unused mandates stop before anyone signs in
    window = MainWindow(backend)
    try:
        return application.exec_main(qt_app, window)
    finally:
        backend.checkpoint_audit()  # the window is gone: no UI thread to hold up
        profile.close()
