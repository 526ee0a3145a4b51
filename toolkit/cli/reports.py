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
from typing import IO, TYPE_CHECKING, Any

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
    """The arguments of `ddmt report FILE --xlsx OUT | --pdf OUT | --html OUT [--rubric R] [--lang en|id]
    [--share ...] [--previous FILE] [branding]`."""
    parser.add_argument("file", type=Path, metavar="FILE", help="assessment JSON file")
    parser.add_argument("--xlsx", type=Path, metavar="OUT", help="the workbook to write (.xlsx)")
    parser.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    add_share_argument(parser)
    parser.add_argument("--previous", type=Path, metavar="FILE",
                        help="the previous round's assessment: the PDF/HTML report shows the change since it")
    add_document_arguments(parser)


def add_document_arguments(parser: argparse.ArgumentParser) -> None:
    """`--pdf OUT`, `--html OUT` and the branding options, for `report` and `compare`."""
    parser.add_argument("--pdf", type=Path, metavar="OUT", help="also write the report as PDF (A4)")
    parser.add_argument("--html", type=Path, metavar="OUT", help="also write the report as one HTML page")
    parser.add_argument("--logo", type=Path, metavar="PNG|SVG", help="the consultancy's logo on the cover")
    parser.add_argument("--prepared-by", metavar="TEXT", help="who prepared the report (the consultancy)")
    parser.add_argument("--prepared-for", metavar="TEXT", help="for whom the report was prepared (the client)")


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
    if not (args.xlsx or args.pdf or args.html):
        raise UsageError("ddmt report: name at least one output: --xlsx OUT, --pdf OUT or --html OUT")
    branding = _branding(args)  # checked before anything is written
    previous = None
    if args.previous:
        found = base.load_assessments([args.previous], args.rubric)
        if not found:
            raise ToolkitError(f"{args.previous}: not an assessment (--previous needs an assessment file)")
        previous = found[0]
    lines = []
    if args.xlsx:
        left_out = _write(args.xlsx, lambda target: write_assessment_workbook(
            assessment, rubric, target, lang=args.lang, share=args.share))
        lines.append(_done(args.xlsx, left_out))
    options = {"lang": args.lang, "share": args.share, "branding": branding, "previous": previous}
    lines += _documents(args, lambda: _assessment_html(assessment, rubric, options))
    return base.CommandResult("\n".join(lines))


class UsageError(ToolkitError):
    """A command asked for nothing to do (exit 2, like argparse's own usage errors)."""


def _assessment_html(assessment: Assessment, rubric: Rubric, options: dict) -> tuple[str, LeftOut]:
    from toolkit.reports.html import assessment_report_html

    return assessment_report_html(assessment, rubric, **options)


def _branding(args: argparse.Namespace):
    """The report branding: the defaults of reports/branding.json, the names and the checked logo."""
    if not (getattr(args, "pdf", None) or getattr(args, "html", None)):
        return None
    from toolkit.reports.branding import load_logo
    from toolkit.reports.html import default_branding

    branding = default_branding().with_text(getattr(args, "prepared_by", None), getattr(args, "prepared_for", None))
    logo_path = getattr(args, "logo", None)
    if logo_path is None:
        return branding
    try:
        with open(logo_path, "rb") as stream:
            data = stream.read(LOGO_READ_LIMIT)
    except OSError as error:
        raise ToolkitError(f"{logo_path}: cannot read the logo: {error.strerror or error}") from None
    from dataclasses import replace

    return replace(branding, logo=load_logo(data, str(logo_path)))


LOGO_READ_LIMIT = 1_000_001  # one byte over the logo limit, so an oversized file is named, never read whole


def _documents(args: argparse.Namespace, make_html: Callable[[], tuple[str, LeftOut]]) -> list[str]:
    """Write `--html` and `--pdf` (one HTML page rendered once); returns the lines to print."""
    if not (getattr(args, "pdf", None) or getattr(args, "html", None)):
        return []
    page, left_out = make_html()
    lines = []
    if args.html:
        _write_file(args.html, ".html", "report", lambda stream: stream.write(page.encode("utf-8")))
        lines.append(_done(args.html, left_out, "report"))
    if args.pdf:
        from toolkit.reports.pdf import html_to_pdf

        data = html_to_pdf(page)
        _write_file(args.pdf, ".pdf", "report", lambda stream: stream.write(data))
        lines.append(_done(args.pdf, left_out, "report"))
    return lines


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
    return _done(args.xlsx, left_out) + _evidence_note(evidence_of)


def _evidence_note(evidence_of: Sequence[str] | None) -> str:
    return f"; evidence of: {' '.join(evidence_of) if evidence_of else 'none (scores only)'}"


def export_comparison_documents(args: argparse.Namespace, comparison: Comparison | dict, rubric: Rubric,
                                assessments: Sequence[Assessment]) -> list[str]:
    """Write `ddmt compare --pdf/--html`: the comparison report, evidence only of `--evidence-of`."""
    from toolkit.reports.html import comparison_report_html

    branding = _branding(args)
    options = {"lang": getattr(args, "lang", "en"), "share": getattr(args, "share", DEFAULT_SHARE),
               "evidence_of": getattr(args, "evidence_of", None), "client": getattr(args, "client", None),
               "branding": branding}
    lines = _documents(args, lambda: comparison_report_html(comparison, rubric, assessments, **options))
    return [line + _evidence_note(options["evidence_of"]) for line in lines]


def _write(path: Path, write: Callable[[IO[bytes]], LeftOut]) -> LeftOut:
    """Write a workbook through a temporary file in the target folder, then move it into place."""
    return _write_file(path, ".xlsx", "workbook", write)


def _write_file(path: Path, suffix: str, what: str, write: Callable[[IO[bytes]], Any]) -> Any:
    """Write through a temporary file in the target folder, then move it into place."""
    if path.suffix.lower() != suffix:
        raise ToolkitError(f"{path}: the {what} name must end in {suffix}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ToolkitError(f"{path}: cannot write the {what}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".ddmt-", suffix=suffix, dir=folder)
    except OSError as error:
        raise ToolkitError(f"{path}: cannot write the {what}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            left_out = write(stream)
        # mkstemp makes the file private (0600); give it the mode a plain new file would have.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise ToolkitError(f"{path}: cannot write the {what}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return left_out


def _done(path: Path, left_out: LeftOut, what: str = "workbook") -> str:
    line = f"{path}: {what} written (sharing level {left_out.level}"
    if left_out.count:
        line += f", {left_out.count} evidence item(s) left out"
    return line + ")"
