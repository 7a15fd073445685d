"""align: two word sequences → the stretches they share, with small edits allowed.

Seed and extend on integer word ids. Seeds are identical runs of at least
``seed_size`` words; the chain of seeds holding the most words, in order on both
sides with gaps of at most ``max_gap`` words, is one candidate region, so
inserted, deleted and substituted words inside a copied sentence do not break
it. a small LCS table then finds the identical words inside each gap (earliest first).
A region whose word-level similarity is below ``min_similarity`` is split at its
widest gap until its parts pass or are too short, so a verbatim clause inside a
force's own sentence survives as a span while the sentence around it does not.
Chains are taken best first until no seed is left, so reordered text is found too.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Iterable, Sequence

import numpy as np

from .kernel import align_core

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

    def ids_of_all(self, words: Iterable[str]) -> list[int]:
        """:meth:`ids` of a long sequence of words, new ones numbered in the order first
        met as there, with one dictionary step per distinct word rather than per word."""
        words = list(words)
        table = self._ids
        for w in dict.fromkeys(words):
            if w not in table:
                table[w] = len(table)
        return list(map(table.__getitem__, words))

    def known(self, words: Sequence[str]) -> list[int] | None:
        """Ids of ``words``, or ``None`` when one is not in the vocabulary (none is added)."""
        table = self._ids
        ids = [table.get(w) for w in words]
        return None if None in ids else ids

    def words(self) -> list[str]:
        """Every word, in id order."""
        return list(self._ids)


class WordsOfIds(Sequence[str]):
    """Words as a sequence (a document's, or a template wording's), read from their
    ids through the vocabulary's word list; a slice is a tuple of words."""

    __slots__ = ("ids", "table")

    def __init__(self, ids: np.ndarray, table: Sequence[str]) -> None:
        self.ids, self.table = ids, table

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, k):
        if isinstance(k, slice):
            at = self.ids[k].tolist()
            # itemgetter gathers in one C call, but gives a bare word for one index
            return itemgetter(*at)(self.table) if len(at) > 1 else tuple(self.table[i] for i in at)
        return self.table[int(self.ids[k])]

    def __iter__(self):
        return map(self.table.__getitem__, self.ids.tolist())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # as a list's: equal to its words


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
        Word ids (see :class:`Vocabulary`), or int64 arrays of them.
    min_words:
        Fewest identical words a reported stretch holds.
    min_similarity:
        Lowest similarity of a reported stretch.
    max_gap:
        Widest run of unmatched words bridged inside one stretch.
    seed_size:
        Shortest identical run that anchors a stretch.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if not len(a) or not len(b):
        return []
    blocks, bounds = align_core(a, b, min_words, min_similarity, max_gap, seed_size)
    if len(bounds) == 1:
        return []
    rows = blocks.tolist()
    cuts = bounds.tolist()
    return [_match([tuple(r) for r in rows[lo:hi]]) for lo, hi in zip(cuts, cuts[1:])]


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
