"""candidates: passage pairs, across documents, worth aligning.

Three sources, each for what the others miss:
- near-duplicate passages, from the LSH buckets (:class:`nccd.index.BandIndex`);
- passages sharing a few exact shingles though their Jaccard similarity is low,
  which is how a clause of the national text shows up inside a force's own
  sentence;
- short passages (headings, one-liners) whose shingle sets are too small to
  sketch: these pair only when their comparison text is identical, so they
  never collapse into one family because their sets are tiny.

Boilerplate makes buckets huge, and walking a bucket pair by pair grows with the
square of the corpus. A group larger than a small bound is paired through
``hubs``: each member with the few members that rank first by a stable hash of
their place. The same passages rank first in every bucket a copied text falls
into, so its copies still join, through them, in linear work. Pairs are kept as
``(n, 2)`` arrays of passage numbers, ``i < j``, sorted.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Mapping, Sequence

import numpy as np
from numba import njit

from .codeset import CodeSet
from .index import BandIndex
from .parallel import threaded, threaded_blocks
from .partners import insert_partner, limit_kept, limit_partners, partner_order  # noqa: F401 (re-exported)
from .postings import build_postings, find
from .settings import Settings
from .shingle import Shingles, fmix64
from .sortedarrays import merge_unique, sorted_unique, stable_groups


def lsh_pairs(index: BandIndex, docs: Sequence[int], *, rank: np.ndarray, clique: int = 8,
              hubs: int = 2, jobs: int | None = 1) -> np.ndarray:
    """:func:`lsh_codes` as ``(n, 2)`` pairs."""
    return _decode(lsh_codes(index, docs, rank=rank, clique=clique, hubs=hubs, jobs=jobs), len(docs))


def lsh_codes(index: BandIndex, docs: Sequence[int], *, rank: np.ndarray, clique: int = 8,
              hubs: int = 2, jobs: int | None = 1) -> np.ndarray:
    """Codes ``i * n + j`` (``i < j``, sorted; ``n`` passages) of the pairs of indexed
    passages from different documents sharing an LSH bucket (in a bucket of more than
    ``clique`` members: each member and the ``hubs`` first).
    The bands are grouped on ``jobs`` threads; the pairs do not depend on it.

    Each band's pairs are merged into the distinct pairs found so far (one
    :class:`nccd.codeset.CodeSet`) as it is grouped: boilerplate gives every band
    the same pairs through its hubs, and the pairs of all bands held at once were
    the largest thing a 100,000-document scan held."""
    doc = _doc_codes(docs)
    by_rank = np.argsort(rank[index.keys], kind="stable")
    found = CodeSet()

    def bands(lo: int, hi: int) -> None:
        for band in range(lo, hi):  # numpy's sort and the compiled grouping let the GIL go
            # By bucket, then rank: one stable sort of keys already in rank order
            # (what ``np.lexsort((ranks, codes))`` gives, in a fraction of its time).
            local, starts = stable_groups(index.band_keys[by_rank, band])
            order = by_rank[local]
            found.add(sorted_unique(_group_pairs(index.keys[order], starts.astype(np.int64), doc, clique, hubs)))

    threaded(bands, index.bands, jobs=jobs)
    return found.array()


def shared_shingle_pairs(shingles: Shingles, docs: Sequence[int], *, min_shared: int, rows: Sequence[int],
                         max_postings: int = 64, rank: np.ndarray | None = None, hubs: int = 2,
                         limit: int = 0, jobs: int | None = 1) -> np.ndarray:
    """:func:`shared_shingle_codes` as ``(n, 2)`` pairs."""
    return _decode(shared_shingle_codes(shingles, docs, min_shared=min_shared, rows=rows, max_postings=max_postings,
                                        rank=rank, hubs=hubs, limit=limit, jobs=jobs), len(docs))


def shared_shingle_codes(shingles: Shingles, docs: Sequence[int], *, min_shared: int, rows: Sequence[int],
                         max_postings: int = 64, rank: np.ndarray | None = None, hubs: int = 2,
                         limit: int = 0, jobs: int | None = 1, found: CodeSet | None = None) -> np.ndarray:
    """Codes ``i * n + j`` (``i < j``, sorted; ``n`` passages) of the pairs of passages
    from different documents sharing ``min_shared`` or more distinct shingles; a shingle
    held by more than ``max_postings`` passages pairs each holder with the ``hubs``
    holders that rank first. Counted on ``jobs`` threads.

    With ``limit``, only the pairs among the ``limit`` first of either passage's
    (as :func:`limit_partners` ranks them): limiting them with any other pairs then
    gives what limiting all of them would, and the many others are never built.

    With ``found``, the codes are merged into it, and the union is returned."""
    if not 0 <= min_shared < 2**16:
        raise ValueError(f"min_shared={min_shared} is outside 0..65535 (2 is usual)")
    doc = _doc_codes(docs)
    rows = np.asarray(rows, dtype=np.int64)
    found = CodeSet() if found is None else found
    if not len(rows):
        return found.array()
    rank = np.arange(len(doc), dtype=np.uint64) if rank is None else np.asarray(rank, dtype=np.uint64)
    post = build_postings(shingles.hashes, shingles.indptr, rows, np.argsort(rank, kind="stable"), min_holders=2,
                          jobs=jobs)
    held = np.zeros(len(doc), dtype=np.bool_)
    held[rows] = True

    def count(lo: int, hi: int) -> None:
        codes = _shared_counts(shingles.hashes, shingles.indptr, held, post.hashes, post.directory, post.shift,
                               post.starts, post.members, doc, max_postings, hubs, min_shared, rank, limit, lo, hi)
        if limit:  # each part distinct before they meet, sorted in place
            codes.sort()
            codes = codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes
        found.add(codes)

    # A block of passages a call, merged in as it is counted: a thread's half of the corpus
    # at once held its codes twice over (0.6 GB on two threads at 100,000 documents).
    threaded_blocks(count, len(doc), max(-(-len(doc) // _SHARED_BLOCKS), 1), jobs=jobs)
    return found.array()


#: The shared clauses are counted in this many calls (each zeroes a count per passage of the corpus).
_SHARED_BLOCKS = 16


@njit(cache=True, nogil=True)
def _shared_counts(hashes, indptr, held, table, directory, shift, starts, members, docs, clique, hubs, min_shared,
                   rank, limit, first, last):
    """Pair codes ``i * n + j`` (``i < j``) of the pairs :func:`_group_pairs` makes of
    the groups (the postings ``table``, ``starts``, ``members``) at least
    ``min_shared`` times, for the passages ``first <= i < last`` that are ``held``,
    sorted. Each passage finds its groups by looking its distinct shingles up, and
    counts its partners in them in a dense row instead of sorting every code:
    boilerplate shingles make tens of millions of them. With ``limit``: each
    passage's ``limit`` first partners, by :func:`nccd.partners.partner_order`, among
    all its partners (codes then unsorted, repeated)."""
    n = docs.shape[0]
    # Two bytes a passage, saturating (only ``count >= min_shared`` is asked, and
    # min_shared < 2**16): partners fall anywhere in the corpus, and a quarter of the
    # cache lines of int64. The partners touched, grown as a passage needs.
    count = np.zeros(n, dtype=np.uint16)
    touched = np.empty(1024, dtype=np.int32)
    size = 1024
    if limit > 0:  # each passage gives at most ``limit`` codes: no array grown by doubling
        size = 0
        for i in range(first, last):
            size += limit if held[i] else 0
    out = np.empty(size, dtype=np.int64)
    best = np.empty(max(limit, 1), dtype=np.int64)
    best_hashes = np.empty(max(limit, 1), dtype=np.uint64)
    k = 0
    for i in range(first, last):
        if not held[i]:
            continue
        nt = 0
        di = docs[i]
        above = -1 if limit > 0 else i  # without a limit, each pair is counted from its first passage
        own = np.sort(hashes[indptr[i]:indptr[i + 1]])
        for q in range(own.shape[0]):
            if q > 0 and own[q] == own[q - 1]:
                continue
            g = find(table, directory, shift, np.int64(own[q]))
            if g < 0:
                continue  # held by this passage alone
            lo, hi = starts[g], starts[g + 1]
            # a big group pairs each member with its first `hubs` only (and those with all)
            top = hi
            if hi - lo > clique:
                top = min(lo + hubs, hi)
                for y in range(lo, top):
                    if members[y] == i:
                        top = hi
                        break
            if nt + (top - lo) > touched.shape[0]:
                grown = np.empty(2 * (nt + (top - lo)), dtype=np.int32)
                grown[:nt] = touched[:nt]
                touched = grown
            for y in range(lo, top):
                j = members[y]
                if j > above and j != i and docs[j] != di:
                    if count[j] == 0:
                        touched[nt] = j
                        nt += 1
                    if count[j] < 65535:
                        count[j] += 1
        m = 0
        if limit == 0:  # partners ranked by insertion need no sort: the first ``limit`` come out the same
            touched[:nt].sort()
        for t in range(nt):
            j = touched[t]
            if count[j] >= min_shared:
                if limit == 0:
                    out = _append(out, k, i * n + j)
                    k += 1
                else:
                    m = insert_partner(rank, i, best, best_hashes, m, limit, j)
            count[j] = 0
        for y in range(m):  # only with a limit, which sized ``out``
            out[k] = min(i, best[y]) * n + max(i, best[y])
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def _append(out, at, value):
    if at == out.shape[0]:
        grown = np.empty(2 * at, dtype=np.int64)
        grown[:at] = out
        out = grown
    out[at] = value
    return out


@njit(cache=True, nogil=True)
def _group_pairs(members, starts, docs, clique, hubs):
    """Pair codes ``i * n + j`` (``i < j``, different documents) of every group
    ``members[starts[g]:starts[g + 1]]``: all pairs when the group has at most
    ``clique`` members, else each member with the ``hubs`` first."""
    n = docs.shape[0]
    total = 0
    for g in range(starts.shape[0] - 1):
        s = starts[g + 1] - starts[g]
        total += s * (s - 1) // 2 if s <= clique else hubs * s
    out = np.empty(total, dtype=np.int64)
    k = 0
    for g in range(starts.shape[0] - 1):
        lo, hi = starts[g], starts[g + 1]
        top = hi if hi - lo <= clique else min(hi, lo + hubs)
        for x in range(lo, top):
            for y in range(x + 1, hi):
                i, j = members[x], members[y]
                if docs[i] != docs[j]:
                    out[k] = min(i, j) * n + max(i, j)
                    k += 1
    return out[:k]


def _doc_codes(docs: Sequence) -> np.ndarray:
    """Documents as small integers (any labels: numbers or ids)."""
    if len(docs) and isinstance(docs[0], (int, np.integer)):
        return np.asarray(docs, dtype=np.int64)
    return np.unique(np.asarray(docs, dtype=object).astype(str), return_inverse=True)[1].astype(np.int64)


def _decode(codes: np.ndarray, n: int, *, in_place: bool = False) -> np.ndarray:
    """Codes ``i * n + j`` as ``(m, 2)`` pairs, written straight into the pairs array:
    the quotients and remainders as arrays of their own, stacked, were three more
    copies of the corpus's pairs. ``in_place``: into the codes' own buffer, grown (the
    caller lets the codes go), when the array owns it."""
    if in_place and codes.flags.owndata and codes.dtype == np.int64 and len(codes):
        m = len(codes)
        codes.resize(2 * m, refcheck=False)
        _decode_back(codes, m, max(n, 1))
        return codes.reshape(m, 2)
    out = np.empty((len(codes), 2), dtype=np.int64)
    np.floor_divide(codes, max(n, 1), out=out[:, 0])
    np.remainder(codes, max(n, 1), out=out[:, 1])
    return out


@njit(cache=True, nogil=True)
def _decode_back(buf, m, n):
    """Code ``k`` of ``buf[:m]`` as the pair at ``buf[2k:2k + 2]``, from the last (each
    write lands at or past the code it replaces, on codes already read)."""
    for k in range(m - 1, -1, -1):
        c = buf[k]
        buf[2 * k], buf[2 * k + 1] = c // n, c % n


def passage_ranks(doc_ids: Sequence[str], local: Sequence[int], doc_of: Sequence[int]) -> np.ndarray:
    """A stable pseudo-random rank per passage from its document id and place, so no
    choice made with it depends on reading order."""
    base = np.array([int.from_bytes(hashlib.blake2b(d.encode(), digest_size=8).digest(), "little")
                     for d in doc_ids], dtype=np.uint64)
    with np.errstate(over="ignore"):
        return fmix64(base[np.asarray(doc_of, dtype=np.int64)] + np.asarray(local, dtype=np.uint64))


def exact_pairs(texts: Sequence | Mapping[int, object], docs: Sequence[int], rows: Sequence[int], *,
                star: bool = False) -> np.ndarray:
    """Pairs of the given passages from different documents with identical
    comparison text (empty texts never pair). ``texts`` may be any keys that are
    equal exactly when the texts are (the word ids' bytes, say).

    With ``star``, each passage pairs only with the first after it (in ``rows``
    order) of its group from another document: identical texts need no more links
    to form one family.
    """
    rows = [i for i in rows if texts[i]]
    if star:
        return _decode(_star_codes([texts[i] for i in rows], _doc_codes(docs), np.asarray(rows, dtype=np.int64)),
                       len(docs))
    groups: dict = defaultdict(list)
    for i in rows:
        groups[texts[i]].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if docs[i] != docs[j]:
                    pairs.add((min(i, j), max(i, j)))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def _star_codes(keys: Sequence, docs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`exact_pairs` with ``star``, as sorted codes ``i * n + j``, by arrays: members
    of a group in ``rows`` order come in runs of one document; each pairs with the first
    of the next run. ``keys[k]`` is the text of passage ``rows[k]`` (none empty)."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    number: dict = {}
    group = np.fromiter((number.setdefault(k, len(number)) for k in keys), dtype=np.int64, count=len(keys))
    order = np.argsort(group, kind="stable")
    g, r = group[order], rows[order]
    d = docs[r]
    ends = np.flatnonzero(np.r_[(g[1:] != g[:-1]) | (d[1:] != d[:-1]), True]) + 1  # each run's end
    nxt = np.repeat(ends, np.diff(np.r_[0, ends]))  # per member: where the next run starts
    ok = nxt < len(g)
    ok[ok] = g[nxt[ok]] == g[ok]
    i, j = r[ok], r[nxt[ok]]
    return sorted_unique(np.minimum(i, j) * max(len(docs), 1) + np.maximum(i, j))


def candidate_pairs(index: BandIndex, shingles: Shingles, layout, settings: Settings, *,
                    jobs: int | None = 1) -> np.ndarray:
    """Passage pairs worth aligning, as ``(n, 2)`` passage numbers ``i < j``, sorted:
    near-duplicates, shared clauses, identical short passages. ``jobs`` threads count
    the shared clauses; the pairs do not depend on it."""
    return candidates_from(near_duplicates(index, layout, settings, jobs=jobs), shingles, layout, settings, jobs=jobs)


def near_duplicates(index: BandIndex, layout, settings: Settings, *, jobs: int | None = 1) -> CodeSet:
    """The first part of :func:`candidate_pairs`: the LSH pairs, as codes ``i * n + j``
    in a :class:`nccd.codeset.CodeSet`, which :func:`candidates_from` adds the rest to.
    The index is not needed after it (the pipeline lets its band keys go)."""
    rank = passage_ranks([d.id for d in layout.documents], layout.local, layout.doc_of)
    return CodeSet.taking(lsh_codes(index, layout.doc_of, rank=rank, clique=settings.max_partners, jobs=jobs))


def candidates_from(found: CodeSet, shingles: Shingles, layout, settings: Settings, *,
                    jobs: int | None = 1) -> np.ndarray:
    """The rest of :func:`candidate_pairs`, given the codes :func:`near_duplicates` found
    (added to, and taken: a caller holding the set holds no codes after)."""
    docs = layout.doc_of
    rank = passage_ranks([d.id for d in layout.documents], layout.local, docs)
    # As codes ``i * n + j`` to the end: half the memory of pairs, and merged without sorting
    # again; the shared clauses into the near-duplicates' own buffer (the two were held side
    # by side under the stage's peak).
    found = shared_shingle_codes(
        shingles, docs, min_shared=settings.min_shared_shingles, rows=layout.rows(min_words=settings.shingle_size),
        max_postings=settings.max_postings, rank=rank, limit=settings.max_partners, jobs=jobs, found=found)
    found = found[limit_kept(found, rank, settings.max_partners, jobs=jobs)]
    rows = layout.rows(min_words=2, max_words=settings.min_words)
    # A passage's words by their ids' bytes: equal exactly when the texts are (one vocabulary).
    flat = layout.flat()
    ids = memoryview(np.ascontiguousarray(flat.ids)).cast("B")  # no copy of the corpus's ids
    size = flat.ids.itemsize
    first = (flat.id_ptr[docs[rows]] + layout.p_lo[rows]) * size
    last = (flat.id_ptr[docs[rows]] + layout.p_hi[rows]) * size
    keys = [ids[a:b].tobytes() for a, b in zip(first.tolist(), last.tolist())]
    # the merged codes are this call's own: the pairs are written over them
    return _decode(merge_unique(found, _star_codes(keys, docs, rows)), len(docs), in_place=True)
