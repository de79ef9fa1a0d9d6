"""``PaperItem``: one file of a bulk paper export, as a plain value the UI can hold."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperItem:
    """One PDF to write: a blank form (``draft_id`` None) or a draft pre-filled."""

    file_name: str
    service_id: str
    draft_id: int | None
    language: str
    large_print: bool
