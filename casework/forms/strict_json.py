"""Reading definition JSON strictly: no repeated keys, no markup in text.

``json.loads`` keeps the last of two equal keys without a word, so a
definition with two ``id`` fields would silently mean the later one;
``loads_strict`` refuses it and names where. Text from a definition is shown
in Qt labels and drawn on paper, both of which would read ``<b>`` or
``&lt;`` as markup; ``first_markup`` finds any such tag or entity so the
definition can be refused instead. Both walk the parsed value without
recursion (``json`` itself allows nesting deep enough to exhaust the stack).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

Json = Any

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*|<!|<\?")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8});")
_SHOWN = 40  # at most this much of a tag is quoted back


class DuplicateKeyError(ValueError):
    """A JSON object gives the same key twice: ``pointer`` names the key."""

    def __init__(self, pointer: str, key: str) -> None:
        super().__init__(f"{pointer}: {key!r}")
        self.pointer = pointer
        self.key = key


def pointer_part(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _walk(value: Json) -> Iterator[tuple[str, Json]]:
    """Every value inside ``value`` with its JSON pointer, in document order."""
    stack: list[tuple[str, Json]] = [("", value)]
    while stack:
        pointer, item = stack.pop()
        yield pointer, item
        if isinstance(item, dict):
            children = [(f"{pointer}/{pointer_part(k)}", v) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(f"{pointer}/{i}", v) for i, v in enumerate(item)]
        else:
            continue
        stack.extend(reversed(children))


def loads_strict(text: str) -> Json:
    """``json.loads``, refusing an object that repeats a key (``DuplicateKeyError``)."""
    repeated: dict[int, str] = {}

    def pairs(items: list[tuple[str, Json]]) -> dict[str, Json]:
        built: dict[str, Json] = {}
        for key, value in items:
            if key in built and id(built) not in repeated:
                repeated[id(built)] = key
            built[key] = value
        return built

    value = json.loads(text, object_pairs_hook=pairs)
    if repeated:
        for pointer, item in _walk(value):
            if isinstance(item, dict) and id(item) in repeated:
                key = repeated[id(item)]
                raise DuplicateKeyError(f"{pointer}/{pointer_part(key)}", key)
    return value


def markup_in(text: str) -> str | None:
    """The first HTML tag or character entity in ``text``, as written, or None."""
    found = [m for m in (_TAG.search(text), _ENTITY.search(text)) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    if first.re is _TAG:
        close = text.find(">", first.start(), first.start() + _SHOWN)
        return text[first.start() : close + 1] if close >= 0 else first.group()
    return first.group()


def first_markup(value: Json, skip: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """The pointer and the markup of the first string in ``value`` holding a tag
    or an entity, or None. Strings whose last pointer part is in ``skip`` (such
    as a pattern, which is not text anyone reads) are not looked at."""
    for pointer, item in _walk(value):
        if isinstance(item, str) and pointer.rsplit("/", 1)[-1] not in skip:
            markup = markup_in(item)
            if markup is not None:
                return pointer or "/", markup
    return None
