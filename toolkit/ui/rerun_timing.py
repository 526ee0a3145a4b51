"""How long a person waits after changing one answer: the app's rerun, measured with AppTest.

`ddmt bench` reports the median as `app_rerun_seconds` (target under 0.3 s). The measured session
is the real `app.py` on a throw-away data folder seeded with the sample ministries, on the assess
page of a draft; each change picks another level of the first indicator, so every rerun runs the
save callback (a versioned answer and its audit entry written with `BEGIN IMMEDIATE`) and redraws
the page. What AppTest does not include is the browser's own drawing and the websocket hop.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
DRAFT = "belmara-mfa-2026"  # a sample draft: every card is editable
ASSESS_PAGE = "toolkit/ui/pages/assess.py"


def app_available() -> bool:
    """Whether the app's entry point is here (a source checkout, not an installed wheel)."""
    return APP.is_file()


def rerun_seconds(changes: int, folder: Path | None = None) -> list[float]:
    """The wall time of `changes` reruns, each after one changed answer (first open not counted).

    The session's data lives in `folder` if given (kept, to look at afterwards), else in a temporary one.
    """
    with _data_folder(folder), _quiet_streamlit():
        session = AppTest.from_file(str(APP), default_timeout=120)
        session.query_params["assessment"] = DRAFT
        session.query_params["name"] = "Bench"  # as a link with the name would (auth none asks otherwise)
        session.run()
        session.switch_page(ASSESS_PAGE).run()
        keys = [radio.key for radio in session.radio if radio.key and radio.key.startswith("assess_level_")]
        if not keys:  # say, a secrets file here asks for a sign-in
            raise RuntimeError("the assess page showed no answer to change (is a sign-in configured here?)")
        key = keys[0]
        times = []
        for change in range(changes):
            widget = session.radio(key=key)
            started = time.perf_counter()
            widget.set_value(1 + change % 3).run()
            times.append(time.perf_counter() - started)
            if session.exception:
                raise RuntimeError(f"the app failed while measured: {session.exception[0].value}")
        return times


@contextmanager
def _quiet_streamlit() -> Iterator[None]:
    """No "missing ScriptRunContext" warnings on the command line: AppTest runs Streamlit bare here."""
    # Streamlit gives each of its loggers a level of its own, so each is quietened, and put back.
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
               if name == "streamlit" or name.startswith("streamlit.")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextmanager
def _data_folder(kept: Path | None) -> Iterator[None]:
    """A SQLite data folder for the measured session; the environment is put back afterwards."""
    saved = {name: os.environ.get(name) for name in ("DDMT_DATA_DIR", "DDMT_DATABASE_URL", "DDMT_AUTH")}
    with tempfile.TemporaryDirectory(prefix="ddmt-rerun-", ignore_cleanup_errors=True) as temporary:
        folder = str(kept) if kept is not None else temporary
        os.environ["DDMT_DATA_DIR"] = folder
        os.environ.pop("DDMT_DATABASE_URL", None)
        os.environ.pop("DDMT_AUTH", None)
        try:
            yield
        finally:
            from toolkit.ui import state

            state._store(folder).close()  # the session's cached store, before its folder goes
            state._store.clear()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
