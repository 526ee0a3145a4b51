"""Two app servers behind nginx on one PostgreSQL: the deployment of docs/operations.md, under load.

What runs: the throwaway PostgreSQL of `tests/pg.py`, two `streamlit run app.py` servers on it
(each with its own data folder, as on two machines), and Debian's nginx in front
(`tests/nginx_support.py`: websockets proxied, sticky by a cookie nginx hands out). Every session
is a real websocket session (`tests/st_client.py`) that reaches the servers only through nginx.

- A save made through server A is read back through server B, and an evidence file uploaded
  through A opens through B (its bytes are in the database).
- Two sessions on different servers open the same answer; the first save wins and the stale one
  is told "Someone else changed this answer", on the other server.
- The project's load test run through nginx (`DDMT_LOAD_SESSIONS`, default 10 here; the think time
  of tests/test_load.py), half the sessions on each server; server A is killed with SIGKILL part
  way; its sessions reconnect through nginx, which sends them to B. Afterwards every acknowledged
  save is in the database, in order, in each answer's audit trail. The latencies are printed on a
  `LOAD2:` line and written to test-artifacts/load-two-servers.json, not asserted.
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fault_support import MINISTRY, new_round
from nginx_support import Nginx, config, why_no_nginx
from pg import Cluster, in_ci
from st_client import Server, Session, free_port, text
from test_load import THINK, percentile, spread_indicators

from toolkit.model.assessment import Evidence
from toolkit.store.store import Store

SESSIONS = int(os.environ.get("DDMT_LOAD_SESSIONS", "10"))
LOAD_SECONDS = float(os.environ.get("DDMT_LOAD_SECONDS", "24"))
KILL_AFTER = 0.4  # of the load's time: server A dies with both servers well into the load
RECONNECT_SECONDS = 30.0
ARTIFACT = Path(__file__).resolve().parent.parent / "test-artifacts" / "load-two-servers.json"
PDF = b"%PDF-1.7\n% uploaded through server A\n" + bytes(range(256)) * 4

pytestmark = pytest.mark.slow


@dataclass
class Front:
    """What `st_client.Session` connects to: nginx's port, not an app server's."""

    port: int


@dataclass
class Deployment:
    url: str
    servers: dict[str, Server]
    nginx: Nginx
    round_id: str
    routes: dict[str, str] = field(default_factory=dict)  # "a" / "b" -> a cookie nginx routes to that server

    @property
    def front(self) -> Front:
        return Front(self.nginx.port)

    def cookie(self, route: str) -> str:
        return f"ddmt_server={route}"

    def store(self) -> Store:
        return Store.open(self.url, data_dir=self.servers["a"].data_dir.parent / "reader")

    def server_of(self, served_by: str) -> str:
        return next(name for name, server in self.servers.items() if served_by.endswith(f":{server.port}"))


@pytest.fixture(scope="module")
def deployment(postgres: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    problem = why_no_nginx()
    if problem:
        if in_ci():
            pytest.fail(f"CI needs nginx for the two-server test: {problem}", pytrace=False)
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("two-servers")
    database = postgres.create_database()
    url = postgres.url(database)
    store = Store.open(url, data_dir=folder / "setup")
    round_id = new_round(store)  # the servers then seed no samples
    store.close()
    servers = {name: Server(folder / name, env={"DDMT_DATABASE_URL": url}) for name in ("a", "b")}
    nginx = Nginx(free_port(), [server.port for server in servers.values()])
    try:
        for server in servers.values():
            server.data_dir.mkdir()
            server.start(timeout=120)
        nginx.start()
        deployment = Deployment(url, servers, nginx, round_id)
        # Cookies as nginx hands them out, one for each server (the routing is a hash: ask nginx).
        for _ in range(40):
            served_by, given = nginx.get("/_stcore/health")
            assert given, "nginx set no route cookie"
            deployment.routes.setdefault(deployment.server_of(served_by), given)
            if len(deployment.routes) == 2:
                break
        assert set(deployment.routes) == {"a", "b"}, "nginx sent every new browser to one server"
        yield deployment
    finally:
        nginx.stop()
        for server in servers.values():
            server.kill(signal.SIGKILL)
        postgres.drop_database(database)


def open_card(session: Session, round_id: str, indicator: str) -> tuple[str, str]:
    """Open the assess page; (the widget id of the indicator's notes, its card's fragment)."""
    first = session.open()
    widget_id = first.widget_ids()[f"assess_notes_{round_id}_{indicator}"]
    return widget_id, first.fragment_of(widget_id)


def saved(run) -> bool:
    return any(body.startswith("Saved at") for body in run.texts("toast")) and not run.texts("alert")


def test_a_save_through_one_server_is_read_through_the_other(deployment: Deployment) -> None:
    indicator, dimension = spread_indicators(1)[0]
    query = f"name=Load%20tester&assessment={deployment.round_id}&dimension={dimension}"
    routes = deployment.routes
    assert deployment.nginx.get("/_stcore/health", routes["a"])[0].endswith(f":{deployment.servers['a'].port}")
    with Session(deployment.front, query, page="assess", cookies=deployment.cookie(routes["a"])) as on_a:
        widget_id, fragment = open_card(on_a, deployment.round_id, indicator)
        assert saved(on_a.rerun(text(widget_id, "saved through A"), fragment_id=fragment))
    with Session(deployment.front, query, page="assess", cookies=deployment.cookie(routes["b"])) as on_b:
        first = on_b.open()
        shown = first.widget(f"assess_notes_{deployment.round_id}_{indicator}")
        assert shown is not None and shown.set_value and shown.value == "saved through A"  # B drew A's save

    # An evidence file uploaded into server A opens through server B: its bytes are in the database.
    a = Store.open(deployment.url, data_dir=deployment.servers["a"].data_dir)
    b = Store.open(deployment.url, data_dir=deployment.servers["b"].data_dir)
    try:
        sha256, _ = a.put_file(PDF, "minutes.pdf", ministry_id=MINISTRY.id, user="ana")
        current = a.get_answer(deployment.round_id, indicator)
        a.add_evidence(deployment.round_id, indicator, Evidence(kind="file", sha256=sha256),
                       expected_version=current.version, user="ana")
        assert b.evidence_file(deployment.round_id, sha256) == PDF
        assert not any(path.is_file() for path in deployment.servers["b"].data_dir.rglob(sha256))
    finally:
        a.close()
        b.close()


def test_a_conflict_across_servers_is_detected(deployment: Deployment) -> None:
    indicator, dimension = spread_indicators(2)[1]
    query = f"name=Load%20tester&assessment={deployment.round_id}&dimension={dimension}"
    routes = deployment.routes
    store = deployment.store()
    try:  # an answer saved before (version 1), so both saves below are updates, not first inserts
        store.save_answer(deployment.round_id, indicator, {"notes": "before"}, expected_version=0, user="setup")
    finally:
        store.close()
    with Session(deployment.front, query, page="assess", cookies=deployment.cookie(routes["a"])) as on_a, \
            Session(deployment.front, query, page="assess", cookies=deployment.cookie(routes["b"])) as on_b:
        widget_a, fragment_a = open_card(on_a, deployment.round_id, indicator)
        widget_b, fragment_b = open_card(on_b, deployment.round_id, indicator)  # both see version 1
        assert saved(on_a.rerun(text(widget_a, "first, on A"), fragment_id=fragment_a))
        stale = on_b.rerun(text(widget_b, "second, on B, from a stale page"), fragment_id=fragment_b)
        assert any(body.startswith("Someone else changed this answer") for body in stale.texts("alert")), \
            stale.texts()
    store = deployment.store()
    try:
        answer = store.get_answer(deployment.round_id, indicator)
        assert (answer.answer.notes, answer.version) == ("first, on A", 2)
    finally:
        store.close()


@dataclass
class Tally:
    """What one session saw: acknowledged saves (notes, seconds, when), and attempts cut off by a dead server."""

    indicator: str
    route: str
    acked: list[tuple[str, float, float]] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)  # saves in flight when the connection died: unknown
    attempts: list[str] = field(default_factory=list)
    reconnects: int = 0
    error: str | None = None


def person(deployment: Deployment, indicator: str, dimension: str, start: threading.Barrier, until: list[float],
           seed: int, tally: Tally) -> None:
    """One browser tab through nginx: change the notes, again and again; reconnect (as the web client does) if cut off."""
    rng = random.Random(seed)
    query = f"name=Load%20tester&assessment={deployment.round_id}&dimension={dimension}"
    number = 0
    started = False
    try:
        while True:
            try:
                with Session(deployment.front, query, page="assess",
                             cookies=deployment.cookie(tally.route)) as session:
                    widget_id, fragment = open_card(session, deployment.round_id, indicator)
                    if not started:
                        started = True
                        start.wait(timeout=180)
                    while time.monotonic() < until[0]:
                        notes = f"{indicator} save {number}"
                        number += 1
                        tally.attempts.append(notes)
                        try:
                            run = session.rerun(text(widget_id, notes), fragment_id=fragment)
                        except Exception:
                            tally.cut_off.append(notes)
                            raise
                        messages = [body for body in run.texts("alert")
                                    if body.startswith(("Not saved", "Someone else"))]
                        if messages or not any(body.startswith("Saved at") for body in run.texts("toast")):
                            tally.refused.append((notes, messages))
                        else:
                            tally.acked.append((notes, run.seconds, time.monotonic()))
                        time.sleep(rng.uniform(*THINK))
                    return
            except Exception as error:  # noqa: BLE001 - the server went away: reconnect through nginx
                if not started or time.monotonic() >= until[0]:
                    raise
                tally.reconnects += 1
                if tally.reconnects > 5:
                    raise RuntimeError(f"could not reconnect: {error}") from error
                time.sleep(0.5)
    except Exception as error:  # noqa: BLE001 - reported by the test
        tally.error = f"{type(error).__name__}: {error}"


def lost_saves(store: Store, round_id: str, tally: Tally) -> list[str]:
    """Acknowledged saves missing from the database, in order; an attempt cut off may or may not be there."""
    trail = [entry.new for entry in store.history(round_id, tally.indicator)]
    stored = store.get_answer(round_id, tally.indicator)
    acked = [notes for notes, _, _ in tally.acked]
    problems = []
    position = 0
    for notes in acked:  # every acknowledged value, in order; only cut-off attempts may sit between them
        try:
            found = trail.index(notes, position)
        except ValueError:
            problems.append(f"{notes} is not in the audit trail")
            continue
        if any(value not in tally.cut_off for value in trail[position:found]):
            problems.append(f"unexpected values before {notes}: {trail[position:found]}")
        position = found + 1
    if acked:
        after = trail[position:]
        if any(value not in tally.cut_off for value in after):
            problems.append(f"unexpected values after the last acknowledged save: {after}")
        if stored.answer.notes != (after[-1] if after else acked[-1]):
            problems.append(f"stored notes {stored.answer.notes!r}, last acknowledged {acked[-1]!r}")
    if stored.version != len(trail):
        problems.append(f"version {stored.version} but {len(trail)} audit rows")
    return problems


def test_load_through_nginx_loses_nothing_when_a_server_is_killed(deployment: Deployment,
                                                                  capsys: pytest.CaptureFixture) -> None:
    people = spread_indicators(SESSIONS + 2)[2:]  # the first two are the other tests' answers
    routes = ["a" if number % 2 == 0 else "b" for number in range(SESSIONS)]
    tallies = [Tally(indicator, deployment.routes[route]) for (indicator, _), route in zip(people, routes)]
    start = threading.Barrier(SESSIONS + 1)
    until = [float("inf")]
    threads = [threading.Thread(target=person, args=(deployment, indicator, dimension, start, until, number,
                                                     tallies[number]), daemon=True)
               for number, (indicator, dimension) in enumerate(people)]
    for thread in threads:
        thread.start()
    start.wait(timeout=180)  # every session has its page open, half of them on each server
    began = time.monotonic()
    until[0] = began + LOAD_SECONDS
    time.sleep(LOAD_SECONDS * KILL_AFTER)
    killed_at = time.monotonic()
    load_at_kill = os.getloadavg()[0]
    deployment.servers["a"].kill(signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 120)
    elapsed = time.monotonic() - began
    assert not any(thread.is_alive() for thread in threads), "a session did not stop"
    load_at_end = os.getloadavg()[0]

    assert [tally.error for tally in tallies if tally.error] == []
    store = deployment.store()
    try:
        lost = {tally.indicator: problems for tally in tallies
                if (problems := lost_saves(store, deployment.round_id, tally))}
    finally:
        store.close()
    both = [seconds for tally in tallies for _, seconds, when in tally.acked if when <= killed_at]
    every = [seconds for tally in tallies for _, seconds, _ in tally.acked]
    figures = {
        "sessions": SESSIONS, "servers": 2, "seconds": round(elapsed, 1), "think_seconds": list(THINK),
        "saves": len(every), "saves_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000), "p95_ms": round(percentile(every, 0.95) * 1000),
        "max_ms": round(max(every) * 1000),
        "both_servers": {"saves": len(both), "p50_ms": round(percentile(both, 0.50) * 1000),
                         "p95_ms": round(percentile(both, 0.95) * 1000)},
        "killed_after_seconds": round(killed_at - began, 1),
        "reconnects": sum(tally.reconnects for tally in tallies),
        "cut_off": sum(len(tally.cut_off) for tally in tallies),
        "not_saved": sum(len(tally.refused) for tally in tallies), "lost": len(lost),
        "load_average": {"at_kill": round(load_at_kill, 1), "at_end": round(load_at_end, 1),
                         "cores": os.cpu_count()},
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nLOAD2: {SESSIONS} sessions through nginx on 2 servers for {figures['seconds']} s, server A "
              f"killed at {figures['killed_after_seconds']} s: {figures['saves']} saves "
              f"({figures['saves_per_second']}/s), p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
              f"(both servers up: p50 {figures['both_servers']['p50_ms']} ms, p95 "
              f"{figures['both_servers']['p95_ms']} ms), max {figures['max_ms']} ms; reconnects "
              f"{figures['reconnects']}, cut off {figures['cut_off']}, not saved {figures['not_saved']}, lost "
              f"{figures['lost']}; load average {load_at_kill:.1f} at the kill, {load_at_end:.1f} at the end "
              f"on {os.cpu_count()} cores")

    assert lost == {}, f"acknowledged saves missing from the database: {lost}"
    assert [(tally.indicator, tally.refused) for tally in tallies if tally.refused] == []
    on_a = [tally for tally, route in zip(tallies, routes) if route == "a"]
    assert all(tally.reconnects >= 1 for tally in on_a), "a session of the killed server never noticed"
    assert all(tally.acked and tally.acked[-1][2] > killed_at for tally in on_a), \
        "a session of the killed server saved nothing after it reconnected"
    assert all(tally.acked for tally in tallies), "a session saved nothing"
    log = deployment.servers["b"].log_text()
    assert "Traceback" not in log, log[-3000:]


def test_the_documented_nginx_config_is_the_tested_one() -> None:
    """Every routing and proxy line the tests run nginx with is in the file docs/operations.md gives."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    block = docs.split("```nginx\n", 1)[1].split("```", 1)[0]
    documented = {line.strip() for line in block.splitlines()}
    tested = config(Path("/prefix"), 8080, [8501, 8502])
    specific = ("/prefix", "127.0.0.1", "worker_processes", "listen ")  # the test's own paths and ports
    missing = [line.strip() for line in tested.splitlines()
               if line.strip() and not any(word in line for word in specific) and line.strip() not in documented]
    assert missing == []
