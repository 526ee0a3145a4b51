"""What each `ddmt` command does, on top of the library; `cli` only parses and prints.

Each `run_*` takes the parsed arguments and returns a `CommandResult`; library errors propagate as
`ToolkitError` for `cli` to print.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from toolkit.cli import render
from toolkit.cli import bundle as commands_bundle
from toolkit.cli import research as commands_research
from toolkit.cli.agreement import run_agreement  # noqa: F401 - a command
from toolkit.cli.backup import run_backup, run_restore  # noqa: F401 - commands
from toolkit.cli.base import CommandResult, load_assessments, named_rubrics  # noqa: F401 - used by the commands below
from toolkit.cli.bench import run_bench  # noqa: F401 - a command
from toolkit.cli.imports import run_answers, run_import, run_template  # noqa: F401 - commands
from toolkit.cli.migrate import run_migrate  # noqa: F401 - a command
from toolkit.cli.reports import export_comparison, export_comparison_documents, run_report  # noqa: F401 - run_report is a command
from toolkit.cli.users import run_user  # noqa: F401 - a command
from toolkit.engine.comparison import compare
from toolkit.engine.rating import gate_lines, is_rated, record_unevaluated_lines, stage_text
from toolkit.engine.scoring import score
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import Assessment, marked_name
from toolkit.model import catalogue
from toolkit.model.catalogue import list_rubrics
from toolkit.model.documents import load_rubric, validate_file
from toolkit.model.rubric import Rubric, text_in
from toolkit.settings import load_settings, serve_arguments

WIDE_TABLE_LIMIT = 15


def run_validate(args: argparse.Namespace) -> CommandResult:
    """Validate every file and list every problem; exit 1 if any file has one."""
    rubric = load_rubric(args.rubric) if args.rubric else None
    known = named_rubrics(args.files)
    errors: list[str] = []
    lines: list[str] = []
    for path in args.files:
        report = validate_file(path, rubric=rubric, known=known)
        if report.valid:
            lines.append(f"{path}: valid {report.kind}")
        errors.extend(str(issue) for issue in report.issues)
    return CommandResult("\n".join(lines), errors, 1 if errors else 0)


def run_score(args: argparse.Namespace) -> CommandResult:
    """Score each assessment with its own rubric; print a table, JSON or tidy CSV."""
    loaded = load_assessments(args.files, args.rubric)
    records: list[dict] = []
    rubric_of: dict[str, Rubric] = {}
    for rubric, group in _group_by_rubric(loaded):
        records.extend(score(rubric, group).to_records())
        rubric_of.update({assessment.id: rubric for assessment in group})
    order = {assessment.id: i for i, (assessment, _) in enumerate(loaded)}
    records.sort(key=lambda record: order[record["assessment"]])
    fictional = {assessment.id: assessment.ministry.fictional for assessment, _ in loaded}
    if args.format == "json":
        return CommandResult(_json(records))
    if args.format == "csv":
        return CommandResult(render.score_csv(records, rubric_of))
    return CommandResult(_score_table(records, rubric_of, fictional, args.evidence, args.lang))


def run_compare(args: argparse.Namespace) -> CommandResult:
    """Rank assessments of one rubric (same id and major version) on one scale."""
    record = None
    if args.from_provenance:
        if not args.bundle:
            return CommandResult("", ["ddmt compare: --from-provenance needs --bundle DIR (where to write the "
                                      "reproduced files)"], 2)
        record = commands_bundle.apply_provenance(args)
    elif not args.files:
        return CommandResult("", ["ddmt compare: name the assessment FILEs (or --from-provenance FILE)"], 2)
    refused = commands_research.refusals(args)
    if refused:
        return CommandResult("", refused, 2)
    loaded = load_assessments(args.files, args.rubric)
    newest = catalogue.newest(rubric for _, rubric in loaded)  # older rounds are scored as migrated to it
    comparison = compare(newest, [assessment for assessment, _ in loaded], normalisation=args.normalise,
                         rank_incomplete=getattr(args, "rank_incomplete", False))
    research = commands_research.analyse(args, comparison)
    data = commands_research.compare_data(comparison, research, args.lang)
    notes = []
    if args.bundle:
        rubric_path = commands_bundle.rubric_file(newest, args, list(args.files))
        if record is not None:
            commands_bundle.check_rubric(record, rubric_path, args.from_provenance)
        notes.append(commands_bundle.write(args, comparison, research, rubric_path))
    if args.parquet:
        commands_research.write_parquet_file(comparison, research, args.parquet, args.layout, args.lang)
    if args.xlsx:
        notes.append(export_comparison(args, data, newest, [assessment for assessment, _ in loaded]))
    if args.pdf or args.html:
        notes += export_comparison_documents(args, data, newest, [assessment for assessment, _ in loaded])
    if args.format == "json":
        return CommandResult(_json(data), errors=notes)
    if args.format == "csv":
        return CommandResult(commands_research.compare_csv(comparison, research, args.layout, args.lang),
                             errors=notes)
    fictional = {assessment.id: assessment.ministry.fictional for assessment, _ in loaded}
    extra = commands_research.research_text(data, comparison.rubric, args.lang)
    checks = commands_research.consistency_text(data, comparison.rubric, args.lang)
    gates = {a.id: {"claimed": comparison.scores.triggered_gates(k),
                    "evidence": comparison.scores.triggered_gates(k, evidence=True)}
             for k, a in enumerate(comparison.assessments)}
    versions = {assessment.id: rubric.version for assessment, rubric in loaded}
    table = _compare_table(data, newest, fictional, args.lang, gates, versions)
    return CommandResult("\n\n".join(part for part in (table, extra, checks, *notes) if part))


def run_rubrics(args: argparse.Namespace) -> CommandResult:
    """List the rubrics the toolkit ships."""
    found = list_rubrics()
    if args.format == "json":
        return CommandResult(_json([{"id": i, "version": v, "path": str(p)} for i, v, p in found]))
    return CommandResult(render.table(["id", "version", "file"], [(i, v, str(p)) for i, v, p in found], "lll"))


def run_serve(args: argparse.Namespace) -> CommandResult:
    """Start the Streamlit app from the source checkout."""
    app = Path(__file__).resolve().parents[2] / "app.py"
    if not app.is_file():
        raise ToolkitError(f"the app is not available in this installation ({app} not found)")
    # With no accounts (auth none) the app listens on localhost only; see toolkit.settings.
    # No full garbage collection after each run (as .streamlit/config.toml, read only from the checkout):
    # it was a third of each save's wait with twenty people at once.
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--runner.postScriptGC", "false", *serve_arguments(load_settings())]
    return CommandResult(status=subprocess.call(command))


def _group_by_rubric(loaded: list[tuple[Assessment, Rubric]]) -> list[tuple[Rubric, list[Assessment]]]:
    groups: dict[tuple[str, str], tuple[Rubric, list[Assessment]]] = {}
    for assessment, rubric in loaded:
        groups.setdefault((rubric.id, rubric.version), (rubric, []))[1].append(assessment)
    return list(groups.values())


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _name(record: dict, fictional: dict[str, bool]) -> str:
    name = record["ministry"]["name"]
    return marked_name(name, bool(fictional.get(record["assessment"])))


def _stage_label(rubric: Rubric, overall: dict, lang: str) -> str:
    """The stage, or why there is none: "not rated: 62 % complete, at least 80 % needed"."""
    return stage_text(rubric, overall["stage"], overall["completeness"], lang)


def _gate_text(records: list[dict], rubric_of: dict[str, Rubric], lang: str) -> str:
    """Per assessment with a triggered gate: `#2: Gate triggered: ... (Security capped at 39)`."""
    lines = []
    for number, record in enumerate(records, 1):
        gates = record.get("gates") or {}
        for line in gate_lines(rubric_of[record["assessment"]], gates.get("claimed", []),
                               gates.get("evidence", []), lang):
            lines.append(f"#{number}: {line}")
        lines += [f"#{number}: {line}" for line in record_unevaluated_lines(rubric_of[record["assessment"]], record, lang)]
    return "\n".join(lines)


def _score_table(records: list[dict], rubric_of: dict[str, Rubric], fictional: dict[str, bool],
                 evidence: bool, lang: str) -> str:
    headers = (["#", t("ministry", lang), t("period", lang), t("overall", lang)]
               + ([t("evidence_backed", lang)] if evidence else []) + [t("stage", lang), t("complete", lang)])
    rows = []
    for number, record in enumerate(records, 1):
        overall = record["overall"]
        rubric = rubric_of[record["assessment"]]
        rows.append([str(number), _name(record, fictional), record["period"], render.fmt_score(overall["score"], lang)]
                    + ([render.fmt_score(overall["evidence_score"], lang)] if evidence else [])
                    + [_stage_label(rubric, overall, lang), render.fmt_percent(overall["completeness"], lang)])
    parts = [render.table(headers, rows, "rllr" + ("r" if evidence else "") + "lr"),
             _gate_text(records, rubric_of, lang)]
    # Each round is scored with its own rubric; rounds of several versions get one dimension table per
    # version (their dimensions differ), each headed by the version and the rows it holds.
    groups: dict[tuple[str, str], list[int]] = {}
    for number, record in enumerate(records, 1):
        rubric = rubric_of[record["assessment"]]
        groups.setdefault((rubric.id, rubric.version), []).append(number)
    if len(groups) > 1:
        parts.append(t("score_versions_note", lang, versions="; ".join(
            f"{rubric_id} {version}: {_numbers(numbers)}" for (rubric_id, version), numbers in groups.items())))
    key = "evidence_score" if evidence else "score"
    for (rubric_id, version), numbers in groups.items():
        rubric = rubric_of[records[numbers[0] - 1]["assessment"]]
        dims = {number: {d.id: records[number - 1]["nodes"][d.id][key] for d in rubric.dimensions}
                for number in numbers}
        parts.append(_dimension_table(rubric, dims, lang, evidence,
                                      version=f"{rubric_id} {version}" if len(groups) > 1 else None))
    if any(fictional.values()):
        parts.append(t("fictional_note", lang))
    return "\n\n".join(part for part in parts if part)


def _unranked_text(data: dict, rubric: Rubric, lang: str) -> str:
    """The warning under the rank table when the completeness rule left rounds unranked ('' if none)."""
    if rubric.min_completeness is None:
        return ""
    left = [f"{item['ministry']['name']} {item['period']}" for item in data["assessments"]
            if item["rank"] is None and item["overall"]["score"] is not None
            and not is_rated(rubric, item["overall"]["completeness"])]
    if not left:
        return ""
    return "! " + t("unranked_note", lang, needed=round(rubric.min_completeness * 100), names="; ".join(left))


def _numbers(numbers: list[int]) -> str:
    """Row numbers as `#1-#3, #5`: runs of consecutive numbers shortened."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"#{run[0]}" if len(run) == 1 else f"#{run[0]}-#{run[-1]}" for run in runs)


