"""The pipeline, stage by stage: ``scan(paths) -> Result``.

ingest → normalize → segment → shingle → sketch → index → candidates → align →
cluster → template → align (documents against templates) → score.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from .align import Vocabulary
from .align.corpus import align_documents_packed, align_pairs
from .align.keys import passage_keys
from .candidates import candidates_from, near_duplicates
from .cluster import cluster
from .corpuswords import CorpusWords
from .index import BandIndex, build_index
from .ingest import read_text
from .ingest.documents import ingest
from .layout import Layout
from .memory import release_freed
from .model import Document, Result, Skipped, Template
from .normalize import Normalized, normalize
from .offsets import Offsets
from .parallel import check_jobs, chunked
from .score import score
from .segment import PassageTable, segment_table
from .settings import Settings
from .shingle import Shingles
from .sketch import sketch
from .template import Corpus, build_templates, user_template

#: Passages sketched at a time when their signatures are not kept (32 MB of them).
_BLOCK = 1 << 16

#: ``progress(stage, done, total)``: how far a stage has got. Never required.
Progress = Callable[[str, int, int], None]


class Clock:
    """Times each stage (adding up repeated calls), reports progress, and hands the
    memory each stage freed back to the system (:mod:`nccd.memory`)."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    def __call__(self, stage: str, fn: Callable, *args, **kwargs):
        if self.progress:
            self.progress(stage, 0, 1)
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0
        release_freed()  # what the stage let go is not held under the next one's peak
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
    max_bytes: int | None = None,
    strict: bool = False,
    stdin: bytes | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Result:
    """Find the template text reused in every response under ``paths``.

    Parameters
    ----------
    paths:
        Files and directories (searched recursively for every format ``nccd.ingest`` reads); ``-`` reads ``stdin``.
    settings:
        Thresholds and sketch parameters; ``Settings()`` when omitted.
    templates:
        Template files to align against as well as the families discovered.
    manifest:
        CSV with columns ``path,force,date,reference,title``; wins over inference.
    max_bytes:
        Larger files are skipped (default 50 MB).
    strict:
        Raise ``IngestError`` at the first unreadable input instead of skipping it.
    stdin:
        What a path ``-`` reads: JSONL records, or paths one per line.
    progress:
        Called as stages start and finish.
    jobs:
        Worker processes for the per-document stages; ``None`` or 0: every core.
        The result does not depend on it.
    """
    with _no_gc_pauses():
        return _scan(paths, settings, templates, manifest, max_bytes, strict, stdin, Clock(progress), jobs)


def _scan(paths, settings, templates, manifest, max_bytes, strict, stdin, clock, jobs) -> Result:
    given = clock("ingest", read_templates, templates)
    documents, skipped = clock("ingest", ingest, paths, manifest=manifest, max_bytes=max_bytes, strict=strict,
                               stdin=stdin, progress=clock.ticker("ingest"), jobs=jobs)
    return run(documents, settings, templates=given, skipped=skipped, clock=clock, jobs=jobs)


