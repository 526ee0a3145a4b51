"""The COINr converter on the ASEM reference data: documents that validate, score and agree with COINr.

The fixture data (tests/data/asem, from the COINr package, MIT licence; data of the European
Commission JRC's ASEM Sustainable Connectivity index) is converted into a rubric and 51 assessments
written as JSON files, which are then read back through the public document API, scored and compared.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit.engine.comparison import compare
from toolkit.engine.results import Scores
from toolkit.engine.scoring import score
from toolkit.errors import ToolkitError
from toolkit.model.assessment import Assessment
from toolkit.model.documents import load_assessment, load_rubric, validate_assessment, validate_rubric
from toolkit.model.rubric import Rubric
from toolkit.research.coinr import assessments_from_coinr, coinr_ids, read_coinr_csv, rubric_from_coinr, slugify

ASEM = Path(__file__).resolve().parent / "data" / "asem"
REPO = Path(__file__).resolve().parent.parent
RUBRIC_ID, VERSION, PERIOD = "asem-connectivity", "1.0.0", "2018"
N_COUNTRIES, N_INDICATORS = 51, 49


@dataclass(frozen=True)
class Converted:
    """The ASEM tables, the generated documents and the files they were written to."""

    imeta: pd.DataFrame
    idata: pd.DataFrame
    rubric_doc: dict[str, Any]
    assessment_docs: list[dict[str, Any]]
    rubric_path: Path
    assessment_paths: list[Path]


def _write(doc: Mapping[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        json.dump(doc, handle, indent=2, allow_nan=False)
    return path


def _convert(imeta: pd.DataFrame, idata: pd.DataFrame, out: Path) -> Converted:
    rubric_doc = rubric_from_coinr(imeta, rubric_id=RUBRIC_ID, version=VERSION,
                                   title="ASEM Sustainable Connectivity")
    docs = assessments_from_coinr(idata, imeta, rubric_id=RUBRIC_ID, version=VERSION, period=PERIOD,
                                  date="2018-12-31")
    return Converted(imeta, idata, rubric_doc, docs, _write(rubric_doc, out / "rubric.json"),
                     [_write(doc, out / "assessments" / f"{doc['id']}.json") for doc in docs])


@pytest.fixture(scope="module")
def asem(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    imeta, idata = read_coinr_csv(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv")
    return _convert(imeta, idata, tmp_path_factory.mktemp("asem"))


@pytest.fixture(scope="module")
def rubric(asem: Converted) -> Rubric:
    return load_rubric(asem.rubric_path)


@pytest.fixture(scope="module")
def assessments(asem: Converted, rubric: Rubric) -> list[Assessment]:
    return [load_assessment(path, rubric) for path in asem.assessment_paths]


@pytest.fixture(scope="module")
def scores(rubric: Rubric, assessments: list[Assessment]) -> Scores:
    return score(rubric, assessments, "minmax")


@pytest.fixture(scope="module")
def indicator_meta(asem: Converted) -> pd.DataFrame:
    """iMeta's indicator rows, indexed by our indicator id."""
    meta = asem.imeta[asem.imeta["Type"] == "Indicator"].copy()
    meta.index = [coinr_ids(asem.imeta["iCode"])[code] for code in meta["iCode"]]
    return meta


@pytest.fixture(scope="module")
def reference(asem: Converted, indicator_meta: pd.DataFrame) -> pd.DataFrame:
    """Min-max (with direction) of the denominated raw data, computed here with pandas alone."""
    data = asem.idata.set_index("uCode")
    number = lambda column: pd.to_numeric(data[column].replace("", np.nan))  # noqa: E731
    out = {}
    for ind_id, row in indicator_meta.iterrows():
        x = number(row["iCode"])
        if row["Denominator"]:
            x = x / number(row["Denominator"])
        t = 100 * (x - x.min()) / (x.max() - x.min())
        out[ind_id] = t if float(row["Direction"]) > 0 else 100 - t
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def coinr_normalised(asem: Converted, indicator_meta: pd.DataFrame) -> pd.DataFrame:
    """COINr's own normalised (denominated, imputed, treated, min-max) values, by our indicator ids."""
    table = pd.read_csv(ASEM / "COINr6_ASEM_COIN_Normalised.csv", dtype=str, keep_default_na=False)
    table = table.set_index("UnitCode")
    return pd.DataFrame({ind_id: pd.to_numeric(table[code]) for ind_id, code
                         in indicator_meta["iCode"].items()}).loc[asem.idata["uCode"]]


