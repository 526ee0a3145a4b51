"""A full disk, for real: a save is refused with a clear "not saved", nothing is corrupted, nothing saved is lost.

The data folder is put on a small tmpfs mounted by the test (the tests run as root; clean-up
unmounts it whatever happens), the WAL is checkpointed down to nothing so the next commit has to
grow a file, and the rest of the disk is filled with a file. Then:

- the store refuses the save with `StorageError` saying the disk is full and nothing was saved;
  reads go on, a server restarted on the full disk opens and shows every earlier save, an evidence
  upload is refused the same way and leaves no partial file; `PRAGMA integrity_check` is ok; once
  space is freed the same save (on the same version) goes through;
- the assess page (AppTest) shows "Not saved: your change is still on screen" with the reason, keeps
  the chosen level and the typed notes on screen, and "Try again" saves them once there is space.

Where the system refuses the mount (an unprivileged container) the tmpfs tests skip (a missing
`mount` command fails), and the RLIMIT_FSIZE test, which always runs,
makes writes past a size fail (EFBIG) in a child process instead: the same path through SQLite's
error handling, reported as a failed write.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import signal
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_support import LEVEL_IDS, NO_MOUNT_COMMAND, AckReader, checkpoint_truncate, fill, new_round, small_disk, sqlite_problems
from ui_support import ASSESS, app_script, seeded_template, start, texts  # noqa: F401  (fixtures)

from toolkit.store.store import DATABASE_FILE, StorageError, Store

LONG = "x" * 15_000  # a long note: a few database pages
FULL = "the disk holding the database is full; nothing was saved"
NOT_SAVED = "Not saved: your change is still on screen. Try again in a moment."


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of this test's own, unmounted afterwards."""
    folder = tmp_path / "disk"
    with small_disk(folder, "16m") as problem:
        if problem:
            skip_where_mounting_is_refused(problem)
        yield folder


def skip_where_mounting_is_refused(problem: str) -> None:
    """Skip where the system refuses the mount (an unprivileged container); a missing command fails."""
    if problem == NO_MOUNT_COMMAND:
        pytest.fail(f"{problem}: install util-linux (every Debian system has it)")
    pytest.skip(f"cannot mount a small disk here ({problem}); the RLIMIT_FSIZE test covers the failure")


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_full_disk_refuses_a_save_plainly_and_corrupts_nothing(disk: Path) -> None:
    data = disk / "data"
    database = data / DATABASE_FILE
    store = Store.open(data_dir=data)
    try:
        round_id = new_round(store)
        saved = {indicator: store.save_answer(round_id, indicator, {"level": 2, "notes": "before the disk filled"},
                                              expected_version=0, user="ana") for indicator in LEVEL_IDS[:3]}
        checkpoint_truncate(database)
        filler = fill(disk)

        refused = None
        for number, indicator in enumerate(LEVEL_IDS[3:20]):  # the first commit that must grow a file fails
            try:
                saved[indicator] = store.save_answer(round_id, indicator, {"notes": f"{number} {LONG}"},
                                                     expected_version=0, user="ana")
            except StorageError as error:
                refused = (indicator, str(error))
                break
        assert refused is not None, "every save went through on a full disk"
        indicator, message = refused
        assert message == FULL
        assert store.get_answer(round_id, indicator).version == 0  # nothing of it was written; reads go on

        with pytest.raises(StorageError, match=r"^scan\.png: the file could not be stored: the disk is full$"):
            store.put_file(tiny_png(), "scan.png")
        assert [path.name for path in store.files_dir.rglob("*") if path.is_file()] == []  # no partial file

        restarted = Store.open(data_dir=data)  # a server restarted while the disk is still full
        try:
            assert restarted.answers(round_id) == saved
        finally:
            restarted.close()
        assert sqlite_problems(database) == []

        filler.unlink()  # space again: the person's "Try again" on the version they still have
        again = store.save_answer(round_id, indicator, {"notes": f"again {LONG}"}, expected_version=0, user="ana")
        assert again.version == 1
        assert store.answers(round_id) == {**saved, indicator: again}
        assert sqlite_problems(database) == []
    finally:
        store.close()


