"""Where every passage lies: its document, its word range, its word ids.

Shared by the stages after segment, so each takes plain numbers and ranges.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .align import Vocabulary
from .align.documents import DocWords
from .cluster import Fragment
from .model import Document, Passage
from .normalize import Normalized
from .shingle import Shingles, WordHasher, concatenate, ngram_hashes

#: Passages shingled at a time.
_BLOCK = 1 << 15


class Layout:
    """Where every passage lies: its document, its word range, its word ids.

    Passages are numbered across the whole corpus (document order, then text
    order); ``doc_of[i]``/``local[i]`` say which document and which of its
    passages number ``i`` is.
    """

    def __init__(self, documents: Sequence[Document], words: Sequence[Normalized],
                 passages: Sequence[Sequence[Passage]]) -> None:
        self.documents, self.words, self.passages = documents, words, passages
        vocab = Vocabulary()
        self.vocab = vocab
        # One array for the whole corpus; each document's ids are a view of it.
        self._all_ids = np.fromiter((i for w in words for i in vocab.ids(w.words)), dtype=np.int64,
                                    count=sum(len(w) for w in words))
        self.ids = np.split(self._all_ids, np.cumsum([len(w) for w in words])[:-1]) if len(words) else []
        self.ranges: list[tuple[tuple[int, int], ...]] = []
        self.doc_of: list[int] = []
        self.local: list[int] = []
        self._bounds: list[list[int]] = []
        self._starts: list[list[int]] = []
        self.first: list[int] = []  # passage number of each document's first passage
        self._flat: Flat | None = None
        for d, (w, ps) in enumerate(zip(words, passages)):
            ranges = tuple(_word_range(w, p) for p in ps)
            self.ranges.append(ranges)
            self._bounds.append(sorted({b for r in ranges for b in r}))
            self._starts.append([r[0] for r in ranges])
            self.first.append(len(self.doc_of))
            self.doc_of.extend([d] * len(ps))
            self.local.extend(range(len(ps)))

    def flat(self) -> "Flat":
        """Passages, boundaries and word ids of every document as flat arrays (computed once)."""
        if self._flat is None:
            self._flat = _flatten(self)
        return self._flat

    def word_range(self, i: int) -> tuple[int, int]:
        return self.ranges[self.doc_of[i]][self.local[i]]

    def keys(self) -> list[str]:
        """A key per passage that does not depend on reading order: document id and place."""
        return [f"{self.documents[d].id}:{k}" for d, k in zip(self.doc_of, self.local)]

    def snap(self, d: int, start: int, end: int, reach: int) -> Fragment:
        """Words ``[start, end)`` of document ``d``, each end pushed out to the paragraph
        boundary within ``reach`` words of it: edits at the edge of a copied paragraph
        must not give each copy its own extent."""
        bounds = self._bounds[d]
        k = bisect.bisect_right(bounds, start) - 1
        if k >= 0 and start - bounds[k] <= reach:
            start = bounds[k]
        k = bisect.bisect_left(bounds, end)
        if k < len(bounds) and bounds[k] - end <= reach:
            end = bounds[k]
        return Fragment(d, start, end)

    def passage_under(self, d: int, start: int, end: int) -> tuple[int, int]:
        """The word range of document ``d``'s passage that overlaps ``[start, end)`` most
        (the first of equals)."""
        ranges = self.ranges[d]
        overlap = lambda r: min(r[1], end) - max(r[0], start)  # noqa: E731
        k = max(bisect.bisect_right(self._starts[d], start) - 1, 0)
        near = ranges[k : bisect.bisect_left(self._starts[d], end)]
        best = max(near, key=overlap) if near else None
        # in a gap between passages (page furniture) no passage overlaps: take the nearest
        return best if best is not None and overlap(best) > 0 else max(ranges, key=overlap)

    def same_words(self, i: int, j: int) -> bool:
        """Whether passages ``i`` and ``j`` have the same comparison words."""
        (ai, bi), (aj, bj) = self.word_range(i), self.word_range(j)
        return np.array_equal(self.ids[self.doc_of[i]][ai:bi], self.ids[self.doc_of[j]][aj:bj])

    def passage_words(self) -> list[tuple[str, ...]]:
        """Comparison words of every passage, in passage-number order."""
        out = []
        for i in range(len(self.doc_of)):
            lo, hi = self.word_range(i)
            out.append(self.words[self.doc_of[i]].words[lo:hi])
        return out

    def passage_ids(self, lo: int = 0, hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Word ids of passages ``lo .. hi - 1`` (all by default), concatenated in
        passage-number order, and the number of words of each (:meth:`passage_words`
        as vocabulary ids)."""
        f = self.flat()
        hi = len(f.p_lo) if hi is None else hi
        lengths = f.p_hi[lo:hi] - f.p_lo[lo:hi]
        starts = f.id_ptr[f.doc_of[lo:hi]] + f.p_lo[lo:hi]
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        return f.ids[at], lengths

    def shingles(self, k: int) -> Shingles:
        """Word ``k``-gram hashes of every passage: ``shingle(self.passage_words(), k)``,
        each distinct word hashed once and the rest gathered by word id."""
        word_hashes = WordHasher()(self.vocab.words())
        n = len(self.doc_of)
        # Block by block: whole-corpus temporaries (a few arrays of 8 bytes a word)
        # were half a GB at 10,000 documents.
        return concatenate([ngram_hashes(word_hashes[ids], lengths, k)
                            for ids, lengths in (self.passage_ids(lo, min(lo + _BLOCK, n))
                                                 for lo in range(0, n, _BLOCK))])

    def rows(self, *, min_words: int = 0, max_words: int | None = None) -> np.ndarray:
        """Passage numbers whose word count lies in ``[min_words, max_words)``."""
        f = self.flat()
        n = f.p_hi - f.p_lo
        keep = n >= min_words
        if max_words is not None:
            keep &= n < max_words
        return np.flatnonzero(keep)

    def window(self, i: int) -> tuple[int, int]:
        """Word range of passage ``i`` and its neighbours in the same document."""
        d, k = self.doc_of[i], self.local[i]
        ranges = self.ranges[d]
        return ranges[max(k - 1, 0)][0], ranges[min(k + 1, len(ranges) - 1)][1]

    def word_roles(self) -> list[list[str]]:
        """Each document's role per word."""
        out = []
        for w, ps, ranges in zip(self.words, self.passages, self.ranges):
            roles = ["answer"] * len(w)
            for p, (lo, hi) in zip(ps, ranges):
                roles[lo:hi] = [p.role] * (hi - lo)
            out.append(roles)
        return out

    def doc_words(self, d: int, shingles: Shingles) -> DocWords:
        """Document ``d`` ready to align against templates."""
        first = self.first[d]
        n = len(self.passages[d])
        return DocWords(self.documents[d].id, self.words[d], self.ids[d], self.ranges[d],
                        tuple(p.role for p in self.passages[d]),
                        tuple(shingles.of(first + k) for k in range(n)))


