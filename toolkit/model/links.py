"""Whether evidence text is a web address written wrongly ("kemlu.example/...", "http//...", "www....").

Such text, kept as a text item, would count as evidence and lift the evidence cap while no one can
open it: the questionnaire import and the app refuse it and say how to write the address. Text with
spaces is a description, never a broken address; a bare name with a dot and no slash ("report.pdf",
"kemlu.go.id") stays text too, since it could be either.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SCHEME_TYPO = re.compile(r"^h?t?tps?(:/?|//|:\\\\|;//|\.//)(?!/)", re.IGNORECASE)  # http//, https:/, http:\\ ...
_HOST_PATH = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:[0-9]+)?/\S*$", re.IGNORECASE)
_WWW = re.compile(r"^www\.[a-z0-9-]+\.\S+$", re.IGNORECASE)
_GOOD = re.compile(r"^https?://[^/\s]+", re.IGNORECASE)
_BARE = re.compile(r"^https?://$", re.IGNORECASE)


def broken_link(text: str) -> bool:
    """Whether this text looks like a web address but is not a usable http(s) one."""
    token = text.strip()
    if not token or any(char.isspace() for char in token) or _GOOD.match(token):
        return False
    return bool(_SCHEME_TYPO.match(token) or _HOST_PATH.match(token) or _WWW.match(token) or _BARE.match(token))


def names_a_host(address: str) -> bool:
    """Whether an http(s) address names a host to open: `https://@`, `https://:80/` and `http://[::1` do not."""
    try:
        return bool(urlsplit(address).hostname)
    except ValueError:  # a malformed IPv6 host
        return False
