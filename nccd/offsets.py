"""Offsets: where each word of every document lies in its text, in about two bytes a word.

Two int32 per word (start and end) were 8 bytes a word: at 100,000 documents,
114 million words, 0.9 GB, a fifth of everything a scan held. Words are short
and follow one another closely, so each keeps its length and the gap since the
previous word's end in a byte each (a word whose numbers do not fit keeps its
exact start and end aside), and every 32nd word of a document also keeps its
start, so one word's place is found by adding at most 31 pairs.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numba import njit

#: Every ``_STEP``-th word of a document keeps its start (a power of two).
_STEP = 32
_SHIFT = 5
#: A gap byte that says the word's start and end are kept aside.
_WIDE = 255


class Offsets:
    """Every document's word offsets ``[start, end)`` in its text, packed.

    Build with :meth:`pack` (from int32 starts and ends of consecutive documents)
    and :meth:`joined`; :meth:`of` gives one document's arrays back exactly.

    Examples
    --------
    >>> o = Offsets.pack(np.array([0, 4, 9]), np.array([3, 8, 12]), np.array([0, 2, 3]))
    >>> [a.tolist() for a in o.of(0)], o.span(1, 0, 1)
    ([[0, 4], [3, 8]], (9, 12))
    """

    def __init__(self, gap: np.ndarray, length: np.ndarray, check: np.ndarray, check_ptr: np.ndarray,
                 word_ptr: np.ndarray, wide_at: np.ndarray, wide_start: np.ndarray, wide_end: np.ndarray) -> None:
        if not (len(gap) == len(length) == int(word_ptr[-1])):
            raise ValueError(f"gap ({len(gap)}), length ({len(length)}) and the last word pointer "
                             f"({int(word_ptr[-1])}) must agree; build Offsets with Offsets.pack")
        if not (len(check_ptr) == len(word_ptr) and len(wide_at) == len(wide_start) == len(wide_end)):
            raise ValueError("check_ptr must have one entry per word_ptr entry and the wide arrays one length; "
                             "build Offsets with Offsets.pack")
        self.gap, self.length, self.check, self.check_ptr = gap, length, check, check_ptr
        self.word_ptr, self.wide_at, self.wide_start, self.wide_end = word_ptr, wide_at, wide_start, wide_end

    def __len__(self) -> int:
        """The number of documents."""
        return len(self.word_ptr) - 1

    @property
    def nbytes(self) -> int:
        """Bytes held by the packed arrays."""
        return sum(a.nbytes for a in (self.gap, self.length, self.check, self.check_ptr, self.word_ptr,
                                      self.wide_at, self.wide_start, self.wide_end))

    @classmethod
    def pack(cls, starts: np.ndarray, ends: np.ndarray, word_ptr: np.ndarray) -> "Offsets":
        """Pack the words ``word_ptr[d]:word_ptr[d + 1]`` of each document ``d``: ``starts``
        and ``ends`` hold every document's word offsets, one document after another."""
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        word_ptr = np.asarray(word_ptr, dtype=np.int64)
        if len(starts) != len(ends) or len(word_ptr) == 0 or int(word_ptr[-1]) != len(starts):
            raise ValueError(f"starts ({len(starts)}) and ends ({len(ends)}) must both hold every word "
                             f"word_ptr counts (last pointer {int(word_ptr[-1]) if len(word_ptr) else None})")
        sizes = np.diff(word_ptr)
        prev = np.zeros(len(ends), dtype=np.int64)  # each word's previous end, 0 before a document's first
        prev[1:] = ends[:-1]
        prev[word_ptr[:-1][sizes > 0]] = 0
        gap, length = starts - prev, ends - starts
        wide = (gap < 0) | (gap >= _WIDE) | (length < 0) | (length > 255)
        local = np.arange(len(starts), dtype=np.int64) - np.repeat(word_ptr[:-1], sizes)
        check_ptr = np.zeros(len(word_ptr), dtype=np.int64)
        np.cumsum((sizes + _STEP - 1) >> _SHIFT, out=check_ptr[1:])
        return cls(np.where(wide, _WIDE, gap).astype(np.uint8), np.where(wide, 0, length).astype(np.uint8),
                   starts[(local & (_STEP - 1)) == 0].astype(np.int32), check_ptr, word_ptr,
                   np.flatnonzero(wide), starts[wide].astype(np.int32), ends[wide].astype(np.int32))

    @classmethod
    def joined(cls, parts: Sequence["Offsets"]) -> "Offsets":
        """The documents of ``parts``, in order, as one :class:`Offsets`."""
        if not parts:
            return cls.pack(np.zeros(0), np.zeros(0), np.zeros(1))
        words = np.cumsum([0] + [len(p.gap) for p in parts[:-1]])
        checks = np.cumsum([0] + [len(p.check) for p in parts[:-1]])
        cat = np.concatenate
        return cls(cat([p.gap for p in parts]), cat([p.length for p in parts]), cat([p.check for p in parts]),
                   cat([[0]] + [p.check_ptr[1:] + c for p, c in zip(parts, checks)]).astype(np.int64),
                   cat([[0]] + [p.word_ptr[1:] + w for p, w in zip(parts, words)]).astype(np.int64),
                   cat([p.wide_at + w for p, w in zip(parts, words)]).astype(np.int64),
                   cat([p.wide_start for p in parts]).astype(np.int32),
                   cat([p.wide_end for p in parts]).astype(np.int32))

    def of(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Document ``d``'s word starts and ends (int32 arrays of its own)."""
        n = int(self.word_ptr[d + 1] - self.word_ptr[d])
        starts, ends = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
        _decode(*self._arrays(d), 0, n, starts, ends)
        return starts, ends

    def span(self, d: int, first: int, last: int) -> tuple[int, int]:
        """The start of document ``d``'s word ``first`` and the end of word ``last - 1``."""
        out = np.empty(2, dtype=np.int64)
        _span(*self._arrays(d), first, last - 1, out)
        return int(out[0]), int(out[1])

    def _arrays(self, d: int) -> tuple:
        return (self.gap, self.length, self.check, self.wide_at, self.wide_start, self.wide_end,
                self.word_ptr[d], self.check_ptr[d])


@njit(cache=True, nogil=True)
def _span(gap, length, check, wide_at, wide_start, wide_end, w0, c0, first, last, out):
    """The start of word ``first`` and the end of word ``last`` (:func:`_decode` of each alone)."""
    starts, ends = np.empty(1, dtype=np.int64), np.empty(1, dtype=np.int64)
    _decode(gap, length, check, wide_at, wide_start, wide_end, w0, c0, first, first + 1, starts, ends)
    out[0] = starts[0]
    _decode(gap, length, check, wide_at, wide_start, wide_end, w0, c0, last, last + 1, starts, ends)
    out[1] = ends[0]


@njit(cache=True, nogil=True)
def _decode(gap, length, check, wide_at, wide_start, wide_end, w0, c0, lo, hi, starts, ends):
    """Words ``lo .. hi - 1`` of the document whose first word is ``w0``, into ``starts`` and ``ends``."""
    b = (lo >> _SHIFT) << _SHIFT
    k = np.searchsorted(wide_at, w0 + b)
    start = end = 0
    for j in range(b, hi):
        if gap[w0 + j] == _WIDE:
            while wide_at[k] < w0 + j:
                k += 1
            start, end = wide_start[k], wide_end[k]
        else:
            start = check[c0 + (j >> _SHIFT)] if (j & (_STEP - 1)) == 0 else end + gap[w0 + j]
            end = start + length[w0 + j]
        if j >= lo:
            starts[j - lo], ends[j - lo] = start, end
