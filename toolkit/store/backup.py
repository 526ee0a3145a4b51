"""Backups of the store: one checked archive of the database and its evidence files, and the restore.

    backup(store_or_url, out)                  write the archive, then check it as a restore would
    verify(archive)                            the checks, without restoring
    restore(archive, url_or_data_dir, force=)  check the archive, then put it in place of the target

The database is copied at one committed moment (SQLite's online backup, PostgreSQL's `pg_dump` of
an exported snapshot: see `toolkit.store.backup_databases`); the evidence files are those that moment's
`files` table lists, so the archive is self-consistent while the app keeps saving. The archive
format is in `toolkit.store.backup_archive`. A backup is written to a temporary file, checked (every
member's sha256; SQLite's `PRAGMA integrity_check` of the copy and its counts; `pg_restore --list`
of a dump) and only then renamed to `out`, so an earlier backup of the same name is replaced only by
a good one.

A restore makes the same checks before it touches anything, and refuses a target that holds data
(any row beyond the schema version, or any evidence file) unless `force`. Targets are named as
`Store.open` names them: a database URL, else `DDMT_DATABASE_URL`, else SQLite in the data folder
(`DDMT_DATA_DIR`, else `./data`); evidence files go to the folder's `files`. The evidence files
are added first (named by content, so adding one never changes another), then the database is
replaced at once: SQLite by renaming a checked copy over the file, PostgreSQL by `pg_restore` in
one transaction; if that fails the added files are removed again. With `force`, files the backup
does not hold are removed last. Stop the app before restoring: a SQLite database in use is refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.store.backup_archive import (
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    file_member,
    read_archive,
    sha256_of,
    write_archive,
)
from toolkit.store.backup_databases import (
    COUNTED,
    engine_holds_data,
    fsync_path,
    pg_check,
    pg_dump,
    pg_restore,
    sqlite_check,
    sqlite_copy,
    sqlite_holds_data,
    sqlite_install,
)
from toolkit.store.records import now_stamp
from toolkit.store.store import BUSY_TIMEOUT, StorageError, Store, locate, parse_url
from toolkit.store.tables import SCHEMA_VERSION, connect, transaction

__all__ = ["BackupInfo", "backup", "restore", "verify"]

KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class BackupInfo:
    """What a backup archive holds, from its (checked) manifest."""

    path: Path
    kind: str  # "sqlite" or "postgresql"
    created_at: str
    toolkit_version: str
    schema_version: int
    counts: Mapping[str, int]  # ministries, assessments, answers, audit, files
    members: Mapping[str, str]  # archive member -> sha256
    missing_files: tuple[str, ...]  # evidence files the database listed but the folder did not hold

    def summary(self) -> str:
        """One line: what kind of database, how much of everything, when."""
        counts = ", ".join(f"{self.counts.get(key, 0)} {key}" for key in COUNTED)
        return f"{KINDS.get(self.kind, self.kind)} database of {self.created_at}: {counts}"


def backup(store_or_url: Store | str | None, out: str | os.PathLike[str], *,
           data_dir: str | os.PathLike[str] | None = None, busy_timeout: float = BUSY_TIMEOUT) -> BackupInfo:
    """Back up a store (or the store a URL and data folder name, as `Store.open` would) into one checked archive."""
    out = Path(out)
    if isinstance(store_or_url, Store):
        url, files_dir = store_or_url.engine.url.render_as_string(hide_password=False), store_or_url.files_dir
    else:
        url, folder = locate(store_or_url, data_dir)
        files_dir = folder / "files"
    parsed = parse_url(url)
    kind = parsed.get_backend_name()
    if kind not in DATABASE_MEMBERS:
        raise StorageError(f"backups are made of SQLite and PostgreSQL databases, not {parsed.drivername}")
    created_at = now_stamp()
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {out}: the folder {folder} does not exist")
    with tempfile.TemporaryDirectory(prefix=".ddmt-backup-", dir=folder) as scratch:
        copy = Path(scratch) / "database"
        if kind == "sqlite":
            counts, hashes, schema = sqlite_copy(Path(parsed.database or ""), copy, busy_timeout=busy_timeout)
        else:
            engine = connect(url, busy_timeout=busy_timeout)
            try:
                counts, hashes, schema = pg_dump(engine, copy, busy_timeout=busy_timeout)
            finally:
                engine.dispose()
        members = {DATABASE_MEMBERS[kind]: copy}
        missing = []
        for sha256 in hashes:
            path = files_dir / sha256[:2] / sha256
            # Content-addressed files are written by rename and never changed, so one hash now holds.
            if path.is_file() and sha256_of(path)[0] == sha256:
                members[file_member(sha256)] = path
            else:
                missing.append(sha256)
        manifest = _manifest(kind, schema, created_at, counts, members, missing)
        written = write_archive(out, manifest, members.items())
        try:
            verify(written, scratch=Path(scratch))
        except StorageError as error:
            written.unlink(missing_ok=True)
            raise StorageError(f"the backup failed its check after writing, so {out} was not written: {error}") \
                from error
        except BaseException:
            written.unlink(missing_ok=True)
            raise
    os.replace(written, out)
    fsync_path(folder)
    return _info(out, manifest)


def verify(archive: str | os.PathLike[str], *, scratch: Path | None = None) -> BackupInfo:
    """Check an archive as a restore does (manifest, every hash, the database copy); StorageError if it fails."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix=".ddmt-verify-", dir=scratch) as unpacked:
        manifest, _ = _unpack(archive, Path(unpacked))
    return _info(archive, manifest)


