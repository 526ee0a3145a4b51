"""Security findings of issue 11 at the store and workspace (SQLite and PostgreSQL): each test replays the
attack as it was found and checks that it no longer works.

1. another ministry's evidence file opened by naming its hash in an imported round;
2. an import setting what only the workflow may set (status, who added evidence);
and the smaller ones: round ids shaped like another ministry's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend
from sqlalchemy import delete, text

from toolkit.access.roles import AccessDenied, Principal
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store.file_holders import NOT_READABLE
from toolkit.store.store import StorageError, Store
from toolkit.store.tables import file_holders

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_ID = next(indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric)
BELMARA = Ministry(id="belmara-mfa", name="Belmara (fictional)", country="Belmara", fictional=True)
CALVESSA = Ministry(id="calvessa-mfa", name="Calvessa (fictional)", country="Calvessa", fictional=True)
SECRET = b"%PDF-1.7\nCalvessa's confidential cable\n"


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    for ministry in (BELMARA, CALVESSA):
        opened.create_ministry(ministry, user="admin")
    yield opened
    opened.close()


def person(store: Store, name: str, ministry: str, role: str) -> Workspace:
    return Workspace(store, Principal.of(name, [(ministry, role)]))


def round_of(store: Store, ministry: str) -> str:
    return store.create_assessment(ministry, "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="a")


def document(ministry: Ministry, round_id: str, evidence: list[dict], **fields: object) -> dict:
    return {"kind": "assessment", "format_version": 1, "id": round_id, "assessors": ["Bruno"],
            "rubric": {"id": RUBRIC.id, "version": RUBRIC.version},
            "ministry": {"id": ministry.id, "name": ministry.name, "country": ministry.country, "fictional": True},
            "period": "2027", "date": "2027-01-10", "status": "draft",
            "answers": {LEVEL_ID: {"level": 2, "evidence": evidence}}, **fields}


def file_item(sha256: str, **fields: object) -> dict:
    return {"kind": "file", "name": "cable.pdf", "sha256": sha256, **fields}


def test_a_hash_of_another_ministrys_file_opens_nothing_and_tells_nothing(store: Store) -> None:
    theirs = round_of(store, "calvessa-mfa")
    calvessa = person(store, "carla", "calvessa-mfa", "assessor")
    digest, _ = calvessa.put_file(theirs, SECRET, "cable.pdf")
    calvessa.add_evidence(theirs, LEVEL_ID, Evidence(kind="file", name="cable.pdf", sha256=digest), expected_version=0)
    assert calvessa.evidence_file(theirs, digest) == SECRET

    # The attack: a Belmara assessor imports a Belmara round whose evidence names Calvessa's file by its hash.
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    unknown = hashlib.sha256(b"no such file anywhere").hexdigest()
    outcome = belmara.import_round(document(BELMARA, "belmara-mfa-2027",
                                            [file_item(digest), file_item(unknown, name="other.pdf")]))
    assert outcome.files_not_included == ((LEVEL_ID, "cable.pdf"), (LEVEL_ID, "other.pdf"))
    kept = belmara.load("belmara-mfa-2027").answer(LEVEL_ID).evidence
    assert [item.name for item in kept] == ["cable.pdf", "other.pdf"]  # the items stay, without their files
    assert belmara.held_files("belmara-mfa-2027") == set()
    refusals = []
    for sha256 in (digest, unknown, digest.upper()):
        with pytest.raises(AccessDenied) as refused:
            belmara.evidence_file("belmara-mfa-2027", sha256)
        refusals.append(str(refused.value))
    assert refusals == [NOT_READABLE] * 3  # Calvessa's real file and a hash nobody holds answer alike

    # Uploading the same bytes into Belmara makes it Belmara's file too: then, and only then, it opens.
    belmara.put_file("belmara-mfa-2027", SECRET, "our copy.pdf")
    assert belmara.evidence_file("belmara-mfa-2027", digest) == SECRET


def test_a_file_is_read_only_through_a_round_that_lists_it(store: Store) -> None:
    ours = round_of(store, "belmara-mfa")
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    digest, _ = belmara.put_file(ours, SECRET, "cable.pdf")
    with pytest.raises(AccessDenied, match="not evidence of this assessment"):
        belmara.evidence_file(ours, digest)  # held, but not listed by any answer of the round
    with pytest.raises(StorageError, match="not uploaded"):  # a hash of a file Belmara does not hold
        belmara.add_evidence(ours, LEVEL_ID, Evidence(kind="file", sha256=hashlib.sha256(b"x").hexdigest()),
                             expected_version=0)


def test_a_file_opens_only_through_the_round_that_lists_it_not_another_round_of_its_ministry(store: Store) -> None:
    first = round_of(store, "belmara-mfa")
    second = store.create_assessment("belmara-mfa", "2027", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                     user="a")
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    memo_bytes = b"%PDF-1.7\nBelmara's memo\n"
    cable, _ = belmara.put_file(first, SECRET, "cable.pdf")
    memo, _ = belmara.put_file(second, memo_bytes, "memo.pdf")
    assert belmara.put_file(second, SECRET, "cable again.pdf") == (cable, "application/pdf")  # held already: fine
    belmara.add_evidence(first, LEVEL_ID, Evidence(kind="file", name="cable.pdf", sha256=cable), expected_version=0)
    belmara.add_evidence(second, LEVEL_ID, Evidence(kind="file", name="memo.pdf", sha256=memo), expected_version=0)
    assert (belmara.evidence_file(first, cable), belmara.evidence_file(second, memo)) == (SECRET, memo_bytes)
    for round_id, digest in ((first, memo), (second, cable)):  # held by the ministry, listed by its other round
        with pytest.raises(AccessDenied) as refused:
            belmara.evidence_file(round_id, digest)
        assert str(refused.value) == NOT_READABLE
    assert (belmara.held_files(first), belmara.held_files(second)) == ({cable}, {memo})


def test_a_ministry_holding_files_of_its_own_still_cannot_open_anothers_by_its_hash(store: Store) -> None:
    theirs = round_of(store, "calvessa-mfa")
    calvessa = person(store, "carla", "calvessa-mfa", "assessor")
    secret, _ = calvessa.put_file(theirs, SECRET, "cable.pdf")
    ours = round_of(store, "belmara-mfa")
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    own, _ = belmara.put_file(ours, b"%PDF-1.7\nBelmara's own report\n", "report.pdf")
    belmara.add_evidence(ours, LEVEL_ID, Evidence(kind="file", name="report.pdf", sha256=own), expected_version=0)
    outcome = belmara.import_round(document(BELMARA, "belmara-mfa-2027", [file_item(secret), file_item(own)]))
    assert outcome.files_not_included == ((LEVEL_ID, "cable.pdf"),)
    assert belmara.held_files("belmara-mfa-2027") == {own}
    with pytest.raises(AccessDenied) as refused:
        belmara.evidence_file("belmara-mfa-2027", secret)
    assert str(refused.value) == NOT_READABLE


def test_no_file_opens_through_a_round_that_is_not_stored(store: Store) -> None:
    ours = round_of(store, "belmara-mfa")
    digest, _ = store.put_file(SECRET, "cable.pdf", ministry_id="belmara-mfa", user="a")
    store.add_evidence(ours, LEVEL_ID, Evidence(kind="file", sha256=digest), expected_version=0, user="a")
    with pytest.raises(StorageError) as refused:
        store.evidence_file(f"{ours}-gone", digest)
    assert str(refused.value) == NOT_READABLE


def test_an_import_arrives_as_a_draft_with_the_importer_as_who_added_the_evidence(store: Store) -> None:
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    doc = document(BELMARA, "belmara-mfa-2027", [
        {"kind": "url", "value": "https://example.org/plan", "added_by": "rita (reviewer)",
         "added_at": "2026-01-02T03:04:05Z"}], status="reviewed")
    assert belmara.import_document(doc) == "belmara-mfa-2027"
    summary = next(item for item in belmara.assessments() if item.id == "belmara-mfa-2027")
    assert summary.status == "draft"
    item = belmara.load("belmara-mfa-2027").answer(LEVEL_ID).evidence[0]
    assert item.added_by == "bruno" and item.added_at != "2026-01-02T03:04:05Z"
    trail = belmara.history("belmara-mfa-2027")
    assert [entry.field for entry in trail] == ["imported"]
    assert {entry.user for entry in trail} == {"bruno"}
    claimed = json.loads(trail[0].new)["claimed"]  # the document's claims, kept only as claims
    assert claimed["status"] == "reviewed"
    assert claimed["evidence"][LEVEL_ID] == [{"added_by": "rita (reviewer)", "added_at": "2026-01-02T03:04:05Z"}]
    # The draft moves on only through the workflow: a reviewer cannot mark it reviewed before it is submitted.
    with pytest.raises(StorageError):
        person(store, "rita", "belmara-mfa", "reviewer").set_status("belmara-mfa-2027", "reviewed")


def test_evidence_added_in_the_app_records_the_person_not_what_the_item_says(store: Store) -> None:
    ours = round_of(store, "belmara-mfa")
    belmara = person(store, "bruno", "belmara-mfa", "assessor")
    saved = belmara.add_evidence(ours, LEVEL_ID, Evidence(kind="url", value="https://example.org", added_by="rita",
                                                          added_at="2020-01-01T00:00:00Z"), expected_version=0)
    assert saved.answer.evidence[0].added_by == "bruno"
    assert saved.answer.evidence[0].added_at != "2020-01-01T00:00:00Z"


def test_an_imported_round_id_starts_with_its_ministrys_id(store: Store) -> None:
    admin = Workspace(store, Principal.of("root", [], is_admin=True))
    with pytest.raises(StorageError, match='must start with "belmara-mfa-"'):
        admin.import_document(document(BELMARA, "calvessa-mfa-2027", []))
    assert not any(item.id == "calvessa-mfa-2027" for item in admin.assessments())
    assert admin.import_document(document(CALVESSA, "calvessa-mfa-2027", [])) == "calvessa-mfa-2027"


def test_an_older_database_keeps_opening_and_its_ministries_hold_the_files_their_evidence_names(
        backend: Backend, tmp_path: Path) -> None:
    store = backend.open(tmp_path)
    try:
        store.create_ministry(BELMARA, user="admin")
        ours = round_of(store, "belmara-mfa")
        digest, _ = store.put_file(SECRET, "cable.pdf", ministry_id="belmara-mfa", user="a")
        store.add_evidence(ours, LEVEL_ID, Evidence(kind="file", sha256=digest), expected_version=0, user="a")
        with store.engine.begin() as connection:  # as a database made before file holders were recorded
            # ... and before PostgreSQL kept the bytes (toolkit/store/file_contents.py): they were in the folder.
            connection.execute(text("DROP TABLE IF EXISTS file_contents"))
            connection.execute(delete(file_holders))
            connection.execute(text("DROP TABLE file_holders"))
        path = store.file_path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(SECRET)
    finally:
        store.close()
    reopened = backend.open(tmp_path)
    try:
        assert reopened.held_files(ours) == {digest}
        assert reopened.evidence_file(ours, digest) == SECRET
    finally:
        reopened.close()


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2066", "\x1b", "\u00ad"])
def test_names_and_periods_that_hide_or_reorder_text_are_refused(store: Store, hidden: str) -> None:
    """Two rounds must never look the same: "2026" and "2026\u200b" would."""
    with pytest.raises(StorageError, match=f"U\\+{ord(hidden):04X}"):
        store.create_assessment("belmara-mfa", f"20{hidden}26", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                user="a")
    with pytest.raises(StorageError, match=f"U\\+{ord(hidden):04X}"):
        store.create_ministry(Ministry(id="dravenia-mfa", name=f"Dravenia{hidden}", country="Dravenia"), user="a")
    admin = Workspace(store, Principal.of("root", [], is_admin=True))
    for doc in (document(BELMARA, "belmara-mfa-2027", [], period=f"2027{hidden}"),
                document(Ministry(id="dravenia-mfa", name="Dravenia", country=f"Drav{hidden}enia"),
                         "dravenia-mfa-2027", [])):
        with pytest.raises(StorageError, match=f"U\\+{ord(hidden):04X}"):
            admin.import_document(doc)
    assert [item.id for item in admin.assessments()] == []
