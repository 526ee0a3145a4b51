"""Who may do what: the role policy, the settings that choose an access mode, and the workspace that
checks the role for the assessment's ministry before every read and write (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend

from toolkit.access.roles import (
    ACTIONS,
    CREATE_ROUND,
    EDIT,
    REOPEN,
    REVIEW,
    ROLES,
    SUBMIT,
    VIEW,
    AccessDenied,
    Principal,
    idle_expired,
)
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.settings import (
    Settings,
    SettingsError,
    load_settings,
    secrets_file_section,
    secrets_paths,
    serve_arguments,
)
from toolkit.store import review
from toolkit.store.store import StorageError, Store

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_ID = next(indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric)
OURS = Ministry(id="ours-mfa", name="Our Ministry", country="Testland", fictional=True)
THEIRS = Ministry(id="theirs-mfa", name="Their Ministry", country="Otherland", fictional=True)


# --- the policy ----------------------------------------------------------------------------------------

EXPECTED = {  # role -> actions, as the module docstring and the issue describe them
    "viewer": {VIEW},
    "assessor": {VIEW, EDIT, CREATE_ROUND, SUBMIT, REOPEN},
    "reviewer": {VIEW, REVIEW},
    "admin": set(ACTIONS),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_allows_its_actions_on_its_ministry_only(role):
    person = Principal.of("p", [("ours-mfa", role)])
    assert {action for action in ACTIONS if person.can(action, "ours-mfa")} == EXPECTED[role]
    assert not any(person.can(action, "theirs-mfa") for action in ACTIONS)
    for action in ACTIONS:
        if action not in EXPECTED[role]:
            with pytest.raises(AccessDenied):
                person.require(action, "ours-mfa")
    with pytest.raises(AccessDenied, match="administrator"):
        person.require_admin()


def test_roles_add_up_and_admins_and_the_local_user_may_do_everything():
    both = Principal.of("p", [("ours-mfa", "reviewer"), ("ours-mfa", "viewer"), ("ours-mfa", "assessor"),
                              ("ours-mfa", "owner")])
    assert both.roles_for("ours-mfa") == {"reviewer", "viewer", "assessor"}  # an unknown role grants nothing
    assert both.can(REVIEW, "ours-mfa") and both.can(EDIT, "ours-mfa")
    for person in (Principal.of("boss", [], is_admin=True), Principal.local("me")):
        assert all(person.can(action, ministry) for action in ACTIONS for ministry in ("ours-mfa", "any"))
        person.require_admin()
    assert not Principal("nobody").sees("ours-mfa")
    with pytest.raises(ValueError, match="^unknown action 'delete'$"):
        both.can("delete", "ours-mfa")


def test_a_principal_keeps_its_name_and_the_admin_flag_only_when_given():
    assert (Principal.of("ana", []).name, Principal.of("ana", []).is_admin) == ("ana", False)
    assert (Principal.local("me").name, Principal.local("me").is_admin) == ("me", True)
    assert Principal("nobody").roles == {} and not Principal("nobody").is_admin
    assert Principal.of("p", [("ours-mfa", "viewer")]).roles_for("ours-mfa") == {"viewer"}
    assert Principal.of("p", [("ours-mfa", "viewer")]).roles_for("theirs-mfa") == frozenset()
    assert Principal.of("boss", [], is_admin=True).roles_for("any-mfa") == set(ROLES)


@pytest.mark.parametrize(("action", "message"), [
    (VIEW, "you have no access to this ministry's assessments"),
    (EDIT, "you may not change answers of this assessment (the assessor role is needed)"),
    (CREATE_ROUND, "you may not start or import rounds for this ministry (the assessor role is needed)"),
    (SUBMIT, "you may not submit this assessment (the assessor role is needed)"),
    (REOPEN, "you may not reopen this assessment (the assessor role is needed)"),
    (REVIEW, "you may not review this assessment (the reviewer role is needed)"),
])
def test_a_refusal_names_the_role_it_needs(action, message):
    with pytest.raises(AccessDenied) as refused:
        Principal("nobody").require(action, "ours-mfa")
    assert str(refused.value) == message
    with pytest.raises(AccessDenied) as refused:
        Principal("nobody").require_admin()
    assert str(refused.value) == "only an administrator may do this"


@pytest.mark.parametrize(("last", "now", "expired"), [
    (None, 1000.0, True),               # never seen: not signed in
    (1000.0, 1000.0 + 29 * 60, False),
    (1000.0, 1000.0 + 30 * 60, False),  # exactly at the limit: still in
    (1000.0, 1000.0 + 30 * 60 + 1, True),
    (10_000.0, 1000.0, True),           # the clock went back: do not trust the old stamp
    (1000.0, 940.0, False),             # ... but a minute back is clock jitter, not a reset clock
    (1000.0, 939.0, True),
])
def test_idle_timeout(last, now, expired):
    assert idle_expired(last, now, 30) is expired


# --- settings ------------------------------------------------------------------------------------------

def test_settings_default_to_one_person_on_localhost(tmp_path):
    config = load_settings({}, {})
    assert config == Settings("none", 30.0, None) and not config.shared
    assert serve_arguments(config) == ["--server.address", "localhost"]
    assert serve_arguments(Settings("password")) == [] and serve_arguments(Settings("oidc")) == []


def test_the_environment_wins_over_the_secrets_file(tmp_path):
    secrets = {"auth": "oidc", "idle_minutes": 15, "oidc_provider": "microsoft"}
    assert load_settings({}, secrets) == Settings("oidc", 15.0, "microsoft")
    assert load_settings({"DDMT_AUTH": " Password ", "DDMT_IDLE_MINUTES": "45"}, secrets) == Settings(
        "password", 45.0, "microsoft")
    home, project = tmp_path / "home.toml", tmp_path / "project.toml"
    home.write_text('[ddmt]\nauth = "oidc"\nidle_minutes = 5\n[auth]\nredirect_uri = "x"\n', encoding="utf-8")
    project.write_text('[ddmt]\nauth = "password"\n', encoding="utf-8")
    assert secrets_file_section([home, project, tmp_path / "missing.toml"]) == {"auth": "password", "idle_minutes": 5}


def test_the_secrets_files_are_the_ones_streamlit_reads_the_apps_own_folder_last(tmp_path):
    """`streamlit run app.py` reads ~/.streamlit, the starting folder's .streamlit, then app.py's own
    folder's (which wins): `ddmt serve` must read the same, or it could listen on every address for
    an app that lets anyone in."""
    home, start, app = tmp_path / "home", tmp_path / "start", tmp_path / "app"
    assert secrets_paths(start, home, app) == [home / ".streamlit" / "secrets.toml",
                                               start / ".streamlit" / "secrets.toml",
                                               app / ".streamlit" / "secrets.toml"]
    assert secrets_paths(app, home, app) == [home / ".streamlit" / "secrets.toml", app / ".streamlit" / "secrets.toml"]
    assert secrets_paths()[-1] == Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml"
    for folder, mode in ((start, "oidc"), (app, "none")):
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "secrets.toml").write_text(f'[ddmt]\nauth = "{mode}"\n', encoding="utf-8")
    config = load_settings({}, secrets_file_section(secrets_paths(start, home, app)))
    assert config.auth == "none" and serve_arguments(config) == ["--server.address", "localhost"]


@pytest.mark.parametrize(("environ", "message"), [
    ({"DDMT_OIDC_PROVIDER": "my_idp"}, '"my_idp" contains "_"'),
    ({"DDMT_AUTH": "ldap"}, '"ldap" is not an access mode'),
    ({"DDMT_IDLE_MINUTES": "soon"}, "'soon' is not a number of minutes"),
    ({"DDMT_IDLE_MINUTES": "0"}, "is not a number of minutes"),
    ({"DDMT_IDLE_MINUTES": "nan"}, "is not a number of minutes"),
])
def test_wrong_settings_are_refused_with_their_name(environ, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(environ, {})


def test_a_broken_secrets_file_is_named(tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text("[ddmt\nauth=", encoding="utf-8")
    with pytest.raises(SettingsError, match="secrets.toml: cannot be read as TOML"):
        secrets_file_section([broken])


# --- the workspace ----------------------------------------------------------------------------------------

@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    for ministry in (OURS, THEIRS):
        opened.create_ministry(ministry, user="admin")
    yield opened
    opened.close()


@pytest.fixture
def rounds(store: Store) -> tuple[str, str]:
    ours = store.create_assessment("ours-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="a")
    theirs = store.create_assessment("theirs-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                     user="a")
    store.save_answer(theirs, LEVEL_ID, {"level": 1, "notes": "secret"}, expected_version=0, user="a")
    return ours, theirs


def as_(store: Store, *grants: tuple[str, str], admin: bool = False) -> Workspace:
    return Workspace(store, Principal.of("person", grants, is_admin=admin))


def test_a_viewer_cannot_save_even_by_calling_the_save_directly(store, rounds):
    ours, _ = rounds
    viewer = as_(store, ("ours-mfa", "viewer"))
    assert viewer.load(ours).id == ours
    for attempt in (lambda: viewer.save_answer(ours, LEVEL_ID, {"level": 3}, expected_version=0),
                    lambda: viewer.add_evidence(ours, LEVEL_ID, Evidence(kind="text", value="x"), expected_version=0),
                    lambda: viewer.remove_evidence(ours, LEVEL_ID, 0, expected_version=0),
                    lambda: viewer.put_file(ours, b"%PDF-1.4 x", "a.pdf"),
                    lambda: viewer.set_status(ours, "submitted"),
                    lambda: viewer.reopen(ours),
                    lambda: viewer.add_comment(ours, LEVEL_ID, "comment", "hm"),
                    lambda: viewer.create_assessment("ours-mfa", "2027", rubric_id=RUBRIC.id,
                                                     rubric_version=RUBRIC.version),
                    lambda: viewer.create_ministry(Ministry(id="new-mfa", name="N", country="C"))):
        with pytest.raises(AccessDenied):
            attempt()
    assert store.answers(ours) == {} and store.load(ours).status == "draft"
    assert [summary.period for summary in store.assessments("ours-mfa")] == ["2026"]


def test_another_ministry_is_refused_for_every_read_and_write(store, rounds):
    ours, theirs = rounds
    person = as_(store, ("ours-mfa", "admin"))
    for attempt in (lambda: person.load(theirs), lambda: person.answers(theirs), lambda: person.history(theirs),
                    lambda: person.get_answer(theirs, LEVEL_ID), lambda: person.to_document(theirs),
                    lambda: person.comments(theirs), lambda: person.version(theirs),
                    lambda: person.save_answer(theirs, LEVEL_ID, {"level": 4}, expected_version=1)):
        with pytest.raises(AccessDenied, match="no access|may not"):
            attempt()
    assert [s.id for s in person.assessments()] == [ours]
    assert [m.id for m in person.ministries()] == ["ours-mfa"]
    assert store.get_answer(theirs, LEVEL_ID).answer.notes == "secret"


def test_assessors_edit_and_submit_reviewers_review(store, rounds):
    ours, _ = rounds
    assessor, reviewer = as_(store, ("ours-mfa", "assessor")), as_(store, ("ours-mfa", "reviewer"))
    saved = assessor.save_answer(ours, LEVEL_ID, {"level": 2}, expected_version=0)
    assert saved.updated_by == "person"  # the principal's name, never a name the session supplies
    with pytest.raises(AccessDenied):
        reviewer.save_answer(ours, LEVEL_ID, {"level": 4}, expected_version=1)
    with pytest.raises(AccessDenied):
        reviewer.set_status(ours, "submitted")
    assessor.set_status(ours, "submitted")
    with pytest.raises(AccessDenied):
        assessor.add_comment(ours, LEVEL_ID, "accept", None)
    with pytest.raises(AccessDenied):
        assessor.set_status(ours, "reviewed")
    reviewer.add_comment(ours, LEVEL_ID, "challenge", "Where is the inventory?")
    reviewer.set_status(ours, "reviewed")
    with pytest.raises(AccessDenied):
        reviewer.reopen(ours)
    newer = assessor.reopen(ours)
    assert [c.text for c in assessor.comments(newer)] == ["Where is the inventory?"]  # earlier versions' too
    assert assessor.comments(newer, with_earlier=False) == []
    with pytest.raises(StorageError):  # an admin is still bound by the one-way status
        as_(store, admin=True).set_status(ours, "draft")


def test_imports_need_the_assessor_role_or_an_admin_for_a_new_ministry(store, rounds):
    ours, _ = rounds
    doc = store.to_document(ours) | {"id": "ours-mfa-import"}
    with pytest.raises(AccessDenied):
        as_(store, ("ours-mfa", "reviewer")).import_document(doc)
    assert as_(store, ("ours-mfa", "assessor")).import_document(doc) == "ours-mfa-import"
    new = doc | {"id": "new-mfa-2026", "ministry": {"id": "new-mfa", "name": "New", "country": "Newland"}}
    with pytest.raises(AccessDenied, match="administrator"):
        as_(store, ("ours-mfa", "admin")).import_document(new)
    assert as_(store, admin=True).import_document(new) == "new-mfa-2026"


def test_evidence_files_are_read_through_the_round_they_belong_to(store, rounds):
    ours, theirs = rounds
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    assessor = as_(store, ("ours-mfa", "assessor"))
    sha, _ = assessor.put_file(ours, png, "chart.png")
    assessor.add_evidence(ours, LEVEL_ID, Evidence(kind="file", name="chart.png", sha256=sha), expected_version=0)
    assert assessor.evidence_file(ours, sha) == png
    other = as_(store, ("theirs-mfa", "admin"))
    with pytest.raises(AccessDenied):
        other.evidence_file(ours, sha)
    with pytest.raises(AccessDenied, match="not evidence of this assessment"):
        other.evidence_file(theirs, sha)  # a hash learnt elsewhere does not open a file through one's own round


def test_reopened_versions_are_listed_with_their_versions(store, rounds):
    ours, _ = rounds
    store.set_status(ours, "submitted", user="a")
    newer = review.reopen(store, ours, user="a")
    summaries = {s.id: s for s in as_(store, ("ours-mfa", "viewer")).assessments()}
    assert (summaries[newer].version, summaries[ours].superseded_by) == (2, newer)


@pytest.mark.parametrize("action", ["load", "answers", "history", "version", "save"])
def test_a_missing_round_and_another_ministrys_round_get_the_same_answer(store, rounds, action):
    _, theirs = rounds
    person = as_(store, ("ours-mfa", "assessor"))
    calls = {"load": lambda rid: person.load(rid), "answers": lambda rid: person.answers(rid),
             "history": lambda rid: person.history(rid), "version": lambda rid: person.version(rid),
             "save": lambda rid: person.save_answer(rid, LEVEL_ID, {"level": 4}, expected_version=1)}
    answers = []
    for round_id in (theirs, "theirs-mfa-2031"):  # one exists in another ministry, one exists nowhere
        with pytest.raises(Exception) as refused:
            calls[action](round_id)
        answers.append((type(refused.value), str(refused.value).replace(round_id, "ID")))
    assert answers[0] == answers[1] and answers[0][0] is AccessDenied


def test_a_global_administrator_is_told_a_round_is_not_found(store, rounds):
    from toolkit.store.store import NotFoundError

    with pytest.raises(NotFoundError):
        as_(store, admin=True).load("nowhere-mfa-2031")
