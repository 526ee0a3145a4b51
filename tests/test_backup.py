"""Backups and restores on real SQLite and PostgreSQL: the drill, a locked database, damaged archives.

Each test that takes `backend` runs on both databases (`tests/pg.py`). Nothing is mocked: the
archives are real files, the database copies are made by SQLite's backup API and by pg_dump, and
the writers are other processes holding real transactions.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import multiprocessing
import sqlite3
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pg import Backend, only

from toolkit.cli import backup as commands_backup
from toolkit.cli import commands
from toolkit.cli import main as cli
from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store import rows as store_rows
from toolkit.store.backup import BackupInfo, backup, restore, verify
from toolkit.store.backup_archive import MANIFEST
from toolkit.store.store import BUSY_TIMEOUT, StorageError, Store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_ministries"
RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
MINISTRY = Ministry(id="drill-mfa", name="Ministry of Drills", country="Drillland", iso3="XDR", fictional=True)
PDF = b"%PDF-1.7\n% a fictional evidence file\n" + bytes(range(256)) * 40
CSV = b"country,posts\nXDR,12\nXDS,3\n"
HELD = LEVEL_IDS[:3]  # the answers a writer changes inside the transaction it holds open
HOLD_SECONDS = 4.0


@pytest.fixture
def source(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    """A store with every sample, a new round with edits, evidence links, texts and files."""
    store = backend.open(tmp_path / "source")
    store.seed_samples(SAMPLES)
    edit(store)
    yield store
    store.close()


def edit(store: Store) -> str:
    """Make a round and change it the ways the app does; returns its id."""
    store.create_ministry(MINISTRY, user="ana")
    round_id = store.create_assessment(MINISTRY.id, "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                       user="ana", assessors=["Ana"])
    pdf, _ = store.put_file(PDF, "annual report.pdf", ministry_id=MINISTRY.id, user="ana")
    csv, _ = store.put_file(CSV, "posts.csv", ministry_id=MINISTRY.id, user="ana")
    store.save_answer(round_id, LEVEL_IDS[0], {"level": 2, "confidence": "high", "notes": "ok"},
                      expected_version=0, user="ana")
    store.save_answer(round_id, LEVEL_IDS[0], {"level": 3, "notes": "révisé ✓"}, expected_version=1, user="budi")
    store.add_evidence(round_id, LEVEL_IDS[0], Evidence(kind="file", sha256=pdf), expected_version=2, user="ana")
    store.add_evidence(round_id, LEVEL_IDS[0], Evidence(kind="url", value="https://example.org/x"),
                       expected_version=3, user="ana")
    store.add_evidence(round_id, LEVEL_IDS[1], Evidence(kind="file", sha256=csv, name="posts.csv"),
                       expected_version=0, user="citra")
    store.remove_evidence(round_id, LEVEL_IDS[0], 1, expected_version=4, user="budi")
    store.save_answer(round_id, LEVEL_IDS[2], {"na": True, "na_reason": "no embassy"}, expected_version=0, user="ana")
    return round_id


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a person can see of a store: documents, versions, audit trails, evidence bytes."""
    ids = [summary.id for summary in store.assessments()]
    documents = {assessment_id: store.to_document(assessment_id) for assessment_id in ids}
    # Sample documents cite files that were never uploaded: only uploaded ones have bytes to compare.
    # The bytes are read as the app reads them, through a round that lists the file (folder or database).
    listing = {item["sha256"]: assessment_id for assessment_id, doc in sorted(documents.items())
               for answer in doc["answers"].values() for item in answer.get("evidence", ())
               if item["kind"] == "file" and store.file_info(item["sha256"]) is not None}
    return {"ministries": store.ministries(), "assessments": store.assessments(), "documents": documents,
            "answers": {assessment_id: store.answers(assessment_id) for assessment_id in ids},
            "history": {assessment_id: store.history(assessment_id) for assessment_id in ids},
            "files": {sha256: (store.file_info(sha256), store.evidence_file(round_id, sha256))
                      for sha256, round_id in sorted(listing.items())}}


def restore_into(backend: Backend, archive: Path, folder: Path, **options: Any) -> BackupInfo:
    """Restore into the store `backend.open(folder)` would open."""
    url = backend.url(folder)
    return restore(archive, url if url else folder, data_dir=folder, **options)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(".ddmt-*")) if folder.is_dir() else []


