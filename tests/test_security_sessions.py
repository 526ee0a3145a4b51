"""Security findings 3 and 5 of issue 11, replayed over the app's own websocket against a real server in
password mode (`tests/st_client.py`: the protobuf messages a browser tab sends, no browser needed).

5. A session id alone took over a signed-in session: reconnecting the websocket with alice's session
   id (it is in every upload URL, so in proxy logs) opened "Signed in as alice", with her tab open and
   after she closed it.
3. Downloads skipped the access checks: a download button builds its file when clicked, with the rights
   captured when the page was drawn, so after a revoke, a disable or a sign-out the files still came.
"""

from __future__ import annotations

import io
import re
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from st_client import Run, Server, Session, text, trigger

from toolkit.access import accounts
from toolkit.store.store import Store

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
MINISTRY = "belmara-mfa"  # a fictional sample ministry


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("sessions")
    store = Store.open(data_dir=folder)
    try:
        store.seed_samples(REPO / "sample_ministries")
        for name in ("alice", "bob"):
            accounts.add_user(store, name, email=f"{name}@example.org", password=PASSWORD)
            accounts.grant(store, name, MINISTRY, "viewer")
    finally:
        store.close()
    running = Server(folder, env={"DDMT_AUTH": "password", "DDMT_IDLE_MINUTES": "30"})
    running.start()
    yield running
    running.kill()


def accounts_store(server: Server) -> Store:
    return Store.open(data_dir=server.data_dir)


def signed_in_as(run: Run) -> str | None:
    found = [re.search(r"Signed in as (\w+)", body) for body in run.texts()]
    return next((match.group(1) for match in found if match), None)


def sign_in(session: Session, name: str) -> Run:
    first = session.open()
    ids = first.widget_ids()
    submit = next(element.id for kind, element in first.elements
                  if kind == "button" and getattr(element, "is_form_submitter", False))
    run = session.rerun(text(ids["auth_login"], name), text(ids["auth_password"], PASSWORD), trigger(submit))
    if signed_in_as(run) != name:
        run = session.rerun()
    assert signed_in_as(run) == name, run.texts()
    return run


def binding_cookie(run: Run) -> str:
    """The cookie the page's script puts in the browser right after the sign-in (`name=token`)."""
    for body in run.texts():
        found = re.search(r'document\.cookie = "(ddmt_s_[0-9a-f]+=[A-Za-z0-9_-]+);', body)
        if found:
            return found.group(1)
    raise AssertionError("the page set no binding cookie")


def test_a_session_id_alone_does_not_take_over_a_signed_in_session(server: Server) -> None:
    with Session(server) as alice:
        sign_in(alice, "alice")
        with Session(server, resume=alice.session_id) as attacker:  # her tab still open
            run = attacker.open()
            assert attacker.session_id == alice.session_id  # the attack reached her session ...
            assert signed_in_as(run) is None  # ... and found it signed out
            assert "auth_login" in run.widget_ids()
            assert any("opened from another browser" in body for body in run.texts())


def test_a_closed_tabs_session_id_does_not_sign_anyone_in(server: Server) -> None:
    with Session(server) as alice:
        sign_in(alice, "alice")
        session_id = alice.session_id
    with Session(server, resume=session_id) as attacker:  # after she closed the tab
        run = attacker.open()
        assert signed_in_as(run) is None and "auth_login" in run.widget_ids()


def test_the_browser_that_signed_in_reconnects_with_its_cookie_and_stays_signed_in(server: Server) -> None:
    with Session(server) as alice:
        run = sign_in(alice, "alice")
        cookie, session_id = binding_cookie(run), alice.session_id
    with Session(server, resume=session_id, cookies=cookie) as again:  # a network blip, the same browser
        assert signed_in_as(again.open()) == "alice"
        assert again.session_id == session_id
    forged = cookie.split("=")[0] + "=" + "A" * 43
    with Session(server, resume=session_id, cookies=forged) as attacker:
        assert signed_in_as(attacker.open()) is None


def download_ids(session: Session) -> dict[str, str]:
    run = session.rerun()
    return {element.id.split("-", 2)[2]: element.deferred_file_id for kind, element in run.elements
            if kind == "download_button" and element.deferred_file_id}


def fetched(server: Server, url: str) -> bytes:
    with urllib.request.urlopen(server.url + url, timeout=30) as reply:
        return reply.read()


def test_downloads_check_the_persons_access_when_they_are_made(server: Server) -> None:
    store = accounts_store(server)
    try:
        with Session(server, page="transfer") as bob:
            sign_in(bob, "bob")
            files = download_ids(bob)
            url, error = bob.download(files["transfer_json_all"])
            assert error == "" and url
            with zipfile.ZipFile(io.BytesIO(fetched(server, url))) as archive:
                assert any(name.startswith(MINISTRY) for name in archive.namelist())
            # `ddmt user revoke`: the page was drawn with the role; the click comes after.
            accounts.revoke(store, "bob", MINISTRY, "viewer")
            url, error = bob.download(files["transfer_json_all"])
            with zipfile.ZipFile(io.BytesIO(fetched(server, url))) as archive:
                assert archive.namelist() == []  # nothing of the ministry any more
            # `ddmt user disable`: nothing is produced at all.
            accounts.grant(store, "bob", MINISTRY, "viewer")
            accounts.set_active(store, "bob", False)
            for key in ("transfer_json_all", "transfer_csv_all"):
                url, error = bob.download(files[key])
                assert url == "" and error, key
    finally:
        accounts.set_active(store, "bob", True)
        store.close()


def test_a_download_after_signing_out_produces_nothing(server: Server) -> None:
    with Session(server, page="transfer") as alice:
        run = sign_in(alice, "alice")
        files = download_ids(alice)
        assert alice.download(files["transfer_json_all"])[0]
        sign_out = next(element.id for kind, element in alice.rerun().elements
                        if kind == "button" and element.id.endswith("-auth_sign_out"))
        run = alice.rerun(trigger(sign_out))
        assert signed_in_as(run) is None
        url, error = alice.download(files["transfer_json_all"])
        assert url == "" and error
