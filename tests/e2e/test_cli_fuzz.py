"""Every ``alongside`` subcommand, run as a real process with hostile arguments.

The subcommands are read from the argparse parser, so a new one is fuzzed
without touching this file. Hypothesis picks, for each run, which options to
give and what to give them: unknown options, huge and negative numbers,
undecodable bytes (surrogate-escaped, passed through ``os.fsencode``), empty
strings, very long strings, and paths to folders, mixed with a real keyed
profile so the commands get past argument parsing. Whatever happens, the
command exits 0, 1 or 2, prints no traceback, and says what went wrong in a
line or two (a line for each file it was given; for exit 2, argparse's usage
text, then one error line).

``make test`` runs a few examples per subcommand (the same ones every time);
``make fuzz`` (``HYPOTHESIS_PROFILE=fuzz``) runs many more, afresh each time.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import build_parser
from app.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[2]
FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = 40 if FUZZING else 3
HANG = 120  # seconds: only a hung command is this slow, however loaded the machine

# Stand-ins replaced by real paths when a run is built.
PROFILE = "<profile>"
FOLDER = "<folder>"
MISSING = "<missing>"
OUTPUT = "<output>"  # a new file in an existing folder

HOSTILE: list[str] = [
    "",
    " ",
    "-1",
    "-99999999999999999999999",
    "99999999999999999999999",
    str(2**63),
    "1e999",
    "nan",
    "-",
    "--no-such-option",
    "--profile",
    "\udcff\udcfe",  # the bytes ff fe: not UTF-8, surrogate-escaped
    "caf\udce9",  # Latin-1 "café"
    "\u202egnp.exe",
    "x" * 5_000,
    "../../../../../../etc/passwd",
    FOLDER,
    MISSING,
]

# Commands that serve until stopped when their arguments are valid: each run
# gives them what makes them stop (or fail) by themselves.
SERVES_UNTIL_STOPPED: dict[tuple[str, ...], list[str]] = {
    ("sync",): ["--once"],
    ("sandbox",): ["--port", "-1"],
}


def leaf_commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every runnable subcommand path (``mandates grant``, ``db``, ...), with its parser."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups and path:
        yield path, parser
    for group in groups:
        for name, child in group.choices.items():
            yield from leaf_commands(child, (*path, name))


COMMANDS = dict(leaf_commands(build_parser()))


def _value(action: argparse.Action) -> st.SearchStrategy[str]:
    hostile = st.sampled_from(HOSTILE)
    if action.dest == "profile":
        return st.one_of(st.just(PROFILE), hostile)
    if action.dest == "user":  # a real worker, so the command goes on past signing in
        return st.one_of(st.just("amira"), hostile)
    if action.choices:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]), hostile)
    return hostile


@st.composite
def arguments(draw: st.DrawFn, command: tuple[str, ...]) -> list[str]:
    """One hostile command line for ``command`` (the words after ``alongside``)."""
    argv = [*command]
    for action in COMMANDS[command]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # a positional
            if action.nargs in ("*", "?"):
                argv += draw(st.lists(_value(action), max_size=2))
            else:
                argv.append(draw(_value(action)))
            continue
        if not draw(st.booleans()):
            continue
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:  # a flag
            argv.append(option)
        else:
            argv += [option, draw(_value(action))]
    if draw(st.booleans()):
        argv.insert(draw(st.integers(0, len(argv))), draw(st.sampled_from(HOSTILE)))
    return argv + SERVES_UNTIL_STOPPED.get(command, [])


@dataclass(frozen=True)
class Pristine:
    """A real keyed profile, copied afresh for every run."""

    folder: Path
    key: str


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    from app.demo import people as demo_people
    from app.paths import ProfilePaths
    from app.profile import create_profile

    key = secrets.token_hex(32)
    folder = tmp_path_factory.mktemp("pristine") / "profile"
    opened = create_profile(ProfilePaths(folder), key=bytes.fromhex(key))
    demo_people.add_people(opened.engine, 3, seed=5)
    opened.close()
    return Pristine(folder, key)


def _run(
    argv: list[str], pristine: Pristine, **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        profile = base / "profile"
        shutil.copytree(pristine.folder, profile)
        (base / "folder").mkdir()
        stand_in = {
            PROFILE: str(profile),
            FOLDER: str(base / "folder"),
            MISSING: str(base / "missing" / "nothing.pdf"),
            OUTPUT: str(base / "folder" / "out.pdf"),
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # no keyring: it must say so, not crash
        env.update(
            ALONGSIDE_DB_KEY=pristine.key,
            HOME=str(base / "home"),
            XDG_DATA_HOME=str(base / "home" / "data"),
            ALONGSIDE_PASSWORD=DEMO_PASSWORD,
            PYTHONWARNINGS="error",
            **extra_env,
        )
        words = [os.fsencode(stand_in.get(word, word)) for word in argv]
        return subprocess.run(
            [sys.executable, "-m", "app", *words],
            cwd=base,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=HANG,
            check=False,
        )


def _assert_calm(argv: list[str], run: subprocess.CompletedProcess[bytes]) -> None:
    err = run.stderr.decode("utf-8", "replace")
    shown = f"alongside {' '.join(a[:60] for a in argv)}\nexit {run.returncode}\n{err[-3000:]}"
    assert run.returncode in (0, 1, 2), shown
    assert "Traceback" not in err, shown
    lines = err.splitlines()
    if run.returncode == 2:
        # argparse: the usage (wrapped, indented), then one "alongside ...: error:" line.
        assert lines and ": error: " in lines[-1], shown
        assert lines[0].startswith("usage: "), shown
        assert all(line.startswith(" ") for line in lines[1:-1]), shown
    else:
        # A line or two; or, for a command given several files, one plain
        # "alongside: ..." line for each.
        per_file = all(line.startswith("alongside") for line in lines) and len(lines) <= len(argv)
        assert len(lines) <= 2 or per_file, shown


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_hostile_arguments_get_a_plain_answer(command: tuple[str, ...], pristine: Pristine) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not FUZZING,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(argv=arguments(command))
    def check(argv: list[str]) -> None:
        _assert_calm(argv, _run(argv, pristine))

    check()


def test_undecodable_bytes_are_echoed_without_a_crash(pristine: Pristine) -> None:
    """Even where standard output is strict UTF-8, a surrogate-escaped byte in a
    message is printable; and a value holding one is refused, not stored."""
    argv = ["export-pdf", "--service", "blue-badge", "-o", "caf\udce9.pdf"]
    run = _run(argv, pristine, PYTHONIOENCODING="utf-8:strict")
    _assert_calm(argv, run)
    assert run.returncode == 0
    assert b"caf\\udce9.pdf" in run.stdout  # "Wrote ...", on standard output
    argv = ["settings", "set", "profile_name", "caf\udce9", "--profile", PROFILE]
    run = _run(argv, pristine, PYTHONIOENCODING="utf-8:strict")
    _assert_calm(argv, run)
    assert run.returncode == 1
    assert b"broken symbol" in run.stderr


@pytest.mark.parametrize("option", ["--people", "--notes-per-person", "--queued"])
def test_a_huge_demo_count_is_refused_not_run(option: str, pristine: Pristine) -> None:
    """A count with no upper limit would run for ever (or overflow a date)."""
    argv = ["demo-data", "--people", "1", option, "99999999999999999999999", "--profile", PROFILE]
    run = _run(argv, pristine)
    _assert_calm(argv, run)
    assert run.returncode == 2
    assert b"give a whole number from 0 to" in run.stderr


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "argv",
    [
        ["mandates", "list", "--user", "amira", "--person", HUGE],
        ["mandates", "revoke", HUGE, "--user", "amira", "--reason", "other"],
        ["report", "acted-for", "--user", "amira", "--person", HUGE, "-o", OUTPUT],
        ["export-pdf", "--user", "amira", "--case", "AL-X", "--submission", HUGE, "-o", MISSING],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_number_too_long_for_the_database_is_refused(argv: list[str], pristine: Pristine) -> None:
    """A record number past 64 bits overflowed the database driver."""
    argv = [*argv, "--profile", PROFILE]
    run = _run(argv, pristine)
    _assert_calm(argv, run)
    assert run.returncode in (1, 2)


def test_every_subcommand_is_fuzzed() -> None:
    """The list comes from the parser: the commands the help lists are all here."""
    assert {("db",), ("mandates", "grant"), ("services", "validate"), ("sandbox",)} <= set(COMMANDS)
    for served in SERVES_UNTIL_STOPPED:
        assert served in COMMANDS
