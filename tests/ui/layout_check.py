"""Is any text cut off? For every visible single-line label and every item
view's header section under a widget: the width its text needs (the font's
``horizontalAdvance``) against the width it has (the label's contents
rectangle; the header section's size, with the style's margins and the sort
arrow); for a wrapped label, the height it needs at its width against its
height. Used by the layout tests at 1280×720 and 200% scale, in both languages."""

from __future__ import annotations

from ui.qt import Qt, QtCore, QtGui, QtWidgets


def _plain(text: str) -> str:
    """The text as drawn: a mnemonic's "&" is not drawn, "&&" is one "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def clipped_labels(root: QtWidgets.QWidget) -> list[str]:
    found = []
    for label in [root, *root.findChildren(QtWidgets.QLabel)]:
        if not isinstance(label, QtWidgets.QLabel) or not label.isVisible():
            continue
        text = label.text()
        rich = label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
        )
        if not text or label.pixmap().width() > 0:
            continue
        if label.wordWrap():  # a wrapped label is cut off at the bottom, if anywhere
            area = label.contentsRect()
            tall = label.heightForWidth(label.width())
            if tall > label.height() + 1:
                found.append(
                    f"wrapped label {label.objectName() or text[:40]!r}: needs {tall}px high,"
                    f" has {area.height()}px"
                )
            continue
        if rich or "\n" in text:
            continue
        shown = _plain(text) if label.buddy() is not None else text
        need = label.fontMetrics().horizontalAdvance(shown)
        have = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
        if need > have:
            found.append(f"label {label.objectName() or shown!r}: needs {need}px, has {have}px")
    return found


def _header(view: QtWidgets.QAbstractItemView) -> QtWidgets.QHeaderView | None:
    if isinstance(view, QtWidgets.QTreeView):
        return view.header()
    if isinstance(view, QtWidgets.QTableView):
        return view.horizontalHeader()
    return None


def clipped_headers(root: QtWidgets.QWidget) -> list[str]:
    found = []
    for view in root.findChildren(QtWidgets.QAbstractItemView):
        header = _header(view)
        model = view.model()
        if header is None or model is None or not view.isVisible() or header.isHidden():
            continue
        style = header.style()
        margin = 2 * style.pixelMetric(QtWidgets.QStyle.PixelMetric.PM_HeaderMargin, None, header)
        arrow = (
            style.pixelMetric(QtWidgets.QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
            if header.isSortIndicatorShown()
            else 0
        )
        font = QtGui.QFont(header.font())
        font.setBold(True)  # a current section's title may be bold: the widest it can be
        metrics = QtGui.QFontMetrics(font)
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = model.headerData(
                section, QtCore.Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
            )
            if not text:
                continue
            need = (
                metrics.horizontalAdvance(str(text))
                + margin
                + (arrow if header.sortIndicatorSection() == section else 0)
            )
            have = header.sectionSize(section)
            if need > have:
                found.append(f"header {view.objectName()}[{text!r}]: needs {need}px, has {have}px")
    return found


def clipped(root: QtWidgets.QWidget) -> list[str]:
    """Every text under ``root`` that does not fit its widget."""
    return clipped_labels(root) + clipped_headers(root)


def shown_texts(root: QtWidgets.QWidget) -> list[str]:
    """Every text a worker can read under ``root``: labels, buttons, tab titles,
    accessible names, and each item view's headers and cells."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QtWidgets.QWidget)]:
        if not widget.isVisible():
            continue
        texts.append(widget.accessibleName())
        if isinstance(widget, QtWidgets.QLabel | QtWidgets.QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QtWidgets.QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QtWidgets.QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QtWidgets.QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root_index = QtCore.QModelIndex()
            rows = min(model.rowCount(root_index), 50)
            columns = (
                1 if isinstance(model, QtCore.QAbstractListModel) else model.columnCount(root_index)
            )
            for column in range(columns):
                texts.append(str(model.headerData(column, QtCore.Qt.Orientation.Horizontal) or ""))
                texts += [str(model.index(row, column).data() or "") for row in range(rows)]
    return [t for t in texts if t]
