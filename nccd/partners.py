"""Which partners each passage keeps: a few per passage, ranked by a hash of the pair.

Families form through chains of links, and a few links per passage keep them
connected; the pair hash spreads the choice evenly and never depends on reading
order (it is made of the passages' stable ranks). The candidates stage limits
pairs with :func:`limit_kept`, and keeps the first few of each passage while
counting shared clauses with :func:`partner_order` and :func:`insert_partner`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .parallel import threaded


@njit(cache=True, nogil=True)
def _pair_hash(rank, i, j):
    """:func:`limit_partners`'s hash of a pair."""
    a, b = min(rank[i], rank[j]), max(rank[i], rank[j])
    h = (a * np.uint64(0x9E3779B97F4A7C15)) ^ b
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@njit(cache=True, nogil=True, inline="always")
def partner_order(hj, j, ho, other, i):
    """Whether partner ``j`` of ``i`` comes before ``other`` as :func:`limit_partners`
    ranks them, given their pair hashes ``hj`` and ``ho`` (:func:`_pair_hash`): by pair
    hash, then the larger partners first, each ascending (the order of the sorted
    pairs in which ``i`` is first, then those in which it is second)."""
    if hj != ho:
        return hj < ho
    return (j < i, j) < (other < i, other)


@njit(cache=True, nogil=True, inline="always")
def insert_partner(rank, i, best, hashes, m, limit, j):
    """Put ``j`` in its place in ``best[:m]`` (kept in :func:`partner_order`, ``limit``
    at most; ``hashes[:m]`` their pair hashes, so each partner's is computed once),
    or leave it out when it ranks after all ``limit``; the new size."""
    h = _pair_hash(rank, i, j)
    if m == limit and not partner_order(h, j, hashes[m - 1], best[m - 1], i):
        return m
    y = min(m, limit - 1)
    while y > 0 and partner_order(h, j, hashes[y - 1], best[y - 1], i):
        best[y], hashes[y] = best[y - 1], hashes[y - 1]
        y -= 1
    best[y], hashes[y] = j, h
    return min(m + 1, limit)


def limit_partners(pairs: np.ndarray, rank: np.ndarray, k: int) -> np.ndarray:
    """Keep, for every passage, at most ``k`` partners (a pair survives when either
    side keeps it): those of smallest pair hash, the first listed on a tie."""
    if not len(pairs):
        return pairs
    return pairs[limit_kept(pairs[:, 0] * len(rank) + pairs[:, 1], rank, k)]


def limit_kept(codes: np.ndarray, rank: np.ndarray, k: int, *, jobs: int | None = 1) -> np.ndarray:
    """Which pairs :func:`limit_partners` keeps, the pairs given as codes ``i * n + j``
    (``n = len(rank)``): each passage's pairs listed by position, in one compiled pass,
    with no array of both ends of every pair; the passages share ``jobs`` threads
    (the result does not depend on it)."""
    m, n = len(codes), len(rank)
    by_src = np.empty(2 * m, dtype=np.int32 if 2 * m < 2**31 else np.int64)
    ptr = _by_source(codes, n, by_src)
    kept = np.zeros(m, dtype=np.bool_)
    rank = np.asarray(rank, dtype=np.uint64)  # the compiled hash wraps in uint64
    # Two passages may mark the same pair, both as kept: the threads write only True.
    threaded(lambda lo, hi: _keep_first(codes, n, rank, k, by_src, ptr, kept, lo, hi), n, jobs=jobs)
    return kept


@njit(cache=True, nogil=True)
def _by_source(codes, n, by_src):
    """Each passage's positions (``q < m``: pair ``q``'s first passage, ``m + q`` its
    second), ascending, in ``by_src``; where each passage's start (``n + 1``)."""
    m = codes.shape[0]
    ptr = np.zeros(n + 1, dtype=np.int64)
    for x in range(m):
        ptr[codes[x] // n + 1] += 1
        ptr[codes[x] % n + 1] += 1
    for s in range(n):
        ptr[s + 1] += ptr[s]
    fill = ptr[:-1].copy()
    for x in range(m):  # every first passage, then every second: positions ascending in each list
        i = codes[x] // n
        by_src[fill[i]] = x
        fill[i] += 1
    for x in range(m):
        j = codes[x] % n
        by_src[fill[j]] = m + x
        fill[j] += 1
    return ptr


@njit(cache=True, nogil=True)
def _keep_first(codes, n, rank, k, by_src, ptr, kept, first, last):
    """Passages ``first .. last - 1`` each keep the ``k`` of their positions of smallest
    pair hash (ties: the first)."""
    m = codes.shape[0]
    best = np.empty(k, dtype=np.int64)
    best_key = np.empty(k, dtype=np.uint64)  # the hashes of ``best``: not one stored per pair
    for s in range(first, last):
        c = 0
        for q in range(ptr[s], ptr[s + 1]):
            x = np.int64(by_src[q])
            key = _pair_hash(rank, codes[x % m] // n, codes[x % m] % n)
            if c == k and key >= best_key[c - 1]:
                continue  # not among the k first: equal keys keep the earlier position
            y = min(c, k - 1)
            while y > 0 and best_key[y - 1] > key:
                best[y], best_key[y] = best[y - 1], best_key[y - 1]
                y -= 1
            best[y], best_key[y] = x, key
            c = min(c + 1, k)
        for y in range(c):
            kept[best[y] % m] = True