def restore(archive: str | os.PathLike[str], url_or_data_dir: str | os.PathLike[str] | None = None, *,
            data_dir: str | os.PathLike[str] | None = None, force: bool = False,
            busy_timeout: float = BUSY_TIMEOUT) -> BackupInfo:
    """Restore a checked archive into the store a URL (or data folder) names; refuses a non-empty one unless force."""
    archive = Path(archive)
    if isinstance(url_or_data_dir, str) and "://" in url_or_data_dir:
        url, folder = locate(url_or_data_dir, data_dir)
    else:
        url, folder = locate(None, url_or_data_dir if url_or_data_dir is not None else data_dir)
    parsed = parse_url(url)
    kind = parsed.get_backend_name()
    files_dir = folder / "files"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"cannot create the data folder {folder}: {error.strerror or error}") from error
    with tempfile.TemporaryDirectory(prefix=".ddmt-restore-", dir=folder) as scratch:
        manifest, placed = _unpack(archive, Path(scratch))
        info = _info(archive, manifest)
        if info.kind != kind:
            raise StorageError(f"{archive}: this is a backup of a {KINDS[info.kind]} database; it can only be "
                               f"restored into a {KINDS[info.kind]} database; nothing was restored")
        if not force:
            _refuse_if_not_empty(kind, url, parsed.database, files_dir, busy_timeout)
        added = _add_files(placed, files_dir)
        try:
            database = placed[DATABASE_MEMBERS[kind]]
            if kind == "sqlite":
                target = Path(parsed.database or "")
                target.parent.mkdir(parents=True, exist_ok=True)
                sqlite_install(database, target, busy_timeout=busy_timeout)
            else:
                pg_restore(database, parsed, busy_timeout=busy_timeout)
        except BaseException:
            for path in added:
                path.unlink(missing_ok=True)
            raise
    if force:
        _remove_other_files(files_dir, {name.rsplit("/", 1)[1] for name in info.members if name.startswith("files/")})
    return info


# ------------------------------------------------------------------------------------- helpers

