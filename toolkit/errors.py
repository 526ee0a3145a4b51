"""One small exception family for everything the library refuses.

    ToolkitError                 base; every library failure a caller should catch
    ├── DocumentError            a document (file or dict) is unreadable or invalid; carries its issues
    ├── RubricNotFoundError      no rubric with that id and version is known
    └── ComparisonError          assessments that cannot be scored or compared together

Each carries a message that is already fit to show a user on one line; `DocumentError` also
carries the located `Issue` list so the command line and the app can print every problem at once.
A message quoting a value that holds half of a UTF-16 surrogate pair shows it escaped (`\\ud800`),
so the message itself can always be printed, logged and stored as UTF-8.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from toolkit.issues import escape_surrogates

if TYPE_CHECKING:
    from toolkit.issues import Issue


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""

    def __init__(self, *args: object):
        super().__init__(*(escape_surrogates(arg) if isinstance(arg, str) else arg for arg in args))


class DocumentError(ToolkitError):
    """A document could not be read or is invalid; `issues` lists every located problem."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues) or "invalid document")


class RubricNotFoundError(ToolkitError):
    """The rubric an assessment names is not among the known rubrics."""


class ComparisonError(ToolkitError):
    """Assessments that cannot be scored together (different rubric, unknown indicators)."""
