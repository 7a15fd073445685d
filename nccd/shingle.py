"""shingle: passages → word n-gram hashes (numpy ``uint32``).

Every word is hashed once (BLAKE2b, stable across runs and machines, unlike
Python's salted ``hash``); n-gram hashes are then combined for a whole batch of
passages at once with numpy, so no Python code runs per shingle.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd: keeps the combination a bijection per step


@dataclass(frozen=True)
class Shingles:
    """Shingle hashes of a batch of passages in CSR layout.

    ``hashes[indptr[i]:indptr[i + 1]]`` are the shingles of passage ``i``
    (in text order, duplicates kept).
    """

    hashes: np.ndarray
    indptr: np.ndarray

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def of(self, i: int) -> np.ndarray:
        """Shingle hashes of passage ``i``."""
        return self.hashes[self.indptr[i] : self.indptr[i + 1]]


class WordHasher:
    """Stable 64-bit word hashes, memoised per distinct word."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, words: Iterable[str]) -> np.ndarray:
        cache = self._cache
        out = []
        for w in words:
            h = cache.get(w)
            if h is None:
                h = int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
                cache[w] = h
            out.append(h)
        return np.asarray(out, dtype=np.uint64)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the output."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def ngram_hashes(word_hashes: np.ndarray, lengths: np.ndarray, k: int) -> Shingles:
    """Hash every window of ``k`` consecutive words inside each passage.

    Parameters
    ----------
    word_hashes:
        ``uint64`` hashes of the words of all passages, concatenated.
    lengths:
        Words per passage; passages shorter than ``k`` get no shingles.
    k:
        Words per shingle.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    n = len(word_hashes)
    passage_end = np.repeat(np.cumsum(lengths), lengths)
    n_windows = max(n - k + 1, 0)
    valid = np.arange(n_windows) + k <= passage_end[:n_windows]
    acc = np.zeros(n_windows, dtype=np.uint64)
    for j in range(k):
        acc = acc * _MULT + word_hashes[j : j + n_windows]
    hashes = (fmix64(acc[valid]) >> np.uint64(32)).astype(np.uint32)
    counts = np.maximum(lengths - k + 1, 0)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return Shingles(hashes, indptr)


def shingle(passages: Sequence[Sequence[str]], k: int, hasher: WordHasher | None = None) -> Shingles:
    """Word ``k``-gram hashes of each passage's comparison words."""
    hasher = hasher or WordHasher()
    lengths = np.fromiter((len(p) for p in passages), dtype=np.int64, count=len(passages))
    words = hasher(w for p in passages for w in p)
    return ngram_hashes(words, lengths, k)
