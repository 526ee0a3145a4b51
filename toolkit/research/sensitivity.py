"""Sensitivity of a comparison's ranks (SPEC section 5): leave-one-out and Sobol indices.

Leave-one-out at depth K scores the comparison once per node at that depth with the node removed
(its weight set to 0, so its siblings renormalise under their parent, exactly as if the rubric had
been written without it) and reports, per node, the mean absolute rank change against the nominal
ranks, over the assessments ranked in both. A parent left with no scored child becomes null, and an
assessment whose overall score becomes null drops out of that mean.

The Sobol analysis treats the three uncertain inputs of the Monte Carlo (`toolkit.research.uncertainty`) as
three input groups, each driven by its own random numbers: `levels` by the level uniforms of each
assessment (drawn from streams keyed by the seed and the assessment id, so the indices do not depend
on the order of the inputs; base sample A's and B's streams are apart), `weights` by one uniform per
node weight, `aggregation` by one uniform (geometric below 0.5). The output of one draw is the mean absolute rank change against the
nominal ranks. Saltelli's design (two independent base samples A and B of `samples` rows, and for
each input the matrix AB_i: A with input i taken from B) costs `samples * (inputs + 2)` draws; the
base samples are pseudo-random (a quasi-random sequence cannot cover a seed, and the level input
can hold tens of thousands of uniforms). Estimators: first order after Saltelli et al. (2010),
`mean(f(B) (f(AB_i) - f(A))) / V`; total after Jansen (1999), `mean((f(A) - f(AB_i))^2) / 2V`; V the
variance of f over A and B; the outputs are centred first, as SALib does. Confidence intervals are
bootstrap percentile intervals (rows resampled with replacement). A first-order estimate may come
out slightly negative or above the total: that is sampling noise, reported as it is. When the
output does not vary at all the indices are undefined (NaN, null in JSON).

`sobol_indices`, `saltelli_design` and `sobol_analysis` work for any model and are checked against
SALib and analytical values in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import none_if_nan, rank
from toolkit.engine.results import Scores
from toolkit.errors import ToolkitError
from toolkit.research.draws import DrawEngine
from toolkit.research.streams import SOBOL_LEVELS_A, SOBOL_LEVELS_B, LevelStream
from toolkit.research.uncertainty import (
    DEFAULT_CHUNK_ROWS,
    DEFAULT_SPREAD,
    INPUTS,
    Progress,
    check_options,
    only_ranked,
    ranked_of,
    scores_of,
)

DEFAULT_SAMPLES = 512
DEFAULT_BOOTSTRAP = 1000
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class SobolIndex:
    """First-order and total Sobol index of one input, each with its bootstrap interval."""

    first: float
    total: float
    first_ci: tuple[float, float]
    total_ci: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """`{first, total, first_ci: [low, high], total_ci: [low, high]}`, null where undefined."""
        return {"first": none_if_nan(self.first), "total": none_if_nan(self.total),
                "first_ci": [none_if_nan(x) for x in self.first_ci],
                "total_ci": [none_if_nan(x) for x in self.total_ci]}


@dataclass(frozen=True, eq=False)
class LeaveOneOut:
    """Per node at one depth (rubric order): the comparison rescored without it, and the rank change."""

    depth: int
    node_ids: tuple[str, ...]
    overall: np.ndarray  # nodes x A: overall scores with that node removed
    ranks: np.ndarray  # nodes x A
    nominal_rank: np.ndarray  # A
    mean_abs_rank_change: np.ndarray  # nodes

    def to_dict(self) -> dict[str, float | None]:
        """`{node_id: mean absolute rank change}`, as `sensitivity.leave_one_out` in SPEC 6."""
        return {node_id: none_if_nan(value)
                for node_id, value in zip(self.node_ids, self.mean_abs_rank_change.tolist(), strict=True)}


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Leave-one-out at one depth and the Sobol indices of the uncertain inputs."""

    leave_one_out: LeaveOneOut
    sobol: dict[str, SobolIndex]
    samples: int
    seed: int
    spread: float
    switch_aggregation: bool

    def to_dict(self) -> dict[str, Any]:
        """The `sensitivity` object of `ddmt compare --format json` (SPEC 6), with its settings."""
        return {"depth": self.leave_one_out.depth,
                "leave_one_out": self.leave_one_out.to_dict(),
                "sobol": {name: index.to_dict() for name, index in self.sobol.items()},
                "samples": self.samples, "seed": self.seed, "spread": self.spread,
                "switch_aggregation": self.switch_aggregation}


# --- leave-one-out ----------------------------------------------------------------------------------