def _untreated(reference: pd.DataFrame, coinr: pd.DataFrame, tolerance: float = 1e-6) -> list[str]:
    """Indicators where COINr's normalised values are plain min-max of the raw data (no treatment)."""
    answered = reference.notna()
    gap = (reference - coinr).abs().where(answered).max()
    return [ind_id for ind_id, worst in gap.items() if worst <= tolerance]


def _aggregate(rubric: Rubric, values: pd.DataFrame) -> pd.Series:
    """Recompute an index from indicator values: weighted arithmetic means up the tree, NaN skipped."""
    def node(n: Any) -> pd.Series:
        parts = [(child.weight, node(child)) for child in n.dimensions]
        parts += [(ind.weight, values[ind.id]) for ind in n.indicators]
        weights = pd.DataFrame({k: pd.Series(w, index=values.index).where(s.notna())
                                for k, (w, s) in enumerate(parts)})
        sums = pd.DataFrame({k: w * s for k, (w, s) in enumerate(parts)})
        return sums.sum(axis=1, min_count=1) / weights.sum(axis=1, min_count=1)
    return node(rubric.root)


def _spearman(x: pd.Series, y: pd.Series) -> float:
    return float(x.rank().corr(y.rank()))


# --- the documents ---------------------------------------------------------------------------

def test_rubric_validates_with_no_issues(asem: Converted) -> None:
    report = validate_rubric(asem.rubric_path)
    assert [str(issue) for issue in report.issues] == []
    assert report.kind == "rubric"


def test_rubric_has_coinr_hierarchy(rubric: Rubric) -> None:
    top = [node for node, depth in rubric.nodes() if depth == 1]
    pillars = [node for node, depth in rubric.nodes() if depth == 2]
    assert [node.id for node in top] == ["conn", "sust"]
    assert [node.id for node in pillars] == ["physical", "conecfin", "political", "instit", "p2p",
                                            "environ", "social", "susecfin"]
    assert max(depth for _, depth in rubric.nodes()) == 2  # root, sub-indices, pillars, indicators
    assert all(not node.indicators for node in top)
    assert all(not node.dimensions and node.indicators for node in pillars)
    indicators = list(rubric.indicators())
    assert len(indicators) == N_INDICATORS
    assert all(ind.kind == "metric" and ind.goalposts is None for ind in indicators)
    assert rubric.normalisation == "minmax"
    assert rubric.max_level == 4
    assert [stage.min_score for stage in rubric.stages] == [0, 20, 40, 60, 80]
    assert rubric.source and rubric.source["licence"].startswith("MIT")
    assert "github.com/bluefoxr/COINr" in rubric.source["url"]


def test_rubric_carries_directions_weights_units_and_codes(
        asem: Converted, rubric: Rubric, indicator_meta: pd.DataFrame) -> None:
    for ind in rubric.indicators():
        row = indicator_meta.loc[ind.id]
        assert ind.direction == int(float(row["Direction"]))
        assert ind.weight == float(row["Weight"])
        assert ind.title["en"] == row["iName"]
        assert ind.unit is not None and ind.unit["en"].startswith(row["Unit"])
        assert row["iCode"] in ind.guidance["en"]  # the original code stays findable
    aggregates = asem.imeta[asem.imeta["Type"] == "Aggregate"].set_index("iCode")
    for node, _ in rubric.nodes():
        code = next(c for c, i in coinr_ids(asem.imeta["iCode"]).items() if i == node.id)
        assert node.weight == float(aggregates.loc[code, "Weight"])
    assert sum(ind.direction == -1 for ind in rubric.indicators()) == 14
    flights = rubric.indicator("flights")
    assert flights.unit == {"en": "Thousand seats per Population (Thousands)"}


def test_all_assessments_validate(asem: Converted, rubric: Rubric) -> None:
    assert len(asem.assessment_paths) == N_COUNTRIES
    problems = [str(issue) for path in asem.assessment_paths
                for issue in validate_assessment(path, rubric).issues]
    assert problems == []


def test_assessments_hold_ministry_and_denominated_values(
        asem: Converted, assessments: list[Assessment]) -> None:
    austria = next(a for a in assessments if a.ministry.iso3 == "AUT")
    assert (austria.id, austria.ministry.id, austria.ministry.name, austria.ministry.country) == (
        "aut-2018", "aut", "Austria", "Austria")
    assert austria.status == "reviewed" and austria.period == PERIOD
    assert "ASEM reference data set" in (austria.notes or "")
    row = asem.idata.set_index("uCode").loc["AUT"]
    assert austria.answers["lpi"].value == float(row["LPI"])  # no denominator: the raw value
    assert austria.answers["flights"].value == pytest.approx(
        float(row["Flights"]) / float(row["Population"]), rel=1e-15)
    assert len({a.id for a in assessments}) == N_COUNTRIES


