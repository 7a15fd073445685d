"""cluster: aligned fragments → families of shared text.

A *fragment* is a stretch of words of one document that an alignment found in
another document. Fragments are linked by the alignments that found them, and
two fragments of the same document are the same text when their word ranges
nearly coincide: intersection over union of 0.8 or more, or one lies inside the
other and is at least 60% of its length (edits shift the edges of a match).
Looser rules let a common phrase creep from one context to the next and chain
unrelated text into one family. Families are the connected
components, kept when they reach ``min_documents`` documents. Merging only
near-identical ranges of a document, not any overlap, keeps a clause reused on its
own apart from the longer paragraph it came from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Iterable, Iterator

import numpy as np
from numba import njit

from .align.kernel import _grow
from .sortedarrays import sorted_unique


@dataclass(frozen=True, order=True, slots=True)
class Fragment:
    """Words ``[start, end)`` of document number ``doc`` (its comparison words)."""

    doc: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """An alignment between two fragments of different documents."""

    a: Fragment
    b: Fragment
    similarity: float


@dataclass(frozen=True, eq=False)
class LinkTable:
    """Many links as arrays: row ``k`` of ``ends`` (int32) is ``(doc_a, start_a, end_a, doc_b,
    start_b, end_b)``, ``similarity[k]`` its similarity (``None``: not kept, as
    :func:`cluster` never reads it). Holds millions of links in a few bytes each,
    where ``Link`` objects take hundreds."""

    ends: np.ndarray
    similarity: np.ndarray | None

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[Link]:
        if self.similarity is None:
            raise ValueError("these links were made without their similarities: "
                             "align_pairs(..., similarity=True) keeps them")
        for r, s in zip(self.ends.tolist(), self.similarity.tolist()):
            yield Link(Fragment(r[0], r[1], r[2]), Fragment(r[3], r[4], r[5]), s)


class UnionFind:
    """Disjoint sets over hashable items, with path halving and union by size."""

    def __init__(self) -> None:
        self._parent: dict = {}
        self._size: dict = {}

    def find(self, x):
        parent = self._parent
        if x not in parent:
            parent[x] = x
            self._size[x] = 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x, y) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return
        if self._size[rx] < self._size[ry]:
            rx, ry = ry, rx
        self._parent[ry] = rx
        self._size[rx] += self._size[ry]

    def groups(self) -> list[list]:
        """Members of each set, each list sorted, the lists sorted by first member."""
        out: dict = defaultdict(list)
        for x in self._parent:
            out[self.find(x)].append(x)
        return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def overlap(x: Fragment, y: Fragment) -> float:
    """Intersection over union of two word ranges of the same document."""
    inter = min(x.end, y.end) - max(x.start, y.start)
    if inter <= 0:
        return 0.0
    return inter / (max(x.end, y.end) - min(x.start, y.start))


def _nested(x: Fragment, y: Fragment, inside: float = 0.9, ratio: float = 0.6) -> bool:
    """One range lies (almost) inside the other and is not much shorter: the same text
    found with edges shifted by edits, not a clause of a longer paragraph."""
    inter = min(x.end, y.end) - max(x.start, y.start)
    short, long_ = sorted((x.end - x.start, y.end - y.start))
    return inter >= inside * short and short >= ratio * long_


@dataclass(frozen=True, eq=False)
class Families(Sequence[list[Fragment]]):
    """Families as arrays (a few bytes a fragment, where ``Fragment`` objects take a
    hundred): family ``k`` is fragments ``bounds[k]:bounds[k + 1]`` of ``doc``,
    ``start`` and ``end``, sorted. Indexing gives the family as a list of ``Fragment``."""

    bounds: np.ndarray
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        k = range(len(self))[k]
        lo, hi = int(self.bounds[k]), int(self.bounds[k + 1])
        return [Fragment(*t) for t in zip(self.doc[lo:hi].tolist(), self.start[lo:hi].tolist(),
                                          self.end[lo:hi].tolist())]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))


def cluster(links: LinkTable | Iterable[Link], *, min_documents: int = 2, min_overlap: float = 0.8) -> Families:
    """Families of fragments, each merged to one fragment per stretch of a document.

    Parameters
    ----------
    links:
        Alignments between fragments of different documents.
    min_documents:
        Fewest distinct documents a family must span.
    min_overlap:
        Intersection over union at which two fragments of one document are one text.
    """
    if isinstance(links, LinkTable):
        ends = links.ends
    else:
        ends = np.array([(k.a.doc, k.a.start, k.a.end, k.b.doc, k.b.start, k.b.end) for k in links],
                        dtype=np.int64).reshape(-1, 6)
    frags, endpoint = _fragments(ends)
    root = _components(frags, endpoint[: len(ends)], endpoint[len(ends):], min_overlap)
    del endpoint  # two numbers a link (0.24 GB at 100,000 documents), not held under what follows
    # The root of a family is its smallest member, so ordering by root then index
    # gives each family sorted, in the order of its first member.
    kept = np.flatnonzero(_documents_per_root(root, frags[:, 0])[root] >= min_documents)
    order = kept[np.argsort(root[kept], kind="stable")]  # kept ascending: by root, then place
    cuts = np.flatnonzero(np.r_[True, root[order][1:] != root[order][:-1], True]) if len(order) else np.zeros(1, int)
    rows = frags[order]
    return Families(*_merge_per_doc_all(cuts.astype(np.int64), rows[:, 0].copy(), rows[:, 1].copy(),
                                        rows[:, 2].copy()))


@njit(cache=True, nogil=True)
def _merge_per_doc_all(bounds, doc, start, end):
    """:func:`_merge_per_doc` of every family ``bounds[k]:bounds[k + 1]`` (sorted
    fragments): ``(bounds, doc, start, end)`` of the merged families."""
    out_bounds = np.zeros(bounds.shape[0], dtype=np.int64)
    n = 0
    for k in range(bounds.shape[0] - 1):
        for x in range(bounds[k], bounds[k + 1]):
            if n > out_bounds[k] and doc[n - 1] == doc[x] and start[x] < end[n - 1]:
                end[n - 1] = max(end[n - 1], end[x])
            else:
                doc[n], start[n], end[n] = doc[x], start[x], end[x]
                n += 1
        out_bounds[k + 1] = n
    return out_bounds, doc[:n], start[:n], end[:n]


def _documents_per_root(root: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """How many distinct documents the fragments of each root hold (0 for non-roots)."""
    if not len(root):
        return np.zeros(0, dtype=np.int64)
    span = int(doc.max()) + 1
    pairs = sorted_unique(root.astype(np.int64) * span + doc)
    return np.bincount(pairs // span, minlength=len(root))


def _fragments(ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct fragments of the links ``ends`` (int32 rows), sorted, and where
    each link's two ends are among them (``a`` ends, then ``b`` ends).

    The ends are grouped by document first (a counting sort), then each document's
    few are sorted: no key or order array the size of every end of every link, of
    which a 100,000-document scan has tens of millions."""
    ends = np.ascontiguousarray(ends, dtype=np.int32)
    index = np.int32 if 2 * len(ends) < 2**31 else np.int64
    docs = int(max(ends[:, 0].max(initial=-1), ends[:, 3].max(initial=-1))) + 1
    place = np.empty(2 * len(ends), dtype=index)
    counts = np.bincount(ends[:, 0], minlength=docs) + np.bincount(ends[:, 3], minlength=docs)
    ptr = np.zeros(docs + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    most = int(counts.max(initial=0))
    by_doc = np.empty(max(-(-2 * len(ends) // _ROUNDS), most), dtype=index)
    return _fragments_by_doc(ends, ptr, most, by_doc, place), place


#: The ends of the links are grouped by document in this many rounds of documents: the
#: scratch of one round is a part of every end (0.24 GB at 100,000 documents for all).
_ROUNDS = 4


@njit(cache=True, nogil=True)
def _fragments_by_doc(ends, ptr, most, by_doc, place):
    """:func:`_fragments`' rows ``(doc, start, end)``, filling ``place`` (end ``q < n``
    is link ``q``'s ``a`` end). Document ``d`` holds ends ``ptr[d]:ptr[d + 1]`` (at most
    ``most``); they are grouped by document in ``by_doc``, in rounds of documents
    whose ends it holds, each round a pass over every end.

    A document's ends are mostly repeats (a fragment is the end of many links: one
    in eight is new at 10,000 documents), so each is looked up in a small hash table
    of the document's distinct ranges, and only those are sorted."""
    n, docs = ends.shape[0], ptr.shape[0] - 1
    frags = np.empty((max(16, n // 2), 3), dtype=np.int32)
    g, d0 = 0, 0
    while d0 < docs:
        d1 = d0 + 1
        while d1 < docs and ptr[d1 + 1] - ptr[d0] <= by_doc.shape[0]:
            d1 += 1
        fill = ptr[d0:d1] - ptr[d0]
        for q in range(2 * n):
            d = ends[q, 0] if q < n else ends[q - n, 3]
            if d0 <= d < d1:
                by_doc[fill[d - d0]] = q
                fill[d - d0] += 1
        frags, g = _fragments_of(ends, ptr, d0, d1, by_doc, most, frags, g, place)
        d0 = d1
    return frags[:g].copy()


@njit(cache=True, nogil=True)
def _fragments_of(ends, ptr, d0, d1, by_doc, most, frags, g, place):
    """The fragments of documents ``d0 .. d1 - 1``, whose ends ``by_doc`` holds grouped,
    from row ``g`` of ``frags`` (grown as needed); returns ``frags`` and the next row."""
    n = ends.shape[0]
    size = 16
    while size < 2 * most:
        size *= 2
    table = np.full(size, -1, dtype=np.int64)  # slot -> number of a distinct range, in the order met
    distinct, slots = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64)
    local, row = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64)
    for d in range(d0, d1):
        lo, m, u = ptr[d] - ptr[d0], ptr[d + 1] - ptr[d], 0
        for x in range(m):
            q = by_doc[lo + x]
            k, c = (q, 1) if q < n else (q - n, 4)
            key = (np.int64(ends[k, c]) << 32) | np.int64(ends[k, c + 1])
            s = ((key * np.int64(-7046029254386353131)) >> 20) & (size - 1)
            while table[s] >= 0 and distinct[table[s]] != key:
                s = (s + 1) & (size - 1)
            if table[s] < 0:
                table[s], distinct[u], slots[u] = u, key, s
                u += 1
            local[x] = table[s]
        order = np.argsort(distinct[:u])
        frags = _grow(frags, g + u)
        for i in range(u):
            key = distinct[order[i]]
            row[order[i]] = g + i
            frags[g + i, 0], frags[g + i, 1], frags[g + i, 2] = d, key >> 32, key & 0xFFFFFFFF
        for x in range(m):
            place[by_doc[lo + x]] = row[local[x]]
        for i in range(u):  # the slots this document took, emptied for the next
            table[slots[i]] = -1
        g += u
    return frags, g


@njit(cache=True, nogil=True)
def _components(frags, a, b, min_overlap):
    """Union-find over sorted fragments joined by links ``a[k]``-``b[k]`` and by near-identical
    ranges of one document; the root of every fragment."""
    parent = np.arange(frags.shape[0])
    for k in range(a.shape[0]):
        _union(parent, a[k], b[k])
    for x in range(frags.shape[0]):
        for y in range(x + 1, frags.shape[0]):
            if frags[y, 0] != frags[x, 0] or frags[y, 1] >= frags[x, 2]:
                break
            inter = min(frags[x, 2], frags[y, 2]) - max(frags[x, 1], frags[y, 1])
            union = max(frags[x, 2], frags[y, 2]) - min(frags[x, 1], frags[y, 1])
            short = min(frags[x, 2] - frags[x, 1], frags[y, 2] - frags[y, 1])
            long_ = max(frags[x, 2] - frags[x, 1], frags[y, 2] - frags[y, 1])
            if (inter > 0 and inter / union >= min_overlap) or (inter >= 0.9 * short and short >= 0.6 * long_):
                _union(parent, x, y)
    for x in range(parent.shape[0]):
        parent[x] = _find(parent, x)
    return parent


@njit(cache=True, nogil=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, nogil=True)
def _union(parent, x, y):
    rx, ry = _find(parent, x), _find(parent, y)
    if rx != ry:
        parent[max(rx, ry)] = min(rx, ry)


def cluster_reference(links: Iterable[Link], *, min_documents: int = 2, min_overlap: float = 0.8) -> list[list[Fragment]]:
    """:func:`cluster` with a dictionary union-find over ``Fragment`` objects: its oracle."""
    uf = UnionFind()
    by_doc: dict[int, set[Fragment]] = defaultdict(set)
    for link in links:
        uf.union(link.a, link.b)
        by_doc[link.a.doc].add(link.a)
        by_doc[link.b.doc].add(link.b)
    for frags in by_doc.values():
        ordered = sorted(frags)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                if y.start >= x.end:
                    break
                if overlap(x, y) >= min_overlap or _nested(x, y):
                    uf.union(x, y)
    families = []
    for group in uf.groups():
        members = _merge_per_doc(group)
        if len({f.doc for f in members}) >= min_documents:
            families.append(members)
    return families


def _merge_per_doc(group: Sequence[Fragment]) -> list[Fragment]:
    """The family's ranges with overlapping ranges of a document joined.

    A document that repeats the text keeps one fragment per repetition.
    """
    out: list[Fragment] = []
    for f in sorted(group):
        last = out[-1] if out else None
        if last is not None and last.doc == f.doc and f.start < last.end:
            out[-1] = Fragment(f.doc, last.start, max(last.end, f.end))
        else:
            out.append(f)
    return out
