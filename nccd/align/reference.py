"""The aligner in plain Python: the slow, obviously correct oracle of :mod:`nccd.align.kernel`.

Same algorithm step by step (see :mod:`nccd.align`); the tests check the compiled
kernel against it on random and real word sequences.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from . import Block, Match, _match

def align_words_reference(
    a: Sequence[int],
    b: Sequence[int],
    *,
    min_words: int = 8,
    min_similarity: float = 0.75,
    max_gap: int = 6,
    seed_size: int = 3,
) -> list[Match]:
    """:func:`nccd.align.align_words`, step by step in Python (same parameters, same result)."""
    a, b = list(a), list(b)
    runs = _runs_of(a, b, min(seed_size, min_words))
    found: list[Match] = []
    while runs:
        chain = _best_chain(runs, max_gap)
        blocks = _fill_gaps([runs[k] for k in chain], a, b)
        found.extend(_extend(m, a, b) for m in _accept(blocks, min_words, min_similarity))
        first, last = runs[chain[0]], runs[chain[-1]]
        a_lo, a_hi, b_lo, b_hi = first[0], last[0] + last[2], first[1], last[1] + last[2]
        runs = [r for r in runs if (r[0] + r[2] <= a_lo or r[0] >= a_hi) and (r[1] + r[2] <= b_lo or r[1] >= b_hi)]
    return sorted(_disjoint(found), key=lambda m: (m.a_start, m.b_start))


def _runs_of(a: list[int], b: list[int], k: int) -> list[Block]:
    """Maximal identical runs of at least ``k`` words, sorted by position in ``a``."""
    ka, kb = _gram_keys(a, k), _gram_keys(b, k)
    where: dict = defaultdict(list)
    for j, key in enumerate(kb):
        where[key].append(j)
    hits = sorted((i - j, i) for i, key in enumerate(ka) if key in where for j in where[key])
    runs: list[list[int]] = []
    for diag, i in hits:
        if runs and runs[-1][0] - runs[-1][1] == diag and runs[-1][0] + runs[-1][2] - k + 1 == i:
            runs[-1][2] += 1
        else:
            runs.append([i, i - diag, k])
    return sorted((r[0], r[1], r[2]) for r in runs)


def _gram_keys(ids: list[int], k: int) -> list:
    """A key per ``k``-gram: one exact integer for the usual k <= 2 (building tuples
    is the slow part of seeding), tuples otherwise. Masked ids (negative) are
    never keyed equal to real ones because each part is kept exactly."""
    n = len(ids) - k + 1
    if n <= 0:
        return []
    if k == 1:
        return list(ids)
    if k == 2:
        return [(x, y) if x < 0 or y < 0 else x << 32 | y for x, y in zip(ids, ids[1:])]
    return [tuple(ids[i : i + k]) for i in range(n)]


def _best_chain(runs: list[Block], max_gap: int) -> list[int]:
    """Indexes of the chain of runs, in order on both sides with gaps of at most
    ``max_gap`` words, that holds the most words (ties: the earliest)."""
    best = [r[2] for r in runs]
    prev = [-1] * len(runs)
    for x, (ia, ib, n) in enumerate(runs):
        for y in range(x - 1, -1, -1):
            pa, pb, pn = runs[y]
            if ia - pa > 4 * max_gap + 256:
                break  # runs are sorted by start: none further back can be in reach
            if pa + pn <= ia and pb + pn <= ib and max(ia - pa - pn, ib - pb - pn) <= max_gap:
                if best[y] + n > best[x]:
                    best[x], prev[x] = best[y] + n, y
    end = max(range(len(runs)), key=lambda x: (best[x], -x))
    chain = [end]
    while prev[chain[-1]] >= 0:
        chain.append(prev[chain[-1]])
    return chain[::-1]


def _fill_gaps(blocks: list[Block], a: list[int], b: list[int]) -> list[Block]:
    """Add the identical words inside each gap of a chain (an LCS of the gap)."""
    out = [blocks[0]]
    for pa, pb, pn in blocks[1:]:
        la, lb = out[-1][0] + out[-1][2], out[-1][1] + out[-1][2]
        if pa > la and pb > lb:
            out.extend(_lcs_blocks(a, b, la, pa, lb, pb))
        out.append((pa, pb, pn))
    return out


def _disjoint(found: list[Match]) -> list[Match]:
    """Drop matches whose ``a`` side overlaps a longer one (extension can make them touch)."""
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: (-m.matched, m.a_start)):
        if all(m.a_end <= k.a_start or m.a_start >= k.a_end for k in kept):
            kept.append(m)
    return kept


def _extend(m: Match, a: list[int], b: list[int]) -> Match:
    """Grow a match over identical words at its edges.

    An LCS may pair an edge word ("I write…") with a copy elsewhere at no cost
    to its length; taking it back keeps spans whole.
    """
    lo_a, lo_b = m.a_start, m.b_start
    while lo_a > 0 and lo_b > 0 and a[lo_a - 1] == b[lo_b - 1]:
        lo_a, lo_b = lo_a - 1, lo_b - 1
    hi_a, hi_b = m.a_end, m.b_end
    while hi_a < len(a) and hi_b < len(b) and a[hi_a] == b[hi_b]:
        hi_a, hi_b = hi_a + 1, hi_b + 1
    if (lo_a, hi_a) == (m.a_start, m.a_end):
        return m
    blocks = list(m.blocks)
    if lo_a < m.a_start:
        blocks.insert(0, (lo_a, lo_b, m.a_start - lo_a))
    if hi_a > m.a_end:
        blocks.append((m.a_end, m.b_end, hi_a - m.a_end))
    return _match(blocks)




def _gap(x: Block, y: Block) -> int:
    return max(y[0] - (x[0] + x[2]), y[1] - (x[1] + x[2]))


def _accept(blocks: list[Block], min_words: int, min_similarity: float) -> list[Match]:
    """The chain as one match if it is similar enough, else its parts, split at the widest gap."""
    if sum(blk[2] for blk in blocks) < min_words:
        return []
    match = _match(blocks)
    if match.similarity >= min_similarity:
        return [match]
    if len(blocks) == 1:
        return []
    gaps = [_gap(blocks[k], blocks[k + 1]) for k in range(len(blocks) - 1)]
    cut = max(range(len(gaps)), key=lambda k: (gaps[k], -k)) + 1
    return _accept(blocks[:cut], min_words, min_similarity) + _accept(blocks[cut:], min_words, min_similarity)


def _lcs_blocks(a: list[int], b: list[int], a0: int, a1: int, b0: int, b1: int) -> list[Block]:
    """Identical runs of one longest common subsequence of ``a[a0:a1]`` and
    ``b[b0:b1]``: walking forward, equal words are always taken (that never
    shortens an LCS), otherwise the longer suffix is followed, ``a`` first on ties."""
    la, lb = a1 - a0, b1 - b0
    table = [[0] * (lb + 1) for _ in range(la + 1)]
    for i in range(la - 1, -1, -1):
        for j in range(lb - 1, -1, -1):
            same = a[a0 + i] == b[b0 + j]
            table[i][j] = table[i + 1][j + 1] + 1 if same else max(table[i + 1][j], table[i][j + 1])
    out: list[list[int]] = []
    i = j = 0
    while i < la and j < lb:
        if a[a0 + i] == b[b0 + j]:
            if out and out[-1][0] + out[-1][2] == a0 + i and out[-1][1] + out[-1][2] == b0 + j:
                out[-1][2] += 1
            else:
                out.append([a0 + i, b0 + j, 1])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return [(x, y, n) for x, y, n in out]
