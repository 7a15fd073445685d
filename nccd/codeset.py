"""CodeSet: the union of many sorted arrays of pair codes, in one buffer grown in place.

The candidates stage gathers the pairs of 25 LSH bands and of the shared
clauses; boilerplate gives every band nearly the same pairs, so the union is
not much larger than one band's, but merging each band into a new array held
the old union, the band and the new union at once, on each thread: at 100,000
documents that was half a GB above the index. Here the union lives in one
buffer that ``realloc`` grows (for a large buffer the pages are remapped, not
copied), and each sorted array is merged into it from the back, in place.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit


class CodeSet:
    """Distinct int64 codes, added as sorted arrays of distinct codes from any thread.

    Examples
    --------
    >>> s = CodeSet()
    >>> s.add(np.array([1, 5, 9])); s.add(np.array([2, 5]))
    >>> s.array().tolist()
    [1, 2, 5, 9]

    :meth:`taking` starts from an array of codes, growing in its buffer.
    """

    def __init__(self) -> None:
        self._buf = np.zeros(0, dtype=np.int64)
        self._n = 0
        self._lock = threading.Lock()

    @classmethod
    def taking(cls, codes: np.ndarray) -> "CodeSet":
        """A set of the sorted distinct ``codes`` that takes the array over when it can
        (int64, one dimension, owning its memory): the set grows in that buffer, with
        no second copy of the codes, so the caller must not use the array again."""
        out = cls()
        if codes.dtype == np.int64 and codes.ndim == 1 and codes.flags.owndata and codes.flags.c_contiguous:
            out._buf, out._n = codes, len(codes)
        else:
            out.add(codes)
        return out

    def __len__(self) -> int:
        return self._n

    def add(self, codes: np.ndarray) -> None:
        """Merge in ``codes``: sorted, each once (as ``sorted_unique`` gives them)."""
        codes = np.asarray(codes, dtype=np.int64)
        if not len(codes):
            return
        with self._lock:
            if self._buf is None:
                raise ValueError("this CodeSet's array was taken already; make a new CodeSet to add to")
            # Exactly what this merge may need: resizing past it would touch pages it never fills.
            self._buf.resize(self._n + len(codes), refcheck=False)
            self._n = _merge_into(self._buf, self._n, codes)

    def array(self) -> np.ndarray:
        """The codes, sorted, as an array of their own (the set is done with)."""
        with self._lock:
            if self._buf is None:
                raise ValueError("this CodeSet's array was taken already")
            out, self._buf = self._buf, None
            out.resize(self._n, refcheck=False)  # shrunk in place, not copied
            return out


@njit(cache=True, nogil=True)
def _merge_into(buf, n, codes):
    """Merge the sorted ``codes`` into the sorted ``buf[:n]`` (``buf`` has room for
    both), dropping repeats; the new length. Written from the back, so no element
    is overwritten before it is read: the write point stays above the read point by
    the codes still to merge plus the repeats met."""
    x, y, w = n - 1, codes.shape[0] - 1, n + codes.shape[0] - 1
    while y >= 0:
        if x >= 0 and buf[x] > codes[y]:
            buf[w] = buf[x]
            x -= 1
        else:
            if x >= 0 and buf[x] == codes[y]:
                x -= 1
            buf[w] = codes[y]
            y -= 1
        w -= 1
    gap = w - x  # the repeats: the merged tail moves down over them
    if gap > 0:
        for k in range(w + 1, n + codes.shape[0]):
            buf[k - gap] = buf[k]
    return n + codes.shape[0] - gap
