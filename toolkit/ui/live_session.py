"""A real Streamlit server and headless sessions that talk to it the way a browser tab does.

`Server` runs `streamlit run app.py` on a free loopback port with its own data folder (like the
browser tests' `AppServer`, but without needing Chromium), and can be killed with any signal and
started again on the same data. `Session` is one browser tab without the browser: it opens the
app's websocket (`/_stcore/stream`), sends the same protobuf `BackMsg`s the web client sends (a
rerun with the URL's query string, the page and the changed widget's value) and reads the
`ForwardMsg`s the server answers with until the script run ends. The server cannot tell it from a
browser: each `Session` is its own Streamlit session with its own `st.session_state`, its widget
callbacks run on the server, and its saves go through the page's `on_change` callbacks into the
store exactly as a person's do.

Only the widget that changed is sent with a rerun (the web client sends every widget's value);
Streamlit keeps the others' values from the session, so the page runs the same way. A widget drawn
inside an `st.fragment` is changed as the web client changes it: the rerun names the fragment
(`Run.fragment_of`), and the server reruns that fragment only. Everything stays on 127.0.0.1.

It lives in the package (not only in tests/) because `ddmt bench` drives the same load as the load
test (`toolkit.ui.load_run`); it needs a source checkout, where `app.py` is.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 60.0  # seconds one script run may take before a session gives up on it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `streamlit run app.py` on a data folder; `kill` it and `start` it again at will."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)  # settings of the app (e.g. DDMT_AUTH), beyond the data folder

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.data_dir / "server.log"

    def start(self, timeout: float = 60.0) -> None:
        env = {key: value for key, value in os.environ.items() if key not in ("DDMT_DATABASE_URL", "DDMT_AUTH")}
        env["DDMT_DATA_DIR"] = str(self.data_dir)
        env.update(self.env)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited: see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill(signal.SIGKILL)
        raise RuntimeError(f"the app server did not become healthy within {timeout:g} s")

    def kill(self, sig: int = signal.SIGTERM) -> None:
        """Send `sig` to the server's whole process group and wait for it to end."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


@dataclass
class Run:
    """What one script run sent back: its elements (kind, proto) in order, and how long it took."""

    elements: list[tuple[str, object]]
    seconds: float
    fragments: dict[str, str] = field(default_factory=dict)  # widget id -> the fragment that drew it

    def fragment_of(self, widget_id: str) -> str:
        """The id of the fragment that drew this widget ("" if the page itself drew it)."""
        return self.fragments.get(widget_id, "")

    def texts(self, *kinds: str) -> list[str]:
        """The bodies of the elements of these kinds (alert, markdown, text, toast, ...)."""
        return [str(getattr(element, "body", "")) for kind, element in self.elements if not kinds or kind in kinds]

    def widget_ids(self) -> dict[str, str]:
        """Every widget's id by its user key (`$$ID-<hash>-<key>` -> key)."""
        found = {}
        for _kind, element in self.elements:
            widget_id = getattr(element, "id", "")
            if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
                found[widget_id.split("-", 2)[2]] = widget_id
        return found

    def widget(self, key: str) -> object | None:
        """The element of the widget with this user key, if the run drew it."""
        for _kind, element in self.elements:
            widget_id = getattr(element, "id", "")
            if isinstance(widget_id, str) and widget_id.startswith("$$ID-") and widget_id.split("-", 2)[2] == key:
                return element
        return None


class Session:
    """One app session over the websocket, as one browser tab; use as a context manager."""

    def __init__(self, server: Server, query: str = "", page: str = "", *, resume: str | None = None,
                 cookies: str | None = None):
        self.server = server
        self.query = query
        self.page = page  # the page's URL path name ("assess"); "" is the default page
        self.page_hash = ""
        self.resume = resume  # a session id to reattach to, as the web client does when it reconnects
        self.cookies = cookies  # a Cookie header to send with the websocket, as a browser would
        self.session_id = ""  # the server's id of this session, from its first answer
        self.connection: ClientConnection | None = None
        self._exits = contextlib.ExitStack()

    def __enter__(self) -> Session:
        # The web client names a session to resume in the third subprotocol entry (the second is an XSRF token).
        protocols = ["streamlit", "xsrf", self.resume] if self.resume else ["streamlit"]
        headers = {"Cookie": self.cookies} if self.cookies else None
        self.connection = self._exits.enter_context(connect(
            f"ws://127.0.0.1:{self.server.port}/_stcore/stream", subprotocols=protocols, max_size=None,
            open_timeout=30, close_timeout=2, legacy=False, additional_headers=headers))
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection = None
        with contextlib.suppress(Exception):  # a dead server leaves nothing to close politely
            self._exits.close()

    def open(self) -> Run:
        """The first run, as a browser landing on the page's URL (`/<page>?<query>`)."""
        run = self.rerun()
        if self.page and not self.page_hash:
            raise RuntimeError(f"the app has no page {self.page!r}")
        return run

    def rerun(self, *widgets: WidgetState, fragment_id: str = "") -> Run:
        """Ask for a script run (or a fragment's) with these widgets' new values; wait for the run to end."""
        assert self.connection is not None, "use the session as a context manager"
        message = BackMsg()
        message.rerun_script.fragment_id = fragment_id
        message.rerun_script.query_string = self.query
        message.rerun_script.page_script_hash = self.page_hash
        message.rerun_script.page_name = self.page  # the URL's path: how the first run finds its page
        message.rerun_script.widget_states.widgets.extend(widgets)
        began = time.monotonic()
        self.connection.send(message.SerializeToString())
        elements: list[tuple[str, object]] = []
        fragments: dict[str, str] = {}
        deadline = began + RUN_TIMEOUT
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(self.connection.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
            if kind == "navigation":
                for app_page in reply.navigation.app_pages:
                    if self.page and app_page.url_pathname == self.page:
                        self.page_hash = app_page.page_script_hash
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind:
                    body = getattr(element, element_kind)
                    elements.append((element_kind, body))
                    widget_id = getattr(body, "id", "")
                    if reply.delta.fragment_id and isinstance(widget_id, str) and widget_id:
                        fragments[widget_id] = reply.delta.fragment_id
            elif kind == "script_finished":
                if reply.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for another run (st.rerun, a page switch): wait for that one
                return Run(elements, time.monotonic() - began, fragments)


    def download(self, file_id: str) -> tuple[str, str]:
        """Click a download button whose file is made on click: (the file's URL, "") or ("", the error)."""
        assert self.connection is not None, "use the session as a context manager"
        message = BackMsg()
        message.backend_operation_request.request_id = f"download-{file_id}"
        message.backend_operation_request.session_id = self.session_id
        message.backend_operation_request.deferred_file.file_id = file_id
        self.connection.send(message.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(self.connection.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if reply.WhichOneof("type") == "backend_operation_response":
                answer = reply.backend_operation_response
                return answer.deferred_file.url, answer.error_msg


def trigger(widget_id: str) -> WidgetState:
    """A button's click (a form's submit button sends its form's values with it)."""
    return WidgetState(id=widget_id, trigger_value=True)


def text(widget_id: str, value: str) -> WidgetState:
    """A text input's or text area's committed value."""
    return WidgetState(id=widget_id, string_value=value)
