"""sketch: shingle hashes of many passages → MinHash signatures in one array.

The values equal datasketch's ``MinHash`` (scheme ``"affine32"``) built with the
same ``num_perm`` and ``seed`` and fed the same 32-bit shingle hashes, because
the permutations are taken from datasketch itself and applied the same way:
MurmurHash3 32-bit finaliser, then ``a * h + b mod 2**32``. A compiled loop keeps
each passage's minima in registers, so no shingles × permutations matrix is ever
written; :func:`sketch_numpy` is the plain numpy way, kept as its reference.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash
from numba import njit

from .parallel import threaded
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


def sketch(shingles: Shingles, num_perm: int = 128, seed: int = 1, *, rows: np.ndarray | None = None,
           jobs: int | None = 1) -> np.ndarray:
    """MinHash signatures of every passage (or of the passages ``rows``, in that
    order), shape ``(passages, num_perm)``, ``uint32``, the rows shared among ``jobs``
    threads (the signatures do not depend on it).

    A passage with no shingles gets the all-``EMPTY`` signature, as an empty
    datasketch ``MinHash`` has.
    """
    a, b = permutations(num_perm, seed)
    rows = np.arange(len(shingles), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    out = np.full((len(rows), num_perm), EMPTY, dtype=np.uint32)
    hashes = np.ascontiguousarray(shingles.hashes, dtype=np.uint32)
    indptr = np.ascontiguousarray(shingles.indptr, dtype=np.int64)
    threaded(lambda lo, hi: _sketch_rows(hashes, indptr, rows[lo:hi], a, b, out[lo:hi]), len(rows), jobs=jobs)
    return out


@njit(cache=True, nogil=True)
def _sketch_rows(hashes, indptr, rows, a, b, out):
    """Fill ``out[x]`` with passage ``rows[x]``'s minima; the inner loop over
    permutations vectorises.

    numba widens uint32 products, so every step is masked back to 32 bits.
    """
    mask = np.uint64(0xFFFFFFFF)
    m = a.shape[0]
    a64, b64 = a.astype(np.uint64), b.astype(np.uint64)
    for x in range(out.shape[0]):
        mins = out[x]
        row = rows[x]
        for k in range(indptr[row], indptr[row + 1]):
            h = np.uint64(hashes[k])
            h ^= h >> np.uint64(16)
            h = (h * np.uint64(0x85EBCA6B)) & mask
            h ^= h >> np.uint64(13)
            h = (h * np.uint64(0xC2B2AE35)) & mask
            h ^= h >> np.uint64(16)
            for p in range(m):
                v = np.uint32((h * a64[p] + b64[p]) & mask)
                if v < mins[p]:
                    mins[p] = v


def sketch_numpy(shingles: Shingles, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """The same signatures with one broadcast multiply-add and ``minimum.reduceat``
    per batch: the plain numpy way, kept as the benchmark's and the tests' reference."""
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
    phv = hv[:, None] * a[None, :] + b[None, :]
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