def test_missing_cells_are_omitted_answers(asem: Converted, reference: pd.DataFrame) -> None:
    answers = sum(len(doc["answers"]) for doc in asem.assessment_docs)
    missing = int(reference.isna().sum().sum())
    assert missing == 65  # 63 empty cells, plus Lao PDR's Elec and Gas (its Energy is empty)
    assert answers == N_COUNTRIES * N_INDICATORS - missing
    lao = next(doc for doc in asem.assessment_docs if doc["ministry"]["iso3"] == "LAO")
    assert "elec" not in lao["answers"] and "gas" not in lao["answers"]


# --- scoring and comparing ---------------------------------------------------------------------

def test_scores_stay_in_range(scores: Scores) -> None:
    overall = scores.overall
    assert overall.shape == (N_COUNTRIES,)
    assert np.all((overall >= 0) & (overall <= 100))
    assert np.nanmin(scores.indicator_scores) == 0 and np.nanmax(scores.indicator_scores) == 100


def test_compare_ranks_all_countries(rubric: Rubric, assessments: list[Assessment],
                                    scores: Scores) -> None:
    comparison = compare(rubric, assessments, normalisation="minmax")
    assert comparison.normalisation == "minmax"
    assert not np.isnan(comparison.ranks).any()
    assert sorted(comparison.ranks.tolist()) == list(range(1, N_COUNTRIES + 1))  # no ties here
    rows = [scores.ids.index(a.id) for a in comparison.assessments]  # the comparison holds them by id
    np.testing.assert_array_equal(comparison.scores.overall, scores.overall[rows])
    table = comparison.to_dict()
    assert len(table["assessments"]) == N_COUNTRIES
    assert [row["rank"] for row in table["assessments"]] == list(range(1, N_COUNTRIES + 1))
    assert set(table["assessments"][0]["dimensions"]) == {"conn", "sust"}


def test_untreated_indicators_equal_coinr_normalised(
        scores: Scores, reference: pd.DataFrame, coinr_normalised: pd.DataFrame) -> None:
    """Where COINr applied no outlier treatment, our indicator scores are COINr's normalised values.

    COINr's ASEM pipeline denominates, imputes, treats outliers and normalises min-max. Imputed
    values (Europe/Asia group means) lie inside each indicator's range, so they do not move its
    min and max; outlier treatment (winsorising or log-transforming skewed indicators) does. The
    indicators without treatment are found by comparing COINr's values with a plain pandas min-max
    of the denominated raw data: 34 of the 49 agree to ~1e-7 (the CSV's printed precision), the
    other 15 (Flights, Bord, Gas, Services, FDI, ForPort, CostImpEx, Tariff, StMob, CultServ,
    Forest, Poverty, NGOs, FemLab, PubDebt) differ by several points, so the split is clean.
    """
    untreated = _untreated(reference, coinr_normalised)
    assert len(untreated) >= 30
    gap = (reference - coinr_normalised).abs().max()
    assert (gap.drop(untreated) > 1.0).all()  # nothing borderline between the two groups
    ours = pd.DataFrame(scores.indicator_scores, columns=scores.compiled.indicator_ids,
                        index=coinr_normalised.index)
    answered = ours[untreated].notna()
    assert (answered == reference[untreated].notna()).all().all()
    difference = (ours[untreated] - coinr_normalised[untreated]).where(answered).abs()
    assert difference.max().max() < 1e-6


def test_untreated_index_equals_coinr_aggregate(
        asem: Converted, reference: pd.DataFrame, coinr_normalised: pd.DataFrame,
        indicator_meta: pd.DataFrame, tmp_path: Path) -> None:
    """A rubric of the untreated indicators only reproduces COINr's aggregation exactly.

    Our scoring skips missing answers (each node averages its answered children), where COINr
    averages imputed values; masking COINr's imputed cells makes the two the same calculation.
    """
    untreated = _untreated(reference, coinr_normalised)
    codes = set(indicator_meta.loc[untreated, "iCode"])
    keep = (asem.imeta["Type"] != "Indicator") | asem.imeta["iCode"].isin(codes)
    small = _convert(asem.imeta[keep].reset_index(drop=True), asem.idata, tmp_path)
    sub_rubric = load_rubric(small.rubric_path)
    assert len(list(sub_rubric.indicators())) == len(untreated)
    sub_scores = score(sub_rubric, [load_assessment(p, sub_rubric) for p in small.assessment_paths])
    theirs = _aggregate(sub_rubric, coinr_normalised[untreated].where(reference[untreated].notna()))
    assert np.abs(sub_scores.overall - theirs.to_numpy()).max() < 1e-6


