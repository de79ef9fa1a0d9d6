"""Which questions some route asks, and whether every route can be finished.

A route is the pages and questions one person's answers lead through
(``casework.forms.answers``). Only the answers that conditions look at
decide a route, and only the values the conditions name matter: a choice is
one of the options a condition names or "some other option", a yes/no is
yes or no, a multiple choice is which named options it holds. So the form
is walked in order carrying every distinct combination of the answers that
a later condition still reads (a question nothing looks at any more is
dropped, and combinations that became equal merge). Each question is judged
on each combination with the engine's own ``condition_holds``:

- it is reachable when it shows on one of them; the answers that led there
  are kept as its witness (``Reach.witnesses``);
- a condition that holds only because it read a question never asked on
  that route is reported: a missing answer counts as "not yes", so "show if
  not X" shows when X was skipped, which is rarely what was meant;
- every question a route shows must have an answer its own rules accept
  (found as ``casework.forms.sample`` finds one), and every route must ask
  something, or the route cannot reach the declaration.

Before that walk, each condition must name a question asked before it: on
an earlier page, earlier on the same page, or (inside a repeating group) an
earlier question of the same group, which is all a group's item holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from casework.forms.answers import condition_holds
from casework.forms.definitions import Question
from casework.forms.quality.problem import Problem
from casework.forms.sample import SampleError, acceptable_answer
from casework.kernel.i18n import _

Json = Any
MAX_NAMED_OPTIONS = 10
"""A multiple choice whose options conditions name more often than this is
walked with the first ten only (2**10 combinations); no service comes close."""
MAX_ROUTES = 20_000
"""The most combinations of answers the walk carries from one question to the
next (the busiest shipped service carries a few hundred). Past it the
walk stops and says so, rather than take minutes."""


class _Hidden:
    """The answer of a question the route did not show."""

    def __repr__(self) -> str:
        return "HIDDEN"


class _Other:
    """An answer no condition names (some text, a number, a group)."""

    def __repr__(self) -> str:
        return "OTHER"


HIDDEN: Any = _Hidden()
OTHER: Any = _Other()


@dataclass(frozen=True)
class _Asked:
    """One question in the order the engine asks it."""

    id: str
    pointer: str
    raw: Mapping[str, Json]
    conditions: tuple[tuple[Mapping[str, Json], str], ...]  # (page's, then own), with pointers
    page: int


@dataclass
class Reach:
    """What the walk found: a witness (the answers that decide the route) for
    every question some route shows, group members under ``group/member``."""

    witnesses: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def atoms(condition: Mapping[str, Json], pointer: str) -> Iterator[tuple[Mapping[str, Json], str]]:
    """Every comparison in a condition, with its pointer."""
    stack = [(condition, pointer)]
    while stack:
        cond, where = stack.pop()
        for key in ("all", "any"):
            if key in cond:
                stack.extend((c, f"{where}/{key}/{i}") for i, c in enumerate(cond[key]))
                break
        else:
            if "not" in cond:
                stack.append((cond["not"], f"{where}/not"))
            else:
                yield cond, where


def _judge(
    cond: Mapping[str, Json], pointer: str, answers: Mapping[str, Any], hidden: frozenset[str]
) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """Whether ``cond`` holds, and the comparisons with a question never asked
    that decided it (as the engine reads it: left to right, stopping early)."""
    if "all" in cond or "any" in cond:
        want = "any" in cond  # the value that settles it
        key = "any" if want else "all"
        decided: tuple[tuple[str, str], ...] = ()
        for i, part in enumerate(cond[key]):
            holds, why = _judge(part, f"{pointer}/{key}/{i}", answers, hidden)
            if holds is want:
                return want, why
            decided += why
        return not want, decided
    if "not" in cond:
        holds, why = _judge(cond["not"], f"{pointer}/not", answers, hidden)
        return not holds, why
    holds = condition_holds(cond, answers)
    return holds, ((cond["question"], pointer),) if cond["question"] in hidden else ()


def _domain(raw: Mapping[str, Json], named: set[Any]) -> list[Any]:
    """The answers worth trying for a question: one per value conditions can tell apart."""
    kind = raw["type"]
    values: list[Any]
    if kind == "yes_no":
        values = [False, True]
    elif kind == "choice":
        options = [o["value"] for o in raw["options"]]
        values = [v for v in options if v in named]
        values += [v for v in options if v not in named][:1]
    elif kind == "multi_choice":
        values = _multi_domain(raw, named)
    elif kind == "group":
        values = [OTHER]
    else:
        values = [v for v in named if not isinstance(v, bool)] + [OTHER]
    if not raw.get("required", True):
        values.append(None)
    return values


def _multi_domain(raw: Mapping[str, Json], named: set[Any]) -> list[Any]:
    options = [o["value"] for o in raw["options"]]
    exclusive = {o["value"] for o in raw["options"] if o.get("exclusive")}
    looked_at = [v for v in options if v in named][:MAX_NAMED_OPTIONS]
    rest = [v for v in options if v not in looked_at]
    values: list[Any] = []
    for size in range(len(looked_at) + 1):
        for chosen in combinations(looked_at, size):
            if len(chosen) > 1 and exclusive & set(chosen):
                continue
            if not chosen:
                if not rest:
                    continue
                chosen = (rest[0],)
            values.append(chosen)
    return values


def _named_values(conditions: Iterator[tuple[Mapping[str, Json], str]]) -> dict[str, set[Any]]:
    named: dict[str, set[Any]] = {}
    for atom, _where in conditions:
        values = atom.get("in", [atom.get("equals"), atom.get("includes")])
        named.setdefault(atom["question"], set()).update(v for v in values if v is not None)
    return named


def _answers(state: tuple[tuple[str, Any], ...]) -> tuple[dict[str, Any], frozenset[str]]:
    answers: dict[str, Any] = {}
    hidden: set[str] = set()
    for qid, value in state:
        if value is HIDDEN:
            hidden.add(qid)
        elif value is not None:
            answers[qid] = list(value) if isinstance(value, tuple) else value
    return answers, frozenset(hidden)


Path = tuple[str, Any, "Path"] | None
"""The answers a route took, newest first, as a chain (shared, never copied)."""


def _witness(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    while path is not None:
        qid, value, path = path
        if value is not None and value is not OTHER:
            found[qid] = list(value) if isinstance(value, tuple) else value
    return found


@dataclass
class _Walk:
    """One walk over a list of questions, all seeing the same answers."""

    file: str
    asked: list[_Asked]
    today: date
    reach: Reach
    prefix: str = ""  # "group/" for the members of a group
    seen_hidden: set[str] = field(default_factory=set)

    def run(self) -> bool:
        """Walk; False when some route shows no question at all."""
        named = _named_values(a for q in self.asked for c in q.conditions for a in atoms(*c))
        last_use: dict[str, int] = {}
        for index, question in enumerate(self.asked):
            for cond in question.conditions:
                for atom, _where in atoms(*cond):
                    last_use[atom["question"]] = index
        # state: the answers later conditions read, in order, and whether the
        # route has shown anything yet -> one path that got there
        states: dict[tuple[tuple[tuple[str, Any], ...], bool], Path] = {((), False): None}
        for index, question in enumerate(self.asked):
            keeps = last_use.get(question.id, -1) > index
            domain = _domain(question.raw, named.get(question.id, set()))
            answerable: bool | None = None
            following: dict[tuple[tuple[tuple[str, Any], ...], bool], Path] = {}
            reads = {a["question"] for c in question.conditions for a, _at in atoms(*c)}
            judged: dict[tuple[tuple[str, Any], ...], bool] = {}
            for (state, shown_any), path in states.items():
                seen = tuple((q, v) for q, v in state if q in reads)
                shows = judged.get(seen)
                if shows is None:
                    shows = judged[seen] = self._shows(question, seen)
                if shows and answerable is None:
                    answerable = self._answerable(question, path)
                alive = tuple((q, v) for q, v in state if last_use[q] > index)
                for value in (domain if shows else [HIDDEN]) if keeps else [None]:
                    key = ((*alive, (question.id, value)) if keeps else alive, shown_any or shows)
                    if key not in following:
                        following[key] = (question.id, value, path) if shows else path
            if len(following) > MAX_ROUTES:
                self._too_many(question)
                return True
            states = following
            if answerable is None:
                self._unreachable(question)
        return all(shown for _state, shown in states)

    def _shows(self, question: _Asked, state: tuple[tuple[str, Any], ...]) -> bool:
        answers, hidden = _answers(state)
        for cond, pointer in question.conditions:
            holds, why = _judge(cond, pointer, answers, hidden)
            if not holds:
                return False
            for qid, where in why:
                if where not in self.seen_hidden:
                    self.seen_hidden.add(where)
                    self.reach.problems.append(
                        Problem(
                            self.file,
                            where,
                            _(
                                "on a route where {id!r} is not asked, this condition still "
                                "holds, reading the missing answer as an answer; add the "
                                "condition that shows {id!r}"
                            ).format(id=qid),
                        )
                    )
        return True

    def _answerable(self, question: _Asked, path: Path) -> bool:
        name = self.prefix + question.id
        self.reach.witnesses[name] = _witness(path)
        raw = question.raw
        if raw["type"] == "group":
            return True  # its members are walked on their own
        try:
            acceptable_answer(
                Question(question.id, raw["type"], raw["category"], True, question.pointer, raw),
                today=self.today,
            )
        except SampleError:
            self.reach.problems.append(
                Problem(
                    self.file,
                    question.pointer,
                    _(
                        "no answer to this question meets its own rules, so a route that shows "
                        "it can never reach the declaration"
                    ),
                )
            )
        return True

    def _too_many(self, question: _Asked) -> None:
        self.reach.problems.append(
            Problem(
                self.file,
                question.pointer,
                _(
                    "the answers up to this question make more than {n:,} different routes for "
                    "the conditions after it to tell apart, too many to check; make later "
                    "conditions look at fewer earlier answers"
                ).format(n=MAX_ROUTES),
            )
        )

    def _unreachable(self, question: _Asked) -> None:
        self.reach.problems.append(
            Problem(
                self.file,
                question.pointer,
                _("no answers to the questions before it show this question, so it is never asked"),
            )
        )


def walk(raw: Mapping[str, Json], file: str, today: date | None = None) -> Reach:
    """Walk every route of the definition ``raw`` (already loadable)."""
    found = Reach()
    today = today or date.today()
    asked: list[_Asked] = []
    groups: list[tuple[str, list[_Asked]]] = []
    for p, page in enumerate(raw["pages"]):
        page_cond = ((page["condition"], f"/pages/{p}/condition"),) if "condition" in page else ()
        for i, q in enumerate(page["questions"]):
            pointer = f"/pages/{p}/questions/{i}"
            own = ((q["condition"], f"{pointer}/condition"),) if "condition" in q else ()
            asked.append(_Asked(q["id"], pointer, q, page_cond + own, p))
            if q["type"] == "group":
                members = [
                    _Asked(
                        c["id"],
                        f"{pointer}/questions/{j}",
                        c,
                        ((c["condition"], f"{pointer}/questions/{j}/condition"),)
                        if "condition" in c
                        else (),
                        p,
                    )
                    for j, c in enumerate(q["questions"])
                ]
                groups.append((q["id"], members))
    if not _Walk(file, asked, today, found).run():
        found.problems.append(
            Problem(
                file,
                "/pages",
                _(
                    "on some route every page is hidden, so there is nothing to fill in "
                    "before the declaration"
                ),
            )
        )
    for group_id, members in groups:
        if group_id in found.witnesses:
            _Walk(file, members, today, found, prefix=f"{group_id}/").run()
    return found
