"""Where every passage lies: its document, its word range, its word ids.

Shared by the stages after segment, so each takes plain numbers and ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .align import Vocabulary
from .align.documents import DocWords
from .cluster import Fragment
from .corpuswords import CorpusWords
from .model import ROLE_CODE, Document, Passage
from .normalize import Normalized
from .parallel import threaded_blocks
from .segment import PassageTable
from .shingle import Shingles, WordHasher, ngram_hashes

#: Passages shingled at a time.
_BLOCK = 1 << 15


class Layout:
    """Where every passage lies: its document, its word range, its word ids.

    Passages are numbered across the whole corpus (document order, then text
    order). Everything per passage is an array, not Python objects: at 10,000
    documents there are hundreds of thousands of passages.

    Attributes
    ----------
    doc_of, local : np.ndarray
        Per passage (int64): its document, and which of that document's passages it is.
    p_lo, p_hi : np.ndarray
        Per passage (int64): its words are ``[p_lo[i], p_hi[i])`` of its document.
    first : np.ndarray
        Per document (int64): the number of its first passage.
    ids : list of np.ndarray
        Per document: its word ids (int32 views of one corpus-wide array).
    """

    def __init__(self, documents: Sequence[Document], words: Sequence[Normalized],
                 passages: Sequence[Sequence[Passage]], *, vocab: Vocabulary | None = None) -> None:
        # As arrays: Passage objects by the million were a tenth of what a large scan held.
        self.documents = documents
        self.passages = passages if isinstance(passages, PassageTable) else PassageTable.of(documents, passages)
        self.vocab = vocab or Vocabulary()
        # Each document's words read through its ids and packed offsets (:class:`CorpusWords`):
        # a list of strings per document was the largest thing a scan held (ten million
        # words at 10,000 documents), then two int32 offsets a word (0.9 GB at 100,000).
        if isinstance(words, CorpusWords) and vocab is not None:  # the pipeline's, read into ``vocab``
            self.words = words
        else:  # ``words`` already read into ``vocab`` give their ids as they are
            ids, ptr = _word_ids(self.vocab if vocab is None else None, words)
            self.words = CorpusWords.of(words, ids, ptr, self.vocab.words())
        self._all_ids, self._id_ptr = self.words.ids, self.words.ptr
        self.ids = [w.ids for w in self.words.comparison]
        counts = self.passages.counts()
        self._first = _as_ptr(counts)  # with the passage count at the end, as Flat wants
        self.first = self._first[:-1]
        self.p_lo, self.p_hi = _word_ranges(self.words, self.passages)
        self.doc_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self.local = np.arange(len(self.doc_of), dtype=np.int64) - np.repeat(self.first, counts)
        self._b_ptr, self._bounds = _boundaries(self.doc_of, self.p_lo, self.p_hi, len(counts))
        self._flat: Flat | None = None

    def flat(self) -> "Flat":
        """Passages, boundaries and word ids of every document as flat arrays (the
        layout's own arrays, not copies; the document ranks are computed once)."""
        if self._flat is None:
            order = sorted(range(len(self.documents)), key=lambda d: self.documents[d].id)
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._flat = Flat(doc_of=self.doc_of, doc_rank=rank, first=self._first, p_lo=self.p_lo,
                              p_hi=self.p_hi, b_ptr=self._b_ptr, bounds=self._bounds, ids=self._all_ids,
                              id_ptr=self._id_ptr)
        return self._flat

    def word_range(self, i: int) -> tuple[int, int]:
        """Word range ``[lo, hi)`` of passage ``i`` in its document."""
        return int(self.p_lo[i]), int(self.p_hi[i])

    def passage_ranges(self, d: int) -> tuple[tuple[int, int], ...]:
        """Word ranges ``(lo, hi)`` of document ``d``'s passages, in text order."""
        a, b = self._first[d], self._first[d + 1]
        return tuple(zip(self.p_lo[a:b].tolist(), self.p_hi[a:b].tolist()))

    def keys(self) -> list[str]:
        """A key per passage that does not depend on reading order: document id and place."""
        ids = [d.id for d in self.documents]
        return [f"{ids[d]}:{k}" for d, k in zip(self.doc_of.tolist(), self.local.tolist())]

    def snap(self, d: int, start: int, end: int, reach: int) -> Fragment:
        """Words ``[start, end)`` of document ``d``, each end pushed out to the paragraph
        boundary within ``reach`` words of it: edits at the edge of a copied paragraph
        must not give each copy its own extent."""
        bounds = self._bounds[self._b_ptr[d]:self._b_ptr[d + 1]]
        k = int(np.searchsorted(bounds, start, "right")) - 1
        if k >= 0 and start - bounds[k] <= reach:
            start = int(bounds[k])
        k = int(np.searchsorted(bounds, end, "left"))
        if k < len(bounds) and bounds[k] - end <= reach:
            end = int(bounds[k])
        return Fragment(d, start, end)

    def passage_under(self, d: int, start: int, end: int) -> tuple[int, int]:
        """The word range of document ``d``'s passage that overlaps ``[start, end)`` most
        (the first of equals)."""
        a, b = self._first[d], self._first[d + 1]
        lo, hi = self.p_lo[a:b], self.p_hi[a:b]
        overlap = np.minimum(hi, end) - np.maximum(lo, start)
        k = max(int(np.searchsorted(lo, start, "right")) - 1, 0)  # passages starting before `end`
        stop = int(np.searchsorted(lo, end, "left"))
        best = k + int(np.argmax(overlap[k:stop])) if stop > k else -1
        if best < 0 or overlap[best] <= 0:
            # in a gap between passages (page furniture) no passage overlaps: take the nearest
            best = int(np.argmax(overlap))
        return int(lo[best]), int(hi[best])

    def same_words(self, i: int, j: int) -> bool:
        """Whether passages ``i`` and ``j`` have the same comparison words."""
        (ai, bi), (aj, bj) = self.word_range(i), self.word_range(j)
        return np.array_equal(self.ids[self.doc_of[i]][ai:bi], self.ids[self.doc_of[j]][aj:bj])

    def passage_words(self) -> list[tuple[str, ...]]:
        """Comparison words of every passage, in passage-number order."""
        out = []
        for d, w in enumerate(self.words):
            out.extend(w.words[lo:hi] for lo, hi in self.passage_ranges(d))
        return out

    def passage_ids(self, lo: int = 0, hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Word ids of passages ``lo .. hi - 1`` (all by default), concatenated in
        passage-number order, and the number of words of each (:meth:`passage_words`
        as vocabulary ids)."""
        hi = len(self.p_lo) if hi is None else hi
        lengths = self.p_hi[lo:hi] - self.p_lo[lo:hi]
        starts = self._id_ptr[self.doc_of[lo:hi]] + self.p_lo[lo:hi]
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        return self._all_ids[at], lengths

    def shingles(self, k: int, *, jobs: int | None = 1) -> Shingles:
        """Word ``k``-gram hashes of every passage: ``shingle(self.passage_words(), k)``,
        each distinct word hashed once and the rest gathered by word id; blocks of
        passages on ``jobs`` threads (numpy lets the GIL go in each step)."""
        word_hashes = WordHasher()(self.vocab.words())
        n = len(self.doc_of)
        indptr = _as_ptr(np.maximum(self.p_hi - self.p_lo - k + 1, 0))
        hashes = np.empty(int(indptr[-1]), dtype=np.uint32)

        # Block by block into the one output: whole-corpus temporaries (a few arrays
        # of 8 bytes a word) were half a GB at 10,000 documents.
        def block(lo: int, hi: int) -> None:
            ids, lengths = self.passage_ids(lo, hi)
            hashes[indptr[lo]:indptr[hi]] = ngram_hashes(word_hashes[ids], lengths, k).hashes

        threaded_blocks(block, n, _BLOCK, jobs=jobs)
        return Shingles(hashes, indptr)

    def rows(self, *, min_words: int = 0, max_words: int | None = None) -> np.ndarray:
        """Passage numbers whose word count lies in ``[min_words, max_words)``."""
        n = self.p_hi - self.p_lo
        keep = n >= min_words
        if max_words is not None:
            keep &= n < max_words
        return np.flatnonzero(keep)

    def window(self, i: int) -> tuple[int, int]:
        """Word range of passage ``i`` and its neighbours in the same document."""
        d = self.doc_of[i]
        return int(self.p_lo[max(i - 1, self._first[d])]), int(self.p_hi[min(i + 1, self._first[d + 1] - 1)])

    def word_roles(self) -> list[np.ndarray]:
        """Each document's role per word, as numbers into ``ROLES`` (``uint8``): a
        name per word was ten million pointers at 10,000 documents."""
        table = self.passages
        flat = np.full(int(self._id_ptr[-1]), ROLE_CODE["answer"], dtype=np.uint8)  # one array, views of it
        out = []
        for d in range(len(table)):
            roles = flat[self._id_ptr[d]:self._id_ptr[d + 1]]
            for r, (lo, hi) in zip(table.role[table.ptr[d]:table.ptr[d + 1]].tolist(), self.passage_ranges(d)):
                roles[lo:hi] = r
            out.append(roles)
        return out

    def document_shingles(self, k: int) -> "DocumentShingles":
        """Word ``k``-gram hashes made a document at a time (:meth:`doc_words` takes them
        in place of :meth:`shingles`)."""
        return DocumentShingles(self, k)

    def doc_words(self, d: int, shingles: "Shingles | DocumentShingles") -> DocWords:
        """Document ``d`` ready to align against templates."""
        first, last = int(self._first[d]), int(self._first[d + 1])
        if isinstance(shingles, DocumentShingles):
            made = shingles.of_document(d)
        else:
            made = tuple(shingles.of(k) for k in range(first, last))
        return DocWords(self.documents[d].id, self.words[d], self.ids[d], self.passage_ranges(d),
                        self.passages.roles(d), made)


class DocumentShingles:
    """Each passage's shingles as :meth:`Layout.shingles` gives them, made for one
    document when it is aligned: the align stage's workers shingle their own
    documents, and the whole corpus's shingles (0.4 GB at 100,000 documents) are
    not held under the stage's peak."""

    def __init__(self, layout: Layout, k: int) -> None:
        self.layout, self.k = layout, k
        self.word_hashes = WordHasher()(layout.vocab.words())  # each distinct word hashed once

    def of_document(self, d: int) -> tuple[np.ndarray, ...]:
        """The shingle hashes of document ``d``'s passages, in order."""
        layout = self.layout
        first, last = int(layout._first[d]), int(layout._first[d + 1])
        ids, lengths = layout.passage_ids(first, last)
        made = ngram_hashes(self.word_hashes[ids], lengths, self.k)
        ptr, hashes = made.indptr.tolist(), made.hashes
        return tuple(hashes[a:b] for a, b in zip(ptr[:-1], ptr[1:]))  # np.split took twice as long


def _as_ptr(sizes: np.ndarray) -> np.ndarray:
    """Offsets ``[0, s0, s0 + s1, ...]`` (int64) of consecutive parts of the given sizes."""
    out = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def _word_ids(vocab: Vocabulary | None, words: Sequence[Normalized]) -> tuple[np.ndarray, np.ndarray]:
    """Every document's word ids in one int32 array, and where each document's begin
    (with the total at the end): from ``vocab``, or, without one, the ids the words
    already have (:class:`WordsOfIds`). The aligner only compares ids, and a vocabulary
    never nears 2**31 words: half the memory of int64."""
    ptr = _as_ptr(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))
    joined = None if vocab is not None else one_array([getattr(w.words, "ids", None) for w in words], ptr)
    if joined is not None and joined.dtype == np.int32:
        return joined, ptr
    ids = np.empty(int(ptr[-1]), dtype=np.int32)
    for d, w in enumerate(words):
        ids[ptr[d]:ptr[d + 1]] = vocab.ids(w.words) if vocab is not None else w.words.ids
    return ids, ptr


def one_array(arrays: Sequence[np.ndarray | None], ptr: np.ndarray) -> np.ndarray | None:
    """The array whose consecutive stretches ``ptr[d]:ptr[d + 1]`` the ``arrays`` are,
    in order (views of one array, as the pipeline reads word ids and roles), or
    ``None`` when they are not: then joining them means a copy of every value (half
    a GB at 100,000 documents) that this spares."""
    base = arrays[0].base if len(arrays) and isinstance(arrays[0], np.ndarray) else None
    if not isinstance(base, np.ndarray) or base.ndim != 1 or not base.flags.c_contiguous:
        return None
    size, origin = base.itemsize, base.__array_interface__["data"][0]
    first = (arrays[0].__array_interface__["data"][0] - origin) // size
    for a, p in zip(arrays, ptr[:-1].tolist()):
        if not (isinstance(a, np.ndarray) and a.dtype == base.dtype and a.ndim == 1):
            return None
        if len(a) and not (a.base is base and (len(a) < 2 or a.strides == (size,))
                           and a.__array_interface__["data"][0] == origin + size * (first + p)):
            return None  # (an empty view's address says nothing)
    return base[first:first + int(ptr[-1])]


def _word_ranges(words: CorpusWords, passages: PassageTable) -> tuple[np.ndarray, np.ndarray]:
    """First and past-the-last word of each passage (int64, passage-number order): the
    words starting before each passage's start and end, two searches a document."""
    lo, hi = np.empty(len(passages.start), dtype=np.int64), np.empty(len(passages.start), dtype=np.int64)
    for d, (a, b) in enumerate(zip(passages.ptr[:-1].tolist(), passages.ptr[1:].tolist())):
        if b > a:
            starts = words.starts(d)
            lo[a:b] = np.searchsorted(starts, passages.start[a:b], "left")
            hi[a:b] = np.searchsorted(starts, passages.end[a:b], "left")
    return lo, hi


def _boundaries(doc_of: np.ndarray, p_lo: np.ndarray, p_hi: np.ndarray,
                n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Each document's distinct passage starts and ends, sorted: ``bounds[ptr[d]:ptr[d + 1]]``
    for document ``d``. Returns ``(ptr, bounds)``, both int64."""
    # (document, word) packed in one key (a document's words number far below 2**32):
    # one sort of numbers instead of a two-key lexsort, 16x faster at 100,000 documents.
    doc = np.asarray(doc_of, dtype=np.int64) << 32
    key = np.concatenate([doc | p_lo, doc | p_hi])
    key.sort()
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    key = key[new]
    return _as_ptr(np.bincount(key >> 32, minlength=n_docs)), key & 0xFFFFFFFF


@dataclass(frozen=True, eq=False)
class Flat:
    """The layout as arrays for compiled code: passage ``i`` is words ``p_lo[i]:p_hi[i]``
    of document ``doc_of[i]``; document ``d`` holds passages ``first[d]:first[d + 1]``,
    words ``ids[id_ptr[d]:id_ptr[d + 1]]`` (int32) and boundaries
    ``bounds[b_ptr[d]:b_ptr[d + 1]]``; ``doc_rank[d]`` is the place of its id in sorted order."""

    doc_of: np.ndarray
    doc_rank: np.ndarray
    first: np.ndarray
    p_lo: np.ndarray
    p_hi: np.ndarray
    b_ptr: np.ndarray
    bounds: np.ndarray
    ids: np.ndarray
    id_ptr: np.ndarray
