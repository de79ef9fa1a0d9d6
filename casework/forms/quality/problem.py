"""One thing wrong with a definition: its file, the JSON pointer and a plain sentence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A fault ``services validate`` reports: ``file``, ``pointer`` (JSON
    pointer into the definition) and ``reason``, a sentence the author can act on."""

    file: str
    pointer: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer}: {self.reason}"
