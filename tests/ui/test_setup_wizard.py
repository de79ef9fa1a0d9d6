"""First-run set-up of a real profile, on a machine with no keyring."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.gui import create_first_profile
from app.paths import ProfilePaths
from app.profile import OpenProfile, open_profile, profile_exists
from ui.setup_wizard import SetupAnswers, SetupDialog


def test_setup_checks_then_creates_an_encrypted_profile(
    qtbot: QtBot, tmp_path: Path, artifacts: Path
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    created: list[OpenProfile] = []

    def create(answers: SetupAnswers) -> None:
        created.append(create_first_profile(paths, answers))

    dialog = SetupDialog(keyring_available=False, create=create)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.profile_name.setText("Riverside Library")
    dialog.team_name.setText("Digital help desk")
    dialog.username.setText("jo")
    dialog.display_name.setText("Jo Evans")
    dialog.password.setText("short")
    dialog.password_again.setText("short")
    assert dialog.passphrase is not None and dialog.passphrase_again is not None
    dialog.passphrase.setText("a long enough passphrase")
    dialog.passphrase_again.setText("a different passphrase")
    dialog.create_button.click()
    assert dialog.form.error_text("passphrase_again")
    assert not created and not profile_exists(paths)

    dialog.passphrase_again.setText("a long enough passphrase")
    dialog.create_button.click()
    # The core refuses the short password; set-up is undone and the typing kept.
    assert dialog.form.error_text("password")
    assert not profile_exists(paths)
    assert not paths.database.exists()
    assert dialog.username.text() == "jo"
    assert dialog.grab().save(str(artifacts / "10-setup-errors.png"))

    dialog.password.setText("correct horse battery")
    dialog.password_again.setText("correct horse battery")
    dialog.create_button.click()
    assert dialog.result() == SetupDialog.DialogCode.Accepted
    assert profile_exists(paths)
    created[0].close()

    reopened = open_profile(paths, lambda: "a long enough passphrase")
    try:
        backend = LocalBackend(reopened)
        actor = backend.sign_in("jo", "correct horse battery")
        assert actor.role == "admin"
        assert actor.team_name == "Digital help desk"
        assert b"Jo Evans" not in paths.database.read_bytes()
    finally:
        reopened.close()