def leave_one_out(source: Comparison | Scores, depth: int = 1) -> LeaveOneOut:
    """Rescore without each node at `depth` (1 = top level) and measure the mean absolute rank change."""
    scores = scores_of(source)
    c = scores.compiled
    deepest = int(c.node_depth.max())
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or not 1 <= depth <= deepest:
        raise ToolkitError(f"depth {depth!r}: rubric {c.rubric.id} {c.rubric.version} has nodes at "
                           f"depths 1 to {deepest}")
    nodes = [k for k in c.rubric_node_order if c.node_depth[k] == depth]
    engine = DrawEngine(scores)
    factors = np.ones((len(nodes), engine.n_factors))
    factors[np.arange(len(nodes)), np.array(nodes) - 1] = 0.0  # factor column k - 1 is node k
    overall = engine.overall(len(nodes), factors=factors)
    ranked_set = ranked_of(source)
    ranks = rank(only_ranked(overall, ranked_set))
    nominal = rank(only_ranked(scores.overall, ranked_set))
    return LeaveOneOut(depth=int(depth), node_ids=tuple(c.node_ids[k] for k in nodes),
                       overall=overall, ranks=ranks, nominal_rank=nominal,
                       mean_abs_rank_change=mean_abs_rank_change(ranks, nominal))


