"""Every word the window shows reaches gettext: no literal and no f-string
with words is handed to a Qt text setter without ``_()``.

The scan reads ``ui/`` with the ``ast`` module: the argument of a call that
sets text a person reads (setText, setToolTip, QLabel(...), addAction...) must
not be a string with letters, an f-string whose fixed parts have letters, or a
sum with such a string. Text without letters (punctuation, numbers, symbols) and
the few names that are the same in every language are allowed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTERS = frozenset(
    {
        "setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "setStatusTip",
        "setWhatsThis", "setAccessibleName", "setAccessibleDescription", "setTitle",
        "setLabelText", "setTabText", "setItemText", "addTab", "insertTab", "addItem",
        "insertItem", "addAction", "addMenu", "showMessage", "setHeaderLabels",
        "setInformativeText", "setDetailedText", "setSubTitle", "setButtonText",
        "setSuffix", "setPrefix", "setSpecialValueText", "setFormat", "addRow",
        "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
        "QToolButton", "QCommandLinkButton", "QMenu", "QTreeWidgetItem", "QListWidgetItem",
        "QStandardItem", "information", "warning", "question", "critical", "about",
        "getText", "getItem", "getInt",
    }
)  # fmt: skip
# The same in every language: the product's name and the languages' own names.
ALLOWED = frozenset({"Alongside", "Cymraeg", "English", "GOV.UK", "GOV.UK Notify", "GOV.UK Pay"})
WORD = re.compile(r"[A-Za-z]{2,}")
MARKUP = re.compile(r"<[^>]*>|&[a-z]+;")
# Calls whose other arguments are data, not text: only this argument is read.
TEXT_ARGUMENT = {"addItem": 0, "insertItem": 1, "setItemText": 1, "setTabText": 1, "insertTab": 2}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _wrapped(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in {"_", "ngettext", "N_"}


def _words(node: ast.expr) -> str | None:
    """The words a node shows without passing gettext (None: none)."""
    if _wrapped(node):
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = MARKUP.sub("", node.value).strip()
        return text if WORD.search(text) and text.replace("&", "") not in ALLOWED else None
    if isinstance(node, ast.JoinedStr):
        fixed = MARKUP.sub(
            "",
            "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ),
        )
        return ast.unparse(node) if WORD.search(fixed) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return next((w for w in map(_words, node.elts) if w), None)
    return None


def unwrapped_literals(source: str, filename: str = "<source>") -> Iterator[str]:
    """``file:line: text`` for each literal with words handed to a text setter."""
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _name(node.func) not in SETTERS:
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg != "objectName")]
        at = TEXT_ARGUMENT.get(_name(node.func))
        if at is not None:
            args = args[at : at + 1]
        for arg in args:
            words = _words(arg)
            if words:
                yield f"{filename}:{node.lineno}: {words}"


def test_every_word_handed_to_qt_reaches_gettext() -> None:
    found = [
        problem
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for problem in unwrapped_literals(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert found == [], "wrap these in _():\n" + "\n".join(found)


def test_the_scan_finds_a_planted_literal() -> None:
    planted = """
label = QtWidgets.QLabel("Hello")
box.setPlaceholderText(f"{name} (optional)")
button.setText(_("Save") + " (optional)")
menu.addAction("Open", callback)
combo.addItem(_("Email"), "email")
fine.setText(_("Save"))
dash.setText("—")
shown.setText(f"{count} / {total}")
tab.setTabText(0, "Cymraeg")
"""
    found = list(unwrapped_literals(planted))
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5"]
