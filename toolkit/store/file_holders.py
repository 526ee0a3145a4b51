"""Which ministry holds which evidence file: the rule that a content hash is never a key.

Files are stored once by their SHA-256, whoever uploads them, so two ministries uploading the same
annual report share its bytes. Knowing a hash must not open the file, nor tell whether anyone holds
it: an upload records that the uploading round's ministry holds the file (`hold`), and a read
(`readable`) succeeds only if the file is listed by an answer of the round being read *and* that
round's ministry holds it. Everything that hands out a file's bytes asks `readable` first
(`Store.evidence_file`); an import naming a file its ministry does not hold keeps the item, marked
"file not included" (`held` tells which ones), and never makes the ministry a holder.

Functions take the caller's connection, so the check and the read sit in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from toolkit.store.tables import assessments, evidence, file_holders

#: What a refused read says, the same whether the file exists elsewhere, nowhere, or is not listed.
NOT_READABLE = "that file is not evidence of this assessment, or was not uploaded into its ministry"


def hold(connection: Connection, ministry_id: str, sha256: str, now: str, who: str) -> None:
    """Record that `ministry_id` holds the file (an upload into one of its rounds); idempotent."""
    if not holds(connection, ministry_id, sha256):
        # Two uploads of one file into one ministry at the same moment: the later insert fails on the
        # key, and the caller retries its transaction (it then finds the file held).
        connection.execute(insert(file_holders).values(ministry_id=ministry_id, sha256=sha256, held_since=now,
                                                       held_by=who))


def holds(connection: Connection, ministry_id: str, sha256: str) -> bool:
    """Whether the ministry holds the file."""
    return connection.scalar(select(file_holders.c.sha256).where(
        file_holders.c.ministry_id == ministry_id, file_holders.c.sha256 == sha256)) is not None


def held(connection: Connection, ministry_id: str, hashes: Iterable[str]) -> set[str]:
    """Those of `hashes` the ministry holds."""
    wanted = {digest for digest in hashes if digest}
    if not wanted:
        return set()
    return set(connection.scalars(select(file_holders.c.sha256).where(
        file_holders.c.ministry_id == ministry_id, file_holders.c.sha256.in_(sorted(wanted)))))


def readable(connection: Connection, assessment_id: str, sha256: str) -> bool:
    """Whether a file may be read through this round: listed by one of its answers and held by its ministry."""
    ministry_id = connection.scalar(select(assessments.c.ministry_id).where(assessments.c.id == assessment_id))
    if ministry_id is None:
        return False
    listed = connection.scalar(select(evidence.c.id).where(
        evidence.c.assessment_id == assessment_id, evidence.c.sha256 == sha256).limit(1)) is not None
    return listed and holds(connection, ministry_id, sha256)
