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
    template.add_argument("--round", type=Path, metavar="ROUND.json",
                          help="with --respondent: the team round the questionnaire is for (its rubric and cover)")
    template.add_argument("--respondent", metavar="ID", help="make the questionnaire for this respondent of --round; "
                                                             "a filled copy imports as their response only")
    template.add_argument("--respondent-name", metavar="NAME", help="the respondent's name (needed if the round "
                                                                    "does not list them yet)")
    template.add_argument("--respondent-unit", metavar="UNIT", help="the respondent's unit (a new respondent)")

    imported = commands.add_parser("import", help="read a filled questionnaire (.xlsx), answers (.csv) or an "
                                                  "assessment (.json) into an assessment JSON file")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--out", type=Path, required=True, metavar="FILE.json", help="the assessment to write")
    imported.add_argument("--rubric", type=Path, help="rubric file the workbook must have been made for")
    imported.add_argument("--base", type=Path, metavar="ASSESSMENT.json",
                          help="for a CSV: the assessment whose answers the CSV replaces")
    imported.add_argument("--into", type=Path, metavar="ROUND.json",
                          help="for a respondent's questionnaire: the round whose responses it adds to or updates "
                               "(never its consolidated answers); --out gets the round with it")

    answers = commands.add_parser("answers", help="print an assessment's answers as CSV (import them back with "
                                                  "ddmt import FILE.csv --base)")
    answers.add_argument("file", type=Path, metavar="FILE")
    answers.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")


def run_template(args: argparse.Namespace) -> CommandResult:
    """Write the blank questionnaire for a rubric, in the chosen language."""
    from toolkit.cli.base import CommandResult, write_whole
    from toolkit.io.template import questionnaire_bytes
    from toolkit.model.documents import load_rubric

    if (args.round is None) != (args.respondent is None):
        return CommandResult(errors=["ddmt template: --round and --respondent go together: the questionnaire of one "
                                     "respondent of one round"], status=2)
    if args.round is not None:
        return _respondent_template(args)
    rubric = load_rubric(args.rubric) if args.rubric else default_rubric()
    write_whole(args.xlsx, questionnaire_bytes(rubric, args.lang))
    count = sum(1 for _ in rubric.indicators())
    return CommandResult(f"{args.xlsx}: questionnaire for {rubric.id} {rubric.version} "
                         f"({count} indicators, {args.lang})")


def _respondent_template(args: argparse.Namespace) -> CommandResult:
    """The questionnaire of one respondent of a round: the round's rubric, its cover filled and locked."""
    from toolkit.cli.base import CommandResult, load_assessments, write_whole
    from toolkit.io.template import RespondentCopy, questionnaire_bytes
    from toolkit.model.assessment import Respondent
    from toolkit.model.semantics import ID

    round_, rubric = load_assessments([args.round], args.rubric)[0]
    listed = {item.respondent.id: item.respondent for item in round_.responses}
    respondent = listed.get(args.respondent)
    where = display_name(str(args.round))
    if respondent is None:
        if not ID.match(args.respondent):
            return CommandResult(errors=[f"ddmt template: --respondent {args.respondent!r} is not a respondent id: "
                                         "lowercase letters, digits, '_', '.' and '-'"], status=2)
        name = " ".join((args.respondent_name or "").split())
        if not name:
            return CommandResult(errors=[f"ddmt template: {where}: the round has no respondent "
                                         f"{args.respondent!r}: give --respondent-name to add them"], status=2)
        respondent = Respondent(args.respondent, name, " ".join((args.respondent_unit or "").split()) or None)
    elif (args.respondent_name and args.respondent_name != respondent.name) or \
            (args.respondent_unit and args.respondent_unit != respondent.unit):
        return CommandResult(errors=[f"ddmt template: {where}: respondent {args.respondent!r} is "
                                     f"{respondent.name!r} ({respondent.unit or 'no unit'}) in the round: leave out "
                                     "--respondent-name and --respondent-unit"], status=2)
    copy = RespondentCopy(round_.id, round_.ministry, round_.period, respondent)
    write_whole(args.xlsx, questionnaire_bytes(rubric, args.lang, copy))
    return CommandResult(f"{args.xlsx}: questionnaire for {respondent.name} ({respondent.id}), respondent of "
                         f"{round_.id} ({rubric.id} {rubric.version}, {args.lang})")


def run_import(args: argparse.Namespace) -> CommandResult:
    """Import a workbook, CSV or JSON file; write the assessment only if there is no problem at all."""
    from toolkit.cli.base import CommandResult, write_whole
    from toolkit.io.imports import import_file
    from toolkit.model.documents import load_rubric

    if args.into is not None:
        return _import_response(args)
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


def _import_response(args: argparse.Namespace) -> CommandResult:
    """A respondent's filled copy into the round's responses: added, or replacing theirs; answers untouched."""
    from toolkit.cli.base import CommandResult, load_assessments, write_whole
    from toolkit.io.respondent_copies import import_response
    from toolkit.model.documents import validate_assessment
    from toolkit.store.records import answer_document, now_stamp

    round_, rubric = load_assessments([args.into], args.rubric)[0]
    # In a round file, the copy made for a new respondent (ddmt template --respondent-name) adds them.
    response = import_response(_read(args.file), str(args.file), round_, rubric, new_respondents=True)
    doc = read_json(args.into)
    entry = {"respondent": {key: value for key, value in response.respondent.__dict__.items() if value is not None},
             "answers": {key: answer_document(answer) for key, answer in response.answers.items()},
             "submitted_at": now_stamp()}  # a filled copy that comes back counts as submitted, as in the store
    listed = doc.setdefault("responses", [])
    at = next((index for index, item in enumerate(listed) if item["respondent"]["id"] == response.respondent.id), None)
    if at is None:
        listed.append(entry)
    else:
        listed[at] = {**listed[at], **entry}
    report = validate_assessment(doc, rubric, name=display_name(str(args.out)))
    if report.issues:
        raise DocumentError(report.issues)
    write_whole(args.out, (json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
    verb = "added" if at is None else "updated"
    return CommandResult(f"{args.file}: {verb} the response of {response.respondent.name} ({response.respondent.id}): "
                         f"{len(response.answers)} answers -> {args.out} (the round's answers unchanged)")


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
