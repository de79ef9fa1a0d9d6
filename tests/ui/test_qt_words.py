"""Qt's own words (standard buttons, the text boxes' right-click menu) read Welsh in Welsh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from casework.kernel.i18n import set_language
from ui import qt_words
from ui.qt import QtWidgets

Button = QtWidgets.QDialogButtonBox.StandardButton
MessageButton = QtWidgets.QMessageBox.StandardButton


@pytest.fixture
def welsh(qapp: QtWidgets.QApplication) -> Iterator[None]:
    qt_words.install(qapp)
    set_language("cy")
    yield
    set_language("en")


def test_message_box_and_button_box_buttons_read_welsh(qtbot: QtBot, welsh: None) -> None:
    box = QtWidgets.QMessageBox()
    box.setStandardButtons(MessageButton.Cancel | MessageButton.Ok | MessageButton.Yes)
    qtbot.addWidget(box)
    buttons = QtWidgets.QDialogButtonBox(Button.Close | Button.Save | Button.RestoreDefaults)
    qtbot.addWidget(buttons)
    assert box.button(MessageButton.Cancel).text() == "Canslo"
    assert box.button(MessageButton.Ok).text() == "Iawn"
    assert box.button(MessageButton.Yes).text() == "&Ie"
    assert buttons.button(Button.Close).text() == "Cau"
    assert buttons.button(Button.Save).text() == "Cadw"
    assert buttons.button(Button.RestoreDefaults).text() == "Adfer y rhagosodiadau"


def test_a_live_switch_re_reads_the_buttons_already_shown(qtbot: QtBot, welsh: None) -> None:
    set_language("en")
    buttons = QtWidgets.QDialogButtonBox(Button.Close | Button.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(Button.Close).text() == "Close"
    set_language("cy")
    qtbot.waitUntil(lambda: buttons.button(Button.Close).text() == "Cau")
    assert buttons.button(Button.Cancel).text() == "Canslo"
    set_language("en")
    qtbot.waitUntil(lambda: buttons.button(Button.Close).text() == "Close")


def test_the_text_boxes_menu_reads_welsh(qtbot: QtBot, welsh: None) -> None:
    line = QtWidgets.QLineEdit()
    text = QtWidgets.QPlainTextEdit()
    qtbot.addWidget(line)
    qtbot.addWidget(text)
    for widget in (line, text):
        menu = widget.createStandardContextMenu()
        words = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert "&Dadwneud" in words and "&Gludo" in words and "Dewis y cyfan" in words
        assert not {"&Undo", "&Paste", "Select All"} & set(words)
