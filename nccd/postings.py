"""Shingle postings: the passages holding each distinct shingle, in rank order.

What the candidates stage counts shared clauses over. Built by a radix pass
(by the hash's top bits), a few thousand buckets at a time, each round's
``hash << 32 | place`` keys sorted (by numpy) and packed into the postings before
the next round is scattered: at 100,000 documents there are a hundred million
shingles, and their keys are never all held at once. A
passage finds its groups again by looking its own shingles up (:func:`find`), so
no second array per shingle (which group, in passage order) is kept either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .parallel import check_jobs, threaded

#: Buckets of the radix pass (top bits of the 32-bit hash).
_BUCKET_BITS = 12

#: Rounds a thread scatters the buckets in: each round reads every shingle again (a
#: tenth of a second for 30 million), and holds its share of their 8-byte pairs (with
#: four, 0.2 GB on two threads at 100,000 documents, under the candidates stage's
#: peak); but no round of fewer than _MIN_ROUND shingles (64 MB of pairs).
_ROUNDS, _MIN_ROUND = 8, 1 << 23


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
                   min_holders: int = 1, round_size: int = 0, jobs: int | None = 1) -> Postings:
    """The postings of the shingles ``hashes[indptr[r]:indptr[r + 1]]`` of each passage
    ``r`` in ``rows``; ``by_rank[k]`` is the passage at place ``k`` (the member order).
    Shingles held by fewer than ``min_holders`` passages are left out (:func:`find`
    gives -1): one held by a single passage pairs it with none, and most are.

    The buckets are scattered and sorted about ``round_size`` shingles at a time (by
    default an eighth of a thread's share, 8 M at least), each round packed into the
    postings before the next: every (hash, place) of the corpus at once was 0.8 GB
    at 100,000 documents. The rounds are shared out among ``jobs`` threads; the
    postings do not depend on it."""
    place = np.empty(len(by_rank), dtype=np.uint32)
    place[by_rank] = np.arange(len(by_rank), dtype=np.uint32)
    rows = np.asarray(rows, dtype=np.int64)
    shift = 32 - _BUCKET_BITS
    bucket_ptr = np.zeros(2**_BUCKET_BITS + 1, dtype=np.int64)
    np.cumsum(_bucket_counts(hashes, indptr, rows, shift, 2**_BUCKET_BITS), out=bucket_ptr[1:])
    total, held = int(bucket_ptr[-1]), max(min_holders, 1)
    jobs = check_jobs(jobs)
    cuts = _rounds(bucket_ptr, int(round_size) or max(-(-total // (_ROUNDS * jobs)), _MIN_ROUND))
    # Sized for every shingle kept: the pages past what is written are never touched.
    members = np.empty(total, dtype=np.uint32)
    distinct = np.empty(total // held + 1, dtype=np.uint32)
    starts = np.empty(total // held + 2, dtype=np.int32 if total < 2**31 else np.int64)
    by_rank = by_rank.astype(np.int64, copy=False)

    def pack(first: int, last: int) -> tuple[int, int, int, int]:
        """Rounds ``first .. last - 1``, written from where their shingles would start
        (no earlier round can write past it): ``(w0, w, g0, g)``, the members and
        groups written."""
        if first >= last:
            return 0, 0, 0, 0
        w0 = int(bucket_ptr[cuts[first]])
        w, g0 = w0, w0 // held
        g = g0
        size = int(np.diff(bucket_ptr[cuts[first:last + 1]]).max())
        keys = np.empty(size, dtype=np.uint64)
        for lo, hi in zip(cuts[first:last].tolist(), cuts[first + 1:last + 1].tolist()):
            local = bucket_ptr[lo:hi + 1] - bucket_ptr[lo]
            _scatter(hashes, indptr, rows, place, local, shift, lo, keys)
            part = keys[:int(local[-1])]
            # numpy's sort (in place, without the GIL): the buckets hold the top bits of
            # the hash, so the round sorted whole is each bucket sorted in turn; numba's
            # own sort took ten times as long on them.
            part.sort()
            w, g = _pack_round(part, by_rank, held, members, distinct, starts, w, g)
        return w0, w, g0, g

    kept = groups = 0
    for w0, w, g0, g in threaded(pack, len(cuts) - 1, jobs=jobs):  # each part moved down to follow the last
        _move_down(members, distinct, starts, w0, w, g0, g, kept, groups)
        kept, groups = kept + w - w0, groups + g - g0
    starts[groups] = kept
    # Shrunk in place (no view of either is left): copies of them were 0.2 GB at 100,000 documents.
    distinct.resize(groups, refcheck=False)
    starts.resize(groups + 1, refcheck=False)
    table, shift = directory(distinct)
    return Postings(distinct, starts, members[:kept].view(np.int32), table, shift)


def _rounds(bucket_ptr: np.ndarray, size: int) -> np.ndarray:
    """Bucket numbers where each round starts (and the last one's end): consecutive
    buckets of about ``size`` shingles together, one bucket alone if larger."""
    cuts = [0]
    for b in range(1, len(bucket_ptr) - 1):
        if bucket_ptr[b + 1] - bucket_ptr[cuts[-1]] > size:
            cuts.append(b)
    cuts.append(len(bucket_ptr) - 1)
    return np.array(cuts, dtype=np.int64)


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
def _bucket_counts(hashes, indptr, rows, shift, buckets):
    counts = np.zeros(buckets, dtype=np.int64)
    for r in rows:
        for x in range(indptr[r], indptr[r + 1]):
            counts[hashes[x] >> shift] += 1
    return counts


@njit(cache=True, nogil=True)
def _scatter(hashes, indptr, rows, place, bucket_ptr, shift, first, keys):
    """Every ``hash << 32 | place`` of the rows' shingles in buckets ``first ..``
    (``bucket_ptr`` gives where each starts in ``keys``) into its bucket."""
    fill = bucket_ptr[:-1].copy()
    last = first + fill.shape[0]
    for r in rows:
        p = np.uint64(place[r])
        for x in range(indptr[r], indptr[r + 1]):
            b = hashes[x] >> shift
            if first <= b < last:
                keys[fill[b - first]] = (np.uint64(hashes[x]) << np.uint64(32)) | p
                fill[b - first] += 1


@njit(cache=True, nogil=True)
def _pack_round(part, by_rank, min_holders, members, distinct, starts, w, g):
    """Append a round's ``hash << 32 | place`` keys, sorted, to the postings, dropping
    repeats (a shingle twice in one passage) and hashes of fewer than ``min_holders``
    places: the hashes to ``distinct`` with where their holders start (``starts``),
    the holders as passage numbers to ``members`` from ``w`` on. The postings' new
    ends ``(w, g)``."""
    m = part.shape[0]
    k = 0
    while k < m:  # a run of one hash
        end, held = k + 1, 1
        while end < m and part[end] >> np.uint64(32) == part[k] >> np.uint64(32):
            held += part[end] != part[end - 1]
            end += 1
        if held >= min_holders:
            distinct[g], starts[g] = np.uint32(part[k] >> np.uint64(32)), w
            g += 1
            for x in range(k, end):
                if x == k or part[x] != part[x - 1]:
                    members[w] = np.uint32(by_rank[np.int64(part[x] & np.uint64(0xFFFFFFFF))])
                    w += 1
        k = end
    return w, g


@njit(cache=True, nogil=True)
def _move_down(members, distinct, starts, w0, w, g0, g, kept, groups):
    """Move a part's members ``[w0, w)`` and groups ``[g0, g)`` down to follow the
    ``kept`` members and ``groups`` groups before it (never upward: copied forward)."""
    if w0 == kept and g0 == groups:
        return
    for x in range(w - w0):
        members[kept + x] = members[w0 + x]
    for y in range(g - g0):
        distinct[groups + y] = distinct[g0 + y]
        starts[groups + y] = starts[g0 + y] - w0 + kept
