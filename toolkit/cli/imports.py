"""The `ddmt template`, `ddmt import` and `ddmt answers` commands: the offline questionnaire round trip.

Each `run_*` takes the parsed arguments and returns a `CommandResult` (see `toolkit.cli.commands`);
library errors propagate as `ToolkitError` for `cli` to print. Files are written whole or not at
all: to a temporary file beside the target, then renamed over it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import DocumentError, ToolkitError
from toolkit.issues import Issue
from toolkit.model.jsonio import CODES as READ_CODES
from toolkit.model.jsonio import MAX_BYTES, display_name, read_json

if TYPE_CHECKING:
    from toolkit.cli.base import CommandResult
    from toolkit.model.rubric import Rubric


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The argparse lines of these commands, for `toolkit.cli.build_parser`."""
    template = commands.add_parser("template", help="write a blank questionnaire workbook to fill in offline")
    template.add_argument("--xlsx", type=Path, required=True, metavar="OUT", help="the workbook to write")
    template.add_argument("--rubric", type=Path, help="rubric file (default: the newest shipped rubric)")
    template.add_argument("--lang", choices=("en", "id"), default="en", help="language of the texts and instructions")

    imported = commands.add_parser("import", help="read a filled questionnaire (.xlsx), answers (.csv) or an "
                                                  "assessment (.json) into an assessment JSON file")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--out", type=Path, required=True, metavar="FILE.json", help="the assessment to write")
    imported.add_argument("--rubric", type=Path, help="rubric file the workbook must have been made for")
    imported.add_argument("--base", type=Path, metavar="ASSESSMENT.json",
                          help="for a CSV: the assessment whose answers the CSV replaces")

    answers = commands.add_parser("answers", help="print an assessment's answers as CSV (import them back with "
                                                  "ddmt import FILE.csv --base)")
    answers.add_argument("file", type=Path, metavar="FILE")
    answers.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")


def run_template(args: argparse.Namespace) -> CommandResult:
    """Write the blank questionnaire for a rubric, in the chosen language."""
    from toolkit.cli.base import CommandResult, write_whole
    from toolkit.io.template import questionnaire_bytes
    from toolkit.model.documents import load_rubric

    rubric = load_rubric(args.rubric) if args.rubric else default_rubric()
    write_whole(args.xlsx, questionnaire_bytes(rubric, args.lang))
    count = sum(1 for _ in rubric.indicators())
    return CommandResult(f"{args.xlsx}: questionnaire for {rubric.id} {rubric.version} "
                         f"({count} indicators, {args.lang})")


def run_import(args: argparse.Namespace) -> CommandResult:
    """Import a workbook, CSV or JSON file; write the assessment only if there is no problem at all."""
    from toolkit.cli.base import CommandResult, write_whole
    from toolkit.io.imports import import_file
    from toolkit.model.documents import load_rubric

    rubric = load_rubric(args.rubric) if args.rubric else None
    data = _read(args.file)
    base = None
    is_csv = args.file.suffix.lower() in (".csv", ".tsv", ".txt")
    if args.base is not None:
        base = read_json(args.base)
    elif is_csv:
        return CommandResult(errors=[f"ddmt import: {args.file}: a CSV file holds only answers: give the assessment "
                                     "they belong to with --base ASSESSMENT.json"], status=2)
    doc = import_file(data, str(args.file), rubric=rubric, base_document=base)
    write_whole(args.out, (json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
    answered = sum(1 for answer in doc["answers"].values()
                   if answer.get("na") or "level" in answer or "value" in answer)
    return CommandResult(f"{args.file}: imported {doc['ministry']['name']}, {doc['period']}: "
                         f"{answered} answered -> {args.out}")


def run_answers(args: argparse.Namespace) -> CommandResult:
    """Print an assessment's answers as CSV, one row per indicator of its rubric."""
    from toolkit.cli.base import CommandResult, load_assessments
    from toolkit.io.answers_csv import answers_to_csv

    assessment, rubric = load_assessments([args.file], args.rubric)[0]
    return CommandResult(answers_to_csv(assessment, rubric))


def default_rubric() -> Rubric:
    """The newest version of the shipped rubric, when exactly one rubric id is shipped."""
    from toolkit.model.catalogue import find_rubric, list_rubrics

    found = list_rubrics()
    ids = sorted({rubric_id for rubric_id, _, _ in found})
    if len(ids) != 1:
        names = ", ".join(ids) or "none"
        raise ToolkitError(f"choose a rubric file with --rubric (rubrics available: {names})")
    newest = [version for rubric_id, version, _ in found if rubric_id == ids[0]][-1]
    return find_rubric(ids[0], newest)


def _read(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, at most `limit` + 1 of them (each importer enforces its own, smaller limit)."""
    name = display_name(str(path))
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "it is a directory"
    except PermissionError:
        reason = "permission denied"
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
    raise DocumentError([Issue(name, "file-unreadable", READ_CODES["file-unreadable"][1].format(reason=reason))])
