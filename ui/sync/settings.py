"""Sync settings: each platform's address and API key, and "Test connection".

The key box is a password field; a saved key is never shown again (the box
says whether one is saved). Saving puts the address in the profile's
settings and the key in this computer's keyring, through the facade. What
was typed stays in the boxes until it has been saved.
"""

from __future__ import annotations

from casework.kernel.i18n import _
from offline_sync.records import ConnectionCheck, ConnectorSetting
from ui.error_form import ERROR_STYLE
from ui.qt import QtWidgets, Signal
from ui.widgets import heading

OK_STYLE = "color: #00703c; font-weight: bold;"


def fit_height(label: QtWidgets.QLabel, width: int = 440) -> None:
    """Make a wrapping label tall enough for its text (a layout does not always
    ask again once the window is on screen)."""
    label.setMinimumHeight(label.heightForWidth(max(label.width(), width)) if label.text() else 0)


def platform_title(platform: str) -> str:
    titles = {
        "notify": _("GOV.UK Notify (email and text messages)"),
        "submission_api": _("Department form submissions"),
        "pay": _("GOV.UK Pay (payment requests)"),
        "os_places": _("OS Places (address lookup)"),
        "postcodes_io": _("postcodes.io (postcode checks)"),
    }
    return titles.get(platform, platform)


class PlatformBox(QtWidgets.QGroupBox):
    """One platform: address, key, Save and Test connection, and the result."""

    save_requested = Signal(str, str, str)  # platform, address, key ("" keeps the saved one)
    test_requested = Signal(str, str, str)

    def __init__(self, setting: ConnectorSetting, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(platform_title(setting.platform), parent)
        self.platform = setting.platform
        self.setObjectName(f"settings_{setting.platform}")
        title = platform_title(setting.platform)
        form = QtWidgets.QFormLayout(self)
        self.url = QtWidgets.QLineEdit(setting.base_url)
        self.url.setObjectName(f"{setting.platform}Url")
        self.url.setAccessibleName(_("{platform} address").format(platform=title))
        self.url.setPlaceholderText(setting.default_url or "https://")
        url_label = QtWidgets.QLabel(_("&Address"))
        url_label.setBuddy(self.url)
        form.addRow(url_label, self.url)
        self.key = QtWidgets.QLineEdit()
        self.key.setObjectName(f"{setting.platform}Key")
        self.key.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(_("{platform} API key").format(platform=title))
        key_label = QtWidgets.QLabel(_("API &key"))
        key_label.setBuddy(self.key)
        form.addRow(key_label, self.key)
        self.key_state = QtWidgets.QLabel()
        self.key_state.setObjectName(f"{setting.platform}KeyState")
        form.addRow("", self.key_state)
        self.needs_key = setting.needs_key
        self.show_saved(setting.has_key)
        if not setting.needs_key:  # postcodes.io: open to all, no key to keep
            form.setRowVisible(self.key, False)
        buttons = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton(_("&Save"))
        self.save_button.setAccessibleName(_("Save {platform} settings").format(platform=title))
        self.test_button = QtWidgets.QPushButton(_("&Test connection"))
        self.test_button.setAccessibleName(
            _("Test connection to {platform}").format(platform=title)
        )
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.result = QtWidgets.QLabel()
        self.result.setObjectName(f"{setting.platform}Result")
        self.result.setWordWrap(True)
        self.result.hide()
        form.addRow(self.result)
        self.save_button.clicked.connect(
            lambda: self.save_requested.emit(self.platform, self.url.text(), self.key.text())
        )
        self.test_button.clicked.connect(self._test)

    def _test(self) -> None:
        self.show_result(None, _("Testing the connection…"))
        self.test_button.setEnabled(False)
        self.test_requested.emit(self.platform, self.url.text(), self.key.text())

    def show_saved(self, has_key: bool) -> None:
        if not self.needs_key:
            self.key_state.setText(_("This service needs no key."))
            return
        self.key_state.setText(
            _("A key is saved in this computer's keyring. Type a new one to replace it.")
            if has_key
            else _("No key saved yet.")
        )
        self.key.setPlaceholderText(_("(saved key kept)") if has_key else "")

    def saved(self, has_key: bool) -> None:
        self.key.clear()
        self.show_saved(has_key)
        self.show_result(True, _("Saved."))

    def show_result(self, ok: bool | None, text: str) -> None:
        self.test_button.setEnabled(True)
        self.result.setStyleSheet("" if ok is None else OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)
        self.result.setVisible(bool(text))
        fit_height(self.result)

    def show_check(self, check: ConnectionCheck) -> None:
        self.show_result(check.ok, check.message)


class SyncSettingsDialog(QtWidgets.QDialog):
    """Every platform's box (menu: Sync → Sync settings)."""

    def __init__(
        self, settings: list[ConnectorSetting], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncSettings")
        self.setMinimumWidth(560)
        self.setWindowTitle(_("Sync settings"))
        column = QtWidgets.QVBoxLayout(self)
        column.addWidget(heading(_("Sync settings"), "syncSettingsHeading"))
        intro = QtWidgets.QLabel(
            _(
                "Where Alongside sends messages, forms and payment requests, and looks up "
                "addresses. Keys are kept in this computer's keyring, never in the profile, "
                "and are not shown again."
            )
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.boxes: dict[str, PlatformBox] = {}
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName("syncSettingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        inner = QtWidgets.QWidget()
        boxes = QtWidgets.QVBoxLayout(inner)
        boxes.setContentsMargins(0, 0, 0, 0)
        for setting in settings:
            box = PlatformBox(setting)
            self.boxes[setting.platform] = box
            boxes.addWidget(box)
        boxes.addStretch(1)
        scroll.setWidget(inner)
        self.resize(600, 720)
        column.addWidget(scroll, 1)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        if self.boxes:
            next(iter(self.boxes.values())).url.setFocus()
