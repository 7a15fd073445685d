"""sketch: shingle hashes of many passages → MinHash signatures in one array.

The values equal datasketch's ``MinHash`` (scheme ``"affine32"``) built with the
same ``num_perm`` and ``seed`` and fed the same 32-bit shingle hashes, because
the permutations are taken from datasketch itself and applied the same way:
MurmurHash3 32-bit finaliser, then ``a * h + b mod 2**32``. The work is done
over whole batches: one broadcast multiply-add and one ``minimum.reduceat``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash

from .shingle import Shingles

EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for a MinHash that saw nothing
_BATCH_CELLS = 1 << 22  # shingles × permutations per step: bounds peak memory


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutation parameters ``(a, b)`` for ``num_perm``/``seed``."""
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before permuting."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def sketch(shingles: Shingles, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures of every passage, shape ``(passages, num_perm)``, ``uint32``.

    A passage with no shingles gets the all-``EMPTY`` signature, as an empty
    datasketch ``MinHash`` has.
    """
    a, b = permutations(num_perm, seed)
    n = len(shingles)
    out = np.full((n, num_perm), EMPTY, dtype=np.uint32)
    counts = np.diff(shingles.indptr)
    step = max(1, _BATCH_CELLS // num_perm)
    i = 0
    while i < n:
        j = i
        while j < n and shingles.indptr[j + 1] - shingles.indptr[i] <= step:
            j += 1
        j = max(j, i + 1)
        _sketch_range(shingles, counts, a, b, i, j, out)
        i = j
    return out


def _sketch_range(shingles, counts, a, b, i, j, out) -> None:
    """Fill ``out[i:j]`` from the passages' shingles in one numpy pass."""
    lo, hi = shingles.indptr[i], shingles.indptr[j]
    if hi == lo:
        return
    hv = fmix32(shingles.hashes[lo:hi])
    phv = hv[:, None] * a[None, :] + b[None, :]  # uint32 wrap-around is the mod 2**32
    nonempty = np.nonzero(counts[i:j])[0]
    starts = shingles.indptr[i:j][nonempty] - lo
    out[i + nonempty] = np.minimum.reduceat(phv, starts, axis=0)


def to_minhash(signature: np.ndarray, seed: int = 1) -> MinHash:
    """A datasketch ``MinHash`` holding ``signature`` (for ``MinHashLSH`` and checks)."""
    num_perm = len(signature)
    a, b = permutations(num_perm, seed)
    return MinHash(
        seed=seed, hashvalues=signature, permutations=np.array([a, b]), scheme="affine32"
    )
