"""The built bundle, run the way an installed program runs.

Point ``ALONGSIDE_BUNDLE`` at a bundle folder (default ``dist/alongside``,
built by ``make bundle``); ``make smoke-bundle`` runs this file. Every run
gets a clean environment (PATH=/usr/bin:/bin, a throwaway HOME, LANG and
only what the case needs), never the virtual environment's Python or
PYTHONPATH, so what passes here works on a machine that has only the bundle.
A missing bundle fails the run: there is nothing to skip to.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import __version__
from casework.forms.definitions import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
PATIENCE_S = 300
ADMIN_PASSWORD = "a-long-admin-passw0rd"
# Lines Qt's offscreen platform prints on every start; anything else on
# standard error from the window is a fault.
HARMLESS = (re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),)


def bundle_dir() -> Path:
    return Path(os.environ.get("ALONGSIDE_BUNDLE") or ROOT / "dist" / "alongside").resolve()


@pytest.fixture(scope="module")
def alongside() -> Path:
    """The bundle's executable; the test fails (not skips) when it is missing."""
    exe = bundle_dir() / ("alongside.exe" if sys.platform == "win32" else "alongside")
    if not exe.is_file():
        pytest.fail(
            f"no bundle at {exe.parent}: build it with `make bundle` (or set ALONGSIDE_BUNDLE)"
        )
    return exe


