"""The pipeline, stage by stage: ``scan(paths) -> Result``.

ingest → normalize → segment → shingle → sketch → index → candidates → align →
cluster → template → align (documents against templates) → score.
"""

from __future__ import annotations

import os
import time
from typing import Callable, Sequence

import numpy as np

from .align import Vocabulary, align_words
from .align.documents import DocWords, TemplateIndex, align_document
from .candidates import exact_pairs, lsh_pairs, shared_shingle_pairs
from .cluster import Fragment, Link, cluster
from .index import build_index
from .ingest import IngestError, read_text
from .ingest.documents import ingest
from .model import Document, Passage, Result, Skipped, Span, Template
from .normalize import Normalized, normalize
from .score import score
from .segment import segment
from .settings import Settings
from .shingle import Shingles, shingle
from .sketch import sketch
from .template import Corpus, build_templates, user_template

#: ``progress(stage, done, total)``: how far a stage has got. Never required.
Progress = Callable[[str, int, int], None]


class Clock:
    """Times each stage (adding up repeated calls) and reports progress."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    def __call__(self, stage: str, fn: Callable, *args, **kwargs):
        if self.progress:
            self.progress(stage, 0, 1)
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0
        if self.progress:
            self.progress(stage, 1, 1)
        return out

    def ticker(self, stage: str) -> Callable[[int, int], None] | None:
        """A ``(done, total)`` callback for a stage that reports item by item."""
        if not self.progress:
            return None
        progress = self.progress
        return lambda done, total: progress(stage, done, total)


def scan(
    paths: Sequence[str | os.PathLike],
    settings: Settings | None = None,
    *,
    templates: Sequence[str | os.PathLike] = (),
    manifest: str | None = None,
    progress: Progress | None = None,
) -> Result:
    """Find the template text reused in every response under ``paths``.

    Parameters
    ----------
    paths:
        Files and directories (searched recursively for .txt, .md, .html, .htm).
    settings:
        Thresholds and sketch parameters; ``Settings()`` when omitted.
    templates:
        Template files to align against as well as the families discovered.
    manifest:
        CSV with columns ``path,force,date,reference,title``; wins over inference.
    progress:
        Called as stages start and finish.
    """
    clock = Clock(progress)
    given = clock("ingest", read_templates, templates)
    documents, skipped = clock("ingest", ingest, paths, manifest=manifest, progress=clock.ticker("ingest"))
    return run(documents, settings, templates=given, skipped=skipped, clock=clock)


def read_templates(paths: Sequence[str | os.PathLike]) -> list[Template]:
    """Templates from files the user gave; an unreadable one raises ``IngestError``."""
    return [user_template(str(p), read_text(str(p))) for p in paths]


def run(
    documents: Sequence[Document],
    settings: Settings | None = None,
    *,
    templates: Sequence[Template] = (),
    skipped: Sequence[Skipped] = (),
    clock: Clock | None = None,
) -> Result:
    """The pipeline from documents already read."""
    settings = settings or Settings()
    clock = clock or Clock()
    words = clock("normalize", lambda: [normalize(d.text) for d in documents])
    passages = clock("segment", lambda: [segment(d) for d in documents])
    layout = Layout(documents, words, passages)
    shingles = clock("shingle", shingle, layout.passage_words(), settings.shingle_size)
    signatures = clock("sketch", sketch, shingles, settings.num_perm, settings.seed)
    long_rows = layout.rows(min_words=settings.min_words)
    lsh = clock("index", build_index, signatures[long_rows], long_rows,
                threshold=settings.lsh_threshold, seed=settings.seed)
    pairs = clock("candidates", candidates, lsh, signatures, shingles, layout, settings)
    links = clock("align", align_pairs, pairs, layout, settings)
    families = clock("cluster", cluster, links, min_documents=settings.min_documents)
    corpus = Corpus(documents, words, layout.word_roles())
    found = clock("template", build_templates, families, corpus)
    all_templates = sorted([*found, *templates], key=lambda t: t.id)
    spans = clock("align", align_documents, layout, shingles, all_templates, settings,
                  progress=clock.ticker("align"))
    scores = clock("score", score, documents, spans, all_templates)
    flat = tuple(p for ps in passages for p in ps)
    return Result(settings, tuple(documents), flat, tuple(spans), tuple(all_templates),
                  tuple(scores), tuple(skipped), dict(clock.timings))


class Layout:
    """Where every passage lies: its document, its word range, its word ids.

    Passages are numbered across the whole corpus (document order, then text
    order); ``doc_of[i]``/``local[i]`` say which document and which of its
    passages number ``i`` is.
    """

    def __init__(self, documents: Sequence[Document], words: Sequence[Normalized],
                 passages: Sequence[Sequence[Passage]]) -> None:
        self.documents, self.words, self.passages = documents, words, passages
        vocab = Vocabulary()
        self.vocab = vocab
        self.ids = [tuple(vocab.ids(w.words)) for w in words]
        self.ranges: list[tuple[tuple[int, int], ...]] = []
        self.doc_of: list[int] = []
        self.local: list[int] = []
        for d, (w, ps) in enumerate(zip(words, passages)):
            ranges = tuple(_word_range(w, p) for p in ps)
            self.ranges.append(ranges)
            self.doc_of.extend([d] * len(ps))
            self.local.extend(range(len(ps)))

    def word_range(self, i: int) -> tuple[int, int]:
        return self.ranges[self.doc_of[i]][self.local[i]]

    def passage_words(self) -> list[tuple[str, ...]]:
        """Comparison words of every passage, in passage-number order."""
        out = []
        for i in range(len(self.doc_of)):
            lo, hi = self.word_range(i)
            out.append(self.words[self.doc_of[i]].words[lo:hi])
        return out

    def rows(self, *, min_words: int = 0, max_words: int | None = None) -> list[int]:
        """Passage numbers whose word count lies in ``[min_words, max_words)``."""
        out = []
        for i in range(len(self.doc_of)):
            lo, hi = self.word_range(i)
            if hi - lo >= min_words and (max_words is None or hi - lo < max_words):
                out.append(i)
        return out

    def window(self, i: int) -> tuple[int, int]:
        """Word range of passage ``i`` and its neighbours in the same document."""
        d, k = self.doc_of[i], self.local[i]
        ranges = self.ranges[d]
        return ranges[max(k - 1, 0)][0], ranges[min(k + 1, len(ranges) - 1)][1]

    def word_roles(self) -> list[list[str]]:
        """Each document's role per word."""
        out = []
        for w, ps, ranges in zip(self.words, self.passages, self.ranges):
            roles = ["answer"] * len(w)
            for p, (lo, hi) in zip(ps, ranges):
                roles[lo:hi] = [p.role] * (hi - lo)
            out.append(roles)
        return out

    def doc_words(self, d: int, shingles: Shingles) -> DocWords:
        """Document ``d`` ready to align against templates."""
        first = self.doc_of.index(d) if self.passages[d] else 0
        n = len(self.passages[d])
        return DocWords(self.documents[d].id, self.words[d], self.ids[d], self.ranges[d],
                        tuple(p.role for p in self.passages[d]),
                        tuple(shingles.of(first + k) for k in range(n)))


