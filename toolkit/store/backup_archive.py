"""The backup archive: one gzipped tar holding a manifest, the database copy and the evidence files.

    manifest.json                 what is inside (below), always the first member
    database/ddmt.sqlite3         SQLite: the checked copy    (or database/ddmt.pgdump: pg_dump's custom format)
    files/<sha[:2]>/<sha256>      every evidence file the database lists, named by its content hash

The manifest records `format`, `format_version`, `created_at` (UTC), `toolkit_version`, `database`
(`kind`, `schema_version`, `member`), `counts` (ministries, assessments, answers, audit rows, files),
`members` (each member's sha256 and size) and `missing_files` (files the database lists that were
not in the folder). Reading never trusts the archive: members are streamed one by one to paths made
here from names checked against the manifest (never `extractall`), every byte is hashed, and a
member that is missing, extra, repeated, not a plain file, or not what the manifest says refuses
the whole archive. An archive is written to a private temporary file and renamed into place.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.store.records import StorageError

FORMAT = "ddmt-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/ddmt.sqlite3", "postgresql": "database/ddmt.pgdump"}
MAX_MANIFEST = 64 * 1024 * 1024  # bytes: a manifest lists hashes, so even a million files fit
CHUNK = 1024 * 1024

_FILE_MEMBER = re.compile(r"^files/([0-9a-f]{2})/(\1[0-9a-f]{62})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def file_member(sha256: str) -> str:
    """The archive name of an evidence file."""
    return f"files/{sha256[:2]}/{sha256}"


def sha256_of(path: Path) -> tuple[str, int]:
    """A file's sha256 and size, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_archive(out: Path, manifest: Mapping[str, Any], members: Iterable[tuple[str, Path]]) -> Path:
    """Write the archive to a private temporary file beside `out` (synced); returns that file's path."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {out}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
                tar.addfile(_info(MANIFEST, len(data), manifest["created_at"]), io.BytesIO(data))
                for name, path in members:
                    with open(path, "rb") as stream:
                        tar.addfile(_info(name, os.fstat(stream.fileno()).st_size, manifest["created_at"]), stream)
            raw.flush()
            os.fsync(raw.fileno())
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"cannot write {out}: {_reason(error)}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _info(name: str, size: int, created_at: str) -> tarfile.TarInfo:
    """A plain, private member with no owner names: the archive says nothing of the machine it came from."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.type = size, 0o600, tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    try:
        info.mtime = int(datetime.fromisoformat(created_at).timestamp())
    except ValueError:
        info.mtime = 0
    return info


