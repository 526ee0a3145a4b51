"""SPEC 13: nothing asked for is dropped silently, in any combination of the outputs of `ddmt compare`.

Every combination of `--format`, `--layout`, `--parquet` and `--xlsx` is tried with each analysis
option. Either every output the run writes holds the analysis, or the run stops with exit 2 before
writing anything, naming the option and pointing to `--bundle`.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from toolkit.cli.main import main

REPO = Path(__file__).resolve().parent.parent
FILES = [str(REPO / "sample_ministries" / name)
         for name in ("maravu-mfa-2025.json", "belmara-mfa-2025.json", "tumbaro-mfa-2025.json")]
ANALYSES = {"uncertainty": ["--uncertainty", "20"], "sensitivity": ["--sensitivity", "--sobol-samples", "4"],
            "consistency": ["--consistency"]}


def held_on_stdout(analysis: str, output_format: str, layout: str, text: str) -> bool:
    """Whether the printed output holds the analysis."""
    if output_format == "json":
        data = json.loads(text)
        return {"uncertainty": "overall_p05" in data["assessments"][0],
                "sensitivity": bool(data.get("sensitivity")),
                "consistency": bool(data.get("consistency"))}[analysis]
    if output_format == "csv":
        header = text.splitlines()[0].split(",")
        return {"uncertainty": "overall_p05" in header, "sensitivity": False,
                "consistency": header[0] == "statistic"}[analysis]
    return {"uncertainty": "Uncertainty:" in text, "sensitivity": "Sobol indices" in text,
            "consistency": "Cronbach" in text}[analysis]


def held_in_parquet(analysis: str, path: Path) -> bool:
    columns = list(pd.read_parquet(path).columns)
    return {"uncertainty": "overall_p05" in columns, "sensitivity": False,
            "consistency": columns[0] == "statistic"}[analysis]


def held_in_workbook(analysis: str, path: Path) -> bool:
    book = openpyxl.load_workbook(path, read_only=True)
    if analysis == "uncertainty":
        cells = {cell for row in book["Ranking"].iter_rows(values_only=True) for cell in row}
        return "Rank p5" in cells
    return analysis.capitalize() in book.sheetnames


COMBINATIONS = list(itertools.product(ANALYSES, ("table", "json", "csv"), ("wide", "long"), (False, True),
                                      (False, True)))


@pytest.mark.parametrize(("analysis", "output_format", "layout", "parquet", "xlsx"), COMBINATIONS)
def test_no_analysis_is_dropped_without_an_error(tmp_path, capsys, analysis, output_format, layout, parquet,
                                                 xlsx):
    argv = ["compare", *FILES, *ANALYSES[analysis], "--format", output_format, "--layout", layout]
    parquet_path, xlsx_path = tmp_path / "t.parquet", tmp_path / "c.xlsx"
    argv += ["--parquet", str(parquet_path)] if parquet else []
    argv += ["--xlsx", str(xlsx_path)] if xlsx else []
    status = main(argv)
    out, err = capsys.readouterr()
    if status == 2:
        assert f"--{analysis} cannot go into" in err and "--bundle DIR" in err
        assert out == "" and not parquet_path.exists() and not xlsx_path.exists()
        # Only the one-table outputs refuse, and only what they cannot hold.
        assert output_format == "csv" or parquet
        return
    assert status == 0, err
    assert held_on_stdout(analysis, output_format, layout, out)
    if parquet:
        assert held_in_parquet(analysis, parquet_path)
    if xlsx:
        assert held_in_workbook(analysis, xlsx_path)


def test_the_one_table_outputs_refuse_exactly_what_they_cannot_hold():
    """The refusals above are not blanket ones: csv and Parquet keep what fits."""
    from toolkit.cli.main import build_parser
    from toolkit.cli.research import refusals

    def refused(*options: str) -> list[str]:
        return refusals(build_parser().parse_args(["compare", "x.json", *options]))

    assert refused("--uncertainty", "5", "--format", "csv") == []
    assert refused("--consistency", "--parquet", "x.parquet") == []
    assert len(refused("--uncertainty", "5", "--layout", "long", "--format", "csv", "--parquet", "p")) == 2
    assert refused("--sensitivity", "--format", "json") == []
    assert refused("--sensitivity", "--parquet", "p")[0].startswith("ddmt compare: --sensitivity cannot go "
                                                                    "into --parquet")