def _word_range(words: Normalized, p: Passage) -> tuple[int, int]:
    lo = int(np.searchsorted(words.starts, p.start, "left"))
    hi = int(np.searchsorted(words.starts, p.end, "left"))
    return lo, hi


def candidates(lsh, signatures, shingles: Shingles, layout: Layout, settings: Settings) -> list[tuple[int, int]]:
    """Passage pairs worth aligning: near-duplicates, shared clauses, identical short passages."""
    docs = layout.doc_of
    long_rows = layout.rows(min_words=settings.min_words)
    found = lsh_pairs(lsh, signatures, docs, seed=settings.seed, rows=long_rows)
    found |= shared_shingle_pairs(shingles, docs, min_shared=settings.min_shared_shingles,
                                  rows=layout.rows(min_words=settings.shingle_size))
    texts = [" ".join(w) for w in layout.passage_words()]
    found |= exact_pairs(texts, docs, layout.rows(min_words=2, max_words=settings.shingle_size))
    return sorted(found)


def align_pairs(pairs: Sequence[tuple[int, int]], layout: Layout, settings: Settings) -> list[Link]:
    """Shared stretches of every candidate pair (with their neighbouring passages), as links."""
    links = []
    ids = [d.id for d in layout.documents]
    for i, j in pairs:
        if ids[layout.doc_of[i]] > ids[layout.doc_of[j]]:
            i, j = j, i  # orient by document id, so reading order cannot change a result
        di, dj = layout.doc_of[i], layout.doc_of[j]
        (ai, bi), (aj, bj) = layout.word_range(i), layout.word_range(j)
        if bi - ai < settings.shingle_size:  # short passages pair only when identical
            links.append(Link(Fragment(di, ai, bi), Fragment(dj, aj, bj), 1.0))
            continue
        (li, hi_i), (lj, hi_j) = layout.window(i), layout.window(j)
        for m in align_words(layout.ids[di][li:hi_i], layout.ids[dj][lj:hi_j],
                             min_words=settings.min_words, min_similarity=settings.min_similarity,
                             max_gap=settings.max_gap, seed_size=settings.seed_size):
            links.append(Link(Fragment(di, li + m.a_start, li + m.a_end),
                              Fragment(dj, lj + m.b_start, lj + m.b_end), m.similarity))
    return links


def align_documents(layout: Layout, shingles: Shingles, templates: Sequence[Template], settings: Settings,
                    progress: Callable[[int, int], None] | None = None) -> list[Span]:
    """Reused spans of every document against every template."""
    index = TemplateIndex(templates, layout.vocab, settings.shingle_size)
    spans: list[Span] = []
    for d in range(len(layout.documents)):
        spans.extend(align_document(layout.doc_words(d, shingles), index, settings))
        if progress:
            progress(d + 1, len(layout.documents))
    return spans


__all__ = ["scan", "run", "read_templates", "Clock", "IngestError", "Normalized"]
