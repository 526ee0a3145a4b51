"""Debian's nginx in front of several app servers, started by a test as an unprivileged process.

`config` writes the same nginx.conf that docs/operations.md gives for a deployment (the prefix
paths and ports are the test's; the test adds an `X-Served-By` header so it can tell which server
answered). `Nginx` runs `nginx -p PREFIX -c nginx.conf -e error.log -g "daemon off;"` in a
temporary folder: as the `nobody` account when the tests run as root (nginx then never holds
root), else as the current user. `why_no_nginx` says why it cannot run here; in CI that is a
failure, because `.ci/run` installs nginx.

Sticky sessions from one client address: `ip_hash` would send every localhost client (and every
person behind one office NAT) to the same server. Instead nginx gives each browser a random
`ddmt_server` cookie on its first request (`$request_id` when the cookie is absent) and routes by
`hash $cookie consistent`, so a browser's page, websocket and uploads reach one server, and when
that server is down the consistent hash sends its reconnection to another.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

NGINX = "/usr/sbin/nginx"
COOKIE = "ddmt_server"


def why_no_nginx() -> str | None:
    """Why nginx cannot be started here, or None if it can."""
    if not Path(NGINX).is_file() and shutil.which("nginx") is None:
        return "nginx is not installed (apt-get install -y nginx)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            return "running as root and there is no nobody account to run nginx as"
        if shutil.which("runuser") is None:
            return "running as root and runuser (util-linux) is not there to drop to the nobody account"
    return None


def config(prefix: Path, port: int, servers: list[int], *, served_by: bool = False) -> str:
    """The nginx.conf of docs/operations.md for app servers on these loopback ports, listening on `port`."""
    upstreams = "\n".join(f"        server 127.0.0.1:{server} max_fails=1 fail_timeout=10s;" for server in servers)
    extra = "            add_header X-Served-By $upstream_addr always;  # tests only\n" if served_by else ""
    return f"""\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;

    # A websocket upgrade passes through; any other request closes its upstream connection as usual.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}

    # Sticky sessions that work from one client address: each browser gets a random cookie on its
    # first request, and every later request (the page, the websocket, uploads) hashes to one server.
    map $cookie_{COOKIE} $ddmt_route {{
        ''      $request_id;
        default $cookie_{COOKIE};
    }}
    map $cookie_{COOKIE} $ddmt_set_cookie {{
        ''      "{COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}

    upstream ddmt {{
        hash $ddmt_route consistent;
{upstreams}
    }}

    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;  # evidence files are at most 10 MB

        location / {{
            proxy_pass http://ddmt;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;  # a websocket is quiet while a person reads
            proxy_send_timeout 1h;
            proxy_buffering off;
            add_header Set-Cookie $ddmt_set_cookie always;
{extra}        }}
    }}
}}
"""


@dataclass
class Nginx:
    """nginx on a free loopback port in front of app servers on `servers` (loopback ports)."""

    port: int
    servers: list[int]
    prefix: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ddmt-nginx-")))
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> None:
        (self.prefix / "temp").mkdir(exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(config(self.prefix, self.port, self.servers, served_by=True), encoding="utf-8")
        command = [NGINX if Path(NGINX).is_file() else "nginx", "-p", str(self.prefix), "-c", str(conf),
                   "-e", str(self.prefix / "error.log"), "-g", "daemon off;"]
        if os.geteuid() == 0:
            account = pwd.getpwnam("nobody")
            for path in (self.prefix, *self.prefix.rglob("*")):
                os.chown(path, account.pw_uid, account.pw_gid)
            command = ["runuser", "-u", "nobody", "--", *command]
        self.process = subprocess.Popen(command, cwd=self.prefix, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode(errors='replace')}"
                                   f"{self.error_log()[-2000:]}")
            try:
                self.get("/_stcore/health")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"nginx did not answer within {timeout:g} s: {self.error_log()[-2000:]}")

    def get(self, path: str, cookie: str | None = None) -> tuple[str, str | None]:
        """GET through nginx: (which app server answered, the route cookie nginx set, if it set one)."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
        with urllib.request.urlopen(request, timeout=10) as reply:
            served_by = reply.headers.get("X-Served-By", "")
            set_cookies = reply.headers.get_all("Set-Cookie") or []
        for header in set_cookies:  # the app server may set its own cookies too
            given = SimpleCookie(header).get(COOKIE)
            if given is not None:
                return served_by, given.value
        return served_by, None

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGQUIT)  # graceful: finish open requests, then exit
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.process = None
        shutil.rmtree(self.prefix, ignore_errors=True)
