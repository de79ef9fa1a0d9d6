"""Definition quality: what ``services validate`` checks once a definition loads.

``casework.forms.definitions`` refuses a definition the engine cannot run
and stops at its first fault. These checks go further and report every
problem they find, each as a ``Problem`` (file, JSON pointer, a plain
sentence): ``welsh`` (every text in both languages, and the Welsh a
translation), ``order`` (conditions read only answers already given) and
``reach`` (every question is asked on some route, no condition holds only
because a question was skipped, every route can reach the declaration).
No Qt; the whole catalogue is checked in well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from casework.forms.definitions import Service
from casework.forms.quality.order import order_problems
from casework.forms.quality.problem import Problem
from casework.forms.quality.reach import walk
from casework.forms.quality.welsh import welsh_problems

__all__ = ["Problem", "check", "check_service"]


def check(raw: Mapping[str, Any], file: str, today: date | None = None) -> list[Problem]:
    """Every quality problem of the definition ``raw`` (read from ``file``)."""
    return [
        *welsh_problems(raw, file),
        *order_problems(raw, file),
        *walk(raw, file, today).problems,
    ]


def check_service(service: Service, today: date | None = None) -> list[Problem]:
    """Every quality problem of a loaded service."""
    return check(service.raw, service.file, today)
