"""Located problems: the one shape every validation and reading failure takes.

An issue says where (file, and a JSON path like `$.dimensions[2].weight`, a line and column for
text that is not JSON yet, or a `place` named by the reader itself: a cell `Questionnaire!D7`, a CSV
`row 5`, a zip entry) and what (a closed set of codes, each with a plain message). Its string form
is the line the command line prints: `FILE: $.path: message`, `FILE: Questionnaire!D7: message`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: in no UTF-8 text


def escape_surrogates(text: str) -> str:
    """`text` with each lone UTF-16 surrogate written as `\\udXXX`, so a message holding one can be printed.

    Half a surrogate pair (from a JSON escape like `"\\ud800"` or undecodable bytes) is no character:
    UTF-8 cannot encode it, so a terminal, a log or a page would fail on the whole message. Every
    other character, Indonesian or otherwise, is kept as it is.
    """
    return SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_path(parts: Iterable[str | int]) -> str:
    """Render path parts as a JSONPath: `$.answers["ins.x"].level`, `$.dimensions[0]`."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            # JSON string escaping: quotes, backslashes and control characters, so a hostile key
            # can never break the one-line message format.
            out += f"[{escape_surrogates(json.dumps(part, ensure_ascii=False))}]"
    return out


@dataclass(frozen=True)
class Issue:
    """One located problem in one document."""

    file: str
    code: str
    message: str
    path: tuple[str | int, ...] | None = None
    line: int | None = None
    column: int | None = None
    place: str | None = None  # a place in the reader's own terms: `Questionnaire!D7`, `row 5`

    @property
    def where(self) -> str:
        """The place inside the file: a JSON path, `line L, column C`, a named place, or empty."""
        if self.place is not None:
            return self.place
        if self.path is not None:
            return json_path(self.path)
        if self.line is not None:
            return f"line {self.line}, column {self.column or 1}"
        return ""

    def __str__(self) -> str:
        where = self.where
        line = f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"
        return escape_surrogates(line)


@dataclass(frozen=True)
class Report:
    """The outcome of validating one document: its kind (if known) and every issue found."""

    file: str
    kind: str | None
    issues: Sequence[Issue] = ()

    @property
    def valid(self) -> bool:
        return not self.issues
