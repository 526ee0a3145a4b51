"""`ddmt compare --bundle DIR`: every table asked for, in one folder a paper can rest on (SPEC 13).

The bundle holds each table as CSV and as Parquet (the Parquet files carry the provenance in their
metadata, key `ddmt.provenance`), a codebook of every file and column (`codebook.md`,
`codebook.json`, see `toolkit.research.codebook`) and `provenance.json`
(`toolkit.research.provenance`). Tables (`TABLES`):

* `scores_long`: one row per assessment x (overall, node, indicator), with the node's label in
  English and Indonesian beside its id; `scores_wide`: one row per assessment, the intervals when
  `--uncertainty` ran; `labels`: every id of the rubric with its label in both languages;
* with `--uncertainty`, `intervals`: score and rank percentiles and stage probabilities;
* with `--sensitivity`, `sensitivity_leave_one_out` and `sensitivity_sobol` (with the bootstrap
  intervals; only the inputs the run varies);
* with `--consistency`, `consistency` (one row per statistic);
* when rounds carry respondents, `agreement` (Krippendorff's alpha overall and per dimension) and
  `agreement_indicators` (each level indicator's range across respondents).

Everything is written in one fixed order from values that do not depend on the order of the inputs,
so two runs give byte-identical files. Column names are safe identifiers in R and pandas (letters,
digits and `_`; a stage `start-up` gives `p_start_up`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.engine.comparison import Comparison
from toolkit.model.rubric import Node, Rubric, text_in
from toolkit.research import codebook, provenance
from toolkit.research.consistency import Consistency
from toolkit.research.sensitivity import Sensitivity
from toolkit.research.tidy import consistency_frame, long_frame, safe_name, to_csv, wide_frame
from toolkit.research.uncertainty import Uncertainty

LANGUAGES = ("en", "id")
METADATA_KEY = b"ddmt.provenance"
INPUT_LABELS = {"levels": {"en": "Levels (by confidence)", "id": "Level (menurut tingkat keyakinan)"},
                "weights": {"en": "Dimension weights", "id": "Bobot dimensi"},
                "aggregation": {"en": "Aggregation", "id": "Agregasi"}}


@dataclass(frozen=True, eq=False)
class BundleInputs:
    """What goes into a bundle: the comparison, the analyses that ran, and the provenance record."""

    comparison: Comparison
    provenance: dict[str, Any]
    uncertainty: Uncertainty | None = None
    sensitivity: Sensitivity | None = None
    consistency: Consistency | None = None
    agreement: Sequence[Any] = ()  # toolkit.research.agreement.RoundAgreement, one per round with respondents
    lang: str = "en"


def labels(rubric: Rubric) -> dict[str, dict[str, str]]:
    """Every id of the rubric (overall, nodes, indicators, stages) with its label per language."""
    out = {"overall": {"en": "Overall", "id": "Keseluruhan"}}
    for node, _ in rubric.nodes():
        out[node.id] = {lang: text_in(node.title, lang) for lang in LANGUAGES}
    for indicator in rubric.indicators():
        out[indicator.id] = {lang: text_in(indicator.title, lang) for lang in LANGUAGES}
    for stage in rubric.stages:
        out.setdefault(stage.id, {lang: text_in(stage.label, lang) for lang in LANGUAGES})
    return out


def labels_frame(rubric: Rubric) -> pd.DataFrame:
    """One row per id of the rubric: kind, id, parent, the label in each language."""
    rows = [("overall", "overall", None, "Overall", "Keseluruhan")]

    def walk(node: Node, parent: str) -> None:
        rows.append(("dimension", node.id, parent, *(text_in(node.title, lang) for lang in LANGUAGES)))
        for child in node.dimensions:
            walk(child, node.id)
        for indicator in node.indicators:
            rows.append(("indicator", indicator.id, node.id,
                         *(text_in(indicator.title, lang) for lang in LANGUAGES)))

    for top in rubric.dimensions:
        walk(top, "overall")
    for stage in rubric.stages:
        rows.append(("stage", stage.id, None, *(text_in(stage.label, lang) for lang in LANGUAGES)))
    for name, label in INPUT_LABELS.items():
        rows.append(("sobol_input", name, None, label["en"], label["id"]))
    return pd.DataFrame(rows, columns=["kind", "id", "parent", "label_en", "label_id"])


def _with_labels(frame: pd.DataFrame, column: str, names: Mapping[str, Mapping[str, str]],
                 prefix: str) -> pd.DataFrame:
    """Insert `<prefix>_label_en` and `<prefix>_label_id` right after `column`."""
    at = list(frame.columns).index(column) + 1
    for offset, lang in enumerate(LANGUAGES):
        frame.insert(at + offset, f"{prefix}_label_{lang}",
                     [names.get(value, {}).get(lang) for value in frame[column]])
    return frame


def intervals_frame(comparison: Comparison, result: Uncertainty) -> pd.DataFrame:
    """Per assessment (by rank): nominal score and rank, their percentiles, each stage's probability."""
    order = comparison.order()
    frame = pd.DataFrame({
        "assessment": [comparison.assessments[k].id for k in order],
        "overall": result.nominal[order],
        "overall_p05": result.overall_percentiles[order, 0],
        "overall_p50": result.overall_percentiles[order, 1],
        "overall_p95": result.overall_percentiles[order, 2],
        "rank": pd.array([None if r != r else int(r) for r in comparison.ranks[order].tolist()], dtype="Int64"),
        "rank_p05": result.rank_percentiles[order, 0],
        "rank_p50": result.rank_percentiles[order, 1],
        "rank_p95": result.rank_percentiles[order, 2],
    })
    for j, stage_id in enumerate(result.stage_ids):
        frame[safe_name("p_" + stage_id)] = result.stage_probability[order, j]
    frame["draws"] = pd.array([result.draws] * len(order), dtype="Int64")
    return frame


