"""`ddmt report` and `ddmt compare --xlsx` as commands_reports runs them (cli.py only wires them)."""

from __future__ import annotations

import argparse

import openpyxl
import pytest

from toolkit.cli import main as cli
from toolkit.cli.reports import add_report_arguments, add_share_argument, export_comparison, run_report
from toolkit.engine.comparison import compare
from toolkit.errors import ToolkitError
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.documents import load_document

SAMPLE = "sample_ministries/maravu-mfa-2025.json"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ddmt report")
    add_report_arguments(parser)
    return parser.parse_args(argv)


def test_report_writes_the_workbook(repo_root, tmp_path):
    out = tmp_path / "maravu.xlsx"
    result = run_report(parse(str(repo_root / SAMPLE), "--xlsx", str(out), "--lang", "id", "--share", "public"))
    assert result.status == 0
    assert result.text.startswith(f"{out}: workbook written (sharing level public, ")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Ringkasan"
    assert [p.name for p in tmp_path.iterdir()] == ["maravu.xlsx"]  # no temporary file left behind
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_report_defaults(repo_root, tmp_path):
    args = parse(str(repo_root / SAMPLE), "--xlsx", str(tmp_path / "r.xlsx"))
    assert (args.lang, args.share, args.rubric) == ("en", "internal", None)
    with pytest.raises(SystemExit):
        parse(str(repo_root / SAMPLE), "--xlsx", "r.xlsx", "--share", "secret")
    # No output named: parsing passes, the command refuses (exit 2; test_reports_documents.py).
    assert (parse(str(repo_root / SAMPLE)).xlsx, parse(str(repo_root / SAMPLE)).pdf) == (None, None)


@pytest.mark.parametrize(("target", "message"), [
    ("report.xls", "the workbook name must end in .xlsx"),
    ("missing/report.xlsx", "cannot write the workbook: the folder"),
])
def test_report_refuses_bad_targets(repo_root, tmp_path, target, message):
    with pytest.raises(ToolkitError, match=message):
        run_report(parse(str(repo_root / SAMPLE), "--xlsx", str(tmp_path / target)))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_existing_workbook(repo_root, tmp_path, monkeypatch):
    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"earlier workbook")
    import toolkit.reports.assessment_workbook as module

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(module, "write_assessment_workbook", broken)
    with pytest.raises(ToolkitError, match="No space left on device"):
        run_report(parse(str(repo_root / SAMPLE), "--xlsx", str(out)))
    assert out.read_bytes() == b"earlier workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_report_of_a_rubric_is_refused(repo_root, tmp_path):
    with pytest.raises(ToolkitError, match="not an assessment"):
        run_report(parse(str(repo_root / "rubrics" / "digital-diplomacy-1.0.0.json"), "--xlsx",
                         str(tmp_path / "r.xlsx")))


def test_compare_xlsx(repo_root, tmp_path):
    paths = sorted((repo_root / "sample_ministries").glob("*.json"))[:4]
    assessments = [load_document(p) for p in paths]
    rubric = newest(find_rubric(a.rubric_id, a.rubric_version) for a in assessments)
    parser = argparse.ArgumentParser()
    parser.add_argument("--xlsx", type=lambda s: __import__("pathlib").Path(s))
    parser.add_argument("--lang", default="en")
    add_share_argument(parser)
    args = parser.parse_args(["--xlsx", str(tmp_path / "c.xlsx"), "--share", "all"])
    line = export_comparison(args, compare(rubric, assessments), rubric, assessments)
    assert line == f"{tmp_path / 'c.xlsx'}: workbook written (sharing level all); evidence of: none (scores only)"
    assert openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames[:2] == ["Summary", "Ranking"]


def test_ddmt_report_end_to_end(repo_root, tmp_path, capsys):
    out = tmp_path / "e2e.xlsx"
    assert cli.main(["report", str(repo_root / SAMPLE), "--xlsx", str(out), "--share", "public"]) == 0
    assert "workbook written" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
