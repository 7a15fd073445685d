"""align, over the corpus: candidate pairs → links, and documents → spans.

``layout`` is a :class:`nccd.layout.Layout`: where each passage lies.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..cluster import Fragment, Link
from ..model import Span, Template
from ..settings import Settings
from ..shingle import Shingles
from . import align_words
from .documents import TemplateIndex, align_document


def align_pairs(pairs: Sequence[tuple[int, int]], layout, settings: Settings) -> list[Link]:
    """Shared stretches of every candidate pair (with their neighbouring passages), as links."""
    links = []
    ids = [d.id for d in layout.documents]
    for i, j in pairs:
        if ids[layout.doc_of[i]] > ids[layout.doc_of[j]]:
            i, j = j, i  # orient by document id, so reading order cannot change a result
        di, dj = layout.doc_of[i], layout.doc_of[j]
        (ai, bi), (aj, bj) = layout.word_range(i), layout.word_range(j)
        if bi - ai < settings.min_words and layout.same_words(i, j):  # identical short passages
            links.append(Link(Fragment(di, ai, bi), Fragment(dj, aj, bj), 1.0))
            continue
        if bi - ai < settings.shingle_size:
            continue
        (li, hi_i), (lj, hi_j) = layout.window(i), layout.window(j)
        for m in align_words(layout.ids[di][li:hi_i], layout.ids[dj][lj:hi_j],
                             min_words=settings.min_words, min_similarity=settings.link_similarity,
                             max_gap=settings.max_gap, seed_size=settings.seed_size):
            links.append(Link(layout.snap(di, li + m.a_start, li + m.a_end, settings.max_gap),
                              layout.snap(dj, lj + m.b_start, lj + m.b_end, settings.max_gap), m.similarity))
    return links


def align_documents(layout, shingles: Shingles, templates: Sequence[Template], settings: Settings,
                    progress: Callable[[int, int], None] | None = None) -> list[Span]:
    """Reused spans of every document against every template."""
    index = TemplateIndex(templates, layout.vocab, settings.shingle_size)
    spans: list[Span] = []
    for d in range(len(layout.documents)):
        spans.extend(align_document(layout.doc_words(d, shingles), index, settings))
        if progress:
            progress(d + 1, len(layout.documents))
    return spans
