"""Paper forms: any service definition as a print-ready PDF, blank or
pre-filled, in English or Welsh, in normal or large print, optionally as a
GOV.UK Notify precompiled letter.

One renderer serves every definition: questions are numbered across the
form (a repeating group's questions as 7a, 7b), each type gets the answer
space it needs (a box per character for dates, NI and NHS numbers and
postcodes; tick boxes for choices; lines for long answers; a table for
repeating groups), and conditions become instructions ("If you answered Yes
to question 4, answer question 5").

Pre-filled forms print only what the caller may show. An answer whose
question category is not in ``allowed_categories`` is never printed: its
space is left blank to fill in by hand. Nor does a withheld answer leak
through the route: a question is marked "not needed" only when the printed
answers alone prove it so; when that depends on something withheld or not
yet answered, the question is printed as on a blank form, with its
instruction.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from casework.forms import answers as forms
from casework.forms import fees
from casework.forms.definitions import Page, Question, Service
from casework.paper.layout import (
    INK,
    SHADE,
    AnswerBox,
    CharBoxes,
    ContinuingParagraph,
    ContinuingTable,
    Footer,
    RuledLines,
    Sizes,
    Styles,
    TickBox,
    TickList,
    body_width,
    build_pdf,
    check_address,
    continuing,
    first_page_wanted,
    numbered_para,
    para,
)
from casework.paper.reference import (
    NO_OFFICE,
    SERIAL_LENGTH,
    InvalidReference,
    copy_reference,
    form_reference,
    parse_form_reference,
    random_code,
)
from casework.paper.text import _, markup, speaking

__all__ = [
    "InvalidReference",
    "PaperError",
    "PaperOptions",
    "form_reference",
    "parse_form_reference",
    "render_form",
]

GROUP_BLANK_ROWS = 4
GROUP_TABLE_MAX_COLUMNS = 4
LONG_CELL = 400  # characters: a group answer longer than this is laid out item by item
_NOT_NEEDED = object()  # a group answer the route makes unnecessary


class PaperError(ValueError):
    """Options the renderer cannot honour; the message says which and why."""


@dataclass(frozen=True)
class PaperOptions:
    """How to print a form. ``answers`` None prints it blank."""

    language: str = "en"
    large_print: bool = False
    answers: Mapping[str, Any] | None = None
    allowed_categories: frozenset[str] | None = None  # None: every category
    reference: str | None = None  # default: a copy recorded nowhere (office 0000, random serial)
    letter_address: Sequence[str] | None = None


def render_form(service: Service, options: PaperOptions | None = None) -> bytes:
    """The form as PDF bytes."""
    options = options or PaperOptions()
    if options.language not in ("en", "cy"):
        raise PaperError(f"unsupported language {options.language!r}")
    with speaking(options.language):
        if options.letter_address is not None:
            problems = check_address(options.letter_address)
            if problems:
                raise PaperError(" ".join(problems))
        # A copy no profile records: its own reference all the same (office 0000).
        reference = options.reference or copy_reference(
            service.id, service.version, options.language, NO_OFFICE, random_code(SERIAL_LENGTH)
        )
        sizes = Sizes.choose(options.large_print)
        title = service.text("title", options.language)
        footer = Footer(title, service.version, reference, sizes)

        def make(tables: bool = True, first_page_only: bool = False) -> bytes:
            story = _FormWriter(service, options, sizes, reference, tables=tables).story()
            return build_pdf(
                story,
                footer,
                title=title,
                language=options.language,
                letter_address=options.letter_address,
                first_page_only=first_page_only,
            )

        first_page = first_page_wanted()
        if first_page is not None:
            # The first page alone, for a preview to show while the rest is laid out
            # (a story is used up by laying it out, so the whole form makes its own).
            try:
                early = make(first_page_only=True)
            except LayoutError:
                pass  # the whole form will say why, or lay its groups out another way
            else:
                first_page(early)
        try:
            return make()
        except LayoutError:
            # A group table too tall for a page (long headings in large print, say):
            # lay every group out item by item, which always flows over pages.
            return make(tables=False)


# -- numbering and conditions ----------------------------------------------------------------


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = string.ascii_lowercase[rest] + out
    return out


def _quoted(text: str) -> str:
    return _("‘{answer}’").format(answer=text)


class _Numbers:
    """Question numbers: 1, 2, 3 across the form; 7a, 7b inside group 7."""

    def __init__(self, service: Service) -> None:
        self.top: dict[str, str] = {}
        self.inner: dict[str, dict[str, str]] = {}
        self.questions: dict[str, Question] = {}
        self.group_of: dict[str, str] = {}
        for n, q in enumerate(service.questions(), start=1):
            self.top[q.id] = str(n)
            self.questions[q.id] = q
            self.inner[q.id] = {c.id: f"{n}{_letters(i)}" for i, c in enumerate(q.children)}
            self.group_of.update((c.id, q.id) for c in q.children)


class _Conditions:
    """A definition's conditions, said as instructions on paper."""

    def __init__(self, numbers: _Numbers, language: str) -> None:
        self.numbers, self.language = numbers, language

    def clause(
        self, cond: Mapping[str, Any], siblings: Mapping[str, str], negate: bool = False
    ) -> str:
        """``cond`` as words; ``siblings`` numbers the questions of the same group."""
        if "all" in cond or "any" in cond:
            key = "all" if "all" in cond else "any"
            parts = [self.clause(c, siblings, negate) for c in cond[key]]
            joiner = _(" and ") if (key == "all") != negate else _(" or ")
            return joiner.join(parts)
        if "not" in cond:
            return self.clause(cond["not"], siblings, not negate)
        target_id = cond["question"]
        if target_id in siblings:
            number = siblings[target_id]
            group = self.numbers.questions[self.numbers.group_of[target_id]]
            target: Question | None = next(c for c in group.children if c.id == target_id)
        else:
            number = self.numbers.top.get(target_id, "?")
            target = self.numbers.questions.get(target_id)
        values = [cond["includes"]] if "includes" in cond else cond.get("in", [cond.get("equals")])
        if target is not None and target.type == "yes_no" and len(values) == 1:
            answer = _("Yes") if bool(values[0]) != negate else _("No")
            return _("you answered {answer} to question {number}").format(
                answer=answer, number=number
            )
        options = target.raw.get("options", ()) if target is not None else ()
        labels = {o["value"]: o["label"][self.language] for o in options}
        answers = _(" or ").join(_quoted(str(labels.get(v, v))) for v in values)
        if "includes" in cond:
            text = (
                _("you did not tick {answer} at question {number}")
                if negate
                else _("you ticked {answer} at question {number}")
            )
        else:
            text = (
                _("you did not answer {answer} to question {number}")
                if negate
                else _("you answered {answer} to question {number}")
            )
        return text.format(answer=answers, number=number)

    def instruction(
        self,
        cond: Mapping[str, Any],
        numbers: Sequence[str],
        siblings: Mapping[str, str] | None = None,
    ) -> str:
        clause = self.clause(cond, siblings or {})
        if len(numbers) == 1:
            return _("If {condition}, answer question {number}.").format(
                condition=clause, number=numbers[0]
            )
        return _("If {condition}, answer questions {first} to {last}.").format(
            condition=clause, first=numbers[0], last=numbers[-1]
        )