def _save_until_refused(data_dir: str, round_id: str, limit: int, write_fd: int) -> None:
    """Child: writes past `limit` bytes fail (EFBIG, not a signal); save until refused, lift the limit, retry."""
    try:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        store = Store.open(data_dir=data_dir)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        for number, indicator in enumerate(LEVEL_IDS[3:40]):
            try:
                saved = store.save_answer(round_id, indicator, {"notes": f"{number} {LONG}"}, expected_version=0,
                                          user="ana")
            except StorageError as error:
                os.write(write_fd, (json.dumps({"refused": indicator, "message": str(error)}) + "\n").encode())
                resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
                saved = store.save_answer(round_id, indicator, {"notes": f"again {LONG}"}, expected_version=0,
                                          user="ana")
                os.write(write_fd, (json.dumps({"retried": indicator, "version": saved.version}) + "\n").encode())
                break
            os.write(write_fd, (json.dumps({"saved": indicator, "version": saved.version}) + "\n").encode())
        store.close()
    except BaseException as error:
        os.write(write_fd, (json.dumps({"error": repr(error)[:1000]}) + "\n").encode())
    os._exit(0)


def test_a_write_past_the_file_size_limit_is_refused_plainly_and_corrupts_nothing(tmp_path: Path) -> None:
    store = Store.open(data_dir=tmp_path)
    round_id = new_round(store)
    before = {indicator: store.save_answer(round_id, indicator, {"level": 1}, expected_version=0, user="ana")
              for indicator in LEVEL_IDS[:3]}
    store.close()
    database = tmp_path / DATABASE_FILE
    checkpoint_truncate(database)
    read_fd, write_fd = os.pipe()
    child = multiprocessing.get_context("fork").Process(target=_save_until_refused,
                                                        args=(str(tmp_path), round_id, 64 * 1024, write_fd))
    child.start()
    os.close(write_fd)
    lines = AckReader(read_fd).drain(timeout=60)
    child.join(timeout=30)
    saved = [line["saved"] for line in lines if "saved" in line]
    refused = [line for line in lines if "refused" in line]
    assert len(refused) == 1, lines
    assert refused[0]["message"].endswith("nothing was saved"), refused[0]
    assert lines[-1] == {"retried": refused[0]["refused"], "version": 1}
    assert sqlite_problems(database) == []
    store = Store.open(data_dir=tmp_path)
    try:
        answers = store.answers(round_id)
        assert {indicator: answers[indicator] for indicator in before} == before
        assert set(answers) == {*before, *saved, refused[0]["refused"]}
        assert answers[refused[0]["refused"]].answer.notes == f"again {LONG}"
    finally:
        store.close()


def test_the_assess_page_says_not_saved_and_keeps_the_value_on_a_full_disk(
        seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_script: Path) -> None:  # noqa: F811
    from toolkit.ui import state

    disk = tmp_path / "disk"
    with small_disk(disk, "32m") as problem:
        if problem:
            skip_where_mounting_is_refused(problem)
        data = disk / "data"
        shutil.copytree(seeded_template, data)
        monkeypatch.setenv("DDMT_DATA_DIR", str(data))
        try:
            setup = Store.open()
            round_id = setup.create_assessment("belmara-mfa", "2031", rubric_id="digital-diplomacy",
                                               rubric_version="1.0.0", user="setup")
            setup.close()
            indicator = LEVEL_IDS[0]
            level_key, notes_key = (f"assess_{field}_{round_id}_{indicator}" for field in ("level", "notes"))

            def stored():
                reader = Store.open()  # as a restarted server would read it
                try:
                    return reader.get_answer(round_id, indicator)
                finally:
                    reader.close()

            at = start(app_script, ASSESS, assessment=round_id, user="Desk officer")
            at.radio(key=level_key).set_value(2).run()
            assert (stored().answer.level, stored().version) == (2, 1)

            checkpoint_truncate(data / DATABASE_FILE)
            filler = fill(disk)
            at.radio(key=level_key).set_value(3).run()
            assert not at.exception
            assert NOT_SAVED in [element.value for element in at.error]
            assert FULL in texts(at)
            assert at.radio(key=level_key).value == 3  # the person's choice stays on screen
            at.text_area(key=notes_key).input("Typed while the disk was full.").run()
            assert not at.exception
            assert NOT_SAVED in [element.value for element in at.error]
            assert at.radio(key=level_key).value == 3
            assert at.text_area(key=notes_key).value == "Typed while the disk was full."
            assert (stored().answer.level, stored().answer.notes, stored().version) == (2, None, 1)

            filler.unlink()
            next(button for button in at.button if button.label == "Try again").click().run()
            assert not at.exception
            assert NOT_SAVED not in [element.value for element in at.error]
            answer = stored()
            assert (answer.answer.level, answer.answer.notes, answer.version) == (
                3, "Typed while the disk was full.", 2)
            assert any(text.startswith("✓ Saved at") for text in texts(at))
            assert sqlite_problems(data / DATABASE_FILE) == []
        finally:
            state._store.clear()  # the app's cached store for this folder goes before the disk does
