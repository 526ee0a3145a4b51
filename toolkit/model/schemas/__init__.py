"""The JSON Schemas (draft 2020-12) of the two document kinds, shipped as package data.

Read through importlib.resources so that an installed wheel (or a zip import) finds them too.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

KINDS = ("rubric", "assessment")


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The schema of a document kind (`rubric` or `assessment`), parsed; do not mutate it."""
    if kind not in KINDS:
        raise ValueError(f"no schema for kind {kind!r}")
    text = files(__name__).joinpath(f"{kind}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
