"""The assess page reruns only what changed: each card and the round's history are fragments (issue 16).

A real server and a headless websocket session (`toolkit.ui.live_session`), because AppTest reruns the
whole script whatever changed: only the server's own fragment reruns show what a browser waits for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from toolkit.ui.live_session import Server, Session
from toolkit.ui.load_run import new_round


@pytest.mark.slow
def test_the_history_and_the_cards_rerun_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    round_id = new_round(data)
    server = Server(data)
    server.start()
    try:
        with Session(server, f"name=Load%20tester&assessment={round_id}", page="assess") as session:
            first = session.open()
            ids = first.widget_ids()
            history = ids[f"assess_history_all_{round_id}"]
            cards = [key for key in ids if key.startswith(f"assess_notes_{round_id}_")]
            assert cards and all(first.fragment_of(ids[key]) for key in cards)
            fragment = first.fragment_of(history)
            assert fragment, "the round's history is drawn by the page: showing it would rerun every card"
            assert fragment not in {first.fragment_of(ids[key]) for key in cards}

            shown = session.rerun(WidgetState(id=history, bool_value=True), fragment_id=fragment)
            assert not [key for key in shown.widget_ids() if key.startswith("assess_notes_")]  # no card redrawn
            assert "History of this assessment" in " ".join(shown.texts("heading"))
            kinds = [kind for kind, _ in shown.elements]
            assert "dataframe" in kinds or "No changes recorded yet." in shown.texts(), kinds  # the table
    finally:
        server.kill()
    assert "Traceback" not in server.log_text()
