"""align, over the corpus: candidate pairs → links, and documents → spans.

``layout`` is a :class:`nccd.layout.Layout`: where each passage lies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import numpy as np

from ..cluster import Fragment, Link, LinkTable
from ..model import Span, Template
from ..normalize import Normalized
from ..parallel import chunked
from ..settings import Settings
from ..shingle import Shingles
from ..spantable import SpanTable
from . import Match, align_words, clip
from .documents import TemplateIndex, align_document, align_document_rows
from .links import pair_links

if TYPE_CHECKING:
    from ..layout import DocumentShingles


def align_pairs(pairs: Sequence[tuple[int, int]], layout, settings: Settings, *,
                jobs: int | None = 1, similarity: bool = True) -> LinkTable:
    """Shared stretches of every candidate pair (with their neighbouring passages), as links.

    Without ``similarity`` the links keep only their ends (what :func:`nccd.cluster.cluster`
    reads): 8 bytes a link less, tens of millions of links in a large scan."""
    flat = layout.flat()
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    state = (pairs, flat, settings, similarity)
    _links_of((pairs[:0], *state[1:]), 0, 0)  # compile (or load) the kernel before any worker forks
    parts = chunked(_links_of, state, len(pairs), jobs=jobs, min_chunk=2048)
    columns = (np.zeros((0, 6), dtype=np.int32), np.zeros(0))
    table = joined(parts, columns if similarity else columns[:1])
    return LinkTable(table[0], table[1] if similarity else None)


def joined(parts: list[tuple[np.ndarray, ...]], empty: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Each column of the parts (``(a, b, ...)`` tuples of arrays, shaped as ``empty``)
    joined, the parts let go one by one as they are copied (``parts`` is emptied):
    never all of them twice."""
    sizes = [len(p[0]) for p in parts]
    out = tuple(np.empty((sum(sizes), *e.shape[1:]), dtype=e.dtype) for e in empty)
    at = sum(sizes)
    while parts:  # from the last, so popping is cheap
        part, n = parts.pop(), sizes.pop()
        at -= n
        for column, values in zip(out, part):
            column[at:at + n] = values
    return out


def _links_of(state, lo: int, hi: int) -> list[tuple[np.ndarray, ...]]:
    pairs, f, settings, keep_similarity = state
    ends, similarity = pair_links(pairs[lo:hi, 0], pairs[lo:hi, 1], f.doc_of, f.doc_rank, f.first, f.p_lo, f.p_hi,
                                  f.b_ptr, f.bounds, f.ids, f.id_ptr, settings.min_words, settings.link_similarity,
                                  settings.max_gap, settings.seed_size, settings.shingle_size)
    # Document numbers and word offsets fit 32 bits: millions of links, half the memory
    # (and half the bytes a worker sends back).
    return [(ends.astype(np.int32), similarity) if keep_similarity else (ends.astype(np.int32),)]


Row = tuple[int, int, int, int, int, int, float]


def align_pairs_reference(pairs: Sequence[tuple[int, int]], layout, settings: Settings) -> list[Link]:
    """:func:`align_pairs` in plain Python, one pair at a time: the compiled path's oracle."""
    rows = _align_pairs((pairs, layout, settings), 0, len(pairs))
    return [Link(Fragment(r[0], r[1], r[2]), Fragment(r[3], r[4], r[5]), r[6]) for r in rows]


def _align_pairs(state, lo: int, hi: int) -> list[Row]:
    pairs, layout, settings = state
    links = []
    ids = [d.id for d in layout.documents]
    for i, j in pairs[lo:hi]:
        if ids[layout.doc_of[i]] > ids[layout.doc_of[j]]:
            i, j = j, i  # orient by document id, so reading order cannot change a result
        di, dj = layout.doc_of[i], layout.doc_of[j]
        (ai, bi), (aj, bj) = layout.word_range(i), layout.word_range(j)
        if bi - ai < settings.min_words and layout.same_words(i, j):  # identical short passages
            links.append((di, ai, bi, dj, aj, bj, 1.0))
            continue
        if bi - ai < settings.shingle_size:
            continue
        (li, hi_i), (lj, hi_j) = layout.window(i), layout.window(j)
        for m in align_words(layout.ids[di][li:hi_i], layout.ids[dj][lj:hi_j],
                             min_words=settings.min_words, min_similarity=settings.link_similarity,
                             max_gap=settings.max_gap, seed_size=settings.seed_size):
            links.extend(_paragraph_links(layout, di, dj, _moved(m, li, lj), settings))
    return links


