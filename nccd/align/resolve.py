"""A document's alignments in one compiled call, and the longest-first resolution of them.

:func:`align_batch` runs :func:`nccd.align.kernel.align_core` over every
(window, template wording) pair of a document; :func:`resolve` walks the matches
best first and keeps, of each, the pieces no better match already covers, as
:func:`nccd.align.reference_documents.align_document_reference` does in plain Python.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .kernel import _grow, _similarity, align_core


@njit(cache=True, nogil=True)
def align_batch(ids, los, his, targets, target_ids, target_ptr, min_words, min_similarity, max_gap, seed_size):
    """Align ``ids[los[c]:his[c]]`` with wording ``targets[c]`` for every call ``c``.

    Returns ``(blocks, bounds, call)``: match ``m`` is ``blocks[bounds[m]:bounds[m + 1]]``
    (``a`` positions in document words) and came from call ``call[m]``.
    """
    blocks = np.empty((64, 3), dtype=np.int64)
    bounds = np.zeros(64, dtype=np.int64)
    call = np.empty(64, dtype=np.int64)
    nb, nm = 0, 0
    for c in range(los.shape[0]):
        t = targets[c]
        found, cuts = align_core(ids[los[c]:his[c]], target_ids[target_ptr[t]:target_ptr[t + 1]],
                                 min_words, min_similarity, max_gap, seed_size)
        blocks = _grow(blocks, nb + found.shape[0])
        for k in range(found.shape[0]):
            blocks[nb, 0], blocks[nb, 1], blocks[nb, 2] = found[k, 0] + los[c], found[k, 1], found[k, 2]
            nb += 1
        for m in range(cuts.shape[0] - 1):
            if nm + 2 > bounds.shape[0]:
                bounds = np.concatenate((bounds, np.zeros(bounds.shape[0], dtype=np.int64)))
                call = np.concatenate((call, np.empty(call.shape[0], dtype=np.int64)))
            call[nm] = c
            nm += 1
            bounds[nm] = bounds[nm - 1] + cuts[m + 1] - cuts[m]
    return blocks[:nb], bounds[:nm + 1], call[:nm]


@njit(cache=True, nogil=True)
def _gaps(covered, lo, hi):
    """Maximal runs of words in ``[lo, hi)`` that ``covered`` does not mark, in order."""
    out = np.empty((max(hi - lo + 1, 0) // 2 + 1, 2), dtype=np.int64)
    n = 0
    x = lo
    while x < hi:
        if covered[x]:
            x += 1
            continue
        out[n, 0] = x
        while x < hi and not covered[x]:
            x += 1
        out[n, 1] = x
        n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def _clip(blocks, first, last, lo, hi):
    """``(a_start, a_end, b_start, b_end, matched)`` of the blocks' part inside ``[lo, hi)``;
    ``matched`` 0 when nothing is left."""
    a0 = a1 = b0 = b1 = matched = 0
    for k in range(first, last):
        pa, pb, n = blocks[k, 0], blocks[k, 1], blocks[k, 2]
        s, e = max(pa, lo), min(pa + n, hi)
        if e > s:
            if matched == 0:
                a0, b0 = s, pb + (s - pa)
            a1, b1 = e, pb + (s - pa) + (e - s)
            matched += e - s
    return a0, a1, b0, b1, matched


@njit(cache=True, nogil=True)
def resolve(blocks, bounds, rank, zones, zone_request, passages, min_words, min_similarity, seed_size):
    """Pieces of the matches, taken best first (:func:`best_first`; ``rank`` of each
    match's wording breaks ties), that no earlier piece covers.

    ``zones`` are word ranges a piece may not cross (``zone_request``: quoted request
    text); ``passages`` the document's passage ranges. Returns rows
    ``(match, a_start, a_end, b_start, b_end, matched, zone)``.
    """
    order = best_first(blocks, bounds, rank)
    # Covered words as a mask: pieces never overlap, so a covered range ending at a
    # piece's start is exactly a covered word just before it (and likewise at its end).
    covered = np.zeros(zones[zones.shape[0] - 1, 1] + 1, dtype=np.bool_)
    out = np.empty((order.shape[0] * zones.shape[0] + 1, 7), dtype=np.int64)
    ncov = 0
    for m in order:
        first, last = bounds[m], bounds[m + 1]
        m_lo, m_hi = blocks[first, 0], blocks[last - 1, 0] + blocks[last - 1, 2]
        for z in range(zones.shape[0]):
            for piece in _gaps(covered, max(m_lo, zones[z, 0]), min(m_hi, zones[z, 1])):
                a0, a1, b0, b1, matched = _clip(blocks, first, last, piece[0], piece[1])
                if matched == 0:
                    continue
                touches = not zone_request[z] and ((piece[0] > 0 and covered[piece[0] - 1]) or covered[piece[1]])
                if not _passes(a0, a1, b0, b1, matched, passages, touches, min_words, min_similarity, seed_size):
                    continue
                covered[a0:a1] = True
                out[ncov, 0], out[ncov, 1], out[ncov, 2], out[ncov, 3] = m, a0, a1, b0
                out[ncov, 4], out[ncov, 5], out[ncov, 6] = b1, matched, z
                ncov += 1
    return out[:ncov]


@njit(cache=True, nogil=True)
def best_first(blocks, bounds, rank):
    """The matches in the order they are resolved: most words matched, then most similar,
    then lowest ``rank``, then the earliest in the document, then the first given."""
    nm = bounds.shape[0] - 1
    matched = np.empty(nm, dtype=np.int64)
    start = np.empty(nm, dtype=np.int64)
    similarity = np.empty(nm, dtype=np.float64)
    for m in range(nm):
        matched[m], similarity[m] = _similarity(blocks, bounds[m], bounds[m + 1])
        start[m] = blocks[bounds[m], 0]
    order = np.arange(nm)
    spare = np.empty(nm, dtype=np.int64)
    width = 1
    while width < nm:  # bottom-up merge sort: stable, and no key needs packing
        for lo in range(0, nm, 2 * width):
            mid, hi = min(lo + width, nm), min(lo + 2 * width, nm)
            i, j = lo, mid
            for k in range(lo, hi):
                if j >= hi or (i < mid and not _ahead(order[j], order[i], matched, similarity, rank, start)):
                    spare[k] = order[i]
                    i += 1
                else:
                    spare[k] = order[j]
                    j += 1
        order, spare = spare, order
        width *= 2
    return order


@njit(cache=True, nogil=True)
def _ahead(x, y, matched, similarity, rank, start):
    """Whether match ``x`` goes strictly before ``y`` (ties keep their order)."""
    if matched[x] != matched[y]:
        return matched[x] > matched[y]
    if similarity[x] != similarity[y]:
        return similarity[x] > similarity[y]
    if rank[x] != rank[y]:
        return rank[x] < rank[y]
    return start[x] < start[y]


@njit(cache=True, nogil=True)
def _passes(a0, a1, b0, b1, matched, passages, adjoins, min_words, min_similarity, seed_size):
    """Long and similar enough; a whole short passage copied exactly; or a leftover
    piece running on from covered text (``seed_size`` words are enough then)."""
    if 2.0 * matched / ((a1 - a0) + (b1 - b0)) < min_similarity:
        return False
    if matched >= min_words or (adjoins and matched >= seed_size):
        return True
    if matched == a1 - a0 and matched < min_words:
        for k in range(passages.shape[0]):
            if passages[k, 0] == a0 and passages[k, 1] == a1:
                return True
    return False