def leave_one_out_frame(result: Sensitivity, names: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Per node at the depth left out: the mean absolute rank change."""
    loo = result.leave_one_out
    frame = pd.DataFrame({"depth": pd.array([loo.depth] * len(loo.node_ids), dtype="Int64"),
                          "node": list(loo.node_ids),
                          "mean_abs_rank_change": loo.mean_abs_rank_change.astype(float)})
    return _with_labels(frame, "node", names, "node")


def sobol_frame(result: Sensitivity) -> pd.DataFrame:
    """Per input the run varied: first-order and total Sobol index with their bootstrap intervals."""
    rows = [(name, index.first, *index.first_ci, index.total, *index.total_ci)
            for name, index in result.sobol.items()]
    frame = pd.DataFrame(rows, columns=["input", "first", "first_low", "first_high", "total", "total_low",
                                        "total_high"])
    for column in frame.columns[1:]:
        frame[column] = frame[column].astype(float)
    frame["samples"] = pd.array([result.samples] * len(frame), dtype="Int64")
    return _with_labels(frame, "input", INPUT_LABELS, "input")


def agreement_frames(rounds: Sequence[Any], names: Mapping[str, Mapping[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alpha per round (overall and per dimension) and each level indicator's range per round."""
    alphas, spreads = [], []
    for found in sorted(rounds, key=lambda r: r.assessment):
        subjects = [("overall", found.overall), *found.dimensions.items()]
        for subject, alpha in subjects:
            alphas.append((found.assessment, len(found.respondents), found.level, subject,
                           np.nan if alpha is None else float(alpha)))
        for spread in found.indicators:
            if spread.levels:
                spreads.append((found.assessment, spread.indicator, len(spread.levels),
                                spread.range, spread.flag))
    alpha = pd.DataFrame(alphas, columns=["assessment", "respondents", "metric", "node", "alpha"])
    alpha["respondents"] = pd.array(alpha["respondents"].tolist(), dtype="Int64")
    alpha["alpha"] = alpha["alpha"].astype(float)
    spread = pd.DataFrame(spreads, columns=["assessment", "indicator", "respondents", "range", "flag"])
    for column in ("respondents", "range"):
        spread[column] = pd.array(spread[column].tolist(), dtype="Int64")
    spread["flag"] = spread["flag"].astype(bool)
    return (_with_labels(alpha, "node", names, "node"), _with_labels(spread, "indicator", names, "indicator"))


def tables(inputs: BundleInputs) -> dict[str, pd.DataFrame]:
    """Every table of the bundle, by name, in the order they are written and documented."""
    comparison = inputs.comparison
    names = labels(comparison.rubric)
    found: dict[str, pd.DataFrame] = {
        "scores_long": _with_labels(long_frame(comparison), "node", names, "node"),
        "scores_wide": wide_frame(comparison, inputs.uncertainty),
        "labels": labels_frame(comparison.rubric),
    }
    if inputs.uncertainty is not None:
        found["intervals"] = intervals_frame(comparison, inputs.uncertainty)
    if inputs.sensitivity is not None:
        found["sensitivity_leave_one_out"] = leave_one_out_frame(inputs.sensitivity, names)
        found["sensitivity_sobol"] = sobol_frame(inputs.sensitivity)
    if inputs.consistency is not None:
        found["consistency"] = consistency_frame(inputs.consistency, inputs.lang)
    if inputs.agreement:
        found["agreement"], found["agreement_indicators"] = agreement_frames(inputs.agreement, names)
    return found


def write_parquet_with(frame: pd.DataFrame, path: Path, metadata: bytes) -> None:
    """Parquet without the index, the provenance in the schema metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), METADATA_KEY: metadata})
    pq.write_table(table, path)


def write_bundle(folder: str | Path, inputs: BundleInputs,
                 extra: Callable[[Path], list[str]] | None = None) -> dict[str, Any]:
    """Write the bundle into `folder` (created); return the provenance with its `files` list.

    `extra(folder)` may write more files (the figures) and return their names, listed too.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    found = tables(inputs)
    metadata = json.dumps(provenance.embedded(inputs.provenance), sort_keys=True, ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    written: list[str] = []
    for name, frame in found.items():
        (folder / f"{name}.csv").write_text(to_csv(frame), encoding="utf-8", newline="")
        write_parquet_with(frame, folder / f"{name}.parquet", metadata)
        written += [f"{name}.csv", f"{name}.parquet"]
    if extra is not None:
        written += extra(folder)
    book = codebook.build(found, inputs.comparison.rubric, extra_files=written[2 * len(found):])
    (folder / "codebook.json").write_text(codebook.to_json(book), encoding="utf-8", newline="")
    (folder / "codebook.md").write_text(codebook.to_markdown(book), encoding="utf-8", newline="")
    record = dict(inputs.provenance)
    record["files"] = [{"name": name, "sha256": provenance.sha256_of(folder / name),
                        "bytes": (folder / name).stat().st_size}
                       for name in [*written, "codebook.json", "codebook.md"]]
    (folder / "provenance.json").write_text(provenance.to_text(record), encoding="utf-8", newline="")
    return record
