"""The `ddmt` command line: argument parsing, exit codes, and one-line messages.

Exit status: 0 success; 1 an input document is invalid or a check failed; 2 wrong usage.
Every library failure arrives as a `ToolkitError` and leaves as `FILE: $.path: message` lines on
stderr; anything else is a bug, reported in one line without a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.cli import agreement as commands_agreement
from toolkit.cli import bench as commands_bench
from toolkit.cli import bundle as commands_bundle
from toolkit.cli import research as commands_research
from toolkit.cli import users as commands_users
from toolkit.cli.backup import add_parsers as add_backup_parsers
from toolkit.cli.imports import add_parsers as add_import_parsers
from toolkit.cli.migrate import add_parsers as add_migrate_parsers
from toolkit.cli.reports import (
    UsageError,
    add_document_arguments,
    add_evidence_of_argument,
    add_report_arguments,
    add_share_argument,
)
from toolkit.errors import DocumentError, ToolkitError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ddmt", description="Digital Diplomacy Maturity Toolkit")
    parser.add_argument("--version", action="version", version=f"ddmt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="validate rubrics and assessments, listing every problem")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--rubric", type=Path, help="check assessments against this rubric file")

    score = commands.add_parser("score", help="score assessments")
    score.add_argument("files", nargs="+", type=Path, metavar="FILE")
    score.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")
    score.add_argument("--format", choices=("table", "json", "csv"), default="table")
    score.add_argument("--evidence", action="store_true", help="show evidence-backed scores in the table")
    score.add_argument("--lang", choices=("en", "id"), default="en", help="language of labels")

    compare = commands.add_parser(
        "compare", help="compare and rank assessments of one rubric",
        description="Compare and rank assessments of one rubric, with the research analyses. Methods, "
                    "outputs and the bundle's files: docs/research.md (Indonesian: docs/research.id.md).")
    compare.add_argument("files", nargs="*", type=Path, metavar="FILE")
    compare.add_argument("--rubric", type=Path)
    compare.add_argument("--normalise", choices=("goalposts", "minmax"), help="metric normalisation (default: the rubric's)")
    compare.add_argument("--rank-incomplete", action="store_true",
                         help="rank rounds below the rubric's min_completeness too (by default they have no rank)")
    compare.add_argument("--format", choices=("table", "json", "csv"), default="table")
    compare.add_argument("--lang", choices=("en", "id"), default="en")
    commands_research.add_compare_arguments(compare)
    commands_bundle.add_bundle_arguments(compare)
    compare.add_argument("--xlsx", type=Path, metavar="OUT", help="also write the comparison workbook")
    add_share_argument(compare)
    add_evidence_of_argument(compare)
    add_document_arguments(compare)
    compare.add_argument("--client", metavar="ID", help="the client's assessment in the PDF/HTML report "
                                                        "(default: the first FILE)")

    report = commands.add_parser("report", help="write the consultant workbook, PDF or HTML report of one assessment")
    add_report_arguments(report)

    commands_agreement.add_parser(commands)

    rubrics = commands.add_parser("rubrics", help="list the rubrics shipped with the toolkit")
    rubrics.add_argument("--format", choices=("table", "json"), default="table")

    add_import_parsers(commands)
    add_migrate_parsers(commands)
    commands_users.add_parsers(commands)
    add_backup_parsers(commands)

    bench = commands.add_parser(
        "bench", help="measure the performance targets (scoring, uncertainty, workbooks, the app)",
        description="Measure the performance targets as ratios in one run: scoring, the uncertainty "
                    "draws, the comparison workbook and the app's rerun, each against its target "
                    "(docs/research.md, section Performance).")
    commands_bench.add_bench_arguments(bench)

    serve = commands.add_parser("serve", help="start the app")
    serve.add_argument("--port", type=int, default=8501)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status."""
    args = build_parser().parse_args(argv)
    from toolkit.cli import commands  # imported late so `--help` stays fast

    handler = getattr(commands, f"run_{args.command}")
    try:
        result = handler(args)
    except DocumentError as error:
        for issue in error.issues:
            _err(str(issue))
        return EXIT_INVALID
    except UsageError as error:
        _err(str(error))
        return EXIT_USAGE
    except ToolkitError as error:
        _err(f"ddmt: {error}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence: never a traceback
        _err(f"ddmt: internal error: {type(error).__name__}: {error} (please report this)")
        return EXIT_INVALID
    if result.text:
        _out(result.text)
    for line in result.errors:
        _err(line)
    return result.status


def _out(text: str) -> None:
    text = terminal_safe(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def _err(line: str) -> None:
    sys.stderr.write(terminal_safe(line.replace("\n", " ")) + "\n")


# Controls a terminal would act on (ESC starts colour and cursor sequences) and bidirectional controls
# that reorder what is shown; tab, newline and carriage return (CSV line ends) stay.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text with every control character a terminal would act on shown as an escape (`\\u001b`), never sent raw."""
    # `\\uXXXX` for every one: readable in a table and CSV, and still the same character in JSON output.
    return _TERMINAL_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def dump_json(value: object) -> str:
    """JSON as the command line prints it: UTF-8 text, two-space indent, no NaN."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


if __name__ == "__main__":
    sys.exit(main())
