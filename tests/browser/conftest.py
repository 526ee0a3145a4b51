"""Browser tests: the real app in a real Streamlit server, driven by Debian's Chromium.

The server runs `app.py` on a free loopback port with its own data folder (`app_server`; `oidc_app`
is one with `auth = oidc` and a test OpenID Connect provider, tests/oidc_provider.py). In CI the
browser must be there (CI installs it); elsewhere a machine without Chromium skips these tests with
a reason. Screenshots of failing tests are kept in `test-artifacts/`; the `ui` fixture's `shoot`
keeps screenshots of whole pages in `test-artifacts/pages/` for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from oidc_provider import OIDCProvider
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from toolkit.store.store import Store

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
PAGE_SHOTS = ARTIFACTS / "pages"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Every `expect(...)` waits up to 20 s instead of Playwright's 5 s: on two shared cores a page's rerun
# after a click can take several seconds, and a test must fail on a wrong page, not on a slow one.
expect.set_options(timeout=20_000)


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} does not exist")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium, never a downloaded browser, with the flags this network needs."""
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """A running `streamlit run app.py` that a test may stop and start again on the same data.

    `cwd` is the folder the server starts from (Streamlit reads `.streamlit/secrets.toml` there);
    `env` adds environment variables to the server's, a value of None removes one.
    """

    data_dir: Path
    port: int
    process: subprocess.Popen | None = None
    cwd: Path = REPO
    env: dict[str, str | None] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "DDMT_DATA_DIR": str(self.data_dir), "DDMT_DATABASE_URL": ""}
        env.pop("DDMT_DATABASE_URL")
        for name, value in self.env.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited: see {self.data_dir / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the app server did not become healthy within 60 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[AppServer]:
    """One app server per test module, on a fresh data folder seeded with the sample ministries."""
    _require_chromium()
    server = AppServer(tmp_path_factory.mktemp("app-data"), _free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class OIDCApp:
    """An app server in `auth = oidc` mode signing people in through a test OpenID Connect provider."""

    server: AppServer
    provider: OIDCProvider

    @property
    def url(self) -> str:
        return self.server.url

    def ddmt(self, *args: str) -> str:
        """Run the real command line (`ddmt ...`) on the server's database; its output, or a failure."""
        env = {**os.environ, "DDMT_DATA_DIR": str(self.server.data_dir)}
        env.pop("DDMT_DATABASE_URL", None)
        done = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=120, check=False)
        assert done.returncode == 0, f"ddmt {' '.join(args)}: {done.stderr or done.stdout}"
        return done.stdout


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory) -> Iterator[OIDCApp]:
    """One app server per test module with `auth = oidc` and a test OpenID Connect provider on loopback.

    The server starts from its own folder, whose `.streamlit/secrets.toml` holds `[ddmt] auth = "oidc"`
    and the provider's `[auth]` section, as an administrator would write them (docs/access.md). The
    database is seeded with the sample ministries; tests add accounts with `oidc_app.ddmt("user", ...)`.
    """
    _require_chromium()
    root = tmp_path_factory.mktemp("oidc-app")
    data = root / "data"
    data.mkdir()
    port = _free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    provider = OIDCProvider(redirect_uris=[redirect_uri]).start()
    store = Store.open(f"sqlite:///{data / 'ddmt.sqlite3'}", data_dir=data)
    try:
        store.seed_samples(REPO / "sample_ministries")
    finally:
        store.close()
    (root / ".streamlit").mkdir()
    (root / ".streamlit" / "secrets.toml").write_text(
        '[ddmt]\nauth = "oidc"\n\n' + provider.secrets_toml(redirect_uri), encoding="utf-8")
    # The app server talks to the provider on loopback: never through a proxy the machine may set.
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    server = AppServer(data, port, cwd=root, env={
        "DDMT_AUTH": None, "DDMT_OIDC_PROVIDER": None, "DDMT_IDLE_MINUTES": None,
        "NO_PROXY": no_proxy, "no_proxy": no_proxy})
    try:
        server.start()
        yield OIDCApp(server, provider)
    finally:
        server.stop()
        provider.stop()


class StreamlitUI:
    """Small helpers for driving a Streamlit page the way a person does (see ../shared/TESTING.md)."""

    # Streamlit scrolls inside its main block, so a "full page" screenshot of the document is only
    # the viewport: the viewport is stretched to the content's height for the picture instead.
    _CONTENT_HEIGHT = ("() => Math.max(...Array.from(document.querySelectorAll("
                       "'[data-testid=stMain], [data-testid=stAppViewContainer], [data-testid=stSidebarContent]'),"
                       " e => e.scrollHeight), window.innerHeight)")
    _TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    # Resolves once nothing on the page has scrolled for three animation frames.
    _SCROLL_STILL = """() => new Promise(done => {
        const boxes = [document.scrollingElement, ...document.querySelectorAll(
            '[data-testid=stMain], [data-testid=stAppViewContainer]')].filter(Boolean);
        let last = null, still = 0;
        const tick = () => {
            const now = boxes.map(box => box.scrollTop).join();
            still = now === last ? still + 1 : 0;
            last = now;
            if (still >= 3) done(); else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    })"""

    @staticmethod
    def settle(page: Page) -> None:
        """Wait until the app is connected and no script run is going on."""
        app = page.get_by_test_id("stApp")
        expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
        expect(app).to_have_attribute("data-test-script-state", "notRunning")

    @staticmethod
    def choose(page: Page, combobox: Locator, option: str | re.Pattern[str], search: str | None = None) -> None:
        """Pick an option of a Streamlit selectbox: type to narrow the list (long lists show only
        their first options), then click the option. `search` is what to type (default: the option)."""
        text = search if search is not None else option
        assert isinstance(text, str), "give `search` with a pattern"
        wanted = page.get_by_role("option", name=option, exact=isinstance(option, str))
        for attempt in range(3):
            # The list closes when the page scrolls under it: bring the box into view first. A rerun
            # started by the previous widget (a text field committing as it loses focus) can close
            # it too: open it again then.
            combobox.scroll_into_view_if_needed()
            page.evaluate(StreamlitUI._SCROLL_STILL)
            combobox.fill(text)
            try:
                wanted.click(timeout=3_000)
                expect(combobox).to_have_value(option, timeout=3_000)
                return
            except (AssertionError, PlaywrightTimeoutError):
                if attempt == 2:
                    raise
                combobox.press("Escape")

    @staticmethod
    def no_errors(page: Page) -> None:
        """No exception box and no st.error message on the page."""
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)

    def shoot(self, page: Page, name: str) -> Path:
        """A screenshot of the whole page as test-artifacts/pages/<name>.png, for people to look at."""
        PAGE_SHOTS.mkdir(parents=True, exist_ok=True)
        return self.whole_page(page, PAGE_SHOTS / f"{name}.png")

    @classmethod
    def whole_page(cls, page: Page, path: Path, max_height: int = 12_000) -> Path:
        """A screenshot of the whole page, not only the viewport."""
        size = page.viewport_size or {"width": 1280, "height": 720}
        height = min(int(page.evaluate(cls._CONTENT_HEIGHT)), max_height)
        try:
            page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
            page.evaluate(cls._TWO_FRAMES)
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(size)
        return path


@pytest.fixture(scope="session")
def ui() -> StreamlitUI:
    return StreamlitUI()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of the page of every failing browser test."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.fixturenames:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                StreamlitUI.whole_page(page, ARTIFACTS / f"{item.name}.png")
            except Exception:  # noqa: BLE001, S110 - a failed screenshot must not hide the test's failure
                pass
