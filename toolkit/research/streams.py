"""Random numbers keyed by assessment id, so an analysis does not depend on the order of its inputs.

A co-author who lists the same files in another order must get the same table (SPEC 13). The
level perturbations are the only draws that belong to one assessment, so each assessment gets its
own generator, seeded from the run's seed, a purpose tag and the SHA-256 of its id: the numbers an
assessment receives depend on who it is, never on where it stands in the list. Node-weight factors
and the aggregation switch are shared by every assessment of a draw and keep one generator each.

A stream is consumed draw after draw (numpy fills arrays in order), so the same seed gives the same
numbers whatever the chunk size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

# Purpose tags keep the streams of different analyses (and of Saltelli's two base samples) apart.
UNCERTAINTY_LEVELS = 1
SOBOL_LEVELS_A = 2
SOBOL_LEVELS_B = 3


def id_words(assessment_id: str) -> list[int]:
    """The SHA-256 of an assessment id as eight 32-bit words (SeedSequence entropy)."""
    digest = hashlib.sha256(assessment_id.encode("utf-8", "surrogatepass")).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 32, 4)]


def keyed_generator(seed: int, purpose: int, assessment_id: str) -> np.random.Generator:
    """The generator of one assessment for one purpose under one seed."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(purpose), *id_words(assessment_id)]))


class LevelStream:
    """Level uniforms for a batch, each assessment's columns drawn from its own keyed generator.

    `cells_per_assessment[k]` is how many perturbable level cells assessment k has; the columns of
    `next(block)` are laid out assessment after assessment in batch order, as `DrawEngine.cells` is.
    """

    def __init__(self, seed: int, purpose: int, assessment_ids: Sequence[str],
                 cells_per_assessment: Sequence[int]):
        counts = [int(n) for n in cells_per_assessment]
        if len(counts) != len(assessment_ids):
            raise ValueError("one cell count per assessment is needed")
        self._parts = [(keyed_generator(seed, purpose, assessment_id), n)
                       for assessment_id, n in zip(assessment_ids, counts, strict=True) if n]
        self.width = sum(counts)

    def next(self, block: int) -> np.ndarray | None:
        """The next `block` draws' uniforms (block x width), or None when nothing can move."""
        if not self.width:
            return None
        out = np.empty((block, self.width))
        start = 0
        for generator, n in self._parts:
            out[:, start:start + n] = generator.random((block, n))
            start += n
        return out
