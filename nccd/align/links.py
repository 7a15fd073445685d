"""Candidate pairs → paragraph links, in one compiled call per chunk of pairs.

The same steps as :func:`nccd.align.corpus.align_pairs_reference`: align each
pair's passages with their neighbours, cut every match at the paragraph breaks of
the first document, and link each paragraph copied as a whole to its counterpart
whole (a partly copied one links the stretch copied, its ends snapped to nearby
breaks), so every copy has the same extent whatever the edits at its edges.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .kernel import align_core
from .resolve import _clip


@njit(cache=True, nogil=True)
def _passage_under(p_lo, p_hi, first, last, start, end):
    """The passage of ``first .. last - 1`` overlapping ``[start, end)`` most (the first
    of equals); in a gap between passages, the nearest."""
    best, best_overlap = -1, 0
    k = first
    for x in range(first, last):  # the last passage starting at or before ``start``
        if p_lo[x] <= start:
            k = x
    for x in range(k, last):
        if p_lo[x] >= end:
            break
        o = min(p_hi[x], end) - max(p_lo[x], start)
        if best < 0 or o > best_overlap:
            best, best_overlap = x, o
    if best >= 0 and best_overlap > 0:
        return best
    best = first
    for x in range(first, last):
        if min(p_hi[x], end) - max(p_lo[x], start) > min(p_hi[best], end) - max(p_lo[best], start):
            best = x
    return best


@njit(cache=True, nogil=True)
def _snap(bounds, start, end, reach):
    """``[start, end)`` with each end pushed out to a paragraph boundary within ``reach``."""
    k = np.searchsorted(bounds, start, side="right") - 1
    if k >= 0 and start - bounds[k] <= reach:
        start = bounds[k]
    k = np.searchsorted(bounds, end, side="left")
    if k < bounds.shape[0] and bounds[k] - end <= reach:
        end = bounds[k]
    return start, end


@njit(cache=True, nogil=True)
def _mostly(m0, m1, p0, p1):
    return min(m1, p1) - max(m0, p0) >= 0.6 * (p1 - p0)


@njit(cache=True, nogil=True)
def pair_links(pi, pj, doc_of, doc_rank, first, p_lo, p_hi, b_ptr, bounds, ids, id_ptr,
               min_words, min_similarity, max_gap, seed_size, shingle_size):
    """Links ``(doc_a, start_a, end_a, doc_b, start_b, end_b)`` and their similarities
    for the passage pairs ``(pi[c], pj[c])``."""
    out = np.empty((64, 6), dtype=np.int64)
    sim = np.empty(64, dtype=np.float64)
    n = 0
    for c in range(pi.shape[0]):
        i, j = pi[c], pj[c]
        if doc_rank[doc_of[i]] > doc_rank[doc_of[j]]:
            i, j = j, i  # orient by document id, so reading order cannot change a result
        di, dj = doc_of[i], doc_of[j]
        if n + 2 * (p_hi[i] - p_lo[i] + 8) > out.shape[0]:
            grown = np.empty((2 * out.shape[0] + 4 * (p_hi[i] - p_lo[i] + 8), 6), dtype=np.int64)
            grown[:n] = out[:n]
            out = grown
            sims = np.empty(grown.shape[0], dtype=np.float64)
            sims[:n] = sim[:n]
            sim = sims
        a_ids, b_ids = ids[id_ptr[di]:id_ptr[di + 1]], ids[id_ptr[dj]:id_ptr[dj + 1]]
        la, lb = p_hi[i] - p_lo[i], p_hi[j] - p_lo[j]
        if la < min_words and la == lb and np.array_equal(a_ids[p_lo[i]:p_hi[i]], b_ids[p_lo[j]:p_hi[j]]):
            out[n] = (di, p_lo[i], p_hi[i], dj, p_lo[j], p_hi[j])
            sim[n] = 1.0
            n += 1
            continue
        if la < shingle_size:
            continue
        wi0, wi1 = p_lo[max(i - 1, first[di])], p_hi[min(i + 1, first[di + 1] - 1)]
        wj0, wj1 = p_lo[max(j - 1, first[dj])], p_hi[min(j + 1, first[dj + 1] - 1)]
        blocks, cuts = align_core(a_ids[wi0:wi1], b_ids[wj0:wj1], min_words, min_similarity, max_gap, seed_size)
        blocks[:, 0] += wi0
        blocks[:, 1] += wj0
        for m in range(cuts.shape[0] - 1):
            n = _cut(blocks, cuts[m], cuts[m + 1], di, dj, first, p_lo, p_hi, b_ptr, bounds, min_words, max_gap,
                     out, sim, n)
    return out[:n], sim[:n]


@njit(cache=True, nogil=True)
def _cut(blocks, b0, b1, di, dj, first, p_lo, p_hi, b_ptr, bounds, min_words, max_gap, out, sim, n):
    """Append the links of one match, cut at the paragraph breaks of document ``di``."""
    m_lo, m_hi = blocks[b0, 0], blocks[b1 - 1, 0] + blocks[b1 - 1, 2]
    for x in range(first[di], first[di + 1]):
        lo, hi = p_lo[x], p_hi[x]
        if hi <= m_lo or lo >= m_hi:
            continue
        a0, a1, c0, c1, matched = _clip(blocks, b0, b1, lo, hi)
        if matched == 0:
            continue
        similarity = 2.0 * matched / ((a1 - a0) + (c1 - c0))
        t = _passage_under(p_lo, p_hi, first[dj], first[dj + 1], c0, c1)
        if _mostly(a0, a1, lo, hi) and _mostly(c0, c1, p_lo[t], p_hi[t]):
            out[n] = (di, lo, hi, dj, p_lo[t], p_hi[t])
        elif matched >= min_words:
            s0, s1 = _snap(bounds[b_ptr[di]:b_ptr[di + 1]], a0, a1, max_gap)
            t0, t1 = _snap(bounds[b_ptr[dj]:b_ptr[dj + 1]], c0, c1, max_gap)
            out[n] = (di, s0, s1, dj, t0, t1)
        else:
            continue
        sim[n] = similarity
        n += 1
    return n
