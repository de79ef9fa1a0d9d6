"""Qt's own words (standard buttons, the text boxes' right-click menu) in our Welsh.

Qt ships no Welsh translation of its base library, so OK, Cancel, Close,
Yes, No and Undo, Copy, Paste would stay English in a Welsh window. The
translator here answers Qt's own lookups from our gettext catalogue, for the
few contexts whose words a worker sees; switching language re-installs it, so
Qt sends every widget a LanguageChange and the standard buttons re-read their
text.
"""

from __future__ import annotations

from casework.kernel import i18n
from casework.kernel.i18n import N_, _
from ui.qt import QtCore

CONTEXTS = frozenset(
    {"QPlatformTheme", "QDialogButtonBox", "QMessageBox", "QLineEdit", "QWidgetTextControl"}
)
# Qt's source text -> our message (the same words; a few name a different
# message where ours already means something else).
WORDS = {
    "OK": N_("OK"),
    "Save": N_("Save"),
    "Save All": N_("Save All"),
    "&Yes": N_("&Yes"),
    "Yes to &All": N_("Yes to &All"),
    "&No": N_("&No"),
    "N&o to All": N_("N&o to All"),
    "Abort": N_("Abort"),
    "Retry": N_("Retry"),
    "Ignore": N_("Ignore"),
    "Close": N_("Close"),
    "Cancel": N_("Cancel"),
    "Discard": N_("Discard"),
    "Help": N_("Help"),
    "Apply": N_("Apply"),
    "Reset": N_("Reset"),
    "Restore Defaults": N_("Restore Defaults"),
    "Show Details...": N_("Show Details..."),
    "Hide Details...": N_("Hide Details..."),
    "&Undo": N_("&Undo"),
    "&Redo": N_("&Redo"),
    "Cu&t": N_("Cu&t"),
    "&Copy": N_("&Copy"),
    "Copy &Link Location": N_("Copy &Link Location"),
    "&Paste": N_("&Paste"),
    "Delete": N_("Delete"),
    "Select All": N_("Select All"),
}


class QtWords(QtCore.QTranslator):
    """Answers Qt's lookups in ``CONTEXTS`` with our catalogue (English: no answer)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's "no translation" (an empty text would be one: a blank button).
        message = WORDS.get(source) if context in CONTEXTS else None
        if message is None or i18n.current_language() == "en":
            return None
        said = _(message)
        return said if said != message else None

    def isEmpty(self) -> bool:
        return False


_installed: list[QtWords] = []


def install(app: QtCore.QCoreApplication) -> QtWords:
    """Install the translator once; each language switch re-installs it so
    every widget hears LanguageChange and Qt's buttons re-read their words."""
    if _installed:
        return _installed[0]
    words = QtWords(app)
    app.installTranslator(words)
    _installed.append(words)

    def _switched(_language: str) -> None:
        instance = QtCore.QCoreApplication.instance()
        if instance is not None:
            instance.removeTranslator(words)
            instance.installTranslator(words)

    i18n.on_language_changed(_switched)
    return words