def _unpack(archive: Path, into: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Extract and check an archive: member hashes, then the database copy itself."""
    manifest, placed = read_archive(archive, into)
    database = placed[manifest["database"]["member"]]
    try:
        if manifest["database"]["kind"] == "sqlite":
            counts, _, schema = sqlite_check(database)
            expected = {key: manifest["counts"].get(key) for key in COUNTED}
            if counts != expected or schema != manifest["database"]["schema_version"]:
                raise StorageError("the database copy does not match the counts in the manifest")
        else:
            pg_check(database)
    except StorageError as error:
        raise StorageError(f"{archive}: {error}") from error
    if manifest["database"]["schema_version"] > SCHEMA_VERSION:
        raise StorageError(f"{archive}: the backup was made by a newer version of the toolkit (schema "
                           f"{manifest['database']['schema_version']}, this one knows {SCHEMA_VERSION}); "
                           "upgrade the toolkit")
    return manifest, placed


def _refuse_if_not_empty(kind: str, url: str, database: str | None, files_dir: Path, busy_timeout: float) -> None:
    if kind == "sqlite":
        where = str(database)
        holds = sqlite_holds_data(Path(database or ""))
    else:
        where = "the database"
        engine = connect(url, busy_timeout=busy_timeout)
        try:
            with transaction(engine, write=False):
                pass  # reaching the server at all, with a plain message if it cannot be reached
            holds = engine_holds_data(engine)
        finally:
            engine.dispose()
    if holds:
        raise StorageError(f"{where} already holds data; restoring would replace it: use --force (force=True) "
                           "if that is what you want; nothing was restored")
    if any(_evidence_files(files_dir)):
        raise StorageError(f"{files_dir} already holds evidence files; restoring would replace them: use --force "
                           "(force=True) if that is what you want; nothing was restored")


def _add_files(placed: Mapping[str, Path], files_dir: Path) -> list[Path]:
    """Move the unpacked evidence files into the folder; returns those that were not there before."""
    added = []
    for name, source in sorted(placed.items()):
        if not name.startswith("files/"):
            continue
        sha256 = name.rsplit("/", 1)[1]
        target = files_dir / sha256[:2] / sha256
        if target.is_file() and sha256_of(target)[0] == sha256:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        fsync_path(source)
        os.replace(source, target)
        fsync_path(target.parent)
        if not existed:
            added.append(target)
    return added


def _evidence_files(files_dir: Path) -> list[Path]:
    if not files_dir.is_dir():
        return []
    return [path for path in files_dir.rglob("*") if path.is_file() and not path.name.startswith(".incoming-")]


def _remove_other_files(files_dir: Path, keep: set[str]) -> None:
    for path in _evidence_files(files_dir):
        if path.name not in keep:
            path.unlink(missing_ok=True)
    for folder in files_dir.iterdir() if files_dir.is_dir() else ():
        if folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)


def _manifest(kind: str, schema: int, created_at: str, counts: Mapping[str, int], members: Mapping[str, Path],
              missing: list[str]) -> dict[str, Any]:
    entries = {}
    for name, path in members.items():
        sha256, size = sha256_of(path)
        entries[name] = {"sha256": sha256, "size": size}
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created_at,
            "toolkit_version": __version__,
            "database": {"kind": kind, "schema_version": schema, "member": DATABASE_MEMBERS[kind]},
            "counts": dict(counts), "members": entries, "missing_files": missing}


def _info(path: Path, manifest: Mapping[str, Any]) -> BackupInfo:
    missing = manifest.get("missing_files")
    return BackupInfo(path=path, kind=manifest["database"]["kind"], created_at=str(manifest.get("created_at", "")),
                      toolkit_version=str(manifest.get("toolkit_version", "")),
                      schema_version=manifest["database"]["schema_version"],
                      counts={key: int(value) for key, value in manifest["counts"].items()
                              if isinstance(value, int)},
                      members={name: entry["sha256"] for name, entry in manifest["members"].items()},
                      missing_files=tuple(str(item) for item in missing) if isinstance(missing, list) else ())


