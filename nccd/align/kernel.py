"""The aligner's inner loop, compiled: seed runs, best chain, gap fill, accept, extend.

Exactly the algorithm of :mod:`nccd.align.reference` (the slow, plain-Python
oracle the tests check it against), on int64 arrays, with no Python objects in
the loop. numba compiles it once and caches the machine code beside the module.
"""

from __future__ import annotations

import numpy as np
from numba import njit


#: Multipliers of the word-pair hash (odd 64-bit constants: Fibonacci hashing).
_PAIR, _MIX = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


@njit(cache=True, nogil=True)
def _runs(a, b, k):
    """Maximal identical diagonal runs of at least ``k`` words, sorted by (a, b).

    For ``k >= 2`` every run starts with an identical word pair, so ``b``'s pairs
    are hashed (with a 512-bit filter in front) and ``a`` is walked once: work
    grows with ``len(a) + len(b)`` and the pairs shared, not their product. Most
    equal single words ("the", "of") start no run of two and cost nothing here.
    """
    if k < 2:
        return _runs_scan(a, b, k)
    la, lb = a.shape[0], b.shape[0]
    out = np.empty((16, 3), dtype=np.int64)
    n = 0
    if la < 2 or lb < 2:
        return out[:0]
    bits = 4
    while (1 << bits) < 2 * lb:
        bits += 1
    cap, shift = 1 << bits, np.uint64(64 - bits)
    keys = np.empty(cap, dtype=np.uint64)
    used = np.zeros(cap, dtype=np.bool_)
    first = np.empty(cap, dtype=np.int64)  # per slot, the first j holding its pair
    later = np.empty(lb, dtype=np.int64)  # per j, the next j holding the same pair
    alone = np.empty(lb, dtype=np.bool_)  # per j, no other j holds its pair's key
    bloom = np.zeros(8, dtype=np.uint64)
    for j in range(lb - 2, -1, -1):  # backwards, so each slot's j come out ascending
        key = np.uint64(b[j]) * _PAIR + np.uint64(b[j + 1])
        mixed = key * _MIX
        bloom[mixed & np.uint64(7)] |= np.uint64(1) << ((mixed >> np.uint64(3)) & np.uint64(63))
        h = np.int64(mixed >> shift)
        while used[h] and keys[h] != key:
            h = (h + 1) & (cap - 1)
        alone[j] = not used[h]
        if used[h]:
            alone[first[h]] = False
        later[j] = first[h] if used[h] else -1
        used[h], keys[h], first[h] = True, key, j
    # The run found so far that reaches furthest in ``a``: inside it, a pair whose key
    # only its own j holds can only continue that run, so it is not looked up.
    r_i, r_j, r_end = -1, -1, -1
    for i in range(la - 1):
        if r_i < i and i + 1 < r_end and alone[r_j + i - r_i]:
            continue
        key = np.uint64(a[i]) * _PAIR + np.uint64(a[i + 1])
        mixed = key * _MIX
        if not (bloom[mixed & np.uint64(7)] >> ((mixed >> np.uint64(3)) & np.uint64(63))) & np.uint64(1):
            continue  # most pairs of ``a`` are in no pair of ``b``: one predictable branch
        h = np.int64(mixed >> shift)
        while used[h] and keys[h] != key:
            h = (h + 1) & (cap - 1)
        j = first[h] if used[h] else -1
        while j >= 0:
            # the key is not injective: compare the words themselves
            if a[i] == b[j] and a[i + 1] == b[j + 1] and not (i > 0 and j > 0 and a[i - 1] == b[j - 1]):
                length = 2
                while i + length < la and j + length < lb and a[i + length] == b[j + length]:
                    length += 1
                if i + length > r_end:
                    r_i, r_j, r_end = i, j, i + length
                if length >= k:
                    out = _grow(out, n + 1)
                    out[n, 0], out[n, 1], out[n, 2] = i, j, length
                    n += 1
            j = later[j]
    return out[:n]


@njit(cache=True, nogil=True)
def _runs_scan(a, b, k):
    """:func:`_runs` by visiting every cell of ``a`` × ``b``: for ``k < 2``, and the tests' oracle."""
    la, lb = a.shape[0], b.shape[0]
    out = np.empty((16, 3), dtype=np.int64)
    n = 0
    for i in range(la):
        for j in range(lb):
            if a[i] != b[j] or (i > 0 and j > 0 and a[i - 1] == b[j - 1]):
                continue  # not the start of a maximal run
            length = 1
            while i + length < la and j + length < lb and a[i + length] == b[j + length]:
                length += 1
            if length < k:
                continue
            out = _grow(out, n + 1)
            out[n, 0], out[n, 1], out[n, 2] = i, j, length
            n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def _best_chain(runs, alive, max_gap):
    """Indexes (into ``runs``) of the live chain holding the most words, in order."""
    idx = np.flatnonzero(alive)
    m = idx.shape[0]
    best = np.empty(m, dtype=np.int64)
    prev = np.full(m, -1, dtype=np.int64)
    for x in range(m):
        ia, ib, n = runs[idx[x], 0], runs[idx[x], 1], runs[idx[x], 2]
        best[x] = n
        for y in range(x - 1, -1, -1):
            pa, pb, pn = runs[idx[y], 0], runs[idx[y], 1], runs[idx[y], 2]
            if ia - pa > 4 * max_gap + 256:
                break  # runs are sorted by start: none further back is in reach
            if pa + pn <= ia and pb + pn <= ib and max(ia - pa - pn, ib - pb - pn) <= max_gap:
                if best[y] + n > best[x]:
                    best[x] = best[y] + n
                    prev[x] = y
    end = 0
    for x in range(1, m):
        if best[x] > best[end]:
            end = x
    length = 1
    x = end
    while prev[x] >= 0:
        x = prev[x]
        length += 1
    chain = np.empty(length, dtype=np.int64)
    x = end
    for p in range(length - 1, -1, -1):
        chain[p] = idx[x]
        x = prev[x]
    return chain