def run(
    exe: Path, home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``exe args`` with a clean environment, from a folder outside the source tree."""
    home.mkdir(parents=True, exist_ok=True)
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **(env or {})}
    done = subprocess.run(
        [str(exe), *args],
        cwd=home,
        env=clean,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_version(alongside: Path, tmp_path: Path) -> None:
    done = run(alongside, tmp_path / "home", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Alongside {__version__}"


def test_services_list_shows_the_catalogue(alongside: Path, tmp_path: Path) -> None:
    done = run(alongside, tmp_path / "home", "services", "list")
    assert done.returncode == 0, done.stderr
    listed = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert listed == [service.id for service in load_catalogue().services]


def test_a_welsh_large_print_blank_form_reads_back(alongside: Path, tmp_path: Path) -> None:
    service = load_catalogue().services[0]
    target = tmp_path / "ffurflen.pdf"
    done = run(
        alongside,
        tmp_path / "home",
        "export-pdf",
        "--service",
        service.id,
        "--lang",
        "cy",
        "--large-print",
        "-o",
        str(target),
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    words = " ".join(text.split())
    title = service.text("title", "cy")
    assert title != service.text("title", "en")
    for word in title.split():
        assert word in words, (word, words[:300])
    assert "Tudalen 1 o" in words  # "Page 1 of", from the bundled Welsh catalogue (.mo)


def _setup_then_verify(alongside: Path, home: Path, env: dict[str, str]) -> Path:
    profile = home / "profile"
    setup = run(
        alongside,
        home,
        "--profile",
        str(profile),
        "setup",
        "--admin",
        "root",
        env={**env, "ALONGSIDE_PASSWORD": ADMIN_PASSWORD},
    )
    assert setup.returncode == 0, setup.stderr
    verify = run(alongside, home, "--profile", str(profile), "audit", "verify", env=env)
    assert verify.returncode == 0, verify.stderr
    assert "intact" in verify.stdout, verify.stdout
    # Alembic reads the migrations folder inside the bundle and finds no drift.
    check = run(alongside, home, "--profile", str(profile), "db", "check", env=env)
    assert check.returncode == 0, check.stderr
    return profile


@pytest.mark.keyring
def test_setup_keeps_the_key_in_the_real_keyring(alongside: Path, tmp_path: Path) -> None:
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    assert bus, "run under scripts/with-keyring.sh (make smoke-bundle does)"
    profile = _setup_then_verify(alongside, tmp_path / "home", {"DBUS_SESSION_BUS_ADDRESS": bus})
    settings = json.loads((profile / "settings.json").read_text(encoding="utf-8"))
    assert settings["key_source"] == "keyring"
    # The bundle's Secret Service backend wrote it; this process reads it back.
    from app.keys import key_from_keyring

    assert len(key_from_keyring(settings["profile_id"])) == 32


def test_setup_with_a_key_in_the_environment_and_no_dbus(alongside: Path, tmp_path: Path) -> None:
    profile = _setup_then_verify(
        alongside, tmp_path / "home", {"ALONGSIDE_DB_KEY": secrets.token_hex(32)}
    )
    settings = json.loads((profile / "settings.json").read_text(encoding="utf-8"))
    assert settings["key_source"] == "environment"


def test_a_returned_blank_form_is_read_from_a_scan(alongside: Path, tmp_path: Path) -> None:
    """The bundle reads a scan: a blank copy recorded in a profile, drawn to a
    PNG as a scanner would, is found by its QR code (Pillow and zxing-cpp
    inside the bundle) and, given out to nobody, is held back in one line."""
    import pypdfium2

    home = tmp_path / "home"
    env = {"ALONGSIDE_DB_KEY": secrets.token_hex(32), "ALONGSIDE_PASSWORD": ADMIN_PASSWORD}
    profile = _setup_then_verify(alongside, home, env)
    service = load_catalogue().services[0]
    form = tmp_path / "blank.pdf"
    done = run(
        alongside, home, "--profile", str(profile), "export-pdf", "--user", "root",
        "--service", service.id, "-o", str(form), env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    scan = tmp_path / "scan.png"
    document = pypdfium2.PdfDocument(form)
    document[0].render(scale=110 / 72, grayscale=True).to_pil().save(scan)
    document.close()
    done = run(
        alongside, home, "--profile", str(profile), "paper", "receive", "--user", "root",
        str(scan), env=env,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "--case" in done.stderr and "not a scan" not in done.stderr, done.stderr


def test_without_a_keyring_or_key_setup_says_so_in_one_line(
    alongside: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    done = run(
        alongside,
        home,
        "--profile",
        str(home / "profile"),
        "setup",
        "--admin",
        "root",
        env={"ALONGSIDE_PASSWORD": ADMIN_PASSWORD},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("alongside: ") and len(done.stderr.splitlines()) == 1


def test_the_demo_window_opens_offscreen_and_closes_cleanly(
    alongside: Path, tmp_path: Path
) -> None:
    done = run(
        alongside,
        tmp_path / "home",
        "--demo",
        env={"QT_QPA_PLATFORM": "offscreen", "ALONGSIDE_EXIT_AFTER_FIRST_PAINT": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr
    alarming = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and not any(pattern.match(line) for pattern in HARMLESS)
    ]
    assert alarming == [], done.stderr


def test_the_sandbox_platform_serves_and_stops(alongside: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    sandbox = subprocess.Popen(
        [str(alongside), "sandbox"],
        cwd=home,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        urls = {}
        for line in sandbox.stdout:  # until it says it is ready (or ends)
            name, _tab, url = line.strip().partition("\t")
            if url.startswith("http://"):
                urls[name] = url
            if line.startswith("Press Ctrl+C"):
                break
        assert "pay" in urls, urls
        try:  # an unknown payment without a key: any HTTP answer shows the fake serving
            with urllib.request.urlopen(f"{urls['pay']}/v1/payments/none", timeout=PATIENCE_S):
                pass
        except urllib.error.HTTPError as answer:
            assert 400 <= answer.code < 500, answer.code
    finally:
        sandbox.send_signal(signal.SIGINT)
        out, err = sandbox.communicate(timeout=PATIENCE_S)
    assert sandbox.returncode == 0, err
    assert "Sandbox stopped." in out
    assert "Traceback" not in err, err


def test_the_window_plugins_travel(alongside: Path) -> None:
    """The platforms the window starts on (a desktop, or offscreen in CI) are in the bundle."""
    plugins = alongside.parent / "_internal" / "PySide6" / "Qt" / "plugins"
    if sys.platform.startswith("linux"):
        for name in (
            "platforms/libqxcb.so",
            "platforms/libqoffscreen.so",
            "iconengines/libqsvgicon.so",
        ):
            assert (plugins / name).is_file(), name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is the Linux loader's")
def test_every_bundled_library_finds_what_it_links_to(alongside: Path) -> None:
    """Trimming must not leave a library without one it needs, nor a dangling link."""
    internal = alongside.parent / "_internal"
    dangling = [str(p) for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []
    unresolved = []
    for library in sorted(internal.rglob("*.so*")):
        if library.is_symlink() or not library.is_file():
            continue
        done = subprocess.run(
            ["ldd", str(library)],
            env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(internal)},
            capture_output=True,
            text=True,
            timeout=PATIENCE_S,
            check=False,
        )
        missing = [line.strip() for line in done.stdout.splitlines() if "not found" in line]
        unresolved += [f"{library.relative_to(internal)}: {line}" for line in missing]
    assert unresolved == [], "\n".join(unresolved)