def read_archive(archive: Path, into: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Check every member of `archive` against its manifest while extracting it into the folder `into`.

    Returns the manifest and where each member was put; StorageError, naming the archive, if the
    archive is truncated, corrupt, not a ddmt backup, from a newer toolkit, or not what its manifest says.
    """
    where = str(archive)
    if not archive.is_file():
        raise StorageError(f"{where}: no such backup archive")
    if archive.stat().st_size == 0:
        raise StorageError(f"{where}: the backup archive is empty")
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isreg() or first.size > MAX_MANIFEST:
                raise StorageError(f"{where}: not a ddmt backup archive (it does not start with {MANIFEST})")
            stream = tar.extractfile(first)
            assert stream is not None
            manifest = _manifest(where, stream.read())
            expected: dict[str, dict[str, Any]] = manifest["members"]
            placed: dict[str, Path] = {}
            while (member := tar.next()) is not None:  # on from the manifest (iterating restarts)
                name = member.name
                if name not in expected:
                    raise StorageError(f"{where}: the archive holds {name!r}, which its manifest does not list")
                if name in placed:
                    raise StorageError(f"{where}: the archive holds {name!r} twice")
                if not member.isreg():
                    raise StorageError(f"{where}: {name!r} is not a plain file")
                placed[name] = _extract(where, tar, member, expected[name], into)
    except EOFError as error:
        raise StorageError(f"{where}: the backup archive is incomplete: it ends too early (was it cut short "
                           "while being copied?)") from error
    except tarfile.ReadError as error:
        if "not a gzip file" in str(error):
            raise StorageError(f"{where}: not a ddmt backup archive (it is not a gzipped tar file)") from error
        raise StorageError(f"{where}: the backup archive is damaged ({_first_line(error)})") from error
    except (tarfile.TarError, zlib.error) as error:
        raise StorageError(f"{where}: the backup archive is damaged ({_first_line(error)})") from error
    except OSError as error:  # gzip's CRC and length checks fail as OSError (BadGzipFile)
        raise StorageError(f"{where}: the backup archive is damaged or cannot be read ({_reason(error)})") from error
    missing = sorted(set(expected) - set(placed))
    if missing:
        raise StorageError(f"{where}: the backup archive is incomplete: {len(missing)} member(s) its manifest "
                           f"lists are not in it, e.g. {missing[0]}")
    return manifest, placed


def _extract(where: str, tar: tarfile.TarFile, member: tarfile.TarInfo, expected: Mapping[str, Any],
             into: Path) -> Path:
    """Stream one member to a path made from its (checked) name, hashing it; StorageError if it differs."""
    if member.size != expected["size"]:
        raise StorageError(f"{where}: {member.name} has {member.size} bytes; the manifest says {expected['size']}")
    target = into.joinpath(*member.name.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    assert source is not None
    digest = hashlib.sha256()
    try:
        stream = open(target, "xb")  # noqa: SIM115  (closed below; only its own errors are "cannot unpack")
    except OSError as error:
        raise StorageError(f"cannot unpack {where} into {into}: {_reason(error)}") from error
    with stream:
        while chunk := source.read(CHUNK):  # a damaged archive fails here, for read_archive to report
            digest.update(chunk)
            try:
                stream.write(chunk)
            except OSError as error:
                raise StorageError(f"cannot unpack {where} into {into}: {_reason(error)}") from error
    if digest.hexdigest() != expected["sha256"]:
        raise StorageError(f"{where}: the backup archive is damaged: {member.name} is not what its manifest says "
                           "(another sha256)")
    return target


def _manifest(where: str, data: bytes) -> dict[str, Any]:
    """The parsed manifest; StorageError unless it is one this toolkit can read and every name is safe."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise StorageError(f"{where}: the backup manifest is not valid JSON ({_first_line(error)})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StorageError(f"{where}: not a ddmt backup archive (its manifest is not a {FORMAT} manifest)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise StorageError(f"{where}: the backup manifest has no valid format_version")
    if version > FORMAT_VERSION:
        raise StorageError(f"{where}: the backup was made by a newer version of the toolkit (archive format "
                           f"{version}, this one reads {FORMAT_VERSION}); upgrade the toolkit")
    database = manifest.get("database")
    members = manifest.get("members")
    if not (isinstance(database, dict) and database.get("kind") in DATABASE_MEMBERS
            and database.get("member") == DATABASE_MEMBERS[database["kind"]]
            and isinstance(database.get("schema_version"), int) and isinstance(members, dict)
            and database["member"] in members and isinstance(manifest.get("counts"), dict)):
        raise StorageError(f"{where}: the backup manifest is incomplete (database, counts or members)")
    for name, entry in members.items():
        if name != database["member"] and not _FILE_MEMBER.match(name):
            raise StorageError(f"{where}: the backup manifest lists {name!r}, which is not a name a backup uses")
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and _SHA256.match(entry["sha256"])
                and isinstance(entry.get("size"), int) and entry["size"] >= 0):
            raise StorageError(f"{where}: the backup manifest entry of {name} has no valid sha256 and size")
        if name != database["member"] and entry["sha256"] != name.rsplit("/", 1)[1]:
            raise StorageError(f"{where}: {name} is stored by content hash, but the manifest gives another hash")
    return manifest


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    return (error.strerror or _first_line(error)).lower()


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200] or type(error).__name__