def _word_range(words: Normalized, p: Passage) -> tuple[int, int]:
    lo = int(np.searchsorted(words.starts, p.start, "left"))
    hi = int(np.searchsorted(words.starts, p.end, "left"))
    return lo, hi


@dataclass(frozen=True, eq=False)
class Flat:
    """The layout as arrays for compiled code: passage ``i`` is words ``p_lo[i]:p_hi[i]``
    of document ``doc_of[i]``; document ``d`` holds passages ``first[d]:first[d + 1]``,
    words ``ids[id_ptr[d]:id_ptr[d + 1]]`` and boundaries ``bounds[b_ptr[d]:b_ptr[d + 1]]``;
    ``doc_rank[d]`` is the place of its id in sorted order."""

    doc_of: np.ndarray
    doc_rank: np.ndarray
    first: np.ndarray
    p_lo: np.ndarray
    p_hi: np.ndarray
    b_ptr: np.ndarray
    bounds: np.ndarray
    ids: np.ndarray
    id_ptr: np.ndarray


def _flatten(layout: Layout) -> Flat:
    ranges = [r for rs in layout.ranges for r in rs]
    p = np.array(ranges, dtype=np.int64).reshape(-1, 2)
    order = sorted(range(len(layout.documents)), key=lambda d: layout.documents[d].id)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    bounds = [np.array(b, dtype=np.int64) for b in layout._bounds]
    as_ptr = lambda sizes: np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)  # noqa: E731
    return Flat(
        doc_of=np.array(layout.doc_of, dtype=np.int64), doc_rank=rank,
        first=np.array([*layout.first, len(layout.doc_of)], dtype=np.int64),
        p_lo=np.ascontiguousarray(p[:, 0]), p_hi=np.ascontiguousarray(p[:, 1]),
        b_ptr=as_ptr([len(b) for b in bounds]),
        bounds=np.concatenate(bounds) if bounds else np.zeros(0, dtype=np.int64),
        ids=layout._all_ids,
        id_ptr=as_ptr([len(x) for x in layout.ids]),
    )