def test_index_correlates_with_coinr(
        rubric: Rubric, scores: Scores, reference: pd.DataFrame,
        coinr_normalised: pd.DataFrame) -> None:
    """Our index (arithmetic, no imputation, no treatment) ranks the countries almost as COINr does.

    Recomputing COINr's index from its normalised data (arithmetic means, equal weights, as
    `build_ASEM` aggregates) and correlating it with our overall scores over the 51 countries gives
    Pearson 0.992 and Spearman 0.985 (mean absolute rank shift 1.8, at most 6 places). Imputation is
    not the cause of the gap: dropping COINr's imputed cells gives 0.992 / 0.982, and filling our
    missing scores with COINr's imputed values 0.992 / 0.983. The gap comes from COINr's outlier
    treatment of 15 indicators, which we do not apply (see the two tests above).
    """
    ours = pd.Series(scores.overall, index=coinr_normalised.index)
    theirs = _aggregate(rubric, coinr_normalised)
    assert ours.corr(theirs) > 0.98
    assert _spearman(ours, theirs) > 0.97
    without_imputation = _aggregate(rubric, coinr_normalised.where(reference.notna()))
    assert _spearman(ours, without_imputation) > 0.97


# --- the command-line script --------------------------------------------------------------------

def test_script_writes_plain_json_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "asem_to_ddmt.py"), "--out", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    files = [out / "rubric.json", *sorted((out / "assessments").glob("*.json"))]
    assert len(files) == 1 + N_COUNTRIES

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in generated JSON")

    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text, parse_constant=refuse)
        assert text.startswith('{\n  "kind": ')  # json.dump with indent 2
        assert doc["format_version"] == 1
    assert validate_rubric(files[0]).valid
    rubric = load_rubric(files[0])
    assert all(validate_assessment(path, rubric).valid for path in files[1:])


def test_script_reports_bad_input_on_one_line(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "asem_to_ddmt.py"), "--out",
                          str(tmp_path), "--meta", str(tmp_path / "absent.csv")],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "absent.csv" in run.stderr
    assert "Traceback" not in run.stderr


# --- the converter on small, hostile tables ------------------------------------------------------

META_CSV = """Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,X1,First,1,1,Number,,,P,Indicator
1,X2,Second,-1,2,Percent,,Pop,P,Indicator
2,P,Pillar,1,1,Score,,,Top,Aggregate
3,Top,Index,1,1,Score,,,,Aggregate
,Pop,Population,,,Thousands,,,,Denominator
"""


def _tables(tmp_path: Path, data_csv: str,
            meta_csv: str = META_CSV) -> tuple[pd.DataFrame, pd.DataFrame]:
    (tmp_path / "meta.csv").write_text(meta_csv, encoding="utf-8")
    (tmp_path / "data.csv").write_text(data_csv, encoding="utf-8")
    return read_coinr_csv(tmp_path / "meta.csv", tmp_path / "data.csv")


def _answers(imeta: pd.DataFrame, idata: pd.DataFrame, **options: Any) -> list[dict[str, Any]]:
    return assessments_from_coinr(idata, imeta, rubric_id="t", version="1.0.0", period="2024",
                                  date="2024-01-01", **options)


def test_namibia_code_na_stays_a_code_and_na_values_are_missing(tmp_path: Path) -> None:
    imeta, idata = _tables(tmp_path, "uName,uCode,Pop,X1,X2\nNamibia,NA,2500,NA,10\n"
                                     "Nepal,NPL,30000,3.5,NA\n")
    namibia, nepal = _answers(imeta, idata)
    assert namibia["ministry"] == {"id": "na", "name": "Namibia", "country": "Namibia"}
    assert namibia["id"] == "na-2024"
    assert namibia["answers"] == {"x2": {"value": 10 / 2500}}
    assert nepal["ministry"]["iso3"] == "NPL" and nepal["answers"] == {"x1": {"value": 3.5}}
    for doc in (namibia, nepal):
        assert validate_assessment(doc, name="doc").valid


