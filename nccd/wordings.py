"""A family's fragments grouped by wording: the fragments whose comparison words are the same.

The template stage ranks a family's wordings (most documents first) and keeps a
few. A family chained through boilerplate holds a large share of all fragments
(a hundred thousand at 10,000 documents, ten times that at 100,000), and a joined
comparison text per fragment was gigabytes. Here a fragment is a 64-bit hash of
its words (:class:`WordSource`), fragments are grouped by sorting the hashes (each
group checked word by word), and the text of a wording is joined only for those
that could be among the ranked few (``nccd.template._ranked``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numba import njit

from .corpuswords import CorpusWords
from .layout import one_array
from .normalize import Normalized
from .shingle import WordHasher

_SEED, _MULT = np.uint64(0x2545F4914F6CDD1D), np.uint64(0x9E3779B97F4A7C15)


class WordSource:
    """The corpus's comparison words as this stage reads them: by document, as word ids
    of one array with a hash and a length per id (what the pipeline holds), or as
    the words themselves (documents normalised on their own: the hashes made here)."""

    def __init__(self, words: Sequence[Normalized]) -> None:
        # (a CorpusWords has them without making each document's offsets)
        self.words = words.comparison if isinstance(words, CorpusWords) else [w.words for w in words]
        self.ptr = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(w) for w in self.words], out=self.ptr[1:])
        tables = {id(getattr(w, "table", None)) for w in self.words}
        ids = [getattr(w, "ids", None) for w in self.words]
        self.ids = one_array(ids, self.ptr) if len(tables) == 1 else None
        if self.ids is None and ids and all(isinstance(i, np.ndarray) for i in ids) and len(tables) == 1:
            self.ids = np.concatenate(ids)
        self._hasher = WordHasher()
        if self.ids is not None:
            table = self.words[0].table if self.words else []
            self.word_hash = self._hasher(table)
            self.word_len = np.fromiter(map(len, table), dtype=np.int64, count=len(table))

    def hashes(self, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """The hash of each fragment's words (``uint64``): equal words, equal hash (without
        word ids: with them, :func:`group` hashes in its compiled call)."""
        return np.array([self.hash_of(self.words[d][s:e]) for d, s, e in zip(doc.tolist(), start.tolist(),
                                                                               end.tolist())], dtype=np.uint64)

    def hash_of(self, words: Sequence[str]) -> int:
        """The hash of a sequence of comparison words, as :meth:`hashes` gives it."""
        return int(_fold(self._hasher(words)))

    def same(self, doc: np.ndarray, start: np.ndarray, end: np.ndarray, bounds: np.ndarray) -> bool:
        """Whether the fragments of each group ``bounds[g]:bounds[g + 1]`` all hold the same
        words (without word ids, as :meth:`hashes`)."""
        return all(self.words[doc[x]][start[x]:end[x]] == self.words[doc[lo]][start[lo]:end[lo]]
                   for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()) for x in range(lo + 1, hi))

    def lengths(self, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """The length of each fragment's comparison text (its words joined by spaces)."""
        if self.ids is not None:
            return _text_lengths(self.ids, self.ptr, self.word_len, doc, start, end)
        return np.array([len(self.text(d, s, e)) for d, s, e in zip(doc.tolist(), start.tolist(), end.tolist())],
                        dtype=np.int64)

    def text(self, d: int, s: int, e: int) -> str:
        """The comparison text of words ``s:e`` of document ``d``."""
        return " ".join(self.words[d][s:e])


@dataclass(frozen=True, eq=False)
class Groups:
    """Rows of a family grouped by wording: group ``g`` is ``rows[ptr[g]:ptr[g + 1]]``
    (ascending), ``hashes[g]`` its hash (ascending across groups)."""

    rows: np.ndarray
    ptr: np.ndarray
    hashes: np.ndarray

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def members(self, g: int) -> list[int]:
        """The rows of group ``g``."""
        return self.rows[self.ptr[g]:self.ptr[g + 1]].tolist()


def group(source: WordSource, doc: np.ndarray, start: np.ndarray, end: np.ndarray, lo: int, hi: int) -> Groups:
    """Rows ``lo:hi`` (of fragments ``doc, start, end``, each of one word or more)
    grouped by their comparison words: by comparison text, as words hold no spaces."""
    if source.ids is not None:  # one compiled call: most families are two or three fragments
        rows, ptr, hashes, same = _grouped(source.ids, source.ptr, source.word_hash, doc, start, end, lo, hi)
    else:
        rows = np.arange(lo, hi, dtype=np.int64)
        hashes = source.hashes(doc[lo:hi], start[lo:hi], end[lo:hi])
        order = np.argsort(hashes, kind="stable")  # each group's rows stay ascending
        rows, hashes = rows[order], hashes[order]
        new = np.ones(len(rows), dtype=bool)
        new[1:] = hashes[1:] != hashes[:-1]
        ptr = np.append(np.flatnonzero(new), len(rows)).astype(np.int64)
        hashes = hashes[new]
        same = source.same(doc[rows], start[rows], end[rows], ptr)
    if not same:  # two wordings of one hash: never seen
        return _grouped_by_text(source, doc, start, end, lo, hi)
    return Groups(rows, ptr, hashes)


