"""Evidence file bytes in PostgreSQL (toolkit/store/file_contents.py): every server reads them, one backup holds them.

Two `Store` objects on one database with two different data folders stand for two app servers on
two machines. Stores made before the table (bytes in the folder) keep working and are copied in.
Real PostgreSQL from `tests/pg.py`; nothing is mocked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend, only
from sqlalchemy import delete, func, select

from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store.backup import backup, restore
from toolkit.store.file_holders import NOT_READABLE
from toolkit.store.store import FileNotReadable, Store
from toolkit.store.tables import file_contents

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
ORVALE = Ministry(id="orvale-mfa", name="Orvale (fictional)", country="Orvale", fictional=True)
TESSIN = Ministry(id="tessin-mfa", name="Tessin (fictional)", country="Tessin", fictional=True)
REPORT = b"%PDF-1.7\n% Orvale's annual report\n" + bytes(range(256)) * 8


@pytest.fixture
def server_a(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    store = backend.open(tmp_path / "a")
    for ministry in (ORVALE, TESSIN):
        store.create_ministry(ministry, user="admin")
    yield store
    store.close()


def second_server(backend: Backend, tmp_path: Path) -> Store:
    """Another app server: the same database as server A, its own (empty) data folder."""
    return Store.open(backend.url(tmp_path / "a"), data_dir=tmp_path / "b")


def uploaded(store: Store, ministry_id: str = ORVALE.id, data: bytes = REPORT) -> tuple[str, str]:
    """A round of the ministry whose first answer lists an uploaded file: (round id, sha256)."""
    round_id = store.create_assessment(ministry_id, "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                       user="ana")
    sha256, _ = store.put_file(data, "report.pdf", ministry_id=ministry_id, user="ana")
    store.add_evidence(round_id, LEVEL_IDS[0], Evidence(kind="file", sha256=sha256), expected_version=0, user="ana")
    return round_id, sha256


def in_folder(folder: Path) -> list[Path]:
    return [path for path in (folder / "files").rglob("*") if path.is_file()] if folder.is_dir() else []


@only("postgresql")
def test_a_file_uploaded_through_one_server_opens_through_another(backend: Backend, server_a: Store,
                                                                  tmp_path: Path) -> None:
    round_id, sha256 = uploaded(server_a)
    assert in_folder(tmp_path / "a") == []  # nothing on server A's disk: the bytes are in the database
    server_b = second_server(backend, tmp_path)
    try:
        assert server_b.evidence_file(round_id, sha256) == REPORT
        assert in_folder(tmp_path / "b") == []
        # The rule of SPEC 13 holds on every server: Tessin's round naming Orvale's hash opens nothing.
        other, _ = uploaded(server_b, TESSIN.id, b"%PDF-1.7\n% Tessin's own\n")
        with pytest.raises(FileNotReadable, match=NOT_READABLE):
            server_b.evidence_file(other, sha256)
    finally:
        server_b.close()


@only("postgresql")
def test_the_same_file_in_two_ministries_is_kept_once_per_ministry(backend: Backend, server_a: Store) -> None:
    orvale_round, sha256 = uploaded(server_a)
    tessin_round, same = uploaded(server_a, TESSIN.id)
    assert same == sha256
    with server_a.engine.connect() as connection:
        owners = sorted(connection.scalars(select(file_contents.c.ministry_id).where(file_contents.c.sha256 == sha256)))
    assert owners == [ORVALE.id, TESSIN.id]
    assert server_a.evidence_file(orvale_round, sha256) == server_a.evidence_file(tessin_round, sha256) == REPORT


def make_older(store: Store, folder: Path, sha256: str, data: bytes) -> None:
    """Turn the store into one an older version made: the bytes only in the folder, not in the table."""
    with store.engine.begin() as connection:
        connection.execute(delete(file_contents).where(file_contents.c.sha256 == sha256))
    path = folder / "files" / sha256[:2] / sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def rows_in_table(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(file_contents)) or 0)


@only("postgresql")
def test_a_store_with_files_in_the_folder_keeps_working_and_they_move_in_when_it_opens(
        backend: Backend, server_a: Store, tmp_path: Path) -> None:
    round_id, sha256 = uploaded(server_a)
    torn_round, torn = uploaded(server_a, TESSIN.id, b"%PDF-1.7\n% torn on disk\n")
    make_older(server_a, tmp_path / "a", sha256, REPORT)
    make_older(server_a, tmp_path / "a", torn, b"%PDF-1.7\n% to")  # a torn write of the older version
    assert rows_in_table(server_a) == 0
    assert server_a.evidence_file(round_id, sha256) == REPORT  # read from the folder meanwhile

    # A backup of the older store carries the folder's files beside the dump.
    info = backup(server_a, tmp_path / "older.tar.gz")
    assert f"files/{sha256[:2]}/{sha256}" in info.members
    assert info.missing_files == (torn,)  # a torn file is named, as on SQLite

    upgraded = backend.open(tmp_path / "a")  # the new version starts: the whole file is copied in
    try:
        assert rows_in_table(upgraded) == 1
        (tmp_path / "a" / "files" / sha256[:2] / sha256).unlink()
        assert upgraded.evidence_file(round_id, sha256) == REPORT
        server_b = second_server(backend, tmp_path)
        try:
            assert server_b.evidence_file(round_id, sha256) == REPORT
            with pytest.raises(Exception, match="could not be read"):  # the torn file is not taken as whole
                server_b.evidence_file(torn_round, torn)
        finally:
            server_b.close()
    finally:
        upgraded.close()


@only("postgresql")
def test_a_backup_and_restore_round_trip_carries_the_files_in_the_dump(backend: Backend, server_a: Store,
                                                                       tmp_path: Path) -> None:
    round_id, sha256 = uploaded(server_a)
    info = backup(server_a, tmp_path / "backup.tar.gz")
    assert info.counts["files"] == 1 and info.missing_files == ()
    assert [name for name in info.members if name.startswith("files/")] == []  # in the dump, nowhere else

    target = tmp_path / "restored"
    restore(tmp_path / "backup.tar.gz", backend.url(target), data_dir=target)
    restored = backend.open(target)
    try:
        data = restored.evidence_file(round_id, sha256)
        assert data == REPORT and hashlib.sha256(data).hexdigest() == sha256
        assert in_folder(target) == []
    finally:
        restored.close()


@only("sqlite")
def test_sqlite_keeps_the_bytes_in_the_folder(server_a: Store, tmp_path: Path) -> None:
    round_id, sha256 = uploaded(server_a)
    assert in_folder(tmp_path / "a") == [tmp_path / "a" / "files" / sha256[:2] / sha256]
    assert rows_in_table(server_a) == 0
    assert server_a.evidence_file(round_id, sha256) == REPORT