# -------------------------------------------------------------------------------- the drill

def test_restore_drill_brings_back_everything(backend: Backend, source: Store, tmp_path: Path) -> None:
    archive = tmp_path / "drill.tar.gz"
    info = backup(source, archive)
    before = snapshot(source)
    assert info.kind == backend.name and info.missing_files == ()
    assert info.counts == {"ministries": len(before["ministries"]), "assessments": len(before["assessments"]),
                           "answers": sum(len(answers) for answers in before["answers"].values()),
                           "audit": sum(len(entries) for entries in before["history"].values()), "files": 2}
    # SQLite's files travel beside the database; PostgreSQL's are in the dump (toolkit/store/file_contents.py).
    expected = ["database", "files", "files"] if backend.name == "sqlite" else ["database"]
    assert sorted(name.split("/")[0] for name in info.members) == expected
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds every ministry's gaps: private
    assert verify(archive) == info

    target = tmp_path / "restored"
    assert restore_into(backend, archive, target) == info
    restored = backend.open(target)
    try:
        assert snapshot(restored) == before and len(before["files"]) == 2
        for sha256, (_, data) in before["files"].items():
            in_folder = target / "files" / sha256[:2] / sha256
            assert in_folder.read_bytes() == data if backend.name == "sqlite" else not in_folder.exists()
        # The restored store goes on: versions and the audit trail continue where they were.
        round_id = "drill-mfa-2026"
        current = restored.get_answer(round_id, LEVEL_IDS[0])
        saved = restored.save_answer(round_id, LEVEL_IDS[0], {"level": 4}, expected_version=current.version,
                                     user="dewi")
        assert saved.version == current.version + 1
        assert restored.history(round_id)[:-1] == before["history"][round_id]
        assert restored.history(round_id)[-1].user == "dewi"
    finally:
        restored.close()
    assert leftovers(target) == [] and leftovers(tmp_path) == []


