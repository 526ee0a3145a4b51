"""A throwaway PostgreSQL server for the tests, from Debian's packages, and the two store backends.

`postgres` (session scope) finds the server programs (`/usr/lib/postgresql/<version>/bin`, newest
first), runs `initdb` into a fresh temporary folder as the `postgres` user (the server refuses to
run as root), starts it on a free loopback port with its socket in that folder, and at the end stops
it and deletes the folder (a watchdog process does the same if the test run is killed). Without
PostgreSQL (or the psycopg driver) a test that needs it is skipped with the reason; in CI (`CI` set)
that is a failure, because CI installs both.

`backend` runs a test once on SQLite and once on PostgreSQL. `backend.open(folder)` opens a store
whose database belongs to that folder: SQLite in the folder, or a new PostgreSQL database made for
the folder the first time it is named and dropped after the test. Evidence files are in the folder
either way. `@only("sqlite")` keeps a test to one backend.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from toolkit.store.backup_databases import postgres_program
from toolkit.store.store import Store

ALL_BACKENDS = ("sqlite", "postgresql")


def chosen_backends() -> tuple[str, ...]:
    """Both backends, unless `DDMT_TEST_BACKENDS` names fewer (mutation runs use SQLite alone: speed).

    CI always runs both: the variable set there is an error, not a quiet way to test less.
    """
    wanted = os.environ.get("DDMT_TEST_BACKENDS", "").strip()
    if not wanted:
        return ALL_BACKENDS
    names = tuple(name.strip() for name in wanted.split(",") if name.strip())
    unknown = [name for name in names if name not in ALL_BACKENDS]
    if unknown or not names:
        raise pytest.UsageError(f"DDMT_TEST_BACKENDS={wanted!r}: name one or both of {', '.join(ALL_BACKENDS)}")
    if in_ci() and names != ALL_BACKENDS:
        raise pytest.UsageError(f"DDMT_TEST_BACKENDS={wanted!r} in CI: CI tests every backend")
    return names


START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
_numbers = itertools.count(1)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def only(*names: str) -> pytest.MarkDecorator:
    """Run a test that uses `backend` (or `store`) on these backends only."""
    return pytest.mark.parametrize("backend", names, indirect=True)


@dataclass
class Cluster:
    """A running throwaway PostgreSQL server on 127.0.0.1, reached as the `postgres` superuser."""

    root: Path
    port: int
    bindir: Path
    owner: str | None  # the account the server runs as (None: the current one)
    watchdog: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        """Run one statement outside a transaction (CREATE DATABASE needs that); its rows, if any."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database,
                             autocommit=True) as connection:
            cursor = connection.execute(sql)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def create_database(self) -> str:
        name = f"ddmt_test_{os.getpid()}_{next(_numbers)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        _run(self, [self.bindir / "pg_ctl", "-D", self.root / "data", "-m", "fast", "-w", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        if self.watchdog is not None:
            self.watchdog.kill()
            self.watchdog.wait()


def why_no_postgres() -> str | None:
    """Why a throwaway server cannot be started here, or None if it can."""
    for program in ("initdb", "pg_ctl", "postgres"):
        if postgres_program(program) is None:
            return (f"PostgreSQL's {program} was not found in /usr/lib/postgresql/*/bin "
                    "(apt-get install -y postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install 'psycopg[binary]')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres account to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser (util-linux) is not there to drop to the postgres account"
    return None


def start_cluster() -> Cluster:
    """initdb into a new temporary folder and start the server on a free loopback port."""
    initdb = postgres_program("initdb")
    assert initdb is not None
    bindir = initdb.parent
    owner = "postgres" if os.geteuid() == 0 else None
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="ddmt-pg-"))
    if owner:
        account = pwd.getpwnam(owner)
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = Cluster(root, 0, bindir, owner)
    cluster.watchdog = _watch(cluster)
    try:
        _run(cluster, [initdb, "-D", root / "data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
                       "--no-sync"])
        for attempt in range(3):  # the free port may be taken between asking and binding
            cluster.port = _free_port()
            # fsync off: a throwaway server need not survive a power cut, and tests drop many databases.
            options = f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            started = _run(cluster, [bindir / "pg_ctl", "-D", root / "data", "-l", root / "server.log", "-w",
                                     "-t", str(START_TIMEOUT), "-o", options, "start"], check=False)
            if started.returncode == 0:
                _wait_for(cluster)
                return cluster
            time.sleep(0.2 * (attempt + 1))
        log = (root / "server.log").read_text(errors="replace")[-2000:] if (root / "server.log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()} {log}")
    except BaseException:
        cluster.stop()
        raise