def _state(
    cond: Mapping[str, Any] | None, answers: Mapping[str, Any], known: set[str]
) -> bool | None:
    """Does ``cond`` hold on the printable answers: True, False, or None (cannot tell)?"""
    if cond is None:
        return True
    if "all" in cond or "any" in cond:
        states = [_state(c, answers, known) for c in cond["all" if "all" in cond else "any"]]
        if "all" in cond:
            return False if False in states else (True if all(states) else None)
        return True if True in states else (False if all(s is False for s in states) else None)
    if "not" in cond:
        inner = _state(cond["not"], answers, known)
        return None if inner is None else not inner
    if cond["question"] not in known:
        return None
    return forms.condition_holds(cond, answers)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or value == {}


# -- the form ---------------------------------------------------------------------------------


class _FormWriter:
    """Builds the story (the list of flowables) of one form."""

    def __init__(
        self,
        service: Service,
        options: PaperOptions,
        sizes: Sizes,
        reference: str,
        tables: bool = True,
    ) -> None:
        self.service, self.options, self.sizes = service, options, sizes
        self.tables = tables
        self.lang = options.language
        self.reference = reference
        self.styles = Styles.make(sizes)
        self.numbers = _Numbers(service)
        self.conditions = _Conditions(self.numbers, self.lang)
        self.prefilled = options.answers is not None
        self.answers: dict[str, Any] = {}
        if options.answers is not None:
            try:
                pruned = forms.prune(service, options.answers)
            except Exception:  # answers of the wrong shape: print what is there
                pruned = dict(options.answers)
            self.answers = {k: v for k, v in pruned.items() if not _empty(v)}
        self.known: set[str] = set()  # questions whose answer (or absence) may be relied on

    def allowed(self, question: Question) -> bool:
        allowed = self.options.allowed_categories
        return allowed is None or question.category in allowed

    # -- the whole form

    def story(self) -> list[Any]:
        s, st = self.service, self.styles
        story: list[Any] = [para(s.text("title", self.lang), st.h1)]
        owner = s.raw.get("owner", {}).get("name", {}).get(self.lang)
        paper = s.raw.get("paper")
        facts = [str(owner)] if owner else []
        if paper:
            facts.append(_("Form {code}").format(code=paper["form_code"]))
        if facts:
            story.append(para(" · ".join(facts), st.hint))
        if self.prefilled:
            story.append(
                para(
                    _(
                        "Check these answers. If an answer is wrong, cross it out and write the "
                        "right answer next to it. Fill in any answer that is blank. Then read "
                        "and sign the declaration."
                    ),
                    st.callout,
                )
            )
        else:
            story.append(para(_("How to fill in this form"), st.h2))
            for line in (
                _("Use black ink and write in capital letters."),
                _("Put one letter or number in each box."),
                _("Tick the boxes that apply to you."),
                _("Answer every question unless the form says you do not need to."),
            ):
                story.append(para("•  " + line, st.body))
        story.append(para(s.text("summary", self.lang), st.body))

        section = None
        for page in s.pages:
            page_section = page.text("section", self.lang)
            heading = None
            if page_section != section:
                section = page_section
                heading = para(page_section, st.h2)
            story.extend(self.page(page, heading))
        story.extend(self.declaration())
        story.extend(self.next_steps())
        return story

    def page(self, page: Page, section: Any | None) -> list[Any]:
        """One page of the definition; ``section`` is its heading if it starts one."""
        st = self.styles
        out: list[Any] = []
        numbers = [self.numbers.top[q.id] for q in page.questions]
        title = page.text("title", self.lang)
        labels = {q.text("label", self.lang) for q in page.questions}
        heading = [para(title, st.note)] if title not in labels or len(page.questions) > 1 else []
        hint = page.text("hint", self.lang)
        if hint:
            heading.append(para(hint, st.hint))
        cond = page.raw.get("condition")
        state = _state(cond, self.answers, self.known) if self.prefilled else None
        if cond is not None and state is not True:
            heading.insert(0, para(self.conditions.instruction(cond, numbers), st.note))
        if section is not None:
            heading.insert(0, section)
        if self.prefilled and state is False:
            self.known.update(q.id for q in page.questions)
            text = (
                _("You do not need to answer question {number}.").format(number=numbers[0])
                if len(numbers) == 1
                else _("You do not need to answer questions {first} to {last}.").format(
                    first=numbers[0], last=numbers[-1]
                )
            )
            return [KeepTogether([*heading, para(text, st.hint)])]
        for index, q in enumerate(page.questions):
            block = self.question(q, page_state=state)
            if index == 0:
                block = [*heading, *block]
            if self.small(q):
                out.append(KeepTogether(block))
            else:
                out.extend(block)
        return out

    def small(self, q: Question) -> bool:
        if q.type == "group":
            return False
        value = self.answers.get(q.id)
        return not (q.type in ("text", "long_text") and isinstance(value, str) and len(value) > 600)

    # -- one question

    def question(self, q: Question, page_state: bool | None = True) -> list[Any]:
        st = self.styles
        number = self.numbers.top[q.id]
        out: list[Any] = []
        cond = q.raw.get("condition")
        state: bool | None = None
        if self.prefilled:
            own = _state(cond, self.answers, self.known)
            state = False if False in (page_state, own) else (True if page_state and own else None)
        if cond is not None and state is not True:
            out.append(para(self.conditions.instruction(cond, [number]), st.note))
        out.append(self.label(number, q.text("label", self.lang), st.label))
        hint = q.text("hint", self.lang)
        if hint:
            out.append(para(hint, st.hint))
        if state is False:
            self.known.add(q.id)
            out.append(para(_("You do not need to answer this question."), st.hint))
            return out
        value = None
        if self.prefilled and state is True and self.allowed(q):
            value = self.answers.get(q.id)
            if value is not None:
                self.known.add(q.id)
        out.extend(self.answer_space(q, value, number))
        return out

    def label(self, number: str, text: str, style: Any) -> Any:
        return numbered_para(number, text, style)

    def answer_space(self, q: Question, value: Any, number: str) -> list[Any]:
        try:
            return self._answer_space(q, value, number)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            # An answer of a shape the definition does not give: print it as text.
            return [self.filled(str(value), number)]

    def _answer_space(self, q: Question, value: Any, number: str) -> list[Any]:
        sz, st = self.sizes, self.styles
        kind = q.type
        width = body_width()
        if kind == "group":
            return self.group(q, value if isinstance(value, list) else None, number)
        if kind in ("yes_no", "choice", "multi_choice"):
            return self.ticks(q, value)
        if kind == "date":
            out: list[Any] = []
            text = ""
            if value is not None:
                text = date.fromisoformat(value["date"]).strftime("%d%m%Y")
            out.append(CharBoxes((2, 2, 4), sz, text, (_("Day"), _("Month"), _("Year"))))
            if q.raw.get("approximate_allowed"):
                if value is not None and value.get("approximate"):
                    out.append(para(_("This date is approximate."), st.note))
                elif value is None:
                    out.append(
                        para(
                            _(
                                "If you do not know the exact date, give your best guess "
                                "and write 'about' next to it."
                            ),
                            st.hint,
                        )
                    )
            return out
        if kind in ("ni_number", "nhs_number"):
            groups = (2, 2, 2, 2, 1) if kind == "ni_number" else (3, 3, 4)
            text = "".join(str(value or "").split())
            if value is not None and len(text) != sum(groups):
                return [self.filled(str(value), number)]
            return [Spacer(1, sz.gap / 2), CharBoxes(groups, sz, text)]
        if kind == "address":
            return self.address(value, number)
        if kind == "long_text":
            if value is None:
                return [RuledLines(6 if not sz.large else 5, sz.box_height)]
            return [self.filled(str(value), number, line_breaks=True)]
        if value is not None:
            shown = forms.format_money(int(value)) if kind == "money" else str(value)
            return [self.filled(shown, number)]
        narrow = kind in ("number", "money", "phone")
        prefix = "£" if kind == "money" else ""
        return [AnswerBox(width * (0.5 if narrow else 1), sz.box_height, prefix, sz.body)]

    def filled(self, text: str, number: str, line_breaks: bool = False) -> Any:
        st = self.styles
        flowable = ContinuingParagraph(markup(text, line_breaks) or "&nbsp;", st.answer)
        return continuing(flowable, _("Question {number} continued").format(number=number), st.note)

    def ticks(self, q: Question, value: Any) -> list[Any]:
        sz, st = self.sizes, self.styles
        if q.type == "yes_no":
            options = [(True, _("Yes"), ""), (False, _("No"), "")]
        else:
            options = [
                (
                    o["value"],
                    o["label"][self.lang],
                    o.get("hint", {}).get(self.lang, ""),
                )
                for o in q.raw["options"]
            ]
        chosen = value if isinstance(value, list) else [value]
        rows = []
        for option, label, hint in options:
            ticked = value is not None and any(
                option == c and type(option) is type(c) for c in chosen
            )
            text = [para(label, st.body)]
            if hint:
                text.append(para(hint, st.hint))
            rows.append((TickBox(sz.tick, ticked), text))
        out: list[Any] = []
        if q.type == "multi_choice":
            out.append(para(_("Tick all that apply."), st.hint))
        elif q.type == "choice":
            out.append(para(_("Tick one."), st.hint))
        out.append(TickList(rows, sz.tick + sz.gap * 1.5, sz.gap / 3))
        return out

    def address(self, value: Any, number: str) -> list[Any]:
        sz, st = self.sizes, self.styles
        lines = [str(x) for x in value.get("lines", [])] if value else []
        out: list[Any] = []
        for n in range(max(2, len(lines))):
            out.append(para(_("Address line {n}").format(n=n + 1), st.caption))
            out.append(
                self.filled(lines[n], number)
                if n < len(lines)
                else AnswerBox(body_width(), sz.box_height)
            )
        out.append(para(_("Town or city"), st.caption))
        town = str(value.get("town", "")) if value else ""
        out.append(self.filled(town, number) if town else AnswerBox(body_width(), sz.box_height))
        out.append(para(_("Postcode"), st.caption))
        postcode = str(value.get("postcode", "")) if value else ""
        parts = postcode.split()
        if not postcode:
            out.append(CharBoxes((4, 3), sz))
        elif len(parts) == 2 and len(parts[0]) <= 4 and len(parts[1]) == 3:
            out.append(CharBoxes((4, 3), sz, parts[0].ljust(4) + parts[1]))
        else:
            out.append(self.filled(postcode, number))
        return out

    # -- repeating groups

    def group(self, q: Question, items: list[Any] | None, number: str) -> list[Any]:
        sz, st = self.sizes, self.styles
        max_items = int(q.raw.get("max_items", GROUP_BLANK_ROWS))
        item_label = q.text("item_label", self.lang) or _("item")
        inner = self.numbers.inner[q.id]
        out: list[Any] = [
            para(_("You can list up to {n}.").format(n=max_items), st.hint),
        ]
        items = [i for i in items or [] if isinstance(i, dict)]
        spare = (
            min(max_items, GROUP_BLANK_ROWS)
            if not items
            else min(2, max(0, max_items - len(items)))
        )
        rows_needed = len(items) + spare
        long_answers = any(len(str(v)) > LONG_CELL for item in items for v in item.values())
        headers = []
        for child in q.children:
            cell = [self.label(inner[child.id], child.text("label", self.lang), st.cell_head)]
            hint = child.text("hint", self.lang)
            if hint:
                cell.append(para(hint, st.caption))
            cond = child.raw.get("condition")
            if cond is not None:
                instruction = self.conditions.instruction(cond, [inner[child.id]], inner)
                cell.append(para(instruction, st.caption))
            headers.append(cell)
        columns = GROUP_TABLE_MAX_COLUMNS if not sz.large else GROUP_TABLE_MAX_COLUMNS // 2
        if not self.tables or len(q.children) > columns or long_answers:
            out.extend(self.group_items(q, items, spare, item_label, number))
        else:
            data: list[list[Any]] = [["", *headers]]
            for n in range(rows_needed):
                item = items[n] if n < len(items) else None
                row: list[Any] = [[para(str(n + 1), st.cell_head), Spacer(1, sz.box_height * 1.2)]]
                for child in q.children:
                    row.append(self.group_cell(q, child, item))
                data.append(row)
            first = 10 * (1.4 if sz.large else 1) * 2.83465
            each = (body_width() - first) / max(1, len(q.children))
            table = ContinuingTable(
                data, colWidths=[first] + [each] * len(q.children), repeatRows=1, hAlign="LEFT"
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.7, INK),
                        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            out.append(
                continuing(table, _("Question {number} continued").format(number=number), st.note)
            )
        if not items or spare:
            out.append(
                para(
                    _(
                        "If you need more space, use a separate sheet and write the "
                        "question number on it."
                    ),
                    st.hint,
                )
            )
        return out

    def item_known(self, group: Question, item: Mapping[str, Any]) -> set[str]:
        """The answers in one group item that may be printed and relied on."""
        return {c.id for c in group.children if self.allowed(c) and not _empty(item.get(c.id))}

    def item_value(self, group: Question, child: Question, item: Mapping[str, Any]) -> Any:
        """A child's printable answer in ``item``: a value, None (blank) or False-state marker."""
        state = _state(child.raw.get("condition"), item, self.item_known(group, item))
        if state is False:
            return _NOT_NEEDED
        value = item.get(child.id)
        if state is None or not self.allowed(child) or _empty(value):
            return None
        return value

    def group_cell(self, group: Question, child: Question, item: Mapping[str, Any] | None) -> Any:
        st = self.styles
        value = None if item is None else self.item_value(group, child, item)
        if value is _NOT_NEEDED:
            return para(_("Not needed"), st.caption)
        if value is not None:
            return para(self.display(child, value), st.cell, line_breaks=True)
        if child.type == "yes_no":
            return self.mini_ticks([_("Yes"), _("No")])
        if child.type in ("choice", "multi_choice"):
            return self.mini_ticks([o["label"][self.lang] for o in child.raw["options"]])
        if child.type == "date":
            return para(_("DD / MM / YYYY"), st.caption)
        if child.type == "money":
            return para("£", st.cell_head)
        return ""

    def mini_ticks(self, labels: list[str]) -> Table:
        small = self.sizes.tick * 0.8
        rows = [[TickBox(small), para(label, self.styles.cell)] for label in labels]
        table = Table(rows, colWidths=[small + 4, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return table

    def group_items(
        self, q: Question, items: list[Mapping[str, Any]], spare: int, item_label: str, number: str
    ) -> list[Any]:
        """A wide or long group, one item after another rather than as a table."""
        st = self.styles
        inner = self.numbers.inner[q.id]
        out: list[Any] = []
        for n in range(len(items) + spare):
            item = items[n] if n < len(items) else None
            out.append(para(f"{item_label[:1].upper()}{item_label[1:]} {n + 1}", st.note))
            for child in q.children:
                out.append(
                    self.label(inner[child.id], child.text("label", self.lang), st.cell_head)
                )
                if item is None:
                    out.extend(self.answer_space(child, None, inner[child.id]))
                    continue
                value = self.item_value(q, child, item)
                if value is _NOT_NEEDED:
                    out.append(para(_("Not needed"), st.caption))
                else:
                    out.extend(self.answer_space(child, value, inner[child.id]))
        return out

    def display(self, q: Question, value: Any) -> str:
        try:
            if q.type == "yes_no":
                return _("Yes") if value else _("No")
            if q.type == "date":
                day = date.fromisoformat(value["date"]).strftime("%d/%m/%Y")
                return _("about {date}").format(date=day) if value.get("approximate") else day
            return forms.display_value(q, value, self.lang)
        except (KeyError, TypeError, ValueError, AttributeError):
            return str(value)

    # -- the end of the form

    def declaration(self) -> list[Any]:
        sz, st = self.sizes, self.styles
        width = body_width()
        block: list[Any] = [
            para(_("Declaration"), st.h2),
            para(self.service.text("declaration", self.lang), st.body),
            para(_("Signature"), st.label),
            AnswerBox(width * 0.7, sz.box_height * 2),
            para(_("Full name"), st.label),
            AnswerBox(width, sz.box_height),
            para(_("Date"), st.label),
            CharBoxes((2, 2, 4), sz, "", (_("Day"), _("Month"), _("Year"))),
            para(
                _(
                    "If you are signing for someone else, write your name and how you know "
                    "them (for example, 'daughter' or 'appointee')."
                ),
                st.hint,
            ),
            AnswerBox(width, sz.box_height),
        ]
        return [KeepTogether(block)]

    def next_steps(self) -> list[Any]:
        st = self.styles
        s = self.service
        out: list[Any] = [PageBreak(), para(_("What to do next"), st.h1)]
        out.append(para(s.text("next_steps", self.lang), st.body, line_breaks=True))
        paper = s.raw.get("paper")
        if paper:
            out.append(para(_("Where to send this form"), st.h2))
            out.append(para(paper["send_to"][self.lang], st.body, line_breaks=True))
        fee = s.raw.get("fee")
        if fee:
            out.append(para(_("Fee"), st.h2))
            out.append(para(fees.fee_words(s, _), st.label))
            out.append(para(fee["description"][self.lang], st.body))
        out.append(para(_("Keep a copy"), st.h2))
        out.append(
            para(
                _(
                    "Keep a copy of this form. If you send anything with it, write this "
                    "reference on each sheet: {reference}"
                ).format(reference=self.reference),
                st.body,
            )
        )
        return out