@njit(cache=True, nogil=True)
def _gap_lcs(a, b, a0, a1, b0, b1, out, n):
    """Append the LCS blocks of ``a[a0:a1]`` and ``b[b0:b1]`` to ``out`` (earliest matches)."""
    la, lb = a1 - a0, b1 - b0
    table = np.zeros((la + 1, lb + 1), dtype=np.int64)
    for i in range(la - 1, -1, -1):
        for j in range(lb - 1, -1, -1):
            if a[a0 + i] == b[b0 + j]:
                table[i, j] = table[i + 1, j + 1] + 1
            else:
                table[i, j] = max(table[i + 1, j], table[i, j + 1])
    i = j = 0
    while i < la and j < lb:
        if a[a0 + i] == b[b0 + j]:
            if n > 0 and out[n - 1, 0] + out[n - 1, 2] == a0 + i and out[n - 1, 1] + out[n - 1, 2] == b0 + j \
                    and out[n - 1, 0] >= a0:
                out[n - 1, 2] += 1
            else:
                out[n, 0], out[n, 1], out[n, 2] = a0 + i, b0 + j, 1
                n += 1
            i += 1
            j += 1
        elif table[i + 1, j] >= table[i, j + 1]:
            i += 1
        else:
            j += 1
    return n


@njit(cache=True, nogil=True)
def _fill(runs, chain, a, b):
    """The chain's runs with the identical words inside each gap added."""
    out = np.empty((2 * a.shape[0] + 2, 3), dtype=np.int64)
    out[0] = runs[chain[0]]
    n = 1
    for c in range(1, chain.shape[0]):
        pa, pb, pn = runs[chain[c], 0], runs[chain[c], 1], runs[chain[c], 2]
        la, lb = out[n - 1, 0] + out[n - 1, 2], out[n - 1, 1] + out[n - 1, 2]
        if pa > la and pb > lb:
            n = _gap_lcs(a, b, la, pa, lb, pb, out, n)
        out[n, 0], out[n, 1], out[n, 2] = pa, pb, pn
        n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def _similarity(blocks, lo, hi):
    matched = 0
    for k in range(lo, hi):
        matched += blocks[k, 2]
    span = (blocks[hi - 1, 0] + blocks[hi - 1, 2] - blocks[lo, 0]) + (blocks[hi - 1, 1] + blocks[hi - 1, 2] - blocks[lo, 1])
    return matched, 2.0 * matched / span


@njit(cache=True, nogil=True)
def _accept(blocks, min_words, min_similarity):
    """Block ranges ``[lo, hi)`` accepted as matches, splitting at the widest gap, left first."""
    out = np.empty((blocks.shape[0], 2), dtype=np.int64)
    n = 0
    stack = np.empty((blocks.shape[0] + 1, 2), dtype=np.int64)
    stack[0, 0], stack[0, 1] = 0, blocks.shape[0]
    top = 1
    while top > 0:
        top -= 1
        lo, hi = stack[top, 0], stack[top, 1]
        matched, sim = _similarity(blocks, lo, hi)
        if matched < min_words:
            continue
        if sim >= min_similarity:
            out[n, 0], out[n, 1] = lo, hi
            n += 1
            continue
        if hi - lo == 1:
            continue
        cut, widest = lo + 1, -1
        for k in range(lo, hi - 1):
            gap = max(blocks[k + 1, 0] - (blocks[k, 0] + blocks[k, 2]), blocks[k + 1, 1] - (blocks[k, 1] + blocks[k, 2]))
            if gap > widest:
                widest, cut = gap, k + 1
        stack[top, 0], stack[top, 1] = cut, hi  # right pushed first: left is taken first
        stack[top + 1, 0], stack[top + 1, 1] = lo, cut
        top += 2
    return out[:n]


