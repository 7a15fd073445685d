"""CorpusWords: every document's comparison words, made when asked for from packed arrays.

A scan holds every word of the corpus from normalize to align. Held as a
:class:`~nccd.normalize.Normalized` per document, that was a word id and two
int32 offsets a word; here the ids are one array and the offsets
:class:`~nccd.offsets.Offsets` (about two bytes a word), and a document's
``Normalized`` is made when a stage asks for it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .align import WordsOfIds
from .normalize import Normalized, with_punctuation
from .offsets import Offsets


class CorpusWords(Sequence[Normalized]):
    """Each document's :class:`Normalized` words, read from one array of word ids
    (``ids[ptr[d]:ptr[d + 1]]`` for document ``d``, into ``table``), the packed
    offsets, and the texts the words came from.

    Attributes
    ----------
    ids : np.ndarray
        Every document's word ids (int32), one after another.
    ptr : np.ndarray
        Where each document's ids begin (int64), with the total at the end.
    comparison : list of WordsOfIds
        Per document: its comparison words (views of ``ids``), without offsets.
    """

    def __init__(self, ids: np.ndarray, ptr: np.ndarray, table: Sequence[str], offsets: Offsets,
                 texts: Sequence[str]) -> None:
        if not (len(ptr) - 1 == len(offsets) == len(texts)) or not np.array_equal(ptr, offsets.word_ptr):
            raise ValueError(f"word pointers ({len(ptr) - 1} documents), offsets ({len(offsets)}) and texts "
                             f"({len(texts)}) must describe the same documents and words")
        self.ids, self.ptr, self.table, self.offsets, self.texts = ids, ptr, table, offsets, texts
        self.comparison = [WordsOfIds(i, table) for i in np.split(ids, ptr[1:-1])] if len(texts) else []

    @classmethod
    def of(cls, words: Sequence[Normalized], ids: np.ndarray, ptr: np.ndarray, table: Sequence[str]) -> "CorpusWords":
        """``words`` (one per document) read as ``ids`` into ``table``, their offsets packed."""
        starts = np.concatenate([w.starts for w in words] or [np.zeros(0, np.int32)])
        ends = np.concatenate([w.ends for w in words] or [np.zeros(0, np.int32)])
        return cls(ids, ptr, table, Offsets.pack(starts, ends, ptr), [w.original for w in words])

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, d):
        if isinstance(d, slice):
            return [self[k] for k in range(*d.indices(len(self)))]
        d = range(len(self))[d]  # a negative index counts from the end; out of range raises
        starts, ends = self.offsets.of(d)
        return Normalized(self.comparison[d], starts, ends, self.texts[d])

    def __iter__(self):
        return (self[d] for d in range(len(self)))

    def starts(self, d: int) -> np.ndarray:
        """Document ``d``'s word starts (int32)."""
        return self.offsets.of(d)[0]

    def char_span(self, d: int, first: int, last: int) -> tuple[int, int]:
        """``self[d].char_span(first, last)`` without unpacking the document's offsets."""
        return with_punctuation(self.texts[d], *self.offsets.span(d, first, last))
