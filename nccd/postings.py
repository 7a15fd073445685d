"""Shingle postings: the passages holding each distinct shingle, in rank order.

What the candidates stage counts shared clauses over. Built by a radix pass
(by the hash's top bits) into two 32-bit arrays, each bucket then sorted on its
own, so the corpus's shingles are never held as 64-bit keys beside their 32-bit
copies: at 100,000 documents there are a hundred million of them. A passage finds
its groups again by looking its own shingles up (:func:`find`), so no second
array per shingle (which group, in passage order) is kept either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

#: Buckets of the radix pass (top bits of the 32-bit hash).
_BUCKET_BITS = 12


@dataclass(frozen=True, eq=False)
class Postings:
    """Distinct shingle hashes and their holders.

    The holders of ``hashes[g]`` are ``members[starts[g]:starts[g + 1]]`` (passage
    numbers, each once, in the order of their place in ``by_rank``); ``directory``
    and ``shift`` speed up :func:`find` over the sorted ``hashes``.
    """

    hashes: np.ndarray
    starts: np.ndarray
    members: np.ndarray
    directory: np.ndarray
    shift: int


def build_postings(hashes: np.ndarray, indptr: np.ndarray, rows: np.ndarray, by_rank: np.ndarray, *,
                   min_holders: int = 1) -> Postings:
    """The postings of the shingles ``hashes[indptr[r]:indptr[r + 1]]`` of each passage
    ``r`` in ``rows``; ``by_rank[k]`` is the passage at place ``k`` (the member order).
    Shingles held by fewer than ``min_holders`` passages are left out (:func:`find`
    gives -1): one held by a single passage pairs it with none, and most are."""
    place = np.empty(len(by_rank), dtype=np.uint32)
    place[by_rank] = np.arange(len(by_rank), dtype=np.uint32)
    rows = np.asarray(rows, dtype=np.int64)
    shift = 32 - _BUCKET_BITS
    bucket_ptr = np.zeros(2**_BUCKET_BITS + 1, dtype=np.int64)
    np.cumsum(_bucket_counts(hashes, indptr, rows, shift, 2**_BUCKET_BITS), out=bucket_ptr[1:])
    h = np.empty(int(bucket_ptr[-1]), dtype=np.uint32)
    members = np.empty(int(bucket_ptr[-1]), dtype=np.uint32)
    _scatter(hashes, indptr, rows, place, bucket_ptr, shift, h, members)
    kept = _sort_buckets(h, members, bucket_ptr, by_rank.astype(np.int64, copy=False), min_holders)
    h = h[:kept]
    groups = _count_groups(h)
    distinct = np.empty(groups, dtype=np.uint32)
    starts = np.empty(groups + 1, dtype=np.int32 if kept < 2**31 else np.int64)
    _fill_groups(h, distinct, starts)
    del h
    # Places are now passage numbers. Copied once the hashes are gone (not beside them:
    # that was the stage's peak), so the room of the shingles left out is freed.
    members = (members[:kept].copy() if kept < len(members) else members).view(np.int32)
    table, shift = directory(distinct)
    return Postings(distinct, starts, members, table, shift)


def directory(table: np.ndarray) -> tuple[np.ndarray, int]:
    """``(starts, shift)``: where the hashes ``h`` with ``h >> shift == b`` start in the
    sorted uint32 ``table``, for every ``b``. A lookup then searches the few entries
    of its range instead of the whole table, each step of which is a cache miss."""
    bits = min(max(len(table).bit_length(), 8), 22)
    starts = np.zeros(2**bits + 1, dtype=np.int32 if len(table) < 2**31 else np.int64)
    np.cumsum(np.bincount(table >> np.uint32(32 - bits), minlength=2**bits), out=starts[1:])
    return starts, 32 - bits


@njit(cache=True, nogil=True, inline="always")
def find(table, directory, shift, h):
    """Position of hash ``h`` in the sorted ``table`` (see :func:`directory`), -1 if absent."""
    lo, hi = directory[h >> shift], directory[(h >> shift) + 1]
    while lo < hi:  # the first entry not below h
        mid = (lo + hi) // 2
        if np.int64(table[mid]) < h:
            lo = mid + 1
        else:
            hi = mid
    if lo < table.shape[0] and np.int64(table[lo]) == h:
        return np.int64(lo)
    return np.int64(-1)


@njit(cache=True, nogil=True)
def _count_groups(h):
    n = 0
    for x in range(h.shape[0]):
        if x == 0 or h[x] != h[x - 1]:
            n += 1
    return n


@njit(cache=True, nogil=True)
def _fill_groups(h, distinct, starts):
    """The distinct values of the sorted ``h`` and where each run of them starts."""
    g = 0
    for x in range(h.shape[0]):
        if x == 0 or h[x] != h[x - 1]:
            distinct[g], starts[g] = h[x], x
            g += 1
    starts[g] = h.shape[0]


@njit(cache=True, nogil=True)
def _bucket_counts(hashes, indptr, rows, shift, buckets):
    counts = np.zeros(buckets, dtype=np.int64)
    for r in rows:
        for x in range(indptr[r], indptr[r + 1]):
            counts[hashes[x] >> shift] += 1
    return counts


@njit(cache=True, nogil=True)
def _scatter(hashes, indptr, rows, place, bucket_ptr, shift, h, members):
    """Every (hash, place) of the rows' shingles into its bucket."""
    fill = bucket_ptr[:-1].copy()
    for r in rows:
        p = place[r]
        for x in range(indptr[r], indptr[r + 1]):
            b = hashes[x] >> shift
            h[fill[b]], members[fill[b]] = hashes[x], p
            fill[b] += 1


@njit(cache=True, nogil=True)
def _sort_buckets(h, members, bucket_ptr, by_rank, min_holders):
    """Sort each bucket by (hash, place), drop repeats (a shingle twice in one passage)
    and hashes of fewer than ``min_holders`` places (a hash lies in one bucket only),
    turn places into passage numbers, and pack the buckets to the front; the count kept."""
    size = 0
    for b in range(bucket_ptr.shape[0] - 1):
        size = max(size, bucket_ptr[b + 1] - bucket_ptr[b])
    tmp = np.empty(size, dtype=np.uint64)
    w = 0
    for b in range(bucket_ptr.shape[0] - 1):
        lo, m = bucket_ptr[b], bucket_ptr[b + 1] - bucket_ptr[b]
        for k in range(m):
            tmp[k] = (np.uint64(h[lo + k]) << np.uint64(32)) | np.uint64(members[lo + k])
        part = tmp[:m]
        part.sort()
        k = 0
        while k < m:  # a run of one hash; w never passes lo + k: safe in place
            end, distinct = k + 1, 1
            while end < m and part[end] >> np.uint64(32) == part[k] >> np.uint64(32):
                distinct += part[end] != part[end - 1]
                end += 1
            if distinct >= min_holders:
                for x in range(k, end):
                    if x == k or part[x] != part[x - 1]:
                        h[w] = np.uint32(part[x] >> np.uint64(32))
                        members[w] = np.uint32(by_rank[np.int64(part[x] & np.uint64(0xFFFFFFFF))])
                        w += 1
            k = end
    return w
