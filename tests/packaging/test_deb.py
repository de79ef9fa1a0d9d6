"""The Debian package: its files validate, it is laid out and owned as
Debian expects, and (as root) it installs, runs from /usr/bin with a clean
environment, and purges without a trace.

Point ``ALONGSIDE_DEB`` at the .deb (default ``dist/alongside_<version>_amd64.deb``,
built by ``make package``); ``make smoke-deb`` runs this file. A missing
package fails the run, and so do the install steps when not run as root:
there is nothing to skip to.
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import __version__
from casework.forms.definitions import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "uk.org.alongside.Alongside"
DESKTOP = f"usr/share/applications/{APP_ID}.desktop"
METAINFO = f"usr/share/metainfo/{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = [f"usr/share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES] + [
    f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"
]
# What Qt's xcb window and the bundle load from the system (see packaging/build-deb.sh).
NEEDED = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxkbcommon-x11-0",
    "libxcb-shape0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
    # the paper forms' font: Helvetica cannot draw Welsh ŵ and ŷ
    "fonts-dejavu-core",
]
PATIENCE_S = 300


def run(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=PATIENCE_S, check=False, **kwargs
    )  # type: ignore[call-overload, no-any-return]


def debian_version() -> str:
    return re.sub(r"(\d)(a|b|rc|\.dev)", r"\1~\2", __version__)


@pytest.fixture(scope="module")
def deb() -> Path:
    path = Path(
        os.environ.get("ALONGSIDE_DEB") or ROOT / "dist" / f"alongside_{debian_version()}_amd64.deb"
    ).resolve()
    if not path.is_file():
        pytest.fail(f"no package at {path}: build it with `make package` (or set ALONGSIDE_DEB)")
    return path


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's /usr/share, unpacked (the bundle under /opt is left out)."""
    target = tmp_path_factory.mktemp("deb")
    with subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE) as tar:
        done = run("tar", "-x", "-C", str(target), "./usr/share", stdin=tar.stdout)
    assert tar.returncode == 0 and done.returncode == 0, done.stderr
    return target


