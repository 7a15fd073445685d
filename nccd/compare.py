"""compare: the text two responses share, span by span, and each side's share."""

from __future__ import annotations

from dataclasses import dataclass

from .align import Vocabulary, align_words
from .model import Document
from .normalize import normalize
from .score import solid_counts, covered
from .settings import Settings


@dataclass(frozen=True)
class SharedSpan:
    """``a.text[a_start:a_end]`` and ``b.text[b_start:b_end]`` are the same text, give or take edits."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    similarity: float


@dataclass(frozen=True)
class Comparison:
    """Everything two documents share. ``a_share``/``b_share``: the share of each
    side's non-whitespace characters inside shared spans."""

    a: Document
    b: Document
    spans: tuple[SharedSpan, ...]
    a_share: float
    b_share: float


def compare_documents(a: Document, b: Document, settings: Settings | None = None) -> Comparison:
    """Align two whole documents and list the stretches they share, in ``a``'s order."""
    settings = settings or Settings()
    wa, wb = normalize(a.text), normalize(b.text)
    vocab = Vocabulary()
    matches = align_words(
        vocab.ids(wa.words), vocab.ids(wb.words), min_words=settings.min_words,
        min_similarity=settings.min_similarity, max_gap=settings.max_gap, seed_size=settings.seed_size,
    )
    spans = tuple(
        SharedSpan(*wa.char_span(m.a_start, m.a_end), *wb.char_span(m.b_start, m.b_end),
                   m.matched, round(m.similarity, 4))
        for m in matches
    )
    return Comparison(a, b, spans, _share(a.text, [(s.a_start, s.a_end) for s in spans]),
                      _share(b.text, [(s.b_start, s.b_end) for s in spans]))


def _share(text: str, intervals: list[tuple[int, int]]) -> float:
    solid = solid_counts(text)
    return round(covered(intervals, solid) / int(solid[-1]), 4) if solid[-1] else 0.0


def compare(path_a: str, path_b: str, settings: Settings | None = None) -> Comparison:
    """Read two response files and compare them (see :func:`compare_documents`)."""
    from .ingest import read_documents
    from .ingest.documents import document_from_text

    docs = [document_from_text(read_documents(p)[0].text, p) for p in (path_a, path_b)]
    return compare_documents(docs[0], docs[1], settings)