def _dimension_table(rubric: Rubric, dims: dict[int, dict[str, float | None]], lang: str,
                     evidence: bool = False, version: str | None = None) -> str:
    """The dimensions x numbered rows table; `version` heads it when rounds of several versions are shown."""
    heading = "" if version is None else f"{version} · "
    if len(dims) > WIDE_TABLE_LIMIT:
        return heading + t("too_many_for_table", lang, count=len(dims))
    headers = [t("dimension", lang)] + [f"#{n}" for n in dims]
    rows = [[text_in(d.title, lang)] + [render.fmt_score(scores[d.id], lang) for scores in dims.values()]
            for d in rubric.dimensions]
    title = t("dimension_evidence_scores" if evidence else "dimension_scores", lang)
    return heading + title + "\n" + render.table(headers, rows)


def _migrated_note(data: dict, rubric: Rubric, versions: dict[str, str], lang: str) -> str:
    """Which rows were scored as migrated from an older version of the rubric ('' if none)."""
    older: dict[str, list[int]] = {}
    for number, item in enumerate(data["assessments"], 1):
        version = versions.get(item["assessment"], rubric.version)
        if version != rubric.version:
            older.setdefault(version, []).append(number)
    if not older:
        return ""
    return t("compare_migrated_note", lang, rubric=rubric.id, version=rubric.version, rows="; ".join(
        f"{version}: {_numbers(numbers)}" for version, numbers in sorted(older.items())))


