"""How a research bundle was made (SPEC 13): toolkit, rubric, inputs and every option, as JSON.

`provenance.json` lets a co-author rerun a comparison and get the same data files byte for byte
(`ddmt compare --from-provenance FILE`). It holds no clock time and lists the inputs by assessment
id, so two runs of the same comparison, with the files in any order, write the same provenance.

Shape (`format_version` 1):

    {"kind": "ddmt-provenance", "format_version": 1,
     "toolkit": {"name": "ddmt", "version"},
     "rubric": {"id", "version", "sha256", "file"},
     "inputs": [{"assessment", "file", "path", "sha256"}],          # by assessment id
     "options": {"normalisation", "lang", "uncertainty": {draws, seed, spread, switch_aggregation} | null,
                 "sensitivity": {depth, samples, seed, spread, switch_aggregation, bootstrap,
                                 confidence} | null,
                 "consistency": bool, "agreement": {"level"} | null, "figures": bool,
                 "rank_incomplete": bool (when the toolkit has the completeness rule)},
     "files": [{"name", "sha256", "bytes"}]}                          # what the bundle holds

`file` is the input's file name, `path` the path it was read from (used to find it again; a rerun
may name other paths, matched by sha256). The copy embedded in the Parquet files (`embedded`)
leaves out `path` and `files`, so the data files do not depend on where the inputs lay.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

KIND = "ddmt-provenance"
FORMAT_VERSION = 1


class ProvenanceError(ToolkitError):
    """A provenance file that cannot be read, or inputs that do not match it."""


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(*, toolkit_version: str, rubric: Mapping[str, Any], inputs: Sequence[Mapping[str, Any]],
          options: Mapping[str, Any]) -> dict[str, Any]:
    """A provenance record (without `files`, which the bundle adds once its files are written)."""
    ordered = sorted((dict(item) for item in inputs), key=lambda item: (item["assessment"], item["sha256"]))
    return {"kind": KIND, "format_version": FORMAT_VERSION,
            "toolkit": {"name": "ddmt", "version": toolkit_version},
            "rubric": dict(rubric), "inputs": ordered, "options": dict(options)}


def embedded(record: Mapping[str, Any]) -> dict[str, Any]:
    """The copy for the Parquet metadata: no paths, no file list (see the module docstring)."""
    out = {key: value for key, value in record.items() if key != "files"}
    out["inputs"] = [{key: value for key, value in item.items() if key != "path"} for item in record["inputs"]]
    out["rubric"] = {key: value for key, value in record["rubric"].items() if key != "file"}
    return out


def to_text(record: Mapping[str, Any]) -> str:
    """provenance.json's text: sorted keys' order as built, two-space indent, a final newline."""
    return json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def read(path: str | Path) -> dict[str, Any]:
    """Read and check a provenance file; ProvenanceError naming the file and the place."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ProvenanceError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProvenanceError(f"{path}: not a JSON provenance file: {error}") from None
    if not isinstance(record, dict) or record.get("kind") != KIND:
        raise ProvenanceError(f'{path}: $.kind: not a ddmt provenance file (expected "{KIND}")')
    if record.get("format_version") != FORMAT_VERSION:
        raise ProvenanceError(f"{path}: $.format_version: {record.get('format_version')!r} is not supported "
                              f"(this toolkit reads {FORMAT_VERSION})")
    for key, kind in (("rubric", dict), ("inputs", list), ("options", dict)):
        if not isinstance(record.get(key), kind):
            raise ProvenanceError(f"{path}: $.{key}: missing or not a{'n' if kind is list else ''} "
                                  f"{'array' if kind is list else 'object'}")
    for number, item in enumerate(record["inputs"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str)
                                                 for k in ("assessment", "file", "path", "sha256")):
            raise ProvenanceError(f"{path}: $.inputs[{number}]: needs assessment, file, path and sha256 texts")
    return record


def locate_inputs(record: Mapping[str, Any], source: str | Path, given: Sequence[Path] = ()) -> list[Path]:
    """The input files of a provenance: the `given` paths matched by sha256, else the recorded paths.

    A recorded relative path is tried from the working directory, then beside the provenance file.
    Every input must be found with its recorded sha256 (ProvenanceError otherwise).
    """
    by_hash: dict[str, Path] = {}
    for path in given:
        try:
            by_hash.setdefault(sha256_of(path), Path(path))
        except OSError as error:
            raise ProvenanceError(f"{path}: cannot read: {error.strerror or error}") from None
    found = []
    for number, item in enumerate(record["inputs"]):
        wanted = item["sha256"]
        if wanted in by_hash:
            found.append(by_hash[wanted])
            continue
        candidates = [Path(item["path"]), Path(source).parent / item["path"], Path(source).parent / item["file"]]
        match = next((c for c in candidates if c.is_file() and sha256_of(c) == wanted), None)
        if match is None:
            where = next((c for c in candidates if c.is_file()), None)
            why = "its content changed (sha256 differs)" if where else "not found"
            raise ProvenanceError(f"{source}: $.inputs[{number}]: {item['file']} ({item['assessment']}): {why}; "
                                  f"name the file on the command line")
        found.append(match)
    return found