def _moved(m: Match, da: int, db: int) -> Match:
    blocks = tuple((pa + da, pb + db, n) for pa, pb, n in m.blocks)
    return Match(m.a_start + da, m.a_end + da, m.b_start + db, m.b_end + db, m.matched, m.similarity, blocks)


def _paragraph_links(layout, di: int, dj: int, m: Match, settings: Settings) -> list[Row]:
    """A match cut at the paragraph breaks of ``di``: each paragraph copied as a whole
    links to its counterpart whole, so every copy has the same extent whatever the
    edits at its edges; a partly copied paragraph links the stretch copied."""
    out = []
    for lo, hi in layout.passage_ranges(di):
        if hi <= m.a_start or lo >= m.a_end:
            continue
        piece = clip(m, lo, hi)
        if piece is None:
            continue
        b = (piece.b_start, piece.b_end)
        target = layout.passage_under(dj, *b)
        if _mostly((piece.a_start, piece.a_end), (lo, hi)) and _mostly(b, target):
            out.append((di, lo, hi, dj, *target, piece.similarity))
        elif piece.matched >= settings.min_words:
            fa = layout.snap(di, piece.a_start, piece.a_end, settings.max_gap)
            fb = layout.snap(dj, piece.b_start, piece.b_end, settings.max_gap)
            out.append((di, fa.start, fa.end, dj, fb.start, fb.end, piece.similarity))
    return out


def _mostly(match: tuple[int, int], passage: tuple[int, int], share: float = 0.6) -> bool:
    """Whether a match covers most of a passage's words."""
    inside = min(match[1], passage[1]) - max(match[0], passage[0])
    return inside >= share * (passage[1] - passage[0])


def align_documents(layout, shingles: Shingles | DocumentShingles, templates: Sequence[Template], settings: Settings,
                    progress: Callable[[int, int], None] | None = None, *, jobs: int | None = 1) -> list[Span]:
    """Reused spans of every document against every template."""
    return list(align_documents_packed(layout, shingles, templates, settings, progress, jobs=jobs))


def align_documents_packed(layout, shingles: Shingles | DocumentShingles, templates: Sequence[Template],
                           settings: Settings,
                           progress: Callable[[int, int], None] | None = None, *, jobs: int | None = 1,
                           wordings: Mapping[str, Normalized] | None = None) -> SpanTable:
    """:func:`align_documents`, the spans as a :class:`nccd.spantable.SpanTable` (arrays the
    workers send back, a tenth of the memory of the span objects); ``wordings`` as
    :class:`nccd.align.targets.TemplateIndex` takes them."""
    index = TemplateIndex(templates, layout.vocab, settings.shingle_size, settings.max_postings, wordings,
                          exact_below=settings.min_words)
    if layout.documents:  # load the compiled kernels before any worker forks
        align_document(layout.doc_words(0, shingles), index, settings)
    parts = chunked(_align_documents, (layout, shingles, index, settings), len(layout.documents),
                    jobs=jobs, progress=progress)
    names = tuple(index.template_names)
    del index  # before the parts are joined: the peak of a scan is here
    rows, similarity = joined(parts, (np.zeros((0, 8), dtype=np.int32), np.zeros(0)))
    return SpanTable(rows, similarity, tuple(d.id for d in layout.documents), names)


def _align_documents(state, lo: int, hi: int) -> list[tuple[np.ndarray, np.ndarray]]:
    layout, shingles, index, settings = state
    rows, similarity = [np.zeros((0, 8), dtype=np.int32)], []
    for d in range(lo, hi):
        found, sims = align_document_rows(layout.doc_words(d, shingles), index, settings)
        target = found[:, 2]
        # Character offsets and numbers of documents, templates and wordings fit 32 bits.
        rows.append(np.column_stack([np.full(len(found), d), found[:, :2], index.template_of[target], found[:, 3:6],
                                     index.variant[target]]).astype(np.int32))
        similarity.extend(sims)
    return [(np.concatenate(rows), np.array(similarity, dtype=np.float64))]
