"""A small but real OpenID Connect provider for tests: the authorization code flow, on loopback.

    provider = OIDCProvider(redirect_uris=["http://127.0.0.1:8501/oauth2callback"])
    provider.start()          # a random free port on 127.0.0.1, served from a daemon thread
    provider.secrets_toml()   # the `[auth]` section Streamlit's st.login needs to use it
    provider.stop()

What it serves (OpenID Connect Core 1.0, Discovery 1.0, RFC 6749, RFC 7636, RP-Initiated Logout 1.0):

    GET  /.well-known/openid-configuration   the discovery document
    GET  /authorize                          checks the request, shows a sign-in form (one e-mail field)
    POST /authorize                          the form: redirects to redirect_uri with ?code=&state=
                                             ("Cancel" redirects with error=access_denied)
    POST /token                              code -> access token and an RS256-signed id_token; checks
                                             the client (HTTP Basic or client_secret_post), the
                                             redirect_uri, the PKCE verifier (S256 or plain) and that
                                             the code is fresh and used once
    GET  /jwks                               the public signing key
    GET  /userinfo                           the claims, for a bearer access token
    GET  /logout                             end_session_endpoint: forgets the session, redirects to
                                             a registered post_logout_redirect_uri

A request the provider must not redirect (unknown client, unregistered redirect_uri) gets an error
page, as the specification asks. Every e-mail typed is signed in: the provider has no passwords.
`verified` decides each address's `email_verified` (True unless a test sets it to False). The
provider keeps what happened in `sign_ins`, `tokens_issued` and `logouts` for tests to check.

Only the standard library, `cryptography` (the key) and `joserfc` (signing) are used; no request
from the relying party is taken on trust, so Streamlit's st.login (Authlib) is exercised as it
would be against a real provider.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

CODE_SECONDS = 60      # an authorization code is good for a minute, and once
TOKEN_SECONDS = 600    # id and access tokens
PENDING_SECONDS = 600  # an authorization request waiting for its form


@dataclass
class _Request:
    """An authorization request the provider accepted, waiting for the person to sign in."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    created: float = field(default_factory=time.time)


@dataclass
class _Grant:
    """An issued authorization code."""

    request: _Request
    email: str
    issued: float = field(default_factory=time.time)


