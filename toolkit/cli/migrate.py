"""`ddmt migrate FILE... --to VERSION --out DIR`: assessments moved to a newer version of their rubric.

Each assessment keeps its id and file name and is written into DIR on the new version, by the rubric's
`migrations` table (`toolkit.model.migration`). Every input is read, migrated and checked against the
new rubric before anything is written: if any document is invalid, nothing is written and the exit
status is 1. An input file is never overwritten, and an existing file in DIR only with `--overwrite`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.cli.base import CommandResult
    from toolkit.model.migration import MigrationReport
    from toolkit.model.rubric import Rubric


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The argparse lines of `ddmt migrate`, for `toolkit.cli.main.build_parser`."""
    migrate = commands.add_parser("migrate", help="move assessments to a newer version of their rubric")
    migrate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    migrate.add_argument("--to", required=True, metavar="VERSION", help="the rubric version to move to, e.g. 1.1.0")
    migrate.add_argument("--out", required=True, type=Path, metavar="DIR", help="the folder to write into")
    migrate.add_argument("--rubric", type=Path, action="append", default=[], metavar="R",
                         help="a rubric file to use before the shipped ones (old or new version; repeatable)")
    migrate.add_argument("--overwrite", action="store_true",
                         help="replace files already in DIR (input files are never replaced)")
    migrate.add_argument("--format", choices=("table", "json"), default="table", help="how to print the report")


def run_migrate(args: argparse.Namespace) -> CommandResult:
    """Migrate every assessment, check each result, then write them all (or nothing)."""
    from toolkit.cli.base import CommandResult, named_rubrics, write_whole
    from toolkit.errors import DocumentError
    from toolkit.model.documents import load_rubric, validate_assessment, validate_file
    from toolkit.model.jsonio import display_name, read_json
    from toolkit.model.migration import MigrationError, migrate_document

    given = [load_rubric(path) for path in args.rubric] + named_rubrics(args.files)
    if not args.out.is_dir():
        return CommandResult(errors=[f"ddmt migrate: {display_name(str(args.out))}: no such folder"], status=2)
    inputs = {path.resolve() for path in args.files}
    planned: list[tuple[Path, dict, MigrationReport]] = []
    issues, errors = [], []
    targets: dict[Path, Path] = {}
    for path in args.files:
        name = display_name(str(path))
        checked = validate_file(path, known=given)
        if checked.kind == "rubric" and checked.valid:
            continue  # a rubric named beside the assessments serves them
        if not checked.valid:
            issues.extend(checked.issues)
            continue
        doc = read_json(path)
        try:
            source = _rubric_of(doc, doc["rubric"]["version"], given, name)
            target = _rubric_of(doc, args.to, given, name)
        except DocumentError as error:
            issues.extend(error.issues)
            continue
        try:
            migrated = migrate_document(doc, source, target)
        except MigrationError as error:
            errors.append(f"{name}: {error}")
            continue
        report = validate_assessment(migrated.document, target, name=f"{name} (migrated to {args.to})")
        issues.extend(report.issues)
        out = args.out / path.name
        if out.resolve() in inputs:
            errors.append(f"ddmt migrate: {display_name(str(out))}: is an input file; choose another --out folder")
        elif out.resolve() in targets:
            errors.append(f"ddmt migrate: {name} and {display_name(str(targets[out.resolve()]))} would both be "
                          f"written to {display_name(str(out))}")
        elif out.exists() and not args.overwrite:
            errors.append(f"ddmt migrate: {display_name(str(out))}: exists; add --overwrite to replace it")
        targets[out.resolve()] = path
        planned.append((out, migrated.document, migrated.report))
    if issues or errors:
        lines = [str(issue) for issue in issues] + errors + ["ddmt migrate: nothing was written"]
        return CommandResult(errors=lines, status=1)
    for out, document, _ in planned:
        write_whole(out, (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
    if args.format == "json":
        reports = [{**report.to_dict(), "file": str(out)} for out, _, report in planned]
        return CommandResult(json.dumps(reports, indent=2, ensure_ascii=False))
    return CommandResult("\n\n".join(_report_text(report, out) for out, _, report in planned))


def _rubric_of(doc: dict, version: str, given: list[Rubric], name: str) -> Rubric:
    """The rubric an assessment names, at `version`: a given file first, then the shipped ones."""
    from toolkit.errors import DocumentError, RubricNotFoundError
    from toolkit.issues import Issue
    from toolkit.model.catalogue import find_rubric, list_rubrics

    rubric_id = doc["rubric"]["id"]
    for rubric in given:
        if (rubric.id, rubric.version) == (rubric_id, version):
            return rubric
    try:
        return find_rubric(rubric_id, version)
    except RubricNotFoundError:
        versions = sorted({rubric.version for rubric in given if rubric.id == rubric_id}
                          | {found for found_id, found, _ in list_rubrics() if found_id == rubric_id})
        raise DocumentError([Issue(name, "rubric-not-found", f'cannot migrate: rubric "{rubric_id}" version '
                                   f'{version} is not available (available: {", ".join(versions) or "none"})',
                                   path=("rubric", "version"))]) from None


def _report_text(report: MigrationReport, out: Path) -> str:
    """What became of each answer, in a few lines a person reads."""
    from toolkit.model.jsonio import display_name

    lines = [f"{report.assessment}: {report.rubric_id} {report.source_version} -> {report.target_version}, "
             f"written to {display_name(str(out))}",
             f"  carried unchanged ({len(report.carried)}): {_ids(report.carried)}"]
    moves = [f"{item.old_id}{'' if item.new_id == item.old_id else ' -> ' + item.new_id}"
             f"{'' if item.old_level == item.new_level else f' (level {item.old_level} -> {item.new_level})'}"
             for item in report.remapped]
    lines.append(f"  remapped ({len(moves)}): {_ids(moves)}")
    lines.append(f"  dropped ({len(report.dropped)}): "
                 f"{_ids([f'{item.old_id} ({_REASONS[item.reason]})' for item in report.dropped])}")
    lines.append(f"  now to answer ({len(report.to_answer)}): {_ids(report.to_answer)}")
    return "\n".join(lines)


_REASONS = {"retired": "retired by the rubric", "not-in-rubric": "not in the new rubric",
            "kind-changed": "now another kind of indicator"}


def _ids(items: object) -> str:
    items = list(items)  # type: ignore[call-overload]
    return ", ".join(items) if items else "none"
