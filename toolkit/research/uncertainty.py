"""The Monte Carlo uncertainty analysis of SPEC section 5: score and rank intervals, stage odds.

Each draw perturbs, at once for every assessment compared:

(a) every answered level by its confidence: high keeps it; medium (and unset) draws uniformly among
    the scale values within one level of it, low within two, clipped to the scale (a level 0 of
    medium confidence becomes 0 or 1 with equal chance). Metric values, N/A and missing answers
    never move, so the `minmax` goalposts stay those of the nominal comparison;
(b) every node weight (each dimension and sub-dimension under its parent, the top-level dimensions
    included) by a factor uniform in [1 - d, 1 + d], the same factors for every assessment of the
    draw. Indicator weights are not node weights (SPEC 3 gives nodes and indicators separate
    weights) and stay fixed: the weights a panel argues about are the dimensions';
(c) with `switch_aggregation`, the aggregation: one fair coin per draw makes every node, the root
    included, arithmetic or every node geometric. The choice is global per draw, as the
    composite-indicator practice treats aggregation (one methodological choice for the index, an
    input of the OECD/JRC handbook and COINr), rather than per node: mixed trees are no index anyone
    would publish, and the Sobol analysis then sees one binary input.

Per assessment the result gives the 5th, 50th and 95th percentiles of the overall score and of the
rank (numpy's default linear interpolation, for both), and the share of draws in each stage. Ranks
are competition ranks among the compared assessments within each draw (`toolkit.engine.scoring.rank`).

Reproducible and order-independent: the levels of each assessment are drawn from its own generator,
keyed by the seed and the assessment's id (`toolkit.research.streams`), so the same set of
assessments gives the same numbers in any order; the weight factors and the aggregation switch,
shared by all assessments of a draw, come from generators spawned from `seed`. Every stream is
consumed draw after draw, so the numbers do not depend on the chunk size either. Draws are scored in chunks of about `chunk_rows` rows (draws x assessments):
the working memory is bounded by the chunk, whatever the number of draws; what is kept is each
draw's overall score (8 bytes per assessment per draw, needed for exact score percentiles) and
counts of ranks and stages (assessments x assessments, assessments x stages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import none_if_nan, rank, stage_index
from toolkit.engine.results import Scores
from toolkit.research.draws import DrawEngine
from toolkit.research.streams import UNCERTAINTY_LEVELS, LevelStream

PERCENTILES = (5.0, 50.0, 95.0)
DEFAULT_DRAWS = 1000
DEFAULT_SPREAD = 0.25
DEFAULT_CHUNK_ROWS = 16_384  # a chunk's buffers stay a few MB: faster than one big block, and bounded
INPUTS = ("levels", "weights", "aggregation")  # SPEC 5 (a), (b), (c); also the Sobol input names

Progress = Callable[[float], None]


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """The outcome of `uncertainty`: per assessment (input order) percentiles and stage odds."""

    draws: int
    seed: int
    spread: float
    switch_aggregation: bool
    assessment_ids: tuple[str, ...]
    stage_ids: tuple[str, ...]
    nominal: np.ndarray  # A: the nominal overall score
    nominal_rank: np.ndarray  # A
    overall_draws: np.ndarray  # draws x A overall scores (NaN where the assessment has none)
    rank_counts: np.ndarray  # A x (A + 1): column r counts the draws at rank r (column 0 unused)
    stage_counts: np.ndarray  # A x stages
    overall_percentiles: np.ndarray  # A x 3: the 5th, 50th, 95th percentile of the overall score
    rank_percentiles: np.ndarray  # A x 3
    stage_probability: np.ndarray  # A x stages, NaN rows where the overall score is null

    def records(self) -> list[dict[str, Any]]:
        """Per assessment (input order) the fields `ddmt compare --format json` adds (SPEC 6)."""
        out = []
        for k in range(len(self.assessment_ids)):
            o, r = self.overall_percentiles[k].tolist(), self.rank_percentiles[k].tolist()
            probability = self.stage_probability[k].tolist()
            out.append({
                "overall_p05": none_if_nan(o[0]), "overall_p50": none_if_nan(o[1]),
                "overall_p95": none_if_nan(o[2]),
                "rank_p05": none_if_nan(r[0]), "rank_p50": none_if_nan(r[1]),
                "rank_p95": none_if_nan(r[2]),
                "stage_probability": (None if probability[0] != probability[0]
                                      else dict(zip(self.stage_ids, probability, strict=True))),
            })
        return out

    def settings(self) -> dict[str, Any]:
        """What reproduces this run: draws, seed, spread, aggregation switch."""
        return {"draws": self.draws, "seed": self.seed, "spread": self.spread,
                "switch_aggregation": self.switch_aggregation}


def scores_of(source: Comparison | Scores) -> Scores:
    """The scores of a comparison, or the scores themselves."""
    return source.scores if isinstance(source, Comparison) else source


def ranked_of(source: Comparison | Scores) -> np.ndarray:
    """Per assessment, whether it is in the ranked set (SPEC 11): draws rank only these."""
    return source.ranked if isinstance(source, Comparison) else source.overall_rated


def only_ranked(overall: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Overall scores with those outside the ranked set made null, so that they take no rank."""
    return overall if ranked.all() else np.where(ranked, overall, np.nan)


