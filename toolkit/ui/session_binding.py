"""A signed-in session belongs to the browser that signed in, not to whoever knows its session id.

Streamlit lets a websocket reattach to a live session by naming its id, and that id appears in
upload URLs (so in proxy logs). A sign-in therefore binds the session to two things only the
signing-in browser has:

* the websocket connection it signed in on (its `Sec-WebSocket-Key`, chosen afresh by the browser
  for every connection and never part of a URL), and
* a cookie `ddmt_s_<name>=<token>` with two random values, set in that browser by a line of script
  right after the sign-in; a reconnecting browser (a network blip) sends it with the new websocket.

Every run checks the binding (`bound`): a run on another connection whose cookies lack the token
is not this browser, and the sign-in ends at once (`toolkit.ui.auth.signed_in`). What remains is
said in `docs/access.md`: the cookie travels in clear text unless the app is served over TLS.
"""

from __future__ import annotations

import hmac
import json
import secrets

import streamlit as st

TOKEN_KEY = "auth_bind_token"  # the random value the browser's cookie must carry
NAME_KEY = "auth_bind_name"  # the cookie's name (one per sign-in, so two tabs do not overwrite each other)
CONNECTION_KEY = "auth_bind_connection"  # the Sec-WebSocket-Key of the connection that signed in
COOKIE_PREFIX = "ddmt_s_"


def bind() -> None:
    """Bind the session to this connection and a new random cookie (call right after a sign-in)."""
    st.session_state[NAME_KEY] = COOKIE_PREFIX + secrets.token_hex(8)
    st.session_state[TOKEN_KEY] = secrets.token_urlsafe(32)
    st.session_state[CONNECTION_KEY] = connection_id()


def bound() -> bool:
    """Whether this run comes from the browser that signed in (its cookie, or its very connection)."""
    token, name = st.session_state.get(TOKEN_KEY), st.session_state.get(NAME_KEY)
    if not (isinstance(token, str) and isinstance(name, str)):
        return False
    sent = st.context.cookies.get(name)
    if isinstance(sent, str) and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    bound_to = st.session_state.get(CONNECTION_KEY)
    return isinstance(bound_to, str) and hmac.compare_digest(bound_to.encode(), connection_id().encode())


def set_cookie() -> None:
    """Put the binding cookie in the browser until a connection of it has carried it once."""
    token, name = st.session_state.get(TOKEN_KEY), st.session_state.get(NAME_KEY)
    if not (isinstance(token, str) and isinstance(name, str)) or st.context.cookies.get(name) == token:
        return
    # Both values are URL-safe text made here, never user input; json.dumps quotes them for the script.
    cookie = json.dumps(f"{name}={token}; path=/; SameSite=Strict")
    st.html(f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)


def connection_id() -> str:
    """The websocket key of the connection this run came on ("" without one: AppTest, bare mode)."""
    return str(st.context.headers.get("Sec-Websocket-Key") or "")
