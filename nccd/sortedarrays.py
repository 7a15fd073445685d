"""Sorted integer arrays: distinct values, a merge of two, and a stable grouping.

Plain numpy sorts where they are fastest (numpy 2 sorts plain numbers with vectorised code,
many times faster than its hashing ``np.unique``, its stable argsort, or a sort
inside compiled code), and a compiled merge where no sort is needed.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def sorted_unique(values: np.ndarray, *, counts: bool = False):
    """``np.unique`` of a 1-d integer array by one sort (numpy 2's default hashes
    first, a hundred times slower on millions of distinct values), with the counts
    if asked. Equal values are alike, so the sort need not be stable."""
    x = np.sort(values)
    starts = _run_starts(x)
    if counts:
        return x[starts[:-1]], np.diff(starts)
    return x[starts[:-1]]


def stable_groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``order = np.argsort(keys, kind="stable")`` of uint64 ``keys``, and where each run
    of equal keys starts in ``keys[order]`` (with ``len(keys)`` at the end).

    numpy sorts numbers many times faster than it argsorts them stably (timsort), so
    each key's top bits and its position are packed into one number and sorted; when
    some keys are equal in those bits but not in full (a few among millions, told by
    counting the distinct keys), those runs are put in order one by one."""
    n = len(keys)
    bits = max(n - 1, 1).bit_length()
    if bits > 40:  # too few of a key's bits left to tell most keys apart
        order = np.argsort(keys, kind="stable")
        return order, _run_starts(keys[order])
    shift = np.uint64(bits)
    packed = (keys >> shift) << shift
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    packed >>= shift  # the top bits, in order
    starts = _run_starts(packed)
    if len(starts) == len(sorted_unique(keys)) + 1:  # as many distinct top bits as keys
        return order, starts
    out = keys[order]
    for at in np.flatnonzero((out[1:] != out[:-1]) & (packed[1:] == packed[:-1])).tolist():
        lo, hi = (int(np.searchsorted(packed, packed[at], side=side)) for side in ("left", "right"))
        if not np.all(out[lo:hi - 1] <= out[lo + 1:hi]):  # the run of those top bits, not in order yet
            run = order[lo:hi][np.argsort(out[lo:hi], kind="stable")]  # positions ascending within a key
            order[lo:hi], out[lo:hi] = run, keys[run]
    return order, _run_starts(out)


def _run_starts(x: np.ndarray) -> np.ndarray:
    """Where each run of equal values of ``x`` starts, and ``len(x)``."""
    return np.flatnonzero(np.r_[True, x[1:] != x[:-1], True]) if len(x) else np.zeros(1, dtype=np.int64)


def merge_unique(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The distinct values of two sorted arrays of distinct values, sorted, by one
    compiled merge (no joined copy to sort)."""
    if not len(a) or not len(b):
        return b if not len(a) else a
    out = np.empty(len(a) + len(b), dtype=np.result_type(a, b))
    out.resize(_merge(a, b, out), refcheck=False)  # shrunk in place: no second copy
    return out


@njit(cache=True, nogil=True)
def _merge(a, b, out):
    x = y = n = 0
    while x < a.shape[0] and y < b.shape[0]:
        if a[x] < b[y]:
            out[n] = a[x]
            x += 1
        elif b[y] < a[x]:
            out[n] = b[y]
            y += 1
        else:
            out[n] = a[x]
            x += 1
            y += 1
        n += 1
    while x < a.shape[0]:
        out[n] = a[x]
        x, n = x + 1, n + 1
    while y < b.shape[0]:
        out[n] = b[y]
        y, n = y + 1, n + 1
    return n
