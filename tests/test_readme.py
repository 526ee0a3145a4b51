"""The README's Python examples run as written (SPEC 13: the research session is a test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def python_blocks() -> list[str]:
    """The ```python blocks of the README's "Python" section, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Python\n"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_research_session_runs(tmp_path, monkeypatch, capsys):
    blocks = python_blocks()
    assert len(blocks) == 2 and "write_bundle(" in blocks[1] and "uncertainty(" in blocks[1]
    (tmp_path / "sample_ministries").symlink_to(REPO / "sample_ministries")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102 - the README's own code
    printed = capsys.readouterr().out
    assert "p_start_up" in printed and "rank_p05" in printed
    out = tmp_path / "reports" / "out"
    assert (out / "rank_intervals.svg").read_bytes().startswith(b"<?xml")
    assert (out / "rank_intervals.pdf").read_bytes().startswith(b"%PDF")
    wide = pd.read_parquet(out / "bundle" / "scores_wide.parquet")
    assert len(wide) == 8 and "overall_p50" in wide.columns
    book = json.loads((out / "bundle" / "codebook.json").read_text(encoding="utf-8"))
    assert {"scores_long.csv", "intervals.parquet", "sensitivity_sobol.csv", "consistency.csv"} <= {
        entry["name"] for entry in book["files"]}
    assert json.loads((out / "bundle" / "provenance.json").read_text(encoding="utf-8"))["options"][
        "uncertainty"]["draws"] == 1000
