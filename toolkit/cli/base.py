"""What every command module shares: the result a command returns, and loading assessments with their rubrics.

It sits below the command modules (`toolkit.cli.commands`, `.reports`, `.imports`, ...), which import it and
never each other, so no two modules of the command line import one another.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import DocumentError, ToolkitError
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document, load_rubric
from toolkit.model.jsonio import display_name, read_json
from toolkit.model.rubric import Rubric
from toolkit.model.validation import document_kind, rubric_issues


@dataclass
class CommandResult:
    text: str = ""
    errors: list[str] = field(default_factory=list)
    status: int = 0


def named_rubrics(paths: Sequence[Path]) -> list[Rubric]:
    """The valid rubrics among the named files, so assessments beside them are checked against them."""
    found = []
    for path in paths:
        try:
            doc = read_json(path)
        except DocumentError:
            continue  # reported when the file itself is validated
        if document_kind(doc) == "rubric" and not rubric_issues(doc, str(path)):
            found.append(Rubric.from_dict(doc))
    return found


def load_assessments(paths: Sequence[Path], rubric_path: Path | None) -> list[tuple[Assessment, Rubric]]:
    """Load and validate every assessment with its rubric; raise one error listing every problem.

    Rubric files among `paths` serve the assessments that name them, before the shipped rubrics.
    """
    given = load_rubric(rubric_path) if rubric_path else None
    known = named_rubrics(paths)
    loaded: list[tuple[Assessment, Rubric]] = []
    issues = []
    for path in paths:
        try:
            document = load_document(path, rubric=given, known=known)
        except DocumentError as error:
            issues.extend(error.issues)
            continue
        if isinstance(document, Rubric):
            continue
        rubric = given or next((r for r in known if (r.id, r.version) == (document.rubric_id, document.rubric_version)),
                               None) or find_rubric(document.rubric_id, document.rubric_version)
        loaded.append((document, rubric))
    if issues:
        raise DocumentError(issues)
    return loaded


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ToolkitError(f"cannot write {display_name(str(path))}: the folder {display_name(str(folder))} "
                           "does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ToolkitError(f"cannot write {display_name(str(path))}: {(error.strerror or 'error').lower()}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; the result is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
