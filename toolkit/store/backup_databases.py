"""The database half of a backup: a consistent copy out, a check of a copy, a copy put back in place.

SQLite: SQLite's online backup API copies the whole database in one step, inside one read
transaction, so the copy is one committed state even while the app saves (in WAL mode a reader
neither waits for a writer nor sees its uncommitted changes). The copy is switched to a rollback
journal, so it is one self-contained file, and passes `PRAGMA integrity_check`. A restored copy
replaces the target file with one rename, after the target's WAL has been checkpointed away (a
stale WAL beside a new file would corrupt it); a target in use by a running app is refused.

PostgreSQL: `pg_dump --format=custom` of an exported snapshot, so the row counts of the manifest
and the dump describe the same moment; `pg_restore --list`, then a full read of every data block
into nothing, checks a dump; a restore runs in one
transaction (`--single-transaction --clean --if-exists`), so the target has either the whole backup
or what it had before. The programs come from Debian's packages (`/usr/lib/postgresql/<v>/bin`,
newest first, as pg_dump must not be older than the server), `DDMT_PG_BINDIR`, or the PATH.
A password in the database URL reaches them through `PGPASSWORD`, never on a command line.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import URL

from toolkit.store.records import StorageError

#: The tables whose row counts a manifest records.
COUNTED = ("ministries", "assessments", "answers", "audit", "files")
#: Bookkeeping that does not make a database "hold data" (a freshly opened store has a row here).
BOOKKEEPING = frozenset({"schema_version"})
PROGRAM_TIMEOUT = 3600  # seconds: a dump or restore of a large database, not a hung server
BACKUP_STEP_WAIT = 0.1  # seconds one SQLite backup step waits for a lock before the next try

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # SQLite's result codes, as the backup progress callback gets them

_VERSION = re.compile(r"^\d+(\.\d+)?$")

Query = Callable[[str], Sequence[Sequence[Any]]]


# ------------------------------------------------------------------------------------- facts

def facts(query: Query) -> tuple[dict[str, int], list[str]]:
    """The row counts of COUNTED and the hashes of the stored files, read through `query`."""
    try:
        counts = {table: int(query(f'SELECT count(*) FROM "{table}"')[0][0]) for table in COUNTED}
        hashes = sorted(str(row[0]) for row in query("SELECT sha256 FROM files"))
    except Exception as error:  # sqlite3's and SQLAlchemy's errors share no base class
        raise StorageError(f"the database is not a ddmt database ({_first_line(error)})") from error
    return counts, hashes


def schema_version(query: Query) -> int:
    """The schema version recorded in the database (0 if none)."""
    rows = query("SELECT max(version) FROM schema_version")
    return int(rows[0][0] or 0) if rows else 0


# ---------------------------------------------------------------------------------------- SQLite

def sqlite_copy(database: Path, copy: Path, *, busy_timeout: float) -> tuple[dict[str, int], list[str], int]:
    """Copy a live SQLite database with the online backup API; its counts, file hashes and schema version."""
    if not database.is_file():
        raise StorageError(f"there is no database at {database}")
    deadline = time.monotonic() + busy_timeout

    def give_up_when_busy_too_long(status: int, _remaining: int, _total: int) -> None:
        # Python's backup() retries a busy step for ever; the busy timeout bounds it, as it does a save.
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    try:
        with closing(sqlite3.connect(database, timeout=BACKUP_STEP_WAIT)) as source, \
                closing(sqlite3.connect(copy, isolation_level=None)) as target:
            # Every page in one step: one read transaction, so one committed state.
            source.backup(target, progress=give_up_when_busy_too_long, sleep=BACKUP_STEP_WAIT)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as error:
        raise StorageError(f"the database {database} could not be copied: {_sqlite_reason(error)}; "
                           "no backup was written") from error
    return sqlite_check(copy)


def sqlite_check(copy: Path) -> tuple[dict[str, int], list[str], int]:
    """StorageError unless the copy passes `PRAGMA integrity_check`; its counts, file hashes and schema version."""
    try:
        with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as connection:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise StorageError(f"the database copy is damaged ({'; '.join(map(str, result[:3]))})")

            def query(sql: str) -> list[Any]:
                return connection.execute(sql).fetchall()

            counts, hashes = facts(query)
            return counts, hashes, schema_version(query)
    except sqlite3.Error as error:
        raise StorageError(f"the database copy is damaged ({_sqlite_reason(error)})") from error


def sqlite_holds_data(database: Path) -> bool:
    """Whether a SQLite file holds any row beyond bookkeeping; a file that is no database counts as data."""
    if not database.exists() or database.stat().st_size == 0:
        return False
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            return any(connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
                       for table in tables if table not in BOOKKEEPING)
    except sqlite3.Error:
        return True


def sqlite_install(copy: Path, target: Path, *, busy_timeout: float) -> None:
    """Put a checked copy in place of `target` with one rename; StorageError if the target is in use."""
    if copy.parent.stat().st_dev != target.parent.stat().st_dev:
        # A rename cannot cross file systems: stage the copy beside the target first.
        handle, staged = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restore", dir=target.parent)
        os.close(handle)
        shutil.copyfile(copy, staged)
        copy = Path(staged)
    try:
        if target.exists():
            _retire_wal(target, busy_timeout)
        fsync_path(copy)
        os.replace(copy, target)
    except BaseException:
        if copy.parent == target.parent:
            copy.unlink(missing_ok=True)
        raise
    fsync_path(target.parent)


def _retire_wal(target: Path, busy_timeout: float) -> None:
    """Checkpoint the target's WAL into it and leave WAL mode, so no old WAL outlives the rename."""
    try:
        with closing(sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.DatabaseError as error:
        reason = str(error).lower()
        if "locked" in reason or "busy" in reason:
            raise StorageError(f"the database {target} is in use (is the app running?); stop it, then restore; "
                               "nothing was restored") from error
        mode = "delete"  # not a database at all (only reachable with force): the rename replaces it
    if str(mode).lower() != "delete":
        raise StorageError(f"the database {target} is in use (is the app running?); stop it, then restore; "
                           "nothing was restored")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def _sqlite_reason(error: sqlite3.Error) -> str:
    text_ = str(error).lower()
    if "locked" in text_ or "busy" in text_:
        return "the database stayed busy longer than the busy timeout"
    if "not a database" in text_ or "malformed" in text_:
        return "it is not a valid SQLite database"
    return _first_line(error)


# ------------------------------------------------------------------------------------ PostgreSQL

def postgres_program(name: str) -> Path | None:
    """A PostgreSQL program: `DDMT_PG_BINDIR`, Debian's newest `/usr/lib/postgresql/<v>/bin`, or the PATH."""
    chosen = os.environ.get("DDMT_PG_BINDIR")
    if chosen:
        candidate = Path(chosen) / name
        return candidate if os.access(candidate, os.X_OK) else None
    root = Path("/usr/lib/postgresql")
    versions = [entry for entry in root.iterdir() if _VERSION.match(entry.name)] if root.is_dir() else []
    for version in sorted(versions, key=lambda entry: [int(part) for part in entry.name.split(".")], reverse=True):
        candidate = version / "bin" / name
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def pg_dump(engine: Engine, dump: Path, *, busy_timeout: float) -> tuple[dict[str, int], list[str], int]:
    """Dump the database in custom format at one snapshot; that snapshot's counts, file hashes, schema version."""
    program = _program("pg_dump")
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))

            def query(sql: str) -> list[Any]:
                return list(connection.execute(text(sql)).tuples())

            counts, hashes = facts(query)
            # Bytes kept in the database travel in the dump; the archive's files/ holds only those an
            # older version left in the folder (toolkit/store/file_contents.py). A file no ministry holds
            # has no bytes on PostgreSQL (nobody could read them): nothing of it is missing.
            if query("SELECT to_regclass('file_contents')")[0][0] is not None:
                in_dump = {str(row[0]) for row in query("SELECT DISTINCT sha256 FROM file_contents")}
                held = {str(row[0]) for row in query("SELECT DISTINCT sha256 FROM file_holders")}
                hashes = [sha256 for sha256 in hashes if sha256 in held and sha256 not in in_dump]
            version = schema_version(query)
            # The snapshot lives as long as this transaction: pg_dump must run inside it.
            _call([program, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                   f"--lock-wait-timeout={max(int(busy_timeout * 1000), 1)}", f"--file={dump}",
                   f"--dbname={conninfo(engine.url)}"], engine.url, "pg_dump could not dump the database")
    return counts, hashes, version