def test_a_fresh_empty_store_is_no_obstacle_but_one_holding_data_is(backend: Backend, source: Store,
                                                                    tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    empty = tmp_path / "empty"
    backend.open(empty).close()  # the app started once: tables, no data
    restore_into(backend, archive, empty)

    occupied = tmp_path / "occupied"
    store = backend.open(occupied)
    try:
        store.import_document(json.loads((SAMPLES / "maravu-mfa-2025.json").read_text()), user="eka")
        only_here, _ = store.put_file(b"%PDF-1.4 only in the target", "mine.pdf")
        before = snapshot(store)
        with pytest.raises(StorageError, match="already holds data; restoring would replace it: use --force"):
            restore_into(backend, archive, occupied)
        assert snapshot(store) == before
    finally:
        store.close()
    info = restore_into(backend, archive, occupied, force=True)
    replaced = backend.open(occupied)
    try:
        assert snapshot(replaced) == snapshot(source)
        assert not replaced.file_path(only_here).exists()  # --force replaces the files too
        assert info.counts["files"] == 2
    finally:
        replaced.close()


def test_evidence_files_alone_make_a_target_occupied(backend: Backend, source: Store, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    stray = tmp_path / "target" / "files" / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"someone's file")
    with pytest.raises(StorageError, match="already holds evidence files"):
        restore_into(backend, archive, tmp_path / "target")
    assert stray.read_bytes() == b"someone's file"


@only("postgresql")
def test_a_backup_goes_back_only_into_the_same_kind_of_database(backend: Backend, tmp_path: Path) -> None:
    lite = Store.open(data_dir=tmp_path / "lite")
    lite.seed_samples(SAMPLES)
    backup(lite, tmp_path / "lite.tar.gz")
    lite.close()
    with pytest.raises(StorageError, match="a backup of a SQLite database; it can only be restored into a SQLite"):
        restore_into(backend, tmp_path / "lite.tar.gz", tmp_path / "pg")


@only("postgresql")
def test_a_database_missing_on_the_server_is_named_plainly(backend: Backend, source: Store, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    url = (backend.url(tmp_path / "elsewhere") or "").rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(StorageError, match="^the database named in the database URL does not exist on the server"):
        restore(archive, url, data_dir=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere" / "files").exists()


@only("sqlite")
def test_a_database_in_use_is_not_replaced(backend: Backend, source: Store, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    running = backend.open(tmp_path / "running")  # the app, with its connections open
    try:
        running.create_ministry(MINISTRY, user="ana")
        with pytest.raises(StorageError, match=r"is in use \(is the app running\?\); stop it, then restore"):
            restore_into(backend, archive, tmp_path / "running", force=True, busy_timeout=0.2)
        assert [ministry.id for ministry in running.ministries()] == [MINISTRY.id]
    finally:
        running.close()


@only("sqlite")
def test_evidence_files_missing_from_the_folder_are_reported(backend: Backend, source: Store,
                                                             tmp_path: Path) -> None:
    sha256, _ = source.put_file(b"%PDF-1.5 soon lost", "lost.pdf", ministry_id="drill-mfa", user="ana")
    source.add_evidence("drill-mfa-2026", LEVEL_IDS[3], Evidence(kind="file", sha256=sha256), expected_version=0,
                        user="ana")
    source.file_path(sha256).unlink()
    info = backup(source, tmp_path / "backup.tar.gz")
    assert info.missing_files == (sha256,) and info.counts["files"] == 3
    assert f"files/{sha256[:2]}/{sha256}" not in info.members


def test_a_missing_database_is_not_backed_up_as_an_empty_one(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="there is no database at"):
        backup(None, tmp_path / "backup.tar.gz", data_dir=tmp_path / "nothing-here")
    assert not (tmp_path / "nothing-here").exists() and not (tmp_path / "backup.tar.gz").exists()


# ------------------------------------------------------------------- a locked database, writers

def _hold_write(url: str | None, folder: str, round_id: str, ready: Any, results: Any) -> None:
    """Another process: change HELD answers (and audit them) in one write transaction held open."""
    store = Store.open(url, data_dir=folder)
    try:
        with store._write() as connection:  # BEGIN IMMEDIATE on SQLite; row locks on PostgreSQL
            for indicator in HELD:
                current = store_rows.stored_answer(connection, round_id, indicator)
                store_rows.bump(connection, round_id, indicator, current.version, "2026-01-01T00:00:00.000Z",
                                "holder", {"notes": "held"})
                store_rows.record(connection, "2026-01-01T00:00:00.000Z", "holder", round_id, indicator, "notes",
                                  current.answer.notes, "held")
            ready.set()
            time.sleep(HOLD_SECONDS)
        results.put(None)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the test with it
        results.put(repr(error))
    finally:
        store.close()


def held_changes(backend: Backend, archive: Path, folder: Path) -> tuple[list[str | None], list[str]]:
    """Restore `archive` and read back the HELD answers' notes and the holder's audit rows."""
    restore_into(backend, archive, folder)
    store = backend.open(folder)
    try:
        notes = [store.get_answer("drill-mfa-2026", indicator).answer.notes for indicator in HELD]
        audit = [entry.indicator_id or "" for entry in store.history("drill-mfa-2026") if entry.user == "holder"]
        return notes, audit
    finally:
        store.close()


def test_a_backup_while_another_process_holds_a_write_transaction(backend: Backend, source: Store,
                                                                  tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    ready, results = context.Event(), context.Queue()
    holder = context.Process(target=_hold_write, args=(backend.url(tmp_path / "source"), str(tmp_path / "source"),
                                                       "drill-mfa-2026", ready, results))
    holder.start()
    try:
        assert ready.wait(timeout=30), "the writer never took its lock"
        started = time.monotonic()
        during = backup(source, tmp_path / "during.tar.gz")
        elapsed = time.monotonic() - started
        assert holder.is_alive(), "the backup was not made while the write transaction was open"
    finally:
        holder.join(timeout=HOLD_SECONDS + 30)
    assert results.get(timeout=5) is None  # the writer was not disturbed: its commit went through
    assert elapsed < BUSY_TIMEOUT
    after = backup(source, tmp_path / "after.tar.gz")
    # Never half: the uncommitted transaction is wholly absent, the committed one wholly present.
    notes, audit = held_changes(backend, tmp_path / "during.tar.gz", tmp_path / "during")
    assert "held" not in notes and audit == []
    notes, audit = held_changes(backend, tmp_path / "after.tar.gz", tmp_path / "after")
    assert notes == ["held"] * len(HELD) and audit == HELD
    assert after.counts["audit"] == during.counts["audit"] + len(HELD)


@only("sqlite")
def test_a_backup_waits_for_a_reader_excluding_lock_no_longer_than_the_busy_timeout(
        backend: Backend, source: Store, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    source.engine.dispose()  # exclusive locking mode needs the database to itself
    raw = sqlite3.connect(tmp_path / "source" / "ddmt.sqlite3", isolation_level=None)
    try:
        raw.execute("PRAGMA locking_mode = EXCLUSIVE")  # the one lock WAL readers wait for
        raw.execute("BEGIN EXCLUSIVE")
        raw.execute("UPDATE answers SET notes = 'half' WHERE assessment_id = 'drill-mfa-2026'")
        started = time.monotonic()
        with pytest.raises(StorageError, match="could not be copied: the database stayed busy longer than the "
                                               "busy timeout; no backup was written"):
            backup(source, archive, busy_timeout=1.0)
        assert 1.0 <= time.monotonic() - started < 5
        assert not archive.exists() and leftovers(tmp_path) == []
        raw.execute("ROLLBACK")
    finally:
        raw.close()
    backup(source, archive)
    notes, _ = held_changes(backend, archive, tmp_path / "after")
    assert "half" not in notes


def _save_stream(url: str | None, folder: str, round_id: str, acknowledged: Any, results: Any) -> None:
    """Another process: save answers one after another, counting each save once it has returned."""
    store = Store.open(url, data_dir=folder)
    try:
        for indicator in LEVEL_IDS[4:40]:
            store.save_answer(round_id, indicator, {"level": 1, "notes": "streamed"}, expected_version=0,
                              user="streamer")
            with acknowledged.get_lock():
                acknowledged.value += 1
            time.sleep(0.02)
        results.put(None)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the test with it
        results.put(repr(error))
    finally:
        store.close()


def test_backups_during_a_stream_of_saves_hold_a_prefix_of_them_each_whole(backend: Backend, source: Store,
                                                                           tmp_path: Path) -> None:
    streamed = LEVEL_IDS[4:40]
    context = multiprocessing.get_context("fork")
    acknowledged, results = context.Value("i", 0), context.Queue()
    writer = context.Process(target=_save_stream, args=(backend.url(tmp_path / "source"), str(tmp_path / "source"),
                                                        "drill-mfa-2026", acknowledged, results))
    writer.start()
    taken: list[tuple[int, Path, int]] = []
    try:
        while writer.is_alive() and len(taken) < 4:
            low = acknowledged.value
            archive = tmp_path / f"stream-{len(taken)}.tar.gz"
            backup(source, archive)
            taken.append((low, archive, acknowledged.value))
    finally:
        writer.join(timeout=60)
    assert results.get(timeout=5) is None  # no "database is locked" reached the writer
    assert len(taken) >= 2
    for number, (low, archive, high) in enumerate(taken):
        restore_into(backend, archive, tmp_path / f"check-{number}")
        store = backend.open(tmp_path / f"check-{number}")
        try:
            answers = store.answers("drill-mfa-2026")
            saved = [indicator for indicator in streamed if indicator in answers]
            audited = [entry.indicator_id for entry in store.history("drill-mfa-2026") if entry.user == "streamer"]
        finally:
            store.close()
        # Saves are sequential, so a consistent copy holds the first k of them, each with its audit rows,
        # including every save acknowledged before the backup began.
        assert saved == streamed[:len(saved)]
        assert audited == [indicator for indicator in saved for _ in ("level", "notes")]
        assert low <= len(saved) <= high


# ------------------------------------------------------------------------- damaged archives

@pytest.fixture
def occupied(backend: Backend, tmp_path: Path) -> Iterator[tuple[Path, Store]]:
    """A target store that holds data of its own (restores into it use force, so only the archive stops them)."""
    folder = tmp_path / "occupied"
    store = backend.open(folder)
    store.import_document(json.loads((SAMPLES / "maravu-mfa-2025.json").read_text()), user="eka")
    store.put_file(b"%PDF-1.4 the target's own", "own.pdf")
    yield folder, store
    store.close()


CUT_SHORT = "the backup archive is incomplete: it ends too early (was it cut short while being copied?)"
DAMAGES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "half": (lambda data: data[:len(data) // 2], CUT_SHORT),
    "tail": (lambda data: data[:-100], CUT_SHORT),
    "head": (lambda data: data[:10], CUT_SHORT),
    "empty": (lambda data: b"", "the backup archive is empty"),
    # A flipped byte is caught by the member's hash, or by gzip's own checks, whichever reads it first.
    "flipped": (lambda data: data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:],
                "the backup archive is damaged"),
    "text": (lambda data: b"this is not a backup\n", "not a ddmt backup archive (it is not a gzipped tar file)"),
}


@pytest.mark.parametrize("how", sorted(DAMAGES))
def test_a_truncated_or_corrupted_archive_is_refused_and_the_target_untouched(
        backend: Backend, source: Store, occupied: tuple[Path, Store], tmp_path: Path, how: str) -> None:
    good = tmp_path / "good.tar.gz"
    backup(source, good)
    bad = tmp_path / f"{how}.tar.gz"
    damage, expected = DAMAGES[how]
    bad.write_bytes(damage(good.read_bytes()))
    folder, target = occupied
    before = snapshot(target)
    files_before = sorted(path.relative_to(folder) for path in (folder / "files").rglob("*"))
    with pytest.raises(StorageError) as raised:
        restore_into(backend, bad, folder, force=True)
    assert str(raised.value).startswith(f"{bad}: {expected}")
    with pytest.raises(StorageError):
        verify(bad)
    assert snapshot(target) == before
    assert sorted(path.relative_to(folder) for path in (folder / "files").rglob("*")) == files_before
    assert leftovers(folder) == []


def craft(path: Path, manifest: dict[str, Any] | bytes, members: list[tuple[str, bytes]]) -> Path:
    """A gzipped tar with exactly these members, the manifest first: archives a backup would never write."""
    with tarfile.open(path, "w:gz") as tar:
        data = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
        for name, content in [(MANIFEST, data), *members]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def entry(content: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}


def unpacked(archive: Path) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    with tarfile.open(archive, "r:gz") as tar:
        members = [(member.name, tar.extractfile(member).read())  # type: ignore[union-attr]
                   for member in tar.getmembers()]
    return json.loads(members[0][1]), members[1:]


LIES: dict[str, tuple[Callable[[dict[str, Any], list[tuple[str, bytes]]], Any], str]] = {}


def lie(message: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        LIES[function.__name__] = (function, message)
        return function
    return register


@lie(r"the backup archive is damaged: database/ddmt\.(sqlite3|pgdump) is not what its manifest says \(another sha256\)")
def changed_member(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    name, content = members[0]
    return manifest, [(name, content[:-1] + bytes([content[-1] ^ 1])), *members[1:]]


@lie("the database copy is damaged|the database dump is damaged")
def garbage_database(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    name, content = members[0]
    garbage = content[:len(content) // 3]  # cut short, but the manifest agrees: only the database check sees it
    manifest["members"][name] = entry(garbage)
    return manifest, [(name, garbage), *members[1:]]


@lie("the archive holds 'files/ev/il', which its manifest does not list")
def extra_member(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    return manifest, [*members, ("files/ev/il", b"x")]


@lie("member\\(s\\) its manifest lists are not in it")
def missing_member(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    return manifest, members[:-1]


@lie("the backup manifest lists '../../escape', which is not a name a backup uses")
def escaping_name(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    manifest["members"]["../../escape"] = entry(b"x")
    return manifest, [*members, ("../../escape", b"x")]


@lie("the backup was made by a newer version of the toolkit \\(archive format 99")
def newer_format(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    return {**manifest, "format_version": 99}, members


@lie("not a ddmt backup archive \\(its manifest is not a ddmt-backup manifest\\)")
def foreign_manifest(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    return {**manifest, "format": "something-else"}, members


@lie("the backup manifest is not valid JSON")
def broken_manifest(manifest: dict[str, Any], members: list[tuple[str, bytes]]) -> Any:
    return b'{"format": "ddmt-backup",', members


@pytest.mark.parametrize("name", sorted(LIES))
def test_an_archive_that_is_not_what_its_manifest_says_is_refused(
        backend: Backend, source: Store, occupied: tuple[Path, Store], tmp_path: Path, name: str) -> None:
    good = tmp_path / "good.tar.gz"
    backup(source, good)
    function, message = LIES[name]
    manifest, members = function(*unpacked(good))
    bad = craft(tmp_path / f"{name}.tar.gz", manifest, members)
    folder, target = occupied
    before = snapshot(target)
    with pytest.raises(StorageError, match=message) as raised:
        restore_into(backend, bad, folder, force=True)
    assert str(raised.value).startswith(f"{bad}: ")
    assert snapshot(target) == before
    assert leftovers(folder) == [] and not (tmp_path / "escape").exists()


@only("sqlite")
def test_a_sqlite_copy_whose_counts_disagree_with_the_manifest_is_refused(backend: Backend, source: Store,
                                                                           tmp_path: Path) -> None:
    good = tmp_path / "good.tar.gz"
    backup(source, good)
    manifest, members = unpacked(good)
    manifest["counts"]["answers"] += 1
    with pytest.raises(StorageError, match="does not match the counts in the manifest"):
        verify(craft(tmp_path / "counts.tar.gz", manifest, members))


def test_the_archive_is_a_plain_gzipped_tar_with_the_manifest_first(source: Store, tmp_path: Path) -> None:
    info = backup(source, tmp_path / "backup.tar.gz")
    with gzip.open(tmp_path / "backup.tar.gz") as raw, tarfile.open(fileobj=raw) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    assert names[0] == MANIFEST and sorted(names[1:]) == sorted(info.members)
    assert set(manifest) == {"format", "format_version", "created_at", "toolkit_version", "database", "counts",
                             "members", "missing_files"}
    assert manifest["database"]["kind"] == info.kind and manifest["toolkit_version"] == info.toolkit_version
    assert manifest["created_at"].endswith("Z")


# ------------------------------------------------------------------------------ the commands

@pytest.fixture
def ddmt(monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`ddmt ARGS` in-process, with backup and restore wired in if the command line does not have them yet."""
    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        sub = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
        if "backup" not in sub.choices:
            commands_backup.add_parsers(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    for name in ("run_backup", "run_restore"):
        if not hasattr(commands, name):
            monkeypatch.setattr(commands, name, getattr(commands_backup, name), raising=False)

    def run(*args: str | Path) -> tuple[int, str, str]:
        try:
            status = cli.main([str(arg) for arg in args])
        except SystemExit as stop:
            status = int(stop.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_the_commands_back_up_and_restore(backend: Backend, source: Store, tmp_path: Path,
                                          ddmt: Callable[..., tuple[int, str, str]]) -> None:
    def where(folder: Path) -> list[str | Path]:
        url = backend.url(folder)
        return ["--data-dir", folder, *(["--database", url] if url else [])]

    archive = tmp_path / "cli.tar.gz"
    status, out, err = ddmt("backup", archive, *where(tmp_path / "source"))
    assert (status, err) == (0, "")
    assert out.startswith(f"{archive}: backup of the ") and out.rstrip().endswith("2 files; checked")
    status, out, err = ddmt("restore", archive, *where(tmp_path / "copy"))
    assert (status, err) == (0, "") and out.startswith(f"{archive}: restored the ")
    status, out, err = ddmt("restore", archive, *where(tmp_path / "copy"))
    assert status == 1 and out == ""
    assert err.startswith("ddmt: ") and "already holds data; restoring would replace it: use --force" in err
    assert err.count("\n") == 1
    assert ddmt("restore", archive, "--force", *where(tmp_path / "copy"))[0] == 0
    (tmp_path / "cut.tar.gz").write_bytes(archive.read_bytes()[:200])
    status, _, err = ddmt("restore", tmp_path / "cut.tar.gz", "--force", *where(tmp_path / "copy"))
    assert (status, err) == (1, f"ddmt: {tmp_path / 'cut.tar.gz'}: {CUT_SHORT}\n")
    copy = backend.open(tmp_path / "copy")
    try:
        assert snapshot(copy) == snapshot(source)
    finally:
        copy.close()
