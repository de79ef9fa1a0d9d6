"""The words a person and a worker read about a mandate's scope: the service's
title, a plain description of each action and of each kind of information,
never an identifier (``attendance-allowance``), an action value (``view``) or
a category id (``financial``).

Delegation sits below the service definitions, so it cannot look titles up:
the caller (``casework.forms.mandate_names``, or the window with the grant
dialog's choices) hands them over as ``ScopeNames``, in every language, so
text can be built in whichever language it is shown or printed in.

``describe`` is the task list read aloud at grant; its exact text is
fingerprinted in the consent record, and ``grant_mandate`` (and an assisted
session's start) rebuild it from the scope, the same names and the language
it was shown in, and refuse the grant when the two differ.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from casework.kernel import i18n
from casework.kernel.i18n import N_
from delegation.scope import Action, Scope, ScopeDetail

# What each action lets the helper do, as the person would say it.
ACTION_WORDS: dict[str, str] = {
    Action.VIEW: N_("look at the details"),
    Action.DRAFT: N_("fill in forms"),
    Action.SUBMIT: N_("send forms"),
    Action.CONTACT: N_("speak to the service"),
    Action.PRINT: N_("print documents"),
    Action.ESCALATE: N_("ask for help when things are stuck"),
}
# Each kind of information (data category), in plain words.
CATEGORY_WORDS: dict[str, str] = {
    "identity": N_("name, date of birth and identity numbers"),
    "contact": N_("phone number and email"),
    "address": N_("address"),
    "health": N_("health"),
    "financial": N_("money and benefits"),
    "household": N_("the people living at home"),
    "care": N_("care and support"),
    "other": N_("other answers on forms"),
}
CATEGORY_ORDER = tuple(CATEGORY_WORDS)  # the order a person would expect, not alphabetical
# One line of the task list: one service or case.
TASK_LINE = N_("{target}. The helper may: {actions}. Information they may use: {categories}.")


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        i18n.DOMAIN, localedir=i18n.LOCALE_DIR, languages=[language], fallback=True
    )


def translator(language: str | None = None) -> Callable[[str], str]:
    """``_`` for ``language`` (the current one when None), without switching the app's."""
    chosen = language or i18n.current_language()
    if chosen not in i18n.SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {chosen!r}")
    return _catalogue(chosen).gettext


@dataclass(frozen=True)
class ScopeNames:
    """What a scope's identifiers are called: each service's title in each
    language, and the service each case (by its scope id) is for."""

    titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # id → language → title
    case_services: Mapping[str, str] = field(default_factory=dict)  # case scope id → service id

    def title(self, service_id: str, language: str) -> str:
        """The service's title in ``language`` (English, then any, when missing).

        A service no longer in the catalogue is named from its id in words
        ("Attendance allowance"), never shown as the id itself."""
        known = self.titles.get(service_id, {})
        found = known.get(language) or known.get("en") or next(iter(known.values()), "")
        return found or service_id.replace("-", " ").capitalize()

    def with_cases(self, case_services: Mapping[str, str]) -> ScopeNames:
        """These names and the services of more cases (case scope id → service id)."""
        return ScopeNames(self.titles, {**self.case_services, **case_services})


NO_NAMES = ScopeNames()


def action_words(actions: Iterable[str], language: str | None = None) -> list[str]:
    """The actions in plain words, in the order of ``Action``."""
    tr = translator(language)
    chosen = {str(a) for a in actions}
    return [tr(ACTION_WORDS[a]) for a in Action if a.value in chosen]


def category_words(categories: Iterable[str], language: str | None = None) -> list[str]:
    """The kinds of information in plain words, in a reader's order."""
    tr = translator(language)
    chosen = set(categories)
    return [tr(CATEGORY_WORDS[c]) for c in CATEGORY_ORDER if c in chosen]


def action_word(action: str, language: str | None = None) -> str:
    return translator(language)(ACTION_WORDS[action]) if action in ACTION_WORDS else ""


def category_word(category: str, language: str | None = None) -> str:
    return translator(language)(CATEGORY_WORDS[category]) if category in CATEGORY_WORDS else ""


def target_words(detail: ScopeDetail, names: ScopeNames, language: str | None = None) -> str:
    """ "Blue Badge", or "the case AL-7K3M9QX (Blue Badge)" for a single case."""
    chosen = language or i18n.current_language()
    if detail.service_id is not None:
        return names.title(detail.service_id, chosen)
    return case_words(detail.case or "", names, chosen)


def case_words(case: str, names: ScopeNames, language: str | None = None) -> str:
    """A case by its printed reference, with its service's title when known."""
    chosen = language or i18n.current_language()
    tr = translator(chosen)
    service_id = names.case_services.get(case)
    if service_id is None:
        return tr(N_("the case {reference}")).format(reference=case.upper())
    return tr(N_("the case {reference} ({service})")).format(
        reference=case.upper(), service=names.title(service_id, chosen)
    )


def capitalised(text: str) -> str:
    """``text`` starting a sentence ("the case …" → "The case …")."""
    return text[:1].upper() + text[1:]


def describe(scope: Scope, names: ScopeNames = NO_NAMES, language: str | None = None) -> str:
    """The task list read to the person, one line per service or case, in
    ``language`` (the current one when None). Its exact text is fingerprinted."""
    chosen = language or i18n.current_language()
    tr = translator(chosen)
    return "\n".join(
        tr(TASK_LINE).format(
            target=capitalised(target_words(detail, names, chosen)),
            actions="; ".join(action_words(detail.actions, chosen)),
            categories="; ".join(category_words(detail.categories, chosen)),
        )
        for detail in scope
    )


def summary(scope: Scope, names: ScopeNames = NO_NAMES, language: str | None = None) -> str:
    """Short, for the banner and lists: "Blue Badge (look at the details, fill in forms)"."""
    chosen = language or i18n.current_language()
    return "; ".join(
        "{target} ({actions})".format(
            target=target_words(detail, names, chosen),
            actions=", ".join(action_words(detail.actions, chosen)),
        )
        for detail in scope
    )


def shown_as_built(shown: str, scope: Scope, names: ScopeNames, language: str = "") -> bool:
    """Is ``shown`` exactly the task list of ``scope`` in ``language`` ("" = the
    current one)? The grant's check: the text the person heard is the scope."""
    if language and language not in i18n.SUPPORTED_LANGUAGES:
        return False
    return shown == describe(scope, names, language or None)