def mean_abs_rank_change(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Per row of `ranks`, the mean |rank - nominal| over the assessments ranked in both (NaN if none)."""
    change = np.abs(ranks - nominal)
    counted = ~np.isnan(change)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted, change, 0.0).sum(axis=-1) / counted.sum(axis=-1)


# --- Sobol indices, for any model ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SaltelliDesign:
    """Two independent base samples of uniforms, A and B (samples x columns), and the input groups."""

    a: np.ndarray
    b: np.ndarray
    groups: dict[str, slice]

    def mixed(self, name: str) -> np.ndarray:
        """AB_i: the rows of A with the columns of input `name` taken from B."""
        out = self.a.copy()
        out[:, self.groups[name]] = self.b[:, self.groups[name]]
        return out


def saltelli_design(samples: int, groups: Mapping[str, int], rng: np.random.Generator) -> SaltelliDesign:
    """Saltelli's A and B for inputs given as `{name: number of uniform columns}` (a group each)."""
    if samples < 2:
        raise ValueError(f"samples must be at least 2, not {samples!r}")
    columns, start = {}, 0
    for name, width in groups.items():
        columns[name] = slice(start, start + int(width))
        start += int(width)
    return SaltelliDesign(a=rng.random((samples, start)), b=rng.random((samples, start)), groups=columns)


def sobol_indices(y_a: np.ndarray, y_b: np.ndarray, y_ab: Mapping[str, np.ndarray], *,
                  bootstrap: int = DEFAULT_BOOTSTRAP, confidence: float = DEFAULT_CONFIDENCE,
                  rng: np.random.Generator | None = None) -> dict[str, SobolIndex]:
    """First-order (Saltelli 2010) and total (Jansen) indices from the outputs of a Saltelli design."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    y_a, y_b = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    mixed = {name: np.asarray(y, dtype=float) for name, y in y_ab.items()}
    centre = np.concatenate([y_a, y_b, *mixed.values()]).mean()
    y_a, y_b = y_a - centre, y_b - centre
    rng = rng if rng is not None else np.random.default_rng(0)
    rows = rng.integers(0, len(y_a), size=(bootstrap, len(y_a))) if bootstrap else None
    tails = (50.0 * (1.0 - confidence), 50.0 * (1.0 + confidence))
    out = {}
    for name, y in mixed.items():
        y = y - centre
        first, total = _estimates(y_a, y_b, y)
        if rows is None:
            first_ci = total_ci = (np.nan, np.nan)
        else:
            boot_first, boot_total = _estimates(y_a[rows], y_b[rows], y[rows])
            first_ci, total_ci = (_interval(boot_first, tails), _interval(boot_total, tails))
        out[name] = SobolIndex(first=float(first), total=float(total), first_ci=first_ci,
                               total_ci=total_ci)
    return out


def _estimates(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Saltelli 2010 first order and Jansen total along the last axis; NaN where V is 0."""
    variance = np.var(np.concatenate([y_a, y_b], axis=-1), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(y_b * (y_ab - y_a), axis=-1) / variance
        total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=-1) / variance
    flat = np.ptp(np.concatenate([y_a, y_b], axis=-1), axis=-1) == 0  # the output never moved
    return np.where(flat, np.nan, first), np.where(flat, np.nan, total)


def _interval(values: np.ndarray, tails: tuple[float, float]) -> tuple[float, float]:
    kept = values[~np.isnan(values)]
    if not len(kept):
        return (np.nan, np.nan)
    low, high = np.percentile(kept, tails)
    return (float(low), float(high))


def sobol_analysis(model: Callable[[np.ndarray], np.ndarray], groups: Mapping[str, int],
                   samples: int = DEFAULT_SAMPLES, seed: int = 0, *,
                   bootstrap: int = DEFAULT_BOOTSTRAP,
                   confidence: float = DEFAULT_CONFIDENCE) -> dict[str, SobolIndex]:
    """Sobol indices of a model of uniforms (rows x columns -> rows) with grouped inputs."""
    design_seed, boot_seed = np.random.SeedSequence(seed).spawn(2)
    design = saltelli_design(samples, groups, np.random.default_rng(design_seed))
    y_ab = {name: model(design.mixed(name)) for name in design.groups}
    return sobol_indices(model(design.a), model(design.b), y_ab, bootstrap=bootstrap,
                         confidence=confidence, rng=np.random.default_rng(boot_seed))


# --- Sobol indices of a comparison's ranks ------------------------------------------------------------


def varying_inputs(engine: DrawEngine, spread: float, switch_aggregation: bool) -> tuple[str, ...]:
    """The inputs of SPEC 5 (a)-(c) that this run varies: only those get a Sobol index."""
    varies = {"levels": engine.n_cells > 0, "weights": spread > 0 and engine.n_factors > 0,
              "aggregation": bool(switch_aggregation)}
    return tuple(name for name in INPUTS if varies[name])


def rank_sobol(source: Comparison | Scores, samples: int = DEFAULT_SAMPLES, seed: int = 0, *,
               spread: float = DEFAULT_SPREAD, switch_aggregation: bool = False,
               bootstrap: int = DEFAULT_BOOTSTRAP, confidence: float = DEFAULT_CONFIDENCE,
               chunk_rows: int = DEFAULT_CHUNK_ROWS,
               progress: Progress | None = None) -> dict[str, SobolIndex]:
    """Sobol indices of levels, weights (and aggregation) on the mean absolute rank change."""
    check_options(samples, seed, spread, name="samples", least=2)
    scores = scores_of(source)
    engine = DrawEngine(scores)
    ranked_set = ranked_of(source)
    nominal = rank(only_ranked(scores.overall, ranked_set))
    names = varying_inputs(engine, spread, switch_aggregation)
    design_seed, boot_seed = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(design_seed)
    # Per base sample, the node-weight uniforms and the aggregation uniform; the levels of each base
    # sample come from streams keyed by assessment id (order-independent), A's and B's apart.
    base_a, base_b = [{"levels": purpose, "weights": rng.random((samples, engine.n_factors)),
                       "aggregation": rng.random(samples)}
                      for purpose in (SOBOL_LEVELS_A, SOBOL_LEVELS_B)]
    plans = [("A", base_a), ("B", base_b)] + [(name, {**base_a, name: base_b[name]}) for name in names]
    per_chunk = max(1, chunk_rows // max(len(scores), 1))
    total_steps = len(plans) * -(-samples // per_chunk)
    done = 0
    outputs: dict[str, np.ndarray] = {}
    for name, plan in plans:
        y = np.empty(samples)
        levels = LevelStream(seed, plan["levels"], scores.ids, engine.cells_per_assessment)
        weight_u, switch_u = plan["weights"], plan["aggregation"]
        for start in range(0, samples, per_chunk):
            rows = slice(start, min(start + per_chunk, samples))
            level_u = levels.next(rows.stop - rows.start)
            factors = 1.0 - spread + (2.0 * spread) * weight_u[rows]
            geometric = switch_u[rows] < 0.5 if switch_aggregation else None
            drawn = engine.overall(len(y[rows]), level_u, factors, geometric)
            y[rows] = mean_abs_rank_change(rank(only_ranked(drawn, ranked_set)), nominal)
            done += 1
            if progress is not None:
                progress(done / total_steps)
        outputs[name] = y
    y_a, y_b = outputs.pop("A"), outputs.pop("B")
    if not outputs:
        return {}
    return sobol_indices(y_a, y_b, outputs, bootstrap=bootstrap, confidence=confidence,
                         rng=np.random.default_rng(boot_seed))


def sensitivity(source: Comparison | Scores, depth: int = 1, *, samples: int = DEFAULT_SAMPLES,
                seed: int = 0, spread: float = DEFAULT_SPREAD, switch_aggregation: bool = False,
                bootstrap: int = DEFAULT_BOOTSTRAP, confidence: float = DEFAULT_CONFIDENCE,
                progress: Progress | None = None) -> Sensitivity:
    """Leave-one-out at `depth` and the Sobol indices of the uncertain inputs, in one result."""
    loo = leave_one_out(source, depth)
    indices = rank_sobol(source, samples, seed, spread=spread, switch_aggregation=switch_aggregation,
                         bootstrap=bootstrap, confidence=confidence, progress=progress)
    return Sensitivity(leave_one_out=loo, sobol=indices, samples=int(samples), seed=int(seed),
                       spread=float(spread), switch_aggregation=bool(switch_aggregation))
