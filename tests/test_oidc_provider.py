"""The test OpenID Connect provider (tests/oidc_provider.py) follows the protocol, refusals included,
so the browser test of OIDC sign-in (tests/browser/test_oidc.py) proves something about the app."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.jwk import KeySet
from oidc_provider import OIDCProvider

REDIRECT = "http://127.0.0.1:8501/oauth2callback"


@pytest.fixture
def provider() -> Iterator[OIDCProvider]:
    with OIDCProvider(redirect_uris=[REDIRECT]) as running:
        yield running


def call(provider: OIDCProvider, method: str, path: str, form: dict | None = None,
         headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(provider.issuer).port, timeout=10)
    body = urlencode(form).encode() if form is not None else None
    sent = {**({"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}), **(headers or {})}
    connection.request(method, path, body=body, headers=sent)
    reply = connection.getresponse()
    result = reply.status, {key.lower(): value for key, value in reply.getheaders()}, reply.read()
    connection.close()
    return result


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def code_for(provider: OIDCProvider, email: str, verifier: str | None = None, nonce: str = "n-1") -> str:
    """Through /authorize and its form, as a browser would: the code the provider sends back."""
    query = {"response_type": "code", "client_id": provider.client_id, "redirect_uri": REDIRECT,
             "scope": "openid email profile", "state": "s-1", "nonce": nonce}
    if verifier:
        query |= {"code_challenge": challenge(verifier), "code_challenge_method": "S256"}
    status, _, page = call(provider, "GET", "/authorize?" + urlencode(query))
    assert status == 200 and b'name="email"' in page
    request_id = page.decode().split('name="request" value="')[1].split('"')[0]
    status, headers, _ = call(provider, "POST", "/authorize", {"request": request_id, "email": email,
                                                                 "action": "sign-in"})
    back = urlsplit(headers["location"])
    assert status == 303 and f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    params = parse_qs(back.query)
    assert params["state"] == ["s-1"]
    return params["code"][0]


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def exchange(provider: OIDCProvider, code: str, verifier: str | None = None, secret: str | None = None):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier:
        form["code_verifier"] = verifier
    status, _, body = call(provider, "POST", "/token", form,
                           basic(provider.client_id, secret or provider.client_secret))
    return status, json.loads(body)


def test_the_code_flow_gives_an_id_token_authlib_accepts(provider):
    discovery = json.loads(call(provider, "GET", "/.well-known/openid-configuration")[2])
    assert discovery["issuer"] == provider.issuer and "S256" in discovery["code_challenge_methods_supported"]
    verifier = secrets.token_urlsafe(48)
    status, tokens = exchange(provider, code_for(provider, "Ana@Example.org", verifier), verifier)
    assert status == 200 and tokens["token_type"] == "Bearer"

    keys = KeySet.import_key_set(json.loads(call(provider, "GET", "/jwks")[2]))
    token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    claims = CodeIDToken(token.claims, token.header, {"iss": {"values": [provider.issuer]}},
                         {"nonce": "n-1", "client_id": provider.client_id, "access_token": tokens["access_token"]})
    claims.validate(leeway=120)  # what Authlib (st.login) checks: iss, aud, exp, iat, nonce, at_hash
    assert claims["email"] == "Ana@Example.org" and claims["email_verified"] is True

    status, _, body = call(provider, "GET", "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert status == 200 and json.loads(body)["sub"] == claims["sub"]


def test_a_code_is_used_once_and_only_with_the_right_client_and_verifier(provider):
    verifier = secrets.token_urlsafe(48)
    code = code_for(provider, "ana@example.org", verifier)
    assert exchange(provider, code, verifier, secret="wrong")[0] == 401
    code = code_for(provider, "ana@example.org", verifier)
    assert exchange(provider, code, "another verifier of enough length to be taken seriously")[1]["error"] == (
        "invalid_grant")
    code = code_for(provider, "ana@example.org", verifier)
    assert exchange(provider, code)[1]["error"] == "invalid_grant"  # the verifier left out
    code = code_for(provider, "ana@example.org", verifier)
    assert exchange(provider, code, verifier)[0] == 200
    assert exchange(provider, code, verifier)[1]["error"] == "invalid_grant"  # used twice


def test_an_unregistered_redirect_uri_is_never_redirected_to(provider):
    query = {"response_type": "code", "client_id": provider.client_id, "redirect_uri": "http://evil.example/cb",
             "scope": "openid", "state": "s"}
    status, headers, _ = call(provider, "GET", "/authorize?" + urlencode(query))
    assert status == 400 and "location" not in headers
    status, headers, _ = call(provider, "GET", "/authorize?" + urlencode(query | {"client_id": "other"}))
    assert status == 400 and "location" not in headers


def test_an_address_can_be_reported_unverified(provider):
    provider.verified["una@example.org"] = False
    status, tokens = exchange(provider, code_for(provider, "una@example.org"))
    claims = jwt.decode(tokens["id_token"], KeySet.import_key_set(provider.jwks())).claims
    assert status == 200 and claims["email_verified"] is False and claims["nonce"] == "n-1"
