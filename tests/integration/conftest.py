"""A real PostgreSQL server for the integration tests.

The server is started once per test session with ``initdb`` and ``pg_ctl`` in
a temporary folder, listens only on a unix socket in that folder (no TCP
port), and is stopped and deleted at the end. Each test gets a database of
its own. When running as root the server runs as the ``postgres`` system
user, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PATIENCE_S

PG_SEARCH = "/usr/lib/postgresql"


def _version_key(path: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in path.parent.name.split("."))
    except ValueError:
        return (0,)


def find_pg_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, newest version first."""
    candidates = sorted(Path(PG_SEARCH).glob("*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


@dataclass
class PostgresServer:
    """A running throwaway server; ``new_database`` makes an empty database."""

    bin: Path
    root: Path
    as_user: list[str]
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def socket_dir(self) -> Path:
        return self.root

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"

    def new_database(self) -> str:
        """Create an empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"alongside_test_{next(self._names)}"
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.admin_url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=PATIENCE_S,
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session."""
    pg_bin = find_pg_bin()
    if pg_bin is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed: "
            "apt-get install postgresql (scripts/ensure-test-packages.sh does)"
        )
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="alongside-pg-"))
    if os.geteuid() == 0:
        # initdb and postgres refuse to run as root.
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(pg_bin, root, as_user)
    data = root / "data"
    init = server.run(
        str(pg_bin / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}")
    options = f"-c listen_addresses='' -c unix_socket_directories={root} -c fsync=off"
    # pg_ctl -w polls until the server accepts connections.
    start = server.run(
        str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
        "-o", options, "start",
    )  # fmt: skip
    if start.returncode != 0:
        log = (root / "server.log").read_text(errors="replace")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start:\n{start.stdout}\n{start.stderr}\n{log}")
    try:
        yield server
    finally:
        server.run(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)
