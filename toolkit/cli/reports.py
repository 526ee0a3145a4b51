"""`ddmt report` and the `--xlsx`/`--share` part of `ddmt compare`, on top of `toolkit.reports`.

`cli` builds the parsers (with `add_report_arguments` and `add_share_argument`) and calls
`run_report`; `run_compare` calls `export_comparison` when `--xlsx` is given. Workbooks are written
to a temporary file beside the target and moved into place, so a failed write never leaves half a
workbook or destroys an existing one.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from toolkit.errors import ToolkitError
from toolkit.i18n import LANGUAGES
from toolkit.model.assessment import Assessment
from toolkit.reports.sharing import DEFAULT_SHARE, SHARE_LEVELS, LeftOut

if TYPE_CHECKING:
    from toolkit.cli.base import CommandResult
    from toolkit.engine.comparison import Comparison
    from toolkit.model.rubric import Rubric

SHARE_HELP = ("leave out evidence more sensitive than this: public (public evidence only), internal "
              "(public and internal), all (restricted too); scores are unchanged "
              f"(default: {DEFAULT_SHARE})")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `ddmt report FILE --xlsx OUT [--rubric R] [--lang en|id] [--share ...]`."""
    parser.add_argument("file", type=Path, metavar="FILE", help="assessment JSON file")
    parser.add_argument("--xlsx", type=Path, required=True, metavar="OUT", help="the workbook to write (.xlsx)")
    parser.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the workbook")
    add_share_argument(parser)


def add_share_argument(parser: argparse.ArgumentParser) -> None:
    """`--share public|internal|all`, for every command that exports."""
    parser.add_argument("--share", choices=SHARE_LEVELS, default=DEFAULT_SHARE, help=SHARE_HELP)


def add_evidence_of_argument(parser: argparse.ArgumentParser) -> None:
    """`--evidence-of ID... | all`: whose evidence a comparison export carries (default: nobody's)."""
    parser.add_argument("--evidence-of", nargs="+", metavar="ID", default=None,
                        help="carry the evidence of these assessments (ids) in the exports, or 'all'; "
                             "by default a comparison carries no ministry's evidence, only the scores")


def run_report(args: argparse.Namespace) -> CommandResult:
    """Write the consultant workbook of one assessment."""
    from toolkit.cli import base
    from toolkit.reports.assessment_workbook import write_assessment_workbook

    loaded = base.load_assessments([args.file], args.rubric)
    if not loaded:
        raise ToolkitError(f"{args.file}: not an assessment (a report needs an assessment file)")
    assessment, rubric = loaded[0]
    left_out = _write(args.xlsx, lambda target: write_assessment_workbook(
        assessment, rubric, target, lang=args.lang, share=args.share))
    return base.CommandResult(_done(args.xlsx, left_out))


def export_comparison(args: argparse.Namespace, comparison: Comparison | dict, rubric: Rubric,
                      assessments: Sequence[Assessment]) -> str:
    """Write the comparison workbook to `args.xlsx` (for `ddmt compare --xlsx`); returns a line to print.

    `comparison` is the `Comparison` or its dict (with intervals, when the command computed them);
    `args.lang` and `args.share` choose the language and the sharing level, `args.evidence_of` whose
    evidence it carries (nobody's by default).
    """
    from toolkit.reports.comparison_workbook import write_comparison_workbook

    share = getattr(args, "share", DEFAULT_SHARE)
    evidence_of = getattr(args, "evidence_of", None)
    left_out = _write(args.xlsx, lambda target: write_comparison_workbook(
        comparison, rubric, assessments, target, getattr(args, "lang", "en"), share, evidence_of=evidence_of))
    return _done(args.xlsx, left_out) + f"; evidence of: {' '.join(evidence_of) if evidence_of else 'none (scores only)'}"


def _write(path: Path, write: Callable[[IO[bytes]], LeftOut]) -> LeftOut:
    """Write through a temporary file in the target folder, then move it into place."""
    if path.suffix.lower() != ".xlsx":
        raise ToolkitError(f"{path}: the workbook name must end in .xlsx")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ToolkitError(f"{path}: cannot write the workbook: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".ddmt-", suffix=".xlsx", dir=folder)
    except OSError as error:
        raise ToolkitError(f"{path}: cannot write the workbook: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            left_out = write(stream)
        # mkstemp makes the file private (0600); give it the mode a plain new file would have.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise ToolkitError(f"{path}: cannot write the workbook: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return left_out


def _done(path: Path, left_out: LeftOut) -> str:
    line = f"{path}: workbook written (sharing level {left_out.level}"
    if left_out.count:
        line += f", {left_out.count} evidence item(s) left out"
    return line + ")"
