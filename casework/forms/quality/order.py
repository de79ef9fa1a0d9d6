"""Conditions look only at answers given before them.

The engine judges a page's condition on the answers to earlier pages, a
question's on those and the earlier questions of its page, and a question
in a repeating group on the earlier questions of the same item, which is
all an item holds. A condition naming anything else (a question that does
not exist, comes later, is its own, or sits on the other side of a group's
edge) reads an answer that cannot be there yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casework.forms.quality.problem import Problem
from casework.forms.quality.reach import atoms
from casework.kernel.i18n import _

Json = Any


def order_problems(raw: Mapping[str, Json], file: str) -> list[Problem]:
    """A problem for every comparison that names a question not yet answered."""
    where: dict[str, tuple[int, int]] = {}  # top-level question -> (page, position)
    members: dict[str, str] = {}  # group member -> its group
    for p, page in enumerate(raw["pages"]):
        for i, q in enumerate(page["questions"]):
            where.setdefault(q["id"], (p, i))
            for c in q.get("questions", ()):
                members.setdefault(c["id"], q["id"])
    found: list[Problem] = []
    for p, page in enumerate(raw["pages"]):
        if "condition" in page:
            found += _top(file, page["condition"], f"/pages/{p}/condition", (p, -1), where, members)
        for i, q in enumerate(page["questions"]):
            pointer = f"/pages/{p}/questions/{i}"
            if "condition" in q:
                found += _top(file, q["condition"], f"{pointer}/condition", (p, i), where, members)
            siblings = [c["id"] for c in q.get("questions", ())]
            for j, c in enumerate(q.get("questions", ())):
                if "condition" in c:
                    found += _member(
                        file, c["condition"], f"{pointer}/questions/{j}/condition", siblings[:j]
                    )
    return found


def _top(
    file: str,
    condition: Mapping[str, Json],
    pointer: str,
    at: tuple[int, int],
    where: Mapping[str, tuple[int, int]],
    members: Mapping[str, str],
) -> list[Problem]:
    found = []
    for atom, atom_at in atoms(condition, pointer):
        target = atom["question"]
        reason = None
        if target in where:
            page, position = where[target]
            if (page, position) == at:
                reason = _("the condition refers to its own question, which has no answer yet")
            elif page > at[0]:
                reason = _(
                    "the condition refers to {id!r}, which is asked on a later page, so it has "
                    "no answer yet"
                ).format(id=target)
            elif page == at[0] and at[1] < 0:
                reason = _(
                    "the page's condition refers to {id!r}, which is on the same page, so it has "
                    "no answer when the page is chosen"
                ).format(id=target)
            elif page == at[0] and position > at[1]:
                reason = _(
                    "the condition refers to {id!r}, which comes later on the same page, so it "
                    "has no answer yet"
                ).format(id=target)
        elif target in members:
            reason = _(
                "the condition refers to {id!r}, a question inside the repeating group {group!r}, "
                "whose answers a condition outside it cannot read"
            ).format(id=target, group=members[target])
        else:
            reason = _(
                "the condition refers to {id!r}, which is not a question of this form"
            ).format(id=target)
        if reason:
            found.append(Problem(file, f"{atom_at}/question", reason))
    return found


def _member(
    file: str, condition: Mapping[str, Json], pointer: str, earlier: list[str]
) -> list[Problem]:
    found = []
    for atom, atom_at in atoms(condition, pointer):
        target = atom["question"]
        if target not in earlier:
            found.append(
                Problem(
                    file,
                    f"{atom_at}/question",
                    _(
                        "a question in a repeating group can only look at the questions before "
                        "it in the same group, and {id!r} is not one of them"
                    ).format(id=target),
                )
            )
    return found