def pg_check(dump: Path) -> None:
    """StorageError unless `pg_restore --list` reads the dump's contents and `pg_restore` every data block.

    The list comes from the table of contents at the start; only reading the data too (into a SQL
    script thrown away) notices a dump cut short or damaged further in.
    """
    program = _program("pg_restore")
    failure = "the database dump is damaged (pg_restore cannot read it)"
    _call([program, "--list", f"--file={os.devnull}", str(dump)], None, failure)
    _call([program, f"--file={os.devnull}", str(dump)], None, failure)


def pg_restore(dump: Path, url: URL, *, busy_timeout: float) -> None:
    """Restore a checked dump into the database at `url` in one transaction: all of it or nothing."""
    _call([_program("pg_restore"), "--single-transaction", "--exit-on-error", "--clean", "--if-exists",
           "--no-owner", "--no-acl", f"--dbname={conninfo(url)}", str(dump)], url,
          "pg_restore could not restore the database; the target was left as it was",
          lock_timeout=busy_timeout)


def engine_holds_data(engine: Engine) -> bool:
    """Whether a database (its default schema) holds any row beyond bookkeeping."""
    with engine.connect() as connection:
        tables = [name for name in inspect(connection).get_table_names() if name not in BOOKKEEPING]
        return any(connection.execute(select(text("1")).select_from(text(f'"{name}"')).limit(1)).first()
                   is not None for name in tables)


def conninfo(url: URL) -> str:
    """A libpq connection URI for the programs: the driver name and the password left out."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _program(name: str) -> Path:
    found = postgres_program(name)
    if found is None:
        raise StorageError(f"{name} was not found: install PostgreSQL's client programs "
                           "(apt-get install postgresql-client) or set DDMT_PG_BINDIR")
    return found


def _call(command: list[Any], url: URL | None, failure: str, *, lock_timeout: float | None = None) -> None:
    environment = dict(os.environ)
    if url is not None and url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    if lock_timeout is not None:
        environment["PGOPTIONS"] = f"-c lock_timeout={max(int(lock_timeout * 1000), 1)}"
    try:
        done = subprocess.run([str(word) for word in command], capture_output=True, text=True, env=environment,
                              timeout=PROGRAM_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise StorageError(f"{failure}: {_first_line(error)}") from error
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        detail = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "no reason given")
        raise StorageError(f"{failure}: {detail[:300]}")


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (a rename), to the disk."""
    if os.name != "posix" and path.is_dir():
        return
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
