"""Publication figures (SPEC 13): SVG and PDF without a browser, fonts embedded, labels in the language."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from toolkit.cli.main import main
from toolkit.engine.comparison import compare
from toolkit.model.documents import load_assessment, load_rubric
from toolkit.research.figures import write_figures
from toolkit.research.sensitivity import sensitivity
from toolkit.research.uncertainty import uncertainty

REPO = Path(__file__).resolve().parent.parent
RUBRIC = load_rubric(REPO / "rubrics" / "digital-diplomacy-1.0.0.json")
FILES = sorted((REPO / "sample_ministries").glob("*-2025.json"))
NAMES = ["dimension_heatmap", "rank_intervals", "sensitivity_bars"]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    comparison = compare(RUBRIC, [load_assessment(path, RUBRIC) for path in FILES])
    spread = uncertainty(comparison, 50, 2)
    robust = sensitivity(comparison, samples=8, seed=2, bootstrap=20, switch_aggregation=True)
    folders = {}
    for lang in ("en", "id"):
        folders[lang] = tmp_path_factory.mktemp(lang)
        written = write_figures(folders[lang], comparison, spread, robust, lang)
        assert written == [f"{name}.{fmt}" for name in NAMES for fmt in ("svg", "pdf")]
    again = tmp_path_factory.mktemp("again")
    write_figures(again, comparison, spread, robust, "id")
    return folders, again


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_fonts_are_embedded_and_labels_follow_the_language(drawn):
    folders, _ = drawn
    for name in NAMES:
        data = (folders["en"] / f"{name}.pdf").read_bytes()
        assert b"/FontFile2" in data  # TrueType programs inside the file
        fonts = subprocess.run(["pdffonts", str(folders["en"] / f"{name}.pdf")], capture_output=True,
                               text=True, check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the `emb` column
    assert "Rank under uncertainty" in pdf_text(folders["en"] / "rank_intervals.pdf")
    indonesian = pdf_text(folders["id"] / "rank_intervals.pdf")
    assert "Peringkat dalam ketidakpastian" in indonesian and "kementerian fiktif" in indonesian
    assert "Skor dimensi" in pdf_text(folders["id"] / "dimension_heatmap.pdf")
    assert "Bobot dimensi" in pdf_text(folders["id"] / "sensitivity_bars.pdf")


def test_svg_needs_no_font_and_the_same_data_give_the_same_bytes(drawn):
    folders, again = drawn
    for name in NAMES:
        svg = (folders["id"] / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<text" not in svg and "<dc:date>" not in svg
        for fmt in ("svg", "pdf"):
            assert (again / f"{name}.{fmt}").read_bytes() == (folders["id"] / f"{name}.{fmt}").read_bytes()
    assert (folders["en"] / "rank_intervals.pdf").read_bytes() != (folders["id"] / "rank_intervals.pdf").read_bytes()


def test_the_bundle_lists_its_figures(tmp_path, capsys):
    folder = tmp_path / "bundle"
    assert main(["compare", *map(str, FILES), "--uncertainty", "20", "--bundle", str(folder), "--figures",
                 "--lang", "id"]) == 0
    capsys.readouterr()
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    listed = [item["name"] for item in record["files"] if item["name"].startswith("figures/")]
    # No sensitivity asked for: no sensitivity figure.
    assert listed == [f"figures/{name}.{fmt}" for name in NAMES[:2] for fmt in ("svg", "pdf")]
    assert record["options"]["figures"] is True
    book = json.loads((folder / "codebook.json").read_text(encoding="utf-8"))
    assert set(listed) <= {entry["name"] for entry in book["other_files"]}