@njit(cache=True, nogil=True)
def _extend(blocks, lo, hi, a, b, out, n):
    """Append the blocks ``[lo, hi)`` grown over identical words at both edges."""
    a0, b0 = blocks[lo, 0], blocks[lo, 1]
    s = 0
    while a0 - s > 0 and b0 - s > 0 and a[a0 - s - 1] == b[b0 - s - 1]:
        s += 1
    if s:
        out[n, 0], out[n, 1], out[n, 2] = a0 - s, b0 - s, s
        n += 1
    for k in range(lo, hi):
        out[n] = blocks[k]
        n += 1
    a1, b1 = blocks[hi - 1, 0] + blocks[hi - 1, 2], blocks[hi - 1, 1] + blocks[hi - 1, 2]
    e = 0
    while a1 + e < a.shape[0] and b1 + e < b.shape[0] and a[a1 + e] == b[b1 + e]:
        e += 1
    if e:
        out[n, 0], out[n, 1], out[n, 2] = a1, b1, e
        n += 1
    return n


@njit(cache=True, nogil=True)
def _grow(arr, need):
    if need <= arr.shape[0]:
        return arr
    grown = np.empty((max(need, 2 * arr.shape[0]), arr.shape[1]), dtype=arr.dtype)
    grown[: arr.shape[0]] = arr
    return grown


@njit(cache=True, nogil=True)
def align_core(a, b, min_words, min_similarity, max_gap, seed_size):
    """Shared stretches of ``a`` and ``b``: ``(blocks, bounds)`` where match ``m``
    is ``blocks[bounds[m]:bounds[m + 1]]`` (rows ``a, b, length``), sorted by
    ``(a_start, b_start)``."""
    runs = _runs(a, b, min(seed_size, min_words))
    alive = np.ones(runs.shape[0], dtype=np.bool_)
    found = np.empty((16, 3), dtype=np.int64)
    bounds = np.zeros((8, 1), dtype=np.int64)
    nf, nm = 0, 0
    while alive.any():
        chain = _best_chain(runs, alive, max_gap)
        blocks = _fill(runs, chain, a, b)
        for r in _accept(blocks, min_words, min_similarity):
            found = _grow(found, nf + (r[1] - r[0]) + 2)
            nf = _extend(blocks, r[0], r[1], a, b, found, nf)
            bounds = _grow(bounds, nm + 2)
            nm += 1
            bounds[nm, 0] = nf
        first, last = runs[chain[0]], runs[chain[-1]]
        a_lo, b_lo, a_hi, b_hi = first[0], first[1], last[0] + last[2], last[1] + last[2]
        for x in range(runs.shape[0]):
            ra, rb, rn = runs[x, 0], runs[x, 1], runs[x, 2]
            if not ((ra + rn <= a_lo or ra >= a_hi) and (rb + rn <= b_lo or rb >= b_hi)):
                alive[x] = False
    return _disjoint(found[:nf], bounds[: nm + 1, 0])


@njit(cache=True, nogil=True)
def _disjoint(found, bounds):
    """Drop matches whose ``a`` side overlaps a longer one; the rest sorted by (a, b)."""
    nm = bounds.shape[0] - 1
    if nm <= 1:  # most calls: nothing to drop or sort, and a dozen allocations saved
        return found.copy(), bounds.copy()
    matched = np.zeros(nm, dtype=np.int64)
    starts = np.empty(nm, dtype=np.int64)
    ends = np.empty(nm, dtype=np.int64)
    for m in range(nm):
        lo, hi = bounds[m], bounds[m + 1]
        for k in range(lo, hi):
            matched[m] += found[k, 2]
        starts[m], ends[m] = found[lo, 0], found[hi - 1, 0] + found[hi - 1, 2]
    order = _sorted_by(-matched, starts)
    kept = np.zeros(nm, dtype=np.bool_)
    for x in range(nm):
        m = order[x]
        ok = True
        for y in range(nm):
            if kept[y] and not (ends[m] <= starts[y] or starts[m] >= ends[y]):
                ok = False
                break
        kept[m] = ok
    keep = np.flatnonzero(kept)
    b_starts = np.empty(keep.shape[0], dtype=np.int64)
    for x in range(keep.shape[0]):
        b_starts[x] = found[bounds[keep[x]], 1]
    final = keep[_sorted_by(starts[keep], b_starts)]
    size = 0
    for m in final:
        size += bounds[m + 1] - bounds[m]
    blocks = np.empty((size, 3), dtype=np.int64)
    out_bounds = np.zeros(final.shape[0] + 1, dtype=np.int64)
    n = 0
    for x in range(final.shape[0]):
        m = final[x]
        for k in range(bounds[m], bounds[m + 1]):
            blocks[n] = found[k]
            n += 1
        out_bounds[x + 1] = n
    return blocks, out_bounds


@njit(cache=True, nogil=True)
def _sorted_by(first, second):
    """Stable order of positions by ``(first, second)`` (insertion sort: lists are short)."""
    order = np.arange(first.shape[0])
    for x in range(1, order.shape[0]):
        v = order[x]
        y = x - 1
        while y >= 0 and (first[order[y]] > first[v] or (first[order[y]] == first[v] and second[order[y]] > second[v])):
            order[y + 1] = order[y]
            y -= 1
        order[y + 1] = v
    return order
