"""Where an evidence file's bytes live: in the database on PostgreSQL, in the data folder on SQLite.

A shared deployment runs several app servers on one PostgreSQL database; a file uploaded through
one server must open on every other, and one backup should hold everything. So on PostgreSQL the
bytes go into the `file_contents` table, one row per ministry that holds the file (the same key as
`file_holders`, which the row needs: a foreign key), inside the transaction that records the
holder. A read names the round, and the bytes are looked up under that round's ministry, so a
content hash alone still opens nothing (SPEC 13); `file_holders.readable` is asked first as well.

On SQLite (one machine, one folder) the bytes stay in `files/<ab>/<sha256>`: the database stays
small and quick to checkpoint, and the backup archive already carries the folder.

Stores made before this table kept PostgreSQL's files in the folder too: `adopt_folder` copies
every held file it finds there into the table when a store opens, and a read falls back to the
folder for a file still missing (another server's folder may hold it; its next start copies it).

Functions take the caller's connection, so the check and the read sit in one transaction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, insert, select

from toolkit.store.tables import assessments, exclusive, file_contents, file_holders


def in_database(engine: Engine | Connection) -> bool:
    """Whether this store keeps file bytes in the database (PostgreSQL) rather than the folder."""
    return engine.dialect.name == "postgresql"


def keep(connection: Connection, ministry_id: str, sha256: str, data: bytes) -> None:
    """Store the bytes for a ministry that holds the file (`file_holders.hold` first); idempotent."""
    present = connection.scalar(select(file_contents.c.sha256).where(
        file_contents.c.ministry_id == ministry_id, file_contents.c.sha256 == sha256))
    if present is None:
        # Two uploads of one file into one ministry at once: the later insert fails on the key and the
        # caller retries its transaction, as for the holder row.
        connection.execute(insert(file_contents).values(ministry_id=ministry_id, sha256=sha256, data=data))


def read(connection: Connection, assessment_id: str, sha256: str) -> bytes | None:
    """The bytes kept under the round's ministry, or None (SQLite, or a file not yet copied in)."""
    data = connection.scalar(
        select(file_contents.c.data)
        .join(assessments, assessments.c.ministry_id == file_contents.c.ministry_id)
        .where(assessments.c.id == assessment_id, file_contents.c.sha256 == sha256))
    return bytes(data) if data is not None else None


def stored_hashes(connection: Connection) -> set[str]:
    """The hashes whose bytes the database holds (for any ministry)."""
    return set(connection.scalars(select(file_contents.c.sha256).distinct()))


def adopt_folder(connection: Connection, files_dir: Path) -> int:
    """Copy into the table every held file whose bytes are only in the folder; how many were copied.

    Run when a PostgreSQL store opens, under the `exclusive` lock, so two servers starting together
    copy each file once. A file whose bytes do not match its name is left alone (a torn write of an
    older version); the read falls back to the folder for it, and its next upload writes it whole.
    """
    exclusive(connection)
    missing = connection.execute(
        select(file_holders.c.ministry_id, file_holders.c.sha256)
        .outerjoin(file_contents, and_(file_contents.c.ministry_id == file_holders.c.ministry_id,
                                       file_contents.c.sha256 == file_holders.c.sha256))
        .where(file_contents.c.sha256.is_(None))).all()
    copied = 0
    for ministry_id, sha256 in missing:
        path = files_dir / sha256[:2] / sha256
        try:
            data = path.read_bytes()
        except OSError:
            continue  # not in this server's folder: another server's start may copy it
        if hashlib.sha256(data).hexdigest() != sha256:
            continue
        connection.execute(insert(file_contents).values(ministry_id=ministry_id, sha256=sha256, data=data))
        copied += 1
    return copied