@njit(cache=True, nogil=True)
def _grouped(ids, ptr, word_hash, doc, start, end, lo, hi):
    """:func:`group` on word ids: ``(rows, ptr, hashes, same)``, ``same`` false if two
    wordings share a hash."""
    hashes = _fragment_hashes(ids, ptr, word_hash, doc[lo:hi], start[lo:hi], end[lo:hi])
    order = np.argsort(hashes, kind="mergesort")  # each group's rows stay ascending
    rows = order + lo
    bounds = np.empty(hi - lo + 1, dtype=np.int64)
    firsts = np.empty(hi - lo, dtype=np.uint64)
    n = 0
    for x in range(hi - lo):
        if x == 0 or hashes[order[x]] != hashes[order[x - 1]]:
            bounds[n], firsts[n] = x, hashes[order[x]]
            n += 1
    bounds[n] = hi - lo
    same = _all_same(ids, ptr, doc[rows], start[rows], end[rows], bounds[:n + 1])
    return rows, bounds[:n + 1], firsts[:n], same


def _grouped_by_text(source: WordSource, doc, start, end, lo: int, hi: int) -> Groups:
    """:func:`group` by joined comparison texts: where two wordings share a hash."""
    by_text: dict[str, list[int]] = {}
    for i in range(lo, hi):
        by_text.setdefault(source.text(int(doc[i]), int(start[i]), int(end[i])), []).append(i)
    keyed = sorted((source.hash_of(text.split(" ") if text else []), text) for text in by_text)
    rows = np.array([i for _, text in keyed for i in by_text[text]], dtype=np.int64)
    ptr = np.zeros(len(keyed) + 1, dtype=np.int64)
    np.cumsum([len(by_text[text]) for _, text in keyed], out=ptr[1:])
    return Groups(rows, ptr, np.array([h for h, _ in keyed], dtype=np.uint64))


def holds(groups: Groups, source: WordSource, comparison: str, doc, start, end) -> bool:
    """Whether one of the groups (of fragments ``doc, start, end``) has the comparison
    text ``comparison``: those of its hash are compared word by word."""
    # Words never hold a space, so a text is one sequence of words, but for "": no
    # words, or one empty word.
    for words in ([[], [""]] if not comparison else [comparison.split(" ")]):
        h = np.uint64(source.hash_of(words))
        g = int(np.searchsorted(groups.hashes, h))
        while g < len(groups) and groups.hashes[g] == h:
            r = int(groups.rows[groups.ptr[g]])
            if source.text(int(doc[r]), int(start[r]), int(end[r])) == comparison:
                return True
            g += 1
    return False


@njit(cache=True, nogil=True)
def _fold(hashes):
    """One 64-bit hash of a sequence of word hashes (order matters; its length too)."""
    h = _SEED
    for x in hashes:
        h = (h ^ x) * _MULT
        h ^= h >> np.uint64(29)
    return h ^ np.uint64(hashes.shape[0])


@njit(cache=True, nogil=True)
def _fragment_hashes(ids, ptr, word_hash, doc, start, end):
    out = np.empty(doc.shape[0], dtype=np.uint64)
    for x in range(doc.shape[0]):
        base = ptr[doc[x]]
        out[x] = _fold(word_hash[ids[base + start[x]:base + end[x]]])
    return out


@njit(cache=True, nogil=True)
def _all_same(ids, ptr, doc, start, end, bounds):
    for g in range(bounds.shape[0] - 1):
        lo = bounds[g]
        a = ids[ptr[doc[lo]] + start[lo]:ptr[doc[lo]] + end[lo]]
        for x in range(lo + 1, bounds[g + 1]):
            b = ids[ptr[doc[x]] + start[x]:ptr[doc[x]] + end[x]]
            if a.shape[0] != b.shape[0]:
                return False
            for k in range(a.shape[0]):
                if a[k] != b[k]:
                    return False
    return True


@njit(cache=True, nogil=True)
def _text_lengths(ids, ptr, word_len, doc, start, end):
    out = np.zeros(doc.shape[0], dtype=np.int64)
    for x in range(doc.shape[0]):
        base = ptr[doc[x]]
        for k in range(base + start[x], base + end[x]):
            out[x] += word_len[ids[k]]
        out[x] += max(end[x] - start[x] - 1, 0)  # the spaces between
    return out