def read_templates(paths: Sequence[str | os.PathLike]) -> list[Template]:
    """Templates from files the user gave; an unreadable one raises ``IngestError``."""
    return [user_template(str(p), read_text(str(p))) for p in paths]


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector for a run: the pipeline builds millions of
    small objects and no cycles, and each automatic collection walks every live
    object (at 10,000 documents those walks took a tenth of the run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(
    documents: Sequence[Document],
    settings: Settings | None = None,
    *,
    templates: Sequence[Template] = (),
    skipped: Sequence[Skipped] = (),
    clock: Clock | None = None,
    known_signatures: Mapping[str, np.ndarray] | None = None,
    keep_signatures: bool = False,
    discover: bool = True,
    jobs: int | None = None,
    wordings: Mapping[str, Normalized] | None = None,
) -> Result:
    """The pipeline from documents already read.

    ``known_signatures`` (document id → one MinHash row per passage, as a store
    keeps them) are used as they are: only the other documents are sketched.
    ``keep_signatures`` returns every passage's row in ``Result.signatures`` (a
    store keeps them); otherwise they are let go once indexed. Without
    ``discover``, no families are looked for: the documents are aligned against
    ``templates`` only (what a store does with documents added to a corpus
    whose templates it knows). ``wordings`` are template wordings already
    normalised (text → ``normalize(text)``), which a store keeps.
    """
    with _no_gc_pauses():
        return _run(documents, settings or Settings(), templates, skipped, clock or Clock(), known_signatures,
                    keep_signatures, discover, jobs, wordings)


def _run(documents, settings, templates, skipped, clock, known, keep_signatures, discover, jobs,
         wordings) -> Result:
    jobs = check_jobs(jobs)
    layout = _laid_out(documents, clock, jobs)
    passages = layout.passages
    if discover:
        found, signatures = _discover(layout, settings, clock, known or {}, keep_signatures, jobs)
    else:
        found, signatures = [], None
    if keep_signatures and not discover:
        shingles = clock("shingle", layout.shingles, settings.shingle_size, jobs=jobs)
        signatures = clock("sketch", sketch_new, shingles, layout, settings, known or {}, jobs=jobs)
    else:  # each worker shingles the documents it aligns
        shingles = clock("shingle", layout.document_shingles, settings.shingle_size)
    all_templates = sorted([*found, *templates], key=lambda t: t.id)
    # The spans stay arrays (a SpanTable): as objects they were a GB at 100,000 documents.
    spans = clock("align", align_documents_packed, layout, shingles, all_templates, settings,
                  progress=clock.ticker("align"), jobs=jobs, wordings=wordings)
    del layout, shingles  # every word of the corpus: gone before the scores are counted
    # Only the templates matched: every worker measures each wording it is given.
    used = {spans.template_ids[t] for t in np.unique(spans.column("template")).tolist()}
    scores = clock("score", score, documents, spans, [t for t in all_templates if t.id in used], jobs=jobs)
    flat = passages.flat()  # read as Passage records when asked for
    return Result(settings, tuple(documents), flat, spans, tuple(all_templates),
                  tuple(scores), tuple(skipped), dict(clock.timings), signatures)


def _laid_out(documents: Sequence[Document], clock: Clock, jobs: int) -> Layout:
    """normalize → segment: where every passage's words lie."""
    vocab = Vocabulary()
    words = _read_words(clock("normalize", chunked, _normalize, documents, len(documents), jobs=jobs), documents,
                        vocab)
    passages = clock("segment", _segment_all, documents, jobs)
    layout = Layout(documents, words, passages, vocab=vocab)
    return layout


def _read_words(chunks: Sequence[tuple], documents: Sequence[Document], vocab: Vocabulary) -> CorpusWords:
    """Each document's words as ids of ``vocab`` (numbered as words are first met,
    document by document), from the chunks :func:`_normalize` sends back: one array
    of ids and the chunks' packed offsets joined (small arrays by the million would
    stay in the heap once let go)."""
    sizes = np.concatenate([c[2] for c in chunks] or [np.zeros(0, dtype=np.int64)])
    ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    ids = np.empty(int(ptr[-1]), dtype=np.int32)
    at = 0
    for distinct, local, _, _ in chunks:
        ids[at:at + len(local)] = np.asarray(vocab.ids(distinct), dtype=np.int32)[local]
        at += len(local)
    offsets = Offsets.joined([c[3] for c in chunks])
    return CorpusWords(ids, ptr, vocab.words(), offsets, [d.text for d in documents])


def lookup_keys(documents: Sequence[Document], settings: Settings | None = None, *, jobs: int | None = 1) -> list[int]:
    """The keys (:mod:`nccd.align.keys`) the documents' passages look templates up
    under: aligned against the templates holding any of them, the documents get the
    spans they would get against every template."""
    settings = settings or Settings()
    layout = _laid_out(documents, Clock(), check_jobs(jobs))
    shingles = layout.shingles(settings.shingle_size)
    docs = (layout.doc_words(d, shingles) for d in range(len(documents)))
    return passage_keys(docs, settings.min_words, settings.shingle_size)


def _discover(layout: Layout, settings: Settings, clock: Clock, known: Mapping[str, np.ndarray],
              keep_signatures: bool, jobs: int) -> tuple[list[Template], np.ndarray | None]:
    """shingle → sketch → index → candidates → align → cluster → template: the
    templates the documents share, and every passage's signature if ``keep_signatures``."""
    shingles = clock("shingle", layout.shingles, settings.shingle_size, jobs=jobs)
    lsh, signatures = _indexed(layout, shingles, settings, clock, known, keep_signatures, jobs)
    # Each intermediate is let go once the next stage has what it needs: at
    # 10,000 documents each is a few hundred MB, and they would all peak together.
    # The shingles are made again after the LSH pairs (about a second at 100,000
    # documents; 0.4 GB not held under the pairs' peak).
    del shingles
    found = clock("candidates", near_duplicates, lsh, layout, settings, jobs=jobs)
    del lsh  # its band keys (half a GB at 100,000 documents) are not held while shared clauses are counted
    shingles = clock("shingle", layout.shingles, settings.shingle_size, jobs=jobs)
    pairs = clock("candidates", candidates_from, found, shingles, layout, settings, jobs=jobs)
    # Shingles (4 bytes a word) are not held through align, cluster and template: the
    # documents' alignment makes them again, which takes a small part of the time.
    del found, shingles
    links = clock("align", align_pairs, pairs, layout, settings, jobs=jobs, similarity=False)
    del pairs
    families = clock("cluster", cluster, links, min_documents=settings.min_documents)
    del links
    corpus = Corpus(layout.documents, layout.words, layout.word_roles())
    return clock("template", build_templates, families, corpus, settings.max_variants, jobs=jobs), signatures


def _indexed(layout: Layout, shingles: Shingles, settings: Settings, clock: Clock, known: Mapping[str, np.ndarray],
             keep_signatures: bool, jobs: int = 1) -> tuple[BandIndex, np.ndarray | None]:
    """sketch → index: the LSH index of the long passages, and every passage's
    signature if ``keep_signatures`` (a store keeps them)."""
    long_rows = layout.rows(min_words=settings.min_words)
    if keep_signatures or known:
        rows = None if keep_signatures else long_rows
        signatures = clock("sketch", sketch_new, shingles, layout, settings, known, rows, jobs=jobs)
        lsh = clock("index", build_index, signatures[long_rows] if keep_signatures else signatures, long_rows,
                    threshold=settings.lsh_threshold, seed=settings.seed)
        return lsh, signatures if keep_signatures else None
    # A block of signatures at a time: all of them were a GB at 100,000 documents.
    lsh = BandIndex.empty(long_rows, num_perm=settings.num_perm, threshold=settings.lsh_threshold, seed=settings.seed)
    for lo in range(0, len(long_rows), _BLOCK):
        block = clock("sketch", sketch, shingles, settings.num_perm, settings.seed, rows=long_rows[lo:lo + _BLOCK],
                      jobs=jobs)
        clock("index", lsh.put, lo, block, jobs=jobs)
    return lsh, None


def _normalize(documents: Sequence[Document], lo: int, hi: int) -> list[tuple]:
    """One chunk of documents: the distinct words in the order first met, the words
    as numbers into those (int32), each document's word count, and the words'
    offsets packed (:class:`Offsets`). Without the original text (the caller has
    it, and sending it back would copy every document), nor a string per word
    (which the caller would hold millions of)."""
    seen: dict[str, int] = {}
    local, sizes, starts, ends = [], [], [], []
    for d in documents[lo:hi]:
        n = normalize(d.text, ignore=d.ignore)
        local.append(np.fromiter((seen.setdefault(w, len(seen)) for w in n.words), dtype=np.int32,
                                 count=len(n.words)))
        sizes.append(len(n.words))
        starts.append(n.starts)
        ends.append(n.ends)
    join = lambda parts: np.concatenate(parts or [np.zeros(0, dtype=np.int32)]).astype(np.int32, copy=False)
    sizes = np.array(sizes, dtype=np.int64)
    ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    return [(list(seen), join(local), sizes, Offsets.pack(join(starts), join(ends), ptr))]


def _segment_all(documents: Sequence[Document], jobs: int) -> PassageTable:
    return PassageTable.joined(chunked(_segment, documents, len(documents), jobs=jobs))


def _segment(documents: Sequence[Document], lo: int, hi: int) -> list[PassageTable]:
    return [segment_table(documents[lo:hi])]


def sketch_new(shingles: Shingles, layout: Layout, settings: Settings,
               known: Mapping[str, np.ndarray], rows: np.ndarray | None = None, *, jobs: int | None = 1) -> np.ndarray:
    """Signatures of the passages ``rows`` (every passage by default), in that order,
    sketching only those whose document ``known`` lacks (on ``jobs`` threads)."""
    n = len(layout.doc_of)
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    place = np.full(n, -1, dtype=np.int64)  # where each wanted passage's row goes
    place[rows] = np.arange(len(rows))
    out = np.zeros((len(rows), settings.num_perm), dtype=np.uint32)
    todo = place >= 0
    counts = layout.passages.counts().tolist()
    for d, doc in enumerate(layout.documents):
        cached = known.get(doc.id)
        first, count = int(layout.first[d]), counts[d]
        if cached is not None and cached.shape == (count, settings.num_perm):
            wanted = np.flatnonzero(todo[first:first + count])
            out[place[first + wanted]] = cached[wanted]
            todo[first:first + count] = False
    todo = np.flatnonzero(todo)
    if np.array_equal(todo, rows):  # nothing known: no second array of every signature
        return sketch(shingles, settings.num_perm, settings.seed, rows=rows, jobs=jobs)
    if len(todo):
        out[place[todo]] = sketch(shingles, settings.num_perm, settings.seed, rows=todo, jobs=jobs)
    return out


__all__ = ["scan", "run", "read_templates", "Clock", "Progress"]
