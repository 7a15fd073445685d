"""index: MinHash signatures → datasketch ``MinHashLSH`` over passages.

Also the two formulas a user needs to pick a threshold: the probability that
LSH with ``b`` bands of ``r`` rows makes a pair of Jaccard similarity ``s`` a
candidate, and the similarity where that probability crosses one half.
"""

from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np
from datasketch import MinHashLSH

from .sketch import to_minhash


def lsh_probability(jaccard: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that a pair with this Jaccard similarity becomes a candidate.

    ``1 - (1 - s**rows)**bands``: the pair must agree on every row of at least one band.
    """
    s = np.asarray(jaccard, dtype=float)
    p = 1.0 - (1.0 - s**rows) ** bands
    return float(p) if p.ndim == 0 else p


def lsh_threshold(bands: int, rows: int) -> float:
    """The Jaccard similarity where a pair becomes a candidate half the time."""
    if bands < 1 or rows < 1:
        raise ValueError(f"bands={bands} and rows={rows} must both be at least 1")
    return float((1.0 - 0.5 ** (1.0 / bands)) ** (1.0 / rows))


def build_index(
    signatures: np.ndarray,
    keys: Sequence[Hashable],
    *,
    threshold: float,
    seed: int,
) -> MinHashLSH:
    """Insert every signature under its key into a new ``MinHashLSH``.

    Parameters
    ----------
    signatures:
        ``(n, num_perm)`` array from :func:`nccd.sketch.sketch`.
    keys:
        One hashable key per row.
    threshold:
        Jaccard threshold the LSH bands are tuned for.
    seed:
        Seed the signatures were made with (kept with the MinHash objects so a
        mismatch with a later query raises in datasketch).
    """
    if len(keys) != len(signatures):
        raise ValueError(f"{len(keys)} keys for {len(signatures)} signatures: they must pair up")
    num_perm = signatures.shape[1] if signatures.ndim == 2 else 0
    lsh = MinHashLSH(threshold=threshold, num_perm=max(num_perm, 2))
    with lsh.insertion_session(buffer_size=max(len(keys), 1)) as session:
        for key, row in zip(keys, signatures):
            session.insert(key, to_minhash(row, seed), check_duplication=False)
    return lsh
