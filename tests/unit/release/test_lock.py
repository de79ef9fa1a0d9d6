"""requirements.lock pins, with hashes, everything pyproject.toml asks for.

``make lock`` writes it; ``make venv`` and the bundle build install from it.
A dependency added to pyproject.toml (runtime, an extra or the build
backend) that the lock does not pin, or a pin outside pyproject's range,
fails here until ``make lock`` is run again.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?:\s*;\s*(.+?))?\s*\\?$")
# The machines the lock must serve: Linux x86_64 with CPython 3.11, 3.12 and 3.13.
TARGETS = [
    {
        "python_version": f"3.{minor}",
        "python_full_version": f"3.{minor}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "os_name": "posix",
    }
    for minor in (11, 12, 13)
]


@dataclass
class Pin:
    version: Version
    marker: Marker | None
    hashes: int


def parse_lock(text: str) -> dict[str, Pin]:
    """Each pinned package's version, marker and number of hashes."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash=sha256:"):
            assert current is not None, line
            current.hashes += 1
            continue
        match = PIN.match(line)
        assert match, f"not a pin: {line!r}"
        name, version, marker = match.groups()
        current = Pin(Version(version), Marker(marker) if marker else None, 0)
        pins[canonicalize_name(name)] = current
    return pins


def wanted(pyproject: dict[str, Any]) -> list[str]:
    """Every requirement pyproject.toml names: runtime, each extra, the build backend."""
    project = pyproject["project"]
    return [
        *project["dependencies"],
        *(req for extra in project["optional-dependencies"].values() for req in extra),
        *pyproject["build-system"]["requires"],
    ]


def lock_problems(pyproject: dict[str, Any], lock_text: str) -> list[str]:
    pins = parse_lock(lock_text)
    problems = [f"{name} has no --hash" for name, pin in pins.items() if not pin.hashes]
    for line in wanted(pyproject):
        req = Requirement(line)
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{req.name} is not pinned")
            continue
        if not req.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{req.name}=={pin.version} is outside {req.specifier}")
        for target in TARGETS:
            if pin.marker is not None and not pin.marker.evaluate(target):
                problems.append(f"{req.name} is left out on Python {target['python_version']}")
        for extra in req.extras:  # psycopg[binary] needs psycopg-binary pinned too
            if extra == "binary" and canonicalize_name(f"{req.name}-binary") not in pins:
                problems.append(f"{req.name}[{extra}] is not pinned")
    return problems


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lock() -> str:
    return (ROOT / "requirements.lock").read_text(encoding="utf-8")


def test_the_lock_pins_everything_pyproject_asks_for() -> None:
    assert lock_problems(_pyproject(), _lock()) == []


def test_the_lock_serves_the_package_extra_and_the_build_backend() -> None:
    pins = parse_lock(_lock())
    for name in ("pyinstaller", "pyinstaller-hooks-contrib", "setuptools", "wheel", "pip"):
        assert name in pins, name


def test_a_dependency_the_lock_does_not_pin_is_found() -> None:
    pyproject = _pyproject()
    pyproject["project"]["optional-dependencies"]["package"].append("nuitka>=2.0")
    assert lock_problems(pyproject, _lock()) == ["nuitka is not pinned"]


def test_a_pin_outside_the_range_is_found() -> None:
    pyproject = _pyproject()
    pyproject["project"]["dependencies"].append("SQLAlchemy<2.0")
    [problem] = lock_problems(pyproject, _lock())
    assert problem.startswith("SQLAlchemy==2.") and problem.endswith("is outside <2.0")


def test_a_pin_without_a_hash_or_for_another_platform_is_found() -> None:
    text = _lock().replace("reportlab==", "reportlab-old==", 1)
    text += "reportlab==5.1.0 ; sys_platform == 'win32'\n"
    problems = lock_problems(_pyproject(), text)
    assert "reportlab has no --hash" in problems
    assert "reportlab is left out on Python 3.12" in problems
