"""The application's names match the desktop entry the package installs."""

from __future__ import annotations

import configparser
from pathlib import Path

from PySide6 import QtWidgets

from ui.application import name_application

ENTRIES = Path(__file__).resolve().parents[2] / "packaging" / "linux"


def test_names_match_the_desktop_entry(qapp: QtWidgets.QApplication) -> None:
    app_name, display_name = qapp.applicationName(), qapp.applicationDisplayName()
    organization, desktop_name = qapp.organizationName(), qapp.desktopFileName()
    try:
        name_application(qapp)
        # Wayland finds the entry by the app id, the file's name without .desktop.
        entry_file = ENTRIES / f"{qapp.desktopFileName()}.desktop"
        assert entry_file.is_file()
        entry = configparser.ConfigParser(interpolation=None)
        entry.read(entry_file, encoding="utf-8")
        # Qt on X11 sets the window's WM_CLASS class to the application name.
        assert entry["Desktop Entry"]["StartupWMClass"] == qapp.applicationName()
        assert entry["Desktop Entry"]["Icon"] == qapp.desktopFileName()
    finally:
        qapp.setApplicationName(app_name)
        qapp.setApplicationDisplayName(display_name)
        qapp.setOrganizationName(organization)
        qapp.setDesktopFileName(desktop_name)
