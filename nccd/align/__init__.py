"""align: two word sequences → the stretches they share, with small edits allowed.

Seed and extend on integer word ids. Seeds are identical runs of at least
``seed_size`` words; the chain of seeds holding the most words, in order on both
sides with gaps of at most ``max_gap`` words, is one candidate region, so
inserted, deleted and substituted words inside a copied sentence do not break
it. rapidfuzz's bit-parallel LCS then finds the identical words inside each gap.
A region whose word-level similarity is below ``min_similarity`` is split at its
widest gap until its parts pass or are too short, so a verbatim clause inside a
force's own sentence survives as a span while the sentence around it does not.
Chains are taken best first until no seed is left, so reordered text is found too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz.distance import LCSseq

Block = tuple[int, int, int]  # (a position, b position, length)


@dataclass(frozen=True)
class Match:
    """Words ``a[a_start:a_end]`` reproduce ``b[b_start:b_end]``.

    ``matched`` words are identical on both sides; ``similarity`` is
    ``2 * matched / (len_a + len_b)`` (rapidfuzz's Indel normalised similarity of
    the two stretches); ``blocks`` are the identical runs, for trimming and for
    showing the edits.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int
    similarity: float
    blocks: tuple[Block, ...]


class Vocabulary:
    """Maps words to small integer ids, the alphabet the aligner works on."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def ids(self, words: Sequence[str]) -> list[int]:
        """Integer ids of ``words``, assigning new ids to unseen words."""
        table = self._ids
        return [table.setdefault(w, len(table)) for w in words]


def align_words(
    a: Sequence[int],
    b: Sequence[int],
    *,
    min_words: int = 8,
    min_similarity: float = 0.75,
    max_gap: int = 6,
    seed_size: int = 3,
) -> list[Match]:
    """Shared stretches of two word-id sequences, sorted by ``a_start``.

    Parameters
    ----------
    a, b:
        Word ids (see :class:`Vocabulary`).
    min_words:
        Fewest identical words a reported stretch holds.
    min_similarity:
        Lowest similarity of a reported stretch.
    max_gap:
        Widest run of unmatched words bridged inside one stretch.
    seed_size:
        Shortest identical run that anchors a stretch.
    """
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
    """Add the identical words inside each gap of a chain (rapidfuzz LCS on the gap)."""
    out = [blocks[0]]
    for pa, pb, pn in blocks[1:]:
        la, lb = out[-1][0] + out[-1][2], out[-1][1] + out[-1][2]
        if pa > la and pb > lb:
            for m in LCSseq.opcodes(a[la:pa], b[lb:pb]).as_matching_blocks():
                if m.size:
                    out.append((la + m.a, lb + m.b, m.size))
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


def _match(blocks: Sequence[Block]) -> Match:
    first, last = blocks[0], blocks[-1]
    a_start, b_start = first[0], first[1]
    a_end, b_end = last[0] + last[2], last[1] + last[2]
    matched = sum(blk[2] for blk in blocks)
    similarity = 2.0 * matched / ((a_end - a_start) + (b_end - b_start))
    return Match(a_start, a_end, b_start, b_end, matched, similarity, tuple(blocks))


def clip(match: Match, a_lo: int, a_hi: int) -> Match | None:
    """The part of ``match`` whose ``a`` side lies inside ``[a_lo, a_hi)``, or ``None``."""
    kept: list[Block] = []
    for pa, pb, n in match.blocks:
        lo, hi = max(pa, a_lo), min(pa + n, a_hi)
        if hi > lo:
            kept.append((lo, pb + (lo - pa), hi - lo))
    return _match(kept) if kept else None


def edits(match: Match) -> list[tuple[str, int, int, int, int]]:
    """Word-level opcodes ``(tag, a_start, a_end, b_start, b_end)`` inside a match."""
    ops: list[tuple[str, int, int, int, int]] = []
    pa, pb = match.a_start, match.b_start
    for a0, b0, n in match.blocks:
        if a0 > pa or b0 > pb:
            tag = "replace" if a0 > pa and b0 > pb else ("delete" if a0 > pa else "insert")
            ops.append((tag, pa, a0, pb, b0))
        ops.append(("equal", a0, a0 + n, b0, b0 + n))
        pa, pb = a0 + n, b0 + n
    return ops
