"""Ticking part of a mandate's scope: one group per service or case the
mandate holds, with a box for each action and kind of information it holds,
in plain words, and nothing else (so nothing it lacks can be chosen).

Used to pass part of a mandate on and to narrow it at a review.
"""

from __future__ import annotations

from casework.kernel.i18n import _
from delegation.records import target_key
from delegation.scope import Action, Scope, ScopeDetail, ScopeError, make_scope
from ui.mandates.labels import action_label, category_label
from ui.qt import QtWidgets

Boxes = dict[str, QtWidgets.QCheckBox]


def target_title(detail: ScopeDetail, titles: dict[str, str]) -> str:
    """The service's title, or the case's reference and service, in plain words."""
    key = target_key(detail.service_id, detail.case)
    if key in titles:
        return titles[key]
    if detail.case is not None:
        return _("Case {reference}").format(reference=detail.case.upper())
    return detail.service_id or ""


class ScopeTicker(QtWidgets.QWidget):
    """Boxes for the actions and kinds of information of ``scope``, ticked or not."""

    def __init__(
        self,
        scope: Scope,
        titles: dict[str, str],
        *,
        ticked: bool,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scopeTicker")
        self.setAccessibleName(_("What to include"))
        self.scope = scope
        self.titles = titles
        self.boxes: list[tuple[ScopeDetail, Boxes, Boxes]] = []
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for number, detail in enumerate(scope):
            title = target_title(detail, titles)
            group = QtWidgets.QGroupBox(title)
            group.setObjectName(f"scopeGroup{number}")
            group.setAccessibleName(title)
            grid = QtWidgets.QGridLayout(group)
            grid.addWidget(QtWidgets.QLabel(_("May do:")), 0, 0)
            actions: dict[str, QtWidgets.QCheckBox] = {}
            for col, action in enumerate(a for a in Action if a in detail.actions):
                check = self._box(action_label(action.value), ticked)
                check.setObjectName(f"passAction{number}_{action.value}")
                check.setAccessibleName(
                    _("{title}: may {action}").format(
                        title=title, action=action_label(action.value)
                    )
                )
                grid.addWidget(check, 0, col + 1)
                actions[action.value] = check
            grid.addWidget(QtWidgets.QLabel(_("Information:")), 1, 0)
            categories: dict[str, QtWidgets.QCheckBox] = {}
            for col, category in enumerate(sorted(detail.categories)):
                check = self._box(category_label(category), ticked)
                check.setObjectName(f"passCategory{number}_{category}")
                check.setAccessibleName(
                    _("{title}: information about {category}").format(
                        title=title, category=category_label(category)
                    )
                )
                grid.addWidget(check, 1, col + 1)
                categories[category] = check
            column.addWidget(group)
            self.boxes.append((detail, actions, categories))

    @staticmethod
    def _box(text: str, ticked: bool) -> QtWidgets.QCheckBox:
        check = QtWidgets.QCheckBox(text)
        check.setChecked(ticked)
        return check

    def offered(self) -> list[tuple[str, list[str], list[str]]]:
        """(title, actions, categories) for each group, as offered: for tests and reading."""
        return [
            (target_title(detail, self.titles), list(actions), list(categories))
            for detail, actions, categories in self.boxes
        ]

    def chosen(self) -> Scope:
        """The ticked part; ``ValueError(message)`` when it is empty or half-ticked."""
        details = []
        for detail, actions, categories in self.boxes:
            done = [a for a, check in actions.items() if check.isChecked()]
            used = [c for c, check in categories.items() if check.isChecked()]
            if not done and not used:
                continue
            if not done or not used:
                raise ValueError(
                    _(
                        "For {title}, tick at least one thing to do and one kind of information, "
                        "or none of either."
                    ).format(title=target_title(detail, self.titles))
                )
            details.append(
                ScopeDetail(
                    service_id=detail.service_id, case=detail.case, actions=done, categories=used
                )
            )
        try:
            return make_scope(details)
        except ScopeError as exc:
            raise ValueError(
                _("Tick at least one thing to do and one kind of information.")
            ) from exc
