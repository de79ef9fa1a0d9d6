"""The Services window: a list of services and, for the one chosen, its page.

The page says who is accountable (the owning body), who to ask (the named
facilitator for this office's area, with contact details), where the public
pages are (links), and this office's figures for a period: charts, each with
its table. Everything loads through operations, off the UI thread; an answer
for an earlier choice is dropped when a newer one is on its way.
"""

from __future__ import annotations

from datetime import date
from html import escape

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, ngettext
from casework.performance.figures import ServiceFigures
from casework.performance.owner import ServiceOwner
from ui.backend import Backend
from ui.labels import format_date, parse_date
from ui.operations import Changes, Operations
from ui.operations import services as services_ops
from ui.qt import QtCore, QtWidgets
from ui.services.blocks import blocks
from ui.services.chart import FigureBlock
from ui.services.periods import Period, period_dates, period_words
from ui.widgets import fit_to_screen

BLOCKS = 6


def _label(text: str = "", *, links: bool = False) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(QtCore.Qt.TextFormat.RichText if links else QtCore.Qt.TextFormat.PlainText)
    if links:
        label.setOpenExternalLinks(True)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
    return label


class ServicesView(QtWidgets.QDialog):
    """Services and the chosen one's page."""

    def __init__(
        self,
        backend: Backend,
        ops: Operations,
        parent: QtWidgets.QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ops = ops
        self.today = today or date.today()
        self.service_id: str | None = None
        self.figures: ServiceFigures | None = None
        self._asked = 0  # the newest request; older answers are dropped
        # Moving down the list by keyboard counts only where the worker stops.
        self._settle = QtCore.QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(250)
        self._settle.timeout.connect(self.load_figures)
        self.setWindowTitle(_("Services"))
        self.setObjectName("services_view")
        self._build()
        fit_to_screen(self, 1100, 800)
        ops.changes_applied.connect(self._changes_applied)
        ops.run(services_ops.service_list(), self._listed, self._refused)

    # -- building ------------------------------------------------------------------
    def _build(self) -> None:
        self.services = QtWidgets.QListWidget()
        self.services.setAccessibleName(_("Services"))
        self.services.currentRowChanged.connect(self._chosen)
        services_label = QtWidgets.QLabel(_("&Services"))
        services_label.setBuddy(self.services)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(services_label)
        left.addWidget(self.services, 1)

        self.heading = _label()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.accountable = _label()
        self.accountable.setAccessibleName(_("Who is accountable"))
        self.contact = _label(links=True)
        self.contact.setAccessibleName(_("Facilitator for this office's area"))
        self.pages = _label(links=True)
        self.pages.setAccessibleName(_("Public pages"))

        self.period = QtWidgets.QComboBox()
        self.period.setAccessibleName(_("Period"))
        for choice in Period:
            self.period.addItem(_(choice.value), choice)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.start = QtWidgets.QLineEdit()
        self.start.setAccessibleName(_("First day of the period"))
        self.end = QtWidgets.QLineEdit()
        self.end.setAccessibleName(_("Last day of the period"))
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("dd/mm/yyyy"))
            edit.setAccessibleDescription(_("A date as day/month/year, for example 01/11/2026"))
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
            edit.returnPressed.connect(self.load_figures)
        self.show_button = QtWidgets.QPushButton(_("S&how figures"))
        self.show_button.setAccessibleName(_("Show figures"))
        self.show_button.setAutoDefault(False)  # Enter in a date field loads once, not twice
        self.show_button.clicked.connect(self.load_figures)
        period_label = QtWidgets.QLabel(_("&Period"))
        period_label.setBuddy(self.period)
        from_label = QtWidgets.QLabel(_("&From"))
        from_label.setBuddy(self.start)
        to_label = QtWidgets.QLabel(_("&To"))
        to_label.setBuddy(self.end)
        chooser = QtWidgets.QHBoxLayout()
        for widget in (period_label, self.period, from_label, self.start, to_label, self.end):
            chooser.addWidget(widget)
        chooser.addWidget(self.show_button)
        chooser.addStretch(1)
        self.period_text = _label()
        self.status = _label()
        self.status.setAccessibleName(_("Figures status"))

        self.blocks = [FigureBlock() for _n in range(BLOCKS)]
        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.page_column = column
        for widget in (self.heading, self.accountable, self.contact, self.pages):
            column.addWidget(widget)
        column.addLayout(chooser)
        column.addWidget(self.period_text)
        column.addWidget(self.status)
        for block in self.blocks:
            column.addWidget(block)
        column.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.page_area = scroll

        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        for button in close.buttons():
            # Enter in a date field shows figures; it must not close the window too.
            if isinstance(button, QtWidgets.QPushButton):
                button.setAutoDefault(False)
        layout = QtWidgets.QGridLayout(self)
        layout.addLayout(left, 0, 0)
        layout.addWidget(scroll, 0, 1)
        layout.addWidget(close, 1, 0, 1, 2)
        layout.setColumnStretch(1, 1)
        self._period_changed()

    # -- choosing ------------------------------------------------------------------
    def _listed(self, services: list[tuple[str, str]]) -> None:
        self.services.clear()
        for service_id, title in services:
            item = QtWidgets.QListWidgetItem(title)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, service_id)
            self.services.addItem(item)
        if services:
            self.services.setCurrentRow(0)
        self.services.setFocus()

    def _chosen(self, row: int) -> None:
        item = self.services.item(row)
        if item is None:
            return
        self.service_id = str(item.data(QtCore.Qt.ItemDataRole.UserRole))
        self.heading.setText(item.text())
        service_id = self.service_id
        self.ops.run(
            services_ops.owner(service_id),
            lambda owner: self._owned(service_id, owner),
            self._refused,
        )
        self._settle.start()

    def _changes_applied(self, changes: Changes) -> None:
        """Live figures: a form sent, an item delivered or an escalation raised
        anywhere in the window counts again (once things settle)."""
        if self.service_id is not None and (
            changes.case_ids or changes.outbox or changes.escalations
        ):
            self._settle.start()

    def _period_changed(self) -> None:
        choice = self.period.currentData()
        custom = choice is Period.CUSTOM
        for edit in (self.start, self.end):
            edit.setEnabled(custom)
        if not custom and isinstance(choice, Period):
            start, end = period_dates(choice, self.today)
            self.start.setText(format_date(start))
            self.end.setText(format_date(end))
            if self.service_id is not None:
                self.load_figures()

    def chosen_dates(self) -> tuple[date, date] | None:
        """The period's dates, or None (and the reason shown) when one cannot be read."""
        try:
            start, end = parse_date(self.start.text()), parse_date(self.end.text())
        except ValueError:
            start = end = None
        if start is None or end is None:
            self.status.setText(_("Enter both dates as day/month/year, for example 01/11/2026."))
            return None
        return start, end

    # -- answers -------------------------------------------------------------------
    def _owned(self, service_id: str, owner: ServiceOwner) -> None:
        if service_id != self.service_id:
            return
        named = (
            _("The role accountable for it: {role}.").format(role=owner.accountable)
            if owner.accountable
            else _("The service's definition names no accountable role.")
        )
        self.accountable.setText(
            _("Accountable: {body}. {role}.").format(body=owner.body, role=owner.role) + " " + named
        )
        person = owner.facilitator
        if person is None:
            self.contact.setText(
                escape(_("No named facilitator for {area}.").format(area=owner.area))
            )
        else:
            reply = ngettext(
                "Replies within {n} working day.",
                "Replies within {n} working days.",
                person.reply_days,
            ).format(n=person.reply_days)
            lines = [
                _("Facilitator for {area}: {name}, {role}, {organisation}.").format(
                    area=owner.area,
                    name=person.name,
                    role=person.role,
                    organisation=person.organisation,
                ),
                _("{hours}. Speaks {languages}. {reply}").format(
                    hours=person.hours, languages=person.languages, reply=reply
                ),
            ]
            contact = [escape(line) for line in lines]
            if person.email:
                contact.append(
                    _("Email: {address}").format(
                        address=f'<a href="mailto:{escape(person.email)}">'
                        f"{escape(person.email)}</a>"
                    )
                )
            if person.phone:
                contact.append(escape(_("Phone: {number}").format(number=person.phone)))
            self.contact.setText("<br>".join(contact))
        links = [
            f'<a href="{escape(page.url)}">{escape(page.title or page.url)}</a>'
            for page in owner.pages
        ]
        self.pages.setText(
            escape(_("Public pages:")) + "<br>" + "<br>".join(links)
            if links
            else escape(_("The definition lists no public pages."))
        )

    def load_figures(self) -> None:
        self._settle.stop()
        if self.service_id is None:
            return
        dates = self.chosen_dates()
        if dates is None:
            return
        start, end = dates
        self.period_text.setText(period_words(start, end))
        self._asked += 1
        asked = self._asked
        self.status.setText(_("Counting…"))
        self.ops.run(
            services_ops.figures(self.service_id, start, end),
            lambda figures: self._counted(asked, figures),
            lambda exc: self._figures_refused(asked, exc),
        )

    def _counted(self, asked: int, figures: ServiceFigures) -> None:
        if asked != self._asked:
            return
        self.figures = figures
        self.status.setText(_("This office's figures. Counts only: no one is named."))
        for block, shown in zip(self.blocks, blocks(figures), strict=True):
            block.show_figures(
                shown.title,
                shown.bars,
                shown.note,
                number_header=shown.number_header,
                about=shown.about,
            )
            block.show()
        self.page_column.activate()  # the blocks' new heights, now rather than later

    def _figures_refused(self, asked: int, exc: AlongsideError) -> None:
        if asked != self._asked:
            return
        self.figures = None
        self.status.setText(exc.message)
        for block in self.blocks:
            block.hide()

    def _refused(self, exc: AlongsideError) -> None:
        self.status.setText(exc.message)