def _compare_table(data: dict, rubric: Rubric, fictional: dict[str, bool], lang: str,
                   gates: dict[str, dict] | None = None, versions: dict[str, str] | None = None) -> str:
    rows = []
    dims = {}
    for number, item in enumerate(data["assessments"], 1):
        overall = item["overall"]
        rank = "—" if item["rank"] is None else str(item["rank"])
        rows.append([str(number), rank, _name(item, fictional), item["period"],
                     render.fmt_score(overall["score"], lang), _stage_label(rubric, overall, lang), render.fmt_percent(overall["completeness"], lang)])
        dims[number] = item["dimensions"]
    title = t("comparison_title", lang, rubric=data["rubric"]["id"], version=data["rubric"]["version"],
              normalisation=data["normalisation"])
    headers = ["#", t("rank", lang), t("ministry", lang), t("period", lang), t("overall", lang),
               t("stage", lang), t("complete", lang)]
    parts = [title, render.table(headers, rows, "rrllrlr"), _unranked_text(data, rubric, lang),
             _migrated_note(data, rubric, versions or {}, lang),
             _gate_text([{**item, "gates": (gates or {}).get(item["assessment"])} for item in data["assessments"]],
                        {item["assessment"]: rubric for item in data["assessments"]}, lang),
             _dimension_table(rubric, dims, lang)]
    if any(fictional.values()):
        parts.append(t("fictional_note", lang))
    return "\n\n".join(part for part in parts if part)
