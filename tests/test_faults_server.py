"""SIGKILL of the real app server during a stream of saves: every save it acknowledged is there after a restart.

A real `streamlit run app.py` (tests/st_client.py) serves three sessions, each a websocket session
as a browser tab is, each changing the notes of its own indicator as fast as the server answers.
A save is acknowledged when the page run that made it showed "Saved at". At a random moment
(seeded) the server's process group gets SIGKILL; the database must then pass SQLite's integrity
check and hold every acknowledged save with its audit row, plus at most the one save in flight per
session. The server is started again on the same data folder and a new session opens the page and is
shown the last saved notes.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import pytest
from fault_support import RUBRIC, new_round, sqlite_problems
from st_client import Server, Session, text

from toolkit.store.store import Store

KILLS = 1  # the store-level test (test_faults_kill.py) kills each stream twice
FIRST = RUBRIC.dimensions[0]
INDICATORS = [indicator.id for indicator in FIRST.indicators if not indicator.is_metric][:3]


def saver(server: Server, round_id: str, indicator: str, label: str, opened: threading.Barrier,
          acked: list[str], in_flight: list[str]) -> None:
    """Save notes on one indicator until the server dies; `acked` gets each value the page showed as saved."""
    key = f"assess_notes_{round_id}_{indicator}"
    try:
        with Session(server, f"name=Load%20tester&assessment={round_id}&dimension={FIRST.id}", page="assess") as session:
            widget_id = session.open().widget_ids()[key]
            opened.wait(timeout=120)
            number = 0
            while True:
                notes = f"{indicator} {label} save {number}"
                in_flight[:] = [notes]
                run = session.rerun(text(widget_id, notes))
                assert any(body.startswith("Saved at") for body in run.texts("toast")), run.texts("alert")
                acked.append(notes)
                in_flight[:] = []
                number += 1
    except threading.BrokenBarrierError:
        raise
    except Exception:  # noqa: BLE001 - the connection ends with the server; what was acknowledged is the point
        return


@pytest.mark.slow
def test_a_killed_server_keeps_every_save_it_showed_as_saved(tmp_path: Path) -> None:
    rng = random.Random(2026)
    data = tmp_path / "data"
    url = f"sqlite:///{data}/ddmt.sqlite3"
    store = Store.open(url, data_dir=data)
    round_id = new_round(store)
    store.close()
    acked: dict[str, list[str]] = {indicator: [] for indicator in INDICATORS}
    server = Server(data)
    try:
        for kill in range(KILLS):
            server.start()
            opened = threading.Barrier(len(INDICATORS) + 1)
            in_flight: dict[str, list[str]] = {indicator: [] for indicator in INDICATORS}
            threads = [threading.Thread(target=saver, args=(server, round_id, indicator, f"run {kill}", opened,
                                                            acked[indicator], in_flight[indicator]), daemon=True)
                       for indicator in INDICATORS]
            for thread in threads:
                thread.start()
            opened.wait(timeout=120)
            # The kill comes at a random moment after every session's first acknowledged save, so a slow
            # first save on a loaded machine cannot leave a session with nothing to check.
            deadline = time.monotonic() + 60
            while not all(acked[indicator] for indicator in INDICATORS) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.5, 2.0))
            server.kill(signal.SIGKILL)
            for thread in threads:
                thread.join(timeout=30)
            assert sqlite_problems(data / "ddmt.sqlite3") == []
            store = Store.open(url, data_dir=data)  # what the restarted server reads
            try:
                for indicator in INDICATORS:
                    assert acked[indicator], f"{indicator}: nothing was acknowledged before the kill"
                    stored = store.get_answer(round_id, indicator)
                    trail = [entry.new for entry in store.history(round_id, indicator)]
                    if trail != acked[indicator]:  # then only the save in flight may have landed as well
                        assert trail == acked[indicator] + in_flight[indicator], (
                            f"{indicator}: acknowledged {acked[indicator][-3:]}, stored trail {trail[-3:]}")
                        acked[indicator].extend(in_flight[indicator])
                    assert (stored.answer.notes, stored.version) == (acked[indicator][-1], len(acked[indicator]))
                print(f"server killed while saving: {sum(len(saves) for saves in acked.values())} acknowledged saves "
                      f"kept so far, {sum(len(saves) for saves in in_flight.values())} in flight at the kill")
            finally:
                store.close()

        # Started again: a new tab is shown what was saved.
        server.start()
        with Session(server, f"name=Load%20tester&assessment={round_id}&dimension={FIRST.id}", page="assess") as session:
            run = session.open()
            for indicator in INDICATORS:
                shown = run.widget(f"assess_notes_{round_id}_{indicator}")
                assert shown is not None and shown.value == acked[indicator][-1]
        log = server.log_text()
    finally:
        server.kill()
    assert "Traceback" not in log, log[-3000:]