class OIDCProvider:
    """An OpenID Connect provider on 127.0.0.1 for one confidential client (see the module docstring)."""

    def __init__(self, redirect_uris: Iterable[str] = (), client_id: str = "ddmt-test-client",
                 client_secret: str | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.redirect_uris: set[str] = set(redirect_uris)
        self.verified: dict[str, bool] = {}  # e-mail (lowercase) -> email_verified; True if absent
        self.sign_ins: list[str] = []        # the e-mails signed in through the form, in order
        self.tokens_issued: list[dict] = []  # the id_token claims issued, in order
        self.logouts: list[dict[str, str]] = []  # the end-session requests (their query parameters)
        self.token_age = 0  # seconds: ID tokens claim to be issued this long ago (`iat`; `exp` stays ahead)
        self._pending: dict[str, _Request] = {}
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, dict] = {}   # access token -> claims
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self._key = RSAKey.import_key(private, parameters={"kid": self.kid, "use": "sig", "alg": "RS256"})

    # --- running ----------------------------------------------------------------------------------

    def start(self) -> OIDCProvider:
        provider = self

        class Handler(_Handler):
            owner = provider

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> OIDCProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        if self._server is None:
            raise RuntimeError("the provider is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict:
        issuer = self.issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "end_session_endpoint": f"{issuer}/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                                 "email", "email_verified", "name"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256", "plain"],
        }

    def secrets_toml(self, redirect_uri: str, cookie_secret: str | None = None) -> str:
        """The `[auth]` section of a Streamlit secrets file for this provider (the unnamed default)."""
        values = {"redirect_uri": redirect_uri, "cookie_secret": cookie_secret or secrets.token_urlsafe(32),
                  "client_id": self.client_id, "client_secret": self.client_secret,
                  "server_metadata_url": self.metadata_url}
        return "[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())

    # --- the protocol -------------------------------------------------------------------------------

    def subject(self, email: str) -> str:
        """A stable, opaque `sub` for an address (what a real provider's account id would be)."""
        return hashlib.sha256(f"{self.kid}:{email}".encode()).hexdigest()[:24]

    def jwks(self) -> dict:
        return {"keys": [self._key.as_dict(private=False)]}

    def _authorization_request(self, query: dict[str, str]) -> tuple[_Request | None, str | None, str | None]:
        """(request, None, None) if acceptable; else (None, error, redirect_uri or None if not to redirect)."""
        client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
        if client_id != self.client_id:
            return None, "unknown client_id", None
        if redirect_uri not in self.redirect_uris:
            return None, "redirect_uri is not registered for this client", None
        if query.get("response_type") != "code":
            return None, "unsupported_response_type", redirect_uri
        scope = query.get("scope", "")
        if "openid" not in scope.split():
            return None, "invalid_scope", redirect_uri
        method = query.get("code_challenge_method")
        challenge = query.get("code_challenge")
        if challenge and (method or "plain") not in ("S256", "plain"):
            return None, "invalid_request", redirect_uri
        return _Request(client_id, redirect_uri, scope, query.get("state"), query.get("nonce"), challenge,
                        (method or "plain") if challenge else None), None, None

    def _grant(self, request_id: str, email: str) -> tuple[_Request, str] | None:
        with self._lock:
            request = self._pending.pop(request_id, None)
            if request is None or time.time() - request.created > PENDING_SECONDS:
                return None
            code = secrets.token_urlsafe(32)
            self._codes[code] = _Grant(request, email)
            self.sign_ins.append(email)
        return request, code

    def _exchange(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        """The token endpoint: (status, JSON body)."""
        client = self._client(form, authorization)
        if client is None:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once, even if refused
        if grant is None or time.time() - grant.issued > CODE_SECONDS:
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        request = grant.request
        if request.client_id != client or form.get("redirect_uri") != request.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "the code was issued for another request"}
        if request.code_challenge is not None:
            verifier = form.get("code_verifier")
            if not verifier:
                return 400, {"error": "invalid_grant", "error_description": "code_verifier is missing"}
            expected = _s256(verifier) if request.code_challenge_method == "S256" else verifier
            if not hmac.compare_digest(expected, request.code_challenge):
                return 400, {"error": "invalid_grant", "error_description": "code_verifier does not match"}
        elif form.get("code_verifier"):
            return 400, {"error": "invalid_grant", "error_description": "no code_challenge was sent"}
        return 200, self._tokens(grant)

    def _client(self, form: dict[str, str], authorization: str | None) -> str | None:
        """The authenticated client id (client_secret_basic or client_secret_post), or None."""
        if authorization and authorization.lower().startswith("basic "):
            try:
                pair = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
            client_id, _, secret = pair.partition(":")
            client_id, secret = unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id == self.client_id and hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return client_id
        return None

    def _tokens(self, grant: _Grant) -> dict:
        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        email = grant.email
        claims = {"iss": self.issuer, "sub": self.subject(email), "aud": self.client_id,
                  "iat": now - self.token_age,
                  "exp": now + TOKEN_SECONDS, "auth_time": int(grant.issued), "email": email,
                  "email_verified": self.verified.get(email.lower(), True), "name": email.split("@")[0],
                  "at_hash": _half_hash(access_token)}
        if grant.request.nonce is not None:
            claims["nonce"] = grant.request.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, self._key)
        with self._lock:
            self._access[access_token] = {key: claims[key] for key in ("sub", "email", "email_verified", "name")}
            self.tokens_issued.append(claims)
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                "id_token": id_token, "scope": grant.request.scope}


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def _half_hash(value: str) -> str:
    """at_hash for RS256: the left half of SHA-256, base64url without padding (OIDC Core 3.1.3.6)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def _with_params(uri: str, params: dict[str, str | None]) -> str:
    parts = urlsplit(uri)
    extra = urlencode({key: value for key, value in params.items() if value is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider: sign in</title></head>
<body>
<h1>Test identity provider</h1>
<p>Signing in to <code>{client}</code></p>
<form method="post" action="/authorize">
  <input type="hidden" name="request" value="{request}">
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <button type="submit" name="action" value="sign-in">Continue</button>
  <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
</body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    owner: OIDCProvider
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: pytest shows failures, not every request

    # --- replies -------------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: dict, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value).encode(), "application/json", headers)

    def _page(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain", {"Location": location})

    def _query(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return {}
        return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}

    # --- routes ----------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        provider = self.owner
        if path == "/.well-known/openid-configuration":
            self._json(200, provider.metadata())
        elif path == "/jwks":
            self._json(200, provider.jwks())
        elif path == "/authorize":
            self._authorize_get()
        elif path == "/userinfo":
            self._userinfo()
        elif path == "/logout":
            self._logout()
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path == "/authorize":
            self._authorize_post()
        elif path == "/token":
            status, body = self.owner._exchange(self._form(), self.headers.get("Authorization"))
            self._json(status, body, {"Pragma": "no-cache"})
        elif path == "/userinfo":
            self._userinfo()
        else:
            self._json(404, {"error": "not_found"})

    def _authorize_get(self) -> None:
        provider = self.owner
        query = self._query()
        request, error, back = provider._authorization_request(query)
        if request is None:
            if back is None:
                self._page(400, f"<h1>Bad request</h1><p>{html.escape(error or '')}</p>")
            else:
                self._redirect(_with_params(back, {"error": error, "state": query.get("state")}))
            return
        request_id = secrets.token_urlsafe(16)
        with provider._lock:
            provider._pending[request_id] = request
        self._page(200, _FORM.format(client=html.escape(request.client_id), request=html.escape(request_id)))

    def _authorize_post(self) -> None:
        provider = self.owner
        form = self._form()
        request_id, email = form.get("request", ""), form.get("email", "").strip()
        if form.get("action") == "cancel":
            with provider._lock:
                request = provider._pending.pop(request_id, None)
            if request is None:
                self._page(400, "<h1>Bad request</h1><p>unknown or expired sign-in request</p>")
            else:
                self._redirect(_with_params(request.redirect_uri, {"error": "access_denied",
                                                                   "state": request.state}))
            return
        if "@" not in email:
            self._page(400, "<h1>Bad request</h1><p>an e-mail address is needed</p>")
            return
        granted = provider._grant(request_id, email)
        if granted is None:
            self._page(400, "<h1>Bad request</h1><p>unknown or expired sign-in request</p>")
            return
        request, code = granted
        self._redirect(_with_params(request.redirect_uri, {"code": code, "state": request.state}))

    def _userinfo(self) -> None:
        authorization = self.headers.get("Authorization") or ""
        token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        with self.owner._lock:
            claims = self.owner._access.get(token)
        if claims is None:
            self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        else:
            self._json(200, claims)

    def _logout(self) -> None:
        provider = self.owner
        query = self._query()
        back = query.get("post_logout_redirect_uri")
        with provider._lock:
            provider.logouts.append(query)
        if back and back in provider.redirect_uris:
            self._redirect(_with_params(back, {"state": query.get("state")}))
        else:
            self._page(200, "<h1>You are signed out of the test identity provider.</h1>")
