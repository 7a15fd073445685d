"""index: MinHash signatures → LSH buckets over passages (datasketch's bands and rows).

Also the two formulas a user needs to pick a threshold: the probability that
LSH with ``b`` bands of ``r`` rows makes a pair of Jaccard similarity ``s`` a
candidate, and the similarity where that probability crosses one half.
"""

from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np
from datasketch import MinHashLSH
from datasketch.lsh import _optimal_param

from .parallel import threaded_blocks
from .shingle import fmix64
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


class BandIndex:
    """MinHash LSH over passages: the buckets of datasketch's ``MinHashLSH``, in numpy.

    The bands and rows are the ones ``MinHashLSH`` picks for ``threshold`` and
    ``num_perm`` (band ``i`` is hash values ``i*rows .. (i+1)*rows - 1``), and two
    passages share a bucket exactly when ``MinHashLSH`` would put them in one; but
    each band is one sort of the whole corpus, not a dictionary insert per passage.

    Parameters
    ----------
    signatures:
        ``(n, num_perm)`` array from :func:`nccd.sketch.sketch`.
    keys:
        Passage number of each row.
    threshold:
        Jaccard threshold the bands are tuned for, 0 < threshold < 1.
    seed:
        Seed the signatures were made with, kept to check queries against.
    """

    def __init__(self, signatures: np.ndarray, keys: Sequence[int], *, threshold: float, seed: int) -> None:
        if len(keys) != len(signatures):
            raise ValueError(f"{len(keys)} keys for {len(signatures)} signatures: they must pair up")
        num_perm = signatures.shape[1] if signatures.ndim == 2 else 0
        self._setup(keys, num_perm, threshold, seed)
        self.band_keys = np.zeros((len(self.keys), self.bands), dtype=np.uint64)
        _band_keys(signatures.reshape(len(keys), num_perm), self.bands, self.rows, self.band_keys)

    def _setup(self, keys: Sequence[int], num_perm: int, threshold: float, seed: int) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold={threshold} must lie strictly between 0 and 1")
        self.num_perm, self.seed, self.threshold = max(num_perm, 2), seed, threshold
        self.bands, self.rows = _optimal_param(threshold, self.num_perm, 0.5, 0.5)
        self.keys = np.asarray(keys, dtype=np.int64)

    @classmethod
    def empty(cls, keys: Sequence[int], *, num_perm: int, threshold: float, seed: int) -> "BandIndex":
        """An index of ``keys`` whose signatures are given later, a block of rows at a
        time (:meth:`put`): only one block of signatures need be held, never all."""
        index = cls.__new__(cls)
        index._setup(keys, num_perm, threshold, seed)
        index.band_keys = np.zeros((len(index.keys), index.bands), dtype=np.uint64)
        return index

    def put(self, at: int, signatures: np.ndarray, *, jobs: int | None = 1) -> None:
        """Index the signatures of rows ``at .. at + len(signatures) - 1`` (of ``keys``),
        their band keys made on ``jobs`` threads."""
        if signatures.ndim != 2 or signatures.shape[1] != self.num_perm or at + len(signatures) > len(self.keys):
            raise ValueError(f"signatures of shape {signatures.shape} at row {at} do not fit an index of "
                             f"{len(self.keys)} rows of {self.num_perm} permutations")
        _band_keys(signatures, self.bands, self.rows, self.band_keys[at:at + len(signatures)], jobs=jobs)

    def __len__(self) -> int:
        return len(self.keys)

    def buckets(self, band: int) -> list[np.ndarray]:
        """Passage numbers sharing a bucket in ``band``, groups of two or more, sorted."""
        codes = self.band_keys[:, band]
        order = np.lexsort((self.keys, codes))
        cuts = np.flatnonzero(np.diff(codes[order])) + 1
        return [self.keys[g] for g in np.split(order, cuts) if len(g) > 1]


def _band_keys(signatures: np.ndarray, bands: int, rows: int, out: np.ndarray, *, jobs: int | None = 1) -> None:
    """Into ``out``, one 64-bit key per passage and band: equal bands give equal keys
    (and unequal ones collide with probability about ``2**-64``). Blocks of rows are
    mixed on ``jobs`` threads (numpy lets the GIL go in each step)."""
    if not len(signatures) or signatures.shape[1] < bands * rows:
        out[:] = 0
        return

    def mix(lo: int, hi: int) -> None:
        keys = np.zeros((hi - lo, bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for r in range(rows):
                col = signatures[lo:hi, r: bands * rows: rows].astype(np.uint64)
                keys = fmix64((keys ^ col) * np.uint64(0x100000001B3) + np.uint64(r + 1))
        out[lo:hi] = keys

    threaded_blocks(mix, len(signatures), _BLOCK, jobs=jobs)  # blocks bound the temporaries of the mixing


#: Signatures turned into band keys at a time.
_BLOCK = 1 << 14


def build_index(
    signatures: np.ndarray,
    keys: Sequence[int],
    *,
    threshold: float,
    seed: int,
) -> BandIndex:
    """The :class:`BandIndex` of ``signatures`` under passage numbers ``keys``."""
    return BandIndex(signatures, keys, threshold=threshold, seed=seed)


def datasketch_index(signatures: np.ndarray, keys: Sequence[Hashable], *, threshold: float, seed: int) -> MinHashLSH:
    """The same passages in datasketch's own ``MinHashLSH`` (for checks and benchmarks)."""
    if len(keys) != len(signatures):
        raise ValueError(f"{len(keys)} keys for {len(signatures)} signatures: they must pair up")
    num_perm = signatures.shape[1] if signatures.ndim == 2 else 0
    lsh = MinHashLSH(threshold=threshold, num_perm=max(num_perm, 2))
    with lsh.insertion_session(buffer_size=max(len(keys), 1)) as session:
        for key, row in zip(keys, signatures):
            session.insert(key, to_minhash(row, seed), check_duplication=False)
    return lsh