def test_denominate_false_keeps_raw_values_and_units(tmp_path: Path) -> None:
    imeta, idata = _tables(tmp_path, "uName,uCode,Pop,X1,X2\nA,AAA,0,1,5\nB,BBB,10,2,5\n")
    first, second = _answers(imeta, idata)
    assert "x2" not in first["answers"]  # a zero denominator gives no finite value: missing
    assert second["answers"]["x2"] == {"value": 0.5}
    raw = _answers(imeta, idata, denominate=False)
    assert raw[0]["answers"]["x2"] == {"value": 5.0}
    doc = rubric_from_coinr(imeta, rubric_id="t", version="1.0.0", title="T", denominate=False)
    assert doc["dimensions"][0]["indicators"][1]["unit"] == {"en": "Percent"}
    assert doc["dimensions"][0]["indicators"][1]["weight"] == 2


def test_two_languages_fill_every_text(tmp_path: Path) -> None:
    imeta, _ = _tables(tmp_path, "uName,uCode\n")
    doc = rubric_from_coinr(imeta, rubric_id="t", version="1.0.0", title="T", languages=("en", "id"))
    assert validate_rubric(doc, name="doc").valid
    assert doc["stages"][0]["label"] == {"en": "Start-up", "id": "Rintisan"}
    assert doc["dimensions"][0]["title"] == {"en": "Pillar", "id": "Pillar"}


def test_ids_are_valid_unique_and_deterministic() -> None:
    assert slugify("Cov4G") == "cov4g" and slugify("  GDP per capita!") == "gdp_per_capita_"
    assert slugify("_x") == "x" and slugify("***") == "x"
    assert coinr_ids(["A b", "a_b", "Overall", "A b"]) == {"A b": "a_b", "a_b": "a_b-2",
                                                             "Overall": "overall-2"}


@pytest.mark.parametrize(("data_csv", "meta_csv", "message"), [
    ("uName,uCode,Pop,X1,X2\nA,AAA,1,\"3,5\",1\n", META_CSV,
     "iData row 2, column X1: '3,5' is not a number"),
    ("uName,uCode,Pop,X1,X2\nA,AAA,1,1,1\nB,AAA,1,2,2\n", META_CSV,
     "iData row 3: uCode 'AAA' appears more than once"),
    ("uName,uCode,Pop,X1\nA,AAA,1,1\n", META_CSV, "iData: columns X2 named in iMeta are missing"),
    ("uName,uCode,Pop,X1,X2\nA,,1,1,1\n", META_CSV, "iData row 2: uCode is empty"),
    ("uName,uCode,Pop,X1,X2\n", META_CSV.replace("1,X1,First,1,1,", "1,X1,First,1,0,"),
     "iMeta row 2: Weight of X1 is 0"),
    ("uName,uCode,Pop,X1,X2\n", META_CSV.replace("1,X1,First,1,", "1,X1,First,2,"),
     "iMeta row 2: Direction of X1 must be 1 or -1"),
    ("uName,uCode,Pop,X1,X2\n", META_CSV.replace(",,P,Indicator\n1,X2", ",,Q,Indicator\n1,X2"),
     "iMeta row 2: Parent 'Q' of X1 is not an aggregate in iMeta"),
    ("uName,uCode,Pop,X1,X2\n", META_CSV.replace("Pillar,1,1,Score,,,Top", "Pillar,1,1,Score,,,X1"),
     "iMeta row 4: Parent 'X1' of P must be an aggregate at a higher Level"),
])
def test_bad_tables_raise_located_errors(tmp_path: Path, data_csv: str, meta_csv: str,
                                         message: str) -> None:
    imeta, idata = _tables(tmp_path, data_csv, meta_csv)
    with pytest.raises(ToolkitError) as caught:
        rubric_from_coinr(imeta, rubric_id="t", version="1.0.0", title="T")
        _answers(imeta, idata)
    assert str(caught.value).startswith(message)


def test_missing_type_column_falls_back_to_levels(tmp_path: Path) -> None:
    meta = "\n".join(line.rsplit(",", 1)[0] for line in META_CSV.strip().splitlines()) + "\n"
    imeta, idata = _tables(tmp_path, "uName,uCode,Pop,X1,X2\nA,AAA,4,1,2\n", meta)
    doc = rubric_from_coinr(imeta, rubric_id="t", version="1.0.0", title="T")
    assert [ind["id"] for ind in doc["dimensions"][0]["indicators"]] == ["x1", "x2"]
    assert _answers(imeta, idata)[0]["answers"] == {"x1": {"value": 1.0}, "x2": {"value": 0.5}}
    assert math.isclose(_answers(imeta, idata, denominate=False)[0]["answers"]["x2"]["value"], 2.0)