def validate_desktop(path: Path) -> None:
    done = run("desktop-file-validate", str(path))
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def validate_metainfo(path: Path) -> None:
    done = run("appstreamcli", "validate", "--no-net", "--no-color", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    # Nothing but the pedantic note that the reverse-DNS id has capitals.
    assert not re.search(r"^[EWI]: ", done.stdout, re.MULTILINE), done.stdout


# --- the files in the repository ---------------------------------------------


def test_the_desktop_entry_validates() -> None:
    validate_desktop(ROOT / "packaging" / "linux" / f"{APP_ID}.desktop")


def test_the_metainfo_validates_and_names_this_release() -> None:
    path = ROOT / "packaging" / "linux" / f"{APP_ID}.metainfo.xml"
    validate_metainfo(path)
    releases = ET.parse(path).getroot().findall("./releases/release")
    assert releases and releases[0].get("version") == __version__, (
        f'add <release version="{__version__}"> first in {path.name}'
    )


# --- the package, read without installing ------------------------------------


def test_control_fields(deb: Path) -> None:
    fields = run("dpkg-deb", "--field", str(deb)).stdout
    control = dict(re.findall(r"^([\w-]+): (.*)$", fields, re.MULTILINE))
    assert control["Package"] == "alongside"
    assert control["Version"] == debian_version()
    assert control["Architecture"] == "amd64"
    assert control["Priority"] == "optional"
    assert int(control["Installed-Size"]) > 10_000
    depends = {d.split()[0] for d in control["Depends"].split(",")}
    assert set(NEEDED) <= depends, set(NEEDED) - depends
    for field in ("Maintainer", "Section", "Description"):
        assert control[field].strip()


def test_contents_are_roots_and_in_place(deb: Path) -> None:
    listing = run("dpkg-deb", "--contents", str(deb)).stdout.splitlines()
    entries = {}
    for line in listing:
        mode, owner, _size, _date, _time, rest = line.split(None, 5)
        name, _arrow, link = rest.partition(" -> ")
        entries[name.removeprefix("./").rstrip("/")] = (mode, owner, link)
    assert {owner for _mode, owner, _link in entries.values()} == {"root/root"}
    modes = {mode for mode, _owner, _link in entries.values()}
    assert modes <= {"drwxr-xr-x", "-rwxr-xr-x", "-rw-r--r--", "lrwxrwxrwx"}, modes
    assert entries["usr/bin/alongside"] == (
        "lrwxrwxrwx",
        "root/root",
        "/opt/alongside/alongside",
    )
    assert entries["opt/alongside/alongside"][0] == "-rwxr-xr-x"
    assert any(name.startswith("opt/alongside/_internal/") for name in entries)
    for name in (DESKTOP, METAINFO, *ICONS, "usr/share/doc/alongside/copyright"):
        assert entries[name][0] == "-rw-r--r--", name


def test_the_packaged_desktop_files_validate(unpacked: Path) -> None:
    validate_desktop(unpacked / DESKTOP)
    validate_metainfo(unpacked / METAINFO)
    assert (unpacked / DESKTOP).read_bytes() == (
        ROOT / "packaging" / "linux" / f"{APP_ID}.desktop"
    ).read_bytes()
    for icon in ICONS:
        assert (unpacked / icon).stat().st_size > 0, icon


# --- installed (root only) ---------------------------------------------------


def clean_run(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """A command as a user's shell would run it: no virtual environment, no PYTHONPATH."""
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    done = run(*argv, cwd=home, env=env, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def installed_files() -> list[Path]:
    return [
        Path("/", name)
        for name in ("opt/alongside", "usr/bin/alongside", DESKTOP, METAINFO, *ICONS)
    ]


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """The package installed with ``dpkg -i``; purged again after the module."""
    if os.geteuid() != 0:
        pytest.fail(
            "installing the package needs root: run `sudo make smoke-deb` (CI runs as root)"
        )
    depends = run("dpkg-deb", "--field", str(deb), "Depends").stdout
    missing = [
        name
        for name in (d.split()[0] for d in depends.split(","))
        if "ok installed" not in run("dpkg-query", "-W", "-f=${Status}", name).stdout
    ]
    if missing:
        pytest.fail(
            "the package depends on what this machine lacks: "
            f"{' '.join(missing)} (run `sh scripts/ensure-package-tools.sh {deb}`)"
        )
    done = run("dpkg", "-i", str(deb))
    assert done.returncode == 0, done.stdout + done.stderr
    yield Path("/usr/bin/alongside")
    if run("dpkg-query", "-W", "-f=${Status}", "alongside").stdout.endswith("installed"):
        run("dpkg", "--purge", "alongside")


def test_installed_files_are_in_place(installed: Path) -> None:
    assert installed.resolve() == Path("/opt/alongside/alongside")
    assert [path for path in installed_files() if not path.exists()] == []


def test_installed_prints_its_version(installed: Path, tmp_path: Path) -> None:
    done = clean_run(tmp_path / "home", str(installed), "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Alongside {__version__}"


def test_installed_exports_a_welsh_large_print_form(installed: Path, tmp_path: Path) -> None:
    service = load_catalogue().services[0]
    pages = {}
    for size, extra in (("large", ["--large-print"]), ("normal", [])):
        target = tmp_path / f"ffurflen-{size}.pdf"
        done = clean_run(
            tmp_path / "home",
            str(installed),
            *("export-pdf", "--service", service.id, "--lang", "cy", *extra, "-o", str(target)),
        )
        assert done.returncode == 0, done.stderr
        pages[size] = PdfReader(target).pages
    words = " ".join(" ".join(page.extract_text() for page in pages["large"]).split())
    title = service.text("title", "cy")
    assert title != service.text("title", "en")
    for word in title.split():
        assert word in words, (word, words[:300])
    # Large print is the same form in bigger type, so on more pages.
    assert len(pages["large"]) > len(pages["normal"])
    # The text is set in the DejaVu font the package depends on, not in a
    # standard PDF font that has no ŵ or ŷ.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in pages["large"][0]["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts), fonts


def test_installed_window_libraries_resolve(installed: Path) -> None:
    """What Qt's X11 window loads is in the bundle or in the package's Depends."""
    internal = Path("/opt/alongside/_internal")
    plugins = internal / "PySide6" / "Qt" / "plugins"
    libraries = [
        plugins / "platforms" / "libqxcb.so",
        *(plugins / "xcbglintegrations").glob("*.so"),
    ]
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(internal)}  # as the bootloader sets it
    for library in libraries:
        done = run("ldd", str(library), env=env)
        assert done.returncode == 0 and "not found" not in done.stdout, (library, done.stdout)


def test_installed_opens_the_demo_window(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "ALONGSIDE_EXIT_AFTER_FIRST_PAINT": "1",
    }
    done = run("alongside", "--demo", cwd=home, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


@pytest.fixture
def x_display() -> Iterator[str]:
    """A real X server (Xvfb) for this test; its display once it is ready."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as ready:
        number = ready.readline().strip()  # Xvfb writes it once it accepts clients
    try:
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(PATIENCE_S)


def test_installed_opens_its_window_on_a_real_x_server(
    installed: Path, x_display: str, tmp_path: Path
) -> None:
    """The xcb plugin loads from /opt/alongside with only the package's Depends."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DISPLAY": x_display,
        "ALONGSIDE_EXIT_AFTER_FIRST_PAINT": "1",
    }
    done = run("alongside", "--demo", cwd=home, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr, done.stderr


def test_purge_leaves_nothing(installed: Path) -> None:
    done = run("dpkg", "--purge", "alongside")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [path for path in installed_files() if path.exists() or path.is_symlink()] == []
    assert "ok installed" not in run("dpkg-query", "-W", "-f=${Status}", "alongside").stdout
