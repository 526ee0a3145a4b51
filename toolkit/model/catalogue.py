"""Where the shipped rubrics are found, and finding one by id and version.

Two folders are searched, first match wins: `rubrics/` beside the `toolkit` package (a source
checkout or an editable install) and the package data folder `toolkit/shipped_rubrics/` (a wheel,
where pyproject force-includes `rubrics/`). Only the `*.json` files directly inside are read, so
drafts in sub-folders stay out. Parsed rubrics are cached per path, size and modification time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from toolkit.errors import DocumentError, RubricNotFoundError
from toolkit.issues import Issue
from toolkit.model import jsonio
from toolkit.model.rubric import Rubric
from toolkit.model.validation import rubric_issues

_PACKAGE = Path(__file__).resolve().parents[1]  # the toolkit package folder


def rubric_folders() -> list[Path]:
    """The folders searched for rubrics, in order; only those that exist."""
    candidates = [_PACKAGE.parent / "rubrics"]
    shipped = files("toolkit").joinpath("shipped_rubrics")
    if isinstance(shipped, Path):  # always true for a regular (non-zip) install
        candidates.append(shipped)
    return [folder for folder in candidates if folder.is_dir()]


@dataclass(frozen=True)
class _Entry:
    """What one file holds: its header (if it is a rubric) and, once checked, the model or issues."""

    rubric_id: str | None
    version: str | None
    rubric: Rubric | None
    issues: tuple[Issue, ...]


_cache: dict[Path, tuple[tuple[int, int], _Entry]] = {}
_lock = threading.Lock()
# One parse at a time: twenty sessions opening a cold app at once wait for one parse of the rubric
# (a second or two with schema validation) instead of each parsing it in parallel on two cores.
_parsing = threading.Lock()
# Where find_rubric last found each (id, version) in the default folders, and what it read there:
# every page run and every save asks for its rubric, and listing the folders each time (a syscall
# per file, each a chance to lose the GIL to twenty sessions drawing pages) cost more than the rest
# of the lookup. The file is still checked (one stat) so an edited rubric is read again; a new file
# holding the same id and version is not looked for (a published version does not change).
_found: dict[tuple[tuple[Path, ...], str, str], Path] = {}  # (folders searched, id, version) -> file
_found_entry: dict[Path, _Entry] = {}


def _read(path: Path) -> _Entry:
    """The parsed and validated content of one file, cached on (mtime, size)."""
    try:
        stat = path.stat()
    except OSError:
        return _Entry(None, None, None, ())
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    with _parsing:
        with _lock:
            cached = _cache.get(path)
        if cached and cached[0] == stamp:  # parsed by another thread while this one waited
            return cached[1]
        entry = _parse(path)
        with _lock:
            _cache[path] = (stamp, entry)
    return entry


def _parse(path: Path) -> _Entry:
    try:
        doc = jsonio.read_json(path)
    except DocumentError as error:
        return _Entry(None, None, None, tuple(error.issues))
    if not isinstance(doc, dict) or doc.get("kind") != "rubric":
        return _Entry(None, None, None, ())
    rubric_id, version = doc.get("id"), doc.get("version")
    header = (rubric_id if isinstance(rubric_id, str) else None, version if isinstance(version, str) else None)
    issues = rubric_issues(doc, str(path))
    if issues:
        return _Entry(*header, None, tuple(issues))
    return _Entry(*header, Rubric.from_dict(doc), ())


def _entries(folders: list[Path] | None) -> list[tuple[Path, _Entry]]:
    found = []
    for folder in rubric_folders() if folders is None else folders:
        for path in sorted(Path(folder).glob("*.json")):
            entry = _read(path)
            if entry.rubric_id is not None:
                found.append((path, entry))
    return found


def list_rubrics(folders: list[Path] | None = None) -> list[tuple[str, str, Path]]:
    """(id, version, path) of every valid rubric, by id and version; invalid files are skipped quietly."""
    seen: set[tuple[str, str]] = set()
    result = []
    for path, entry in _entries(folders):
        if entry.rubric is not None and (entry.rubric.id, entry.rubric.version) not in seen:
            seen.add((entry.rubric.id, entry.rubric.version))
            result.append((entry.rubric.id, entry.rubric.version, path))
    return sorted(result, key=lambda found: (found[0], _version_key(found[1])))


def find_rubric(rubric_id: str, version: str, folders: list[Path] | None = None) -> Rubric:
    """The rubric with this id and version; RubricNotFoundError naming the versions available."""
    searched = tuple(rubric_folders()) if folders is None else ()
    if folders is None:  # the memo holds only for the same folders: a changed search path searches again
        known = _found.get((searched, rubric_id, version))
        if known is not None and _read(known) is _found_entry.get(known):  # one stat, not a folder listing
            entry = _found_entry[known]
            if entry.rubric is not None and (entry.rubric_id, entry.version) == (rubric_id, version):
                return entry.rubric
    entries = _entries(list(searched) if folders is None else folders)
    for path, entry in entries:
        if (entry.rubric_id, entry.version) == (rubric_id, version):
            if entry.rubric is None:
                # A shipped rubric that fails validation is a fault to show, not a rubric to hide.
                raise DocumentError(entry.issues)
            if folders is None:
                _found[(searched, rubric_id, version)], _found_entry[path] = path, entry
            return entry.rubric
    available = sorted({entry.version for _, entry in entries
                        if entry.rubric_id == rubric_id and entry.rubric is not None and entry.version},
                       key=_version_key)
    if available:
        raise RubricNotFoundError(f'rubric "{rubric_id}" version {version} is not available '
                                  f'(available: {", ".join(available)})')
    raise RubricNotFoundError(f'no rubric "{rubric_id}" is available')


def newest(rubrics: Iterable[Rubric]) -> Rubric:
    """The newest version among `rubrics` (1.10.0 after 1.9.0): the one to compare rounds of several
    versions on, since a newer rubric takes older rounds' answers through its `migrations` table."""
    return max(rubrics, key=lambda rubric: _version_key(rubric.version))


def _version_key(version: str) -> tuple[Any, ...]:
    """Sort 1.10.0 after 1.9.0; a pre-release suffix sorts as text after the numbers."""
    core, _, rest = version.partition("-")
    numbers = tuple(int(part) if part.isdigit() else 0 for part in core.split("+")[0].split("."))
    return numbers, rest == "", rest