def _wait_for(cluster: Cluster) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            cluster.execute("SELECT 1")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _watch(cluster: Cluster) -> subprocess.Popen[bytes]:
    """A watchdog in its own session: once this test process is gone (killed too), it stops the server
    and deletes its folder, so an interrupted run leaves no server behind."""
    stop = shlex.join(_words(cluster, [cluster.bindir / "pg_ctl", "-D", cluster.root / "data", "-m", "immediate",
                                       "-w", "stop"]))
    script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; cd /; {stop} >/dev/null 2>&1; "
              f"rm -rf {shlex.quote(str(cluster.root))}")
    return subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _words(cluster: Cluster, command: list[Any]) -> list[str]:
    words = [str(word) for word in command]
    return ["runuser", "-u", cluster.owner, "--", *words] if cluster.owner else words


def _run(cluster: Cluster, command: list[Any], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    words = _words(cluster, command)
    # The server's own folder as the working directory: the postgres account cannot enter root's.
    done = subprocess.run(words, cwd=cluster.root, capture_output=True, text=True, timeout=120, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(words)} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Backend:
    """Where a test's stores live: `sqlite` (a file in the data folder) or `postgresql` (a database per folder)."""

    name: str
    cluster: Cluster | None = None
    databases: dict[Path, str] = field(default_factory=dict)

    def url(self, folder: Path | str) -> str | None:
        """The database URL of the store for `folder` (None for SQLite: the folder's own file)."""
        if self.cluster is None:
            return None
        key = Path(folder).resolve()
        if key not in self.databases:
            self.databases[key] = self.cluster.create_database()
        return self.cluster.url(self.databases[key])

    def open(self, folder: Path | str, **options: Any) -> Store:
        """Open (creating as needed) the store of `folder` on this backend."""
        return Store.open(self.url(folder), data_dir=folder, **options)

    @contextmanager
    def write_lock(self, folder: Path | str) -> Iterator[None]:
        """Another connection holding the write lock of the folder's database until the block ends.

        SQLite: `BEGIN IMMEDIATE`. PostgreSQL: `LOCK TABLE answers IN EXCLUSIVE MODE`, which every
        save (an INSERT or UPDATE of answers) waits for, while reads go on.
        """
        if self.cluster is None:
            import sqlite3

            raw = sqlite3.connect(Path(folder) / "ddmt.sqlite3", isolation_level=None)
            try:
                raw.execute("BEGIN IMMEDIATE")
                yield
                raw.execute("ROLLBACK")
            finally:
                raw.close()
            return
        import psycopg

        url = self.url(folder)
        assert url is not None
        database = url.rsplit("/", 1)[1]
        with psycopg.connect(host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=database) as raw:
            raw.execute("LOCK TABLE answers IN EXCLUSIVE MODE")
            yield
            raw.rollback()

    def close(self) -> None:
        if self.cluster is not None:
            for name in self.databases.values():
                self.cluster.drop_database(name)
        self.databases.clear()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """The throwaway PostgreSQL server of this test session; skipped (failed in CI) without one."""
    problem = why_no_postgres()
    if problem:
        if in_ci():
            pytest.fail(f"CI needs PostgreSQL for the storage tests: {problem}", pytrace=False)
        pytest.skip(problem)
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=chosen_backends())
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each test once on SQLite and once on PostgreSQL."""
    cluster = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    chosen = Backend(request.param, cluster)
    try:
        yield chosen
    finally:
        chosen.close()