def check_options(draws: int, seed: int, spread: float, *, name: str = "draws", least: int = 1) -> None:
    """Refuse settings the analysis cannot honour (ValueError, before any work)."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, not {seed!r}")
    if not 0.0 <= spread < 1.0:
        raise ValueError(f"spread must be in [0, 1) so every weight stays positive, not {spread!r}")


def uncertainty(source: Comparison | Scores, draws: int = DEFAULT_DRAWS, seed: int = 0, *,
                spread: float = DEFAULT_SPREAD, switch_aggregation: bool = False,
                chunk_rows: int = DEFAULT_CHUNK_ROWS, progress: Progress | None = None) -> Uncertainty:
    """Run the Monte Carlo of SPEC 5 over a comparison; `progress(fraction)` after each chunk."""
    check_options(draws, seed, spread)
    scores = scores_of(source)
    ranked_set = ranked_of(source)
    engine = DrawEngine(scores)
    compiled = scores.compiled
    n = len(scores)
    n_stages = len(compiled.stage_ids)
    # The first spawned child once fed the levels; they now come from keyed streams, and the weights
    # and switch keep their own children (so their numbers are those of earlier releases).
    _, weight_rng, switch_rng = (np.random.default_rng(child)
                                 for child in np.random.SeedSequence(seed).spawn(len(INPUTS)))
    levels = LevelStream(seed, UNCERTAINTY_LEVELS, scores.ids, engine.cells_per_assessment)
    per_chunk = max(1, chunk_rows // max(n, 1))
    overall = np.empty((draws, n))
    rank_counts = np.zeros(n * (n + 1), dtype=np.int64)
    stage_counts = np.zeros(n * n_stages, dtype=np.int64)
    row_offset = np.arange(n)
    for start in range(0, draws, per_chunk):
        block = min(per_chunk, draws - start)
        level_u = levels.next(block)
        factors = 1.0 - spread + (2.0 * spread) * weight_rng.random((block, engine.n_factors))
        geometric = switch_rng.random(block) < 0.5 if switch_aggregation else None
        scored = engine.overall(block, level_u, factors, geometric)
        overall[start:start + block] = scored
        ranks = rank(only_ranked(scored, ranked_set))
        ranked = ~np.isnan(ranks)
        keys = (row_offset * (n + 1) + np.where(ranked, ranks, 0).astype(np.intp))[ranked]
        rank_counts += np.bincount(keys, minlength=len(rank_counts))
        # a round outside the ranked set is below min_completeness: it has no stage to be likely
        stage = np.where(ranked_set, stage_index(compiled, scored), -1)
        staged = stage >= 0
        stage_counts += np.bincount((row_offset * n_stages + stage)[staged],
                                    minlength=len(stage_counts))
        if progress is not None:
            progress((start + block) / draws)
    rank_counts = rank_counts.reshape(n, n + 1)
    stage_counts = stage_counts.reshape(n, n_stages)
    with np.errstate(invalid="ignore", divide="ignore"):
        probability = stage_counts / stage_counts.sum(axis=1, keepdims=True)
    return Uncertainty(
        draws=int(draws), seed=int(seed), spread=float(spread),
        switch_aggregation=bool(switch_aggregation),
        assessment_ids=scores.ids, stage_ids=compiled.stage_ids,
        nominal=scores.overall.copy(), nominal_rank=rank(only_ranked(scores.overall, ranked_set)),
        overall_draws=overall, rank_counts=rank_counts, stage_counts=stage_counts,
        overall_percentiles=_percentiles(overall), rank_percentiles=percentiles_from_counts(
            rank_counts, np.arange(n + 1, dtype=float), PERCENTILES),
        stage_probability=probability,
    )


def _percentiles(draws: np.ndarray, block: int = 64) -> np.ndarray:
    """A x 3 percentiles of each column; NaN for a column that is NaN throughout (a null score).

    Columns go in blocks, so the partial sort's working copy is `draws x block`, not a second
    copy of every draw.
    """
    out = np.full((draws.shape[1], len(PERCENTILES)), np.nan)
    if not len(draws):
        return out
    scored = np.flatnonzero(~np.isnan(draws[0]))  # a null score is null in every draw
    for start in range(0, len(scored), block):
        columns = scored[start:start + block]
        # The fancy index copies, so the partial sort may work in that copy.
        out[columns] = np.percentile(draws[:, columns], PERCENTILES, axis=0, overwrite_input=True).T
    return out


def percentiles_from_counts(counts: np.ndarray, values: np.ndarray,
                            q: tuple[float, ...] = PERCENTILES) -> np.ndarray:
    """Percentiles (numpy's linear method) of samples given as counts per value, one row each.

    Row i holds `counts[i, j]` copies of `values[j]` (values ascending); the result equals
    `np.percentile(np.repeat(values, counts[i]), q)`, NaN for an empty row.
    """
    counts = np.asarray(counts)
    total = counts.sum(axis=1)
    cumulative = np.cumsum(counts, axis=1)
    out = np.full((counts.shape[0], len(q)), np.nan)
    fractions = np.asarray(q, dtype=float) / 100.0
    for i in np.flatnonzero(total):
        # numpy's virtual index and its two-sided linear interpolation, step for step.
        h = (total[i] - 1) * fractions
        below = np.floor(h)
        t = h - below
        lo = values[np.searchsorted(cumulative[i], below, side="right")]
        hi = values[np.searchsorted(cumulative[i], np.minimum(below + 1, total[i] - 1), side="right")]
        span = hi - lo
        out[i] = np.where(t >= 0.5, hi - span * (1.0 - t), lo + span * t)
    return out
