"""align, documents against templates: every reused span of a document.

A document's passages find the template wordings they share shingles with;
each hit is aligned over the passage and its neighbours (so a match can run on
across a paragraph break), and overlapping matches are resolved longest first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..model import Span, Template
from ..normalize import Normalized, normalize
from ..shingle import shingle
from . import Match, Vocabulary, align_words, clip

@dataclass(frozen=True)
class Target:
    """One wording of one template, ready to align against."""

    template: Template
    variant: int
    words: Normalized
    ids: np.ndarray
    holders: frozenset[str]


class TemplateIndex:
    """Every wording of every template, findable by shingle or, when short, by exact text.

    Parameters
    ----------
    templates:
        Discovered and user-given templates.
    vocab:
        The vocabulary the documents' word ids come from.
    shingle_size:
        Words per shingle (as for passages).
    """

    def __init__(self, templates: Sequence[Template], vocab: Vocabulary, shingle_size: int) -> None:
        self.targets: list[Target] = []
        self.shingle_size = shingle_size
        self._postings: dict[int, list[int]] = defaultdict(list)
        self._exact: dict[str, list[int]] = defaultdict(list)
        for t in templates:
            for v, variant in enumerate(t.variants):
                words = normalize(variant.text)
                self.targets.append(Target(t, v, words, np.asarray(vocab.ids(words.words), dtype=np.int64),
                                           frozenset(variant.documents)))
        shingles = shingle([t.words.words for t in self.targets], shingle_size)
        for k, target in enumerate(self.targets):
            self._exact[target.words.text].append(k)
            for h in np.unique(shingles.of(k)).tolist():
                self._postings[h].append(k)

    def candidates(self, hashes: np.ndarray, doc_id: str, min_shared: int) -> list[int]:
        """Targets sharing ``min_shared`` shingles with a passage (fewer for short targets),
        leaving out wordings only this document holds. Of one template's wordings only
        those sharing the most shingles are kept: the others say the same with more
        edits, and aligning every wording of every template was most of the work."""
        hits: Counter[int] = Counter()
        for h in np.unique(hashes).tolist():
            for k in self._postings.get(h, ()):
                hits[k] += 1
        best: dict[str, int] = {}
        kept: list[tuple[str, int, int]] = []
        for k, n in hits.items():
            target = self.targets[k]
            need = min(min_shared, max(1, len(target.words) - self.shingle_size + 1))
            if n >= need and target.holders != {doc_id}:
                kept.append((target.template.id, n, k))
                best[target.template.id] = max(best.get(target.template.id, 0), n)
        return sorted(k for t, n, k in kept if n == best[t])

    def exact(self, text: str, doc_id: str) -> list[int]:
        """Targets whose comparison text equals ``text``, leaving out this document's own."""
        return [k for k in self._exact.get(text, ()) if self.targets[k].holders != {doc_id}]


@dataclass(frozen=True)
class DocWords:
    """A document's comparison words, their ids, and its passages as word ranges.

    ``shingles[k]`` are the shingle hashes of passage ``k``; ``passages[k]`` its
    ``[first, last)`` word range; ``roles[k]`` its role.
    """

    doc_id: str
    words: Normalized
    ids: np.ndarray
    passages: tuple[tuple[int, int], ...]
    roles: tuple[str, ...]
    shingles: tuple[np.ndarray, ...]

    def window(self, first: int, last: int, reach: int = 1) -> tuple[int, int]:
        """Word range of passages ``first .. last`` and ``reach`` passages either side,
        so a match can run on across a paragraph break."""
        lo = self.passages[max(first - reach, 0)][0]
        hi = self.passages[min(last + reach, len(self.passages) - 1)][1]
        return lo, hi


def align_document(doc: DocWords, index: TemplateIndex, settings) -> list[Span]:
    """Reused spans of one document against every template it shares text with.

    Where two templates match the same words, the longer match wins (on a tie, a
    template the user gave) and the other keeps only the words left over (if still
    long and similar enough).
    A span never runs across the edge of a quoted request.
    """
    found = sorted(
        _document_matches(doc, index, settings),
        key=lambda x: (-x[0].matched, -x[0].similarity, x[1].template.source != "user", x[1].template.id,
                       x[1].variant, x[0].a_start),
    )
    covered: list[tuple[int, int]] = []
    spans: list[Span] = []
    zones = _zones(doc)
    for match, target in found:
        for zlo, zhi, role in zones:
            for lo, hi in _uncovered(covered, max(match.a_start, zlo), min(match.a_end, zhi)):
                piece = clip(match, lo, hi)
                adjoins = role != "request" and _touches(covered, lo, hi)
                if piece is None or not _passes(piece, settings, doc, adjoins):
                    continue
                covered.append((piece.a_start, piece.a_end))
                spans.append(_span(doc, piece, target, role))
    return sorted(spans, key=lambda s: (s.start, s.end, s.template_id))


def _document_matches(doc: DocWords, index: TemplateIndex, settings):
    """Every match of the document's passages (and their neighbours) against the templates."""
    hits: dict[int, list[int]] = defaultdict(list)
    for k, (lo, hi) in enumerate(doc.passages):
        n = hi - lo
        if 2 <= n < settings.min_words:  # a short passage (a heading) counts only when identical
            for t in index.exact(" ".join(doc.words.words[lo:hi]), doc.doc_id):
                yield Match(lo, hi, 0, n, n, 1.0, ((lo, 0, n),)), index.targets[t]
        if n < settings.shingle_size:
            continue
        for t in index.candidates(doc.shingles[k], doc.doc_id, settings.min_shared_shingles):
            hits[t].append(k)
    for t, ks in sorted(hits.items()):
        target = index.targets[t]
        for first, last in _runs(ks):
            lo, hi = doc.window(first, last)
            for m in align_words(doc.ids[lo:hi], target.ids, min_words=settings.min_words,
                                 min_similarity=settings.min_similarity, max_gap=settings.max_gap,
                                 seed_size=settings.seed_size):
                yield shift(m, lo), target


def _runs(ks: Sequence[int], gap: int = 2) -> list[tuple[int, int]]:
    """Group sorted passage numbers into runs whose members are at most ``gap`` apart."""
    runs: list[list[int]] = []
    for k in ks:
        if runs and k - runs[-1][1] <= gap:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    return [(a, b) for a, b in runs]


def shift(m: Match, by: int) -> Match:
    """The same match with its ``a`` side moved ``by`` words."""
    blocks = tuple((pa + by, pb, n) for pa, pb, n in m.blocks)
    return Match(m.a_start + by, m.a_end + by, m.b_start, m.b_end, m.matched, m.similarity, blocks)


def _zones(doc: DocWords) -> list[tuple[int, int, str | None]]:
    """Word ranges a span may not cross: quoted request text and the rest."""
    zones: list[list] = []
    for (lo, hi), role in zip(doc.passages, doc.roles):
        kind = "request" if role == "request" else None
        if zones and zones[-1][2] == kind:
            zones[-1][1] = hi
        else:
            zones.append([zones[-1][1] if zones else 0, hi, kind])
    if zones:
        zones[-1][1] = len(doc.words)
    return [(a, b, k) for a, b, k in zones] or [(0, len(doc.words), None)]


def _passes(m: Match, settings, doc: DocWords, adjoins: bool = False) -> bool:
    """Whether a (possibly clipped) match is long and similar enough to report.

    A leftover piece of a longer match that runs on from text already covered is
    part of one continuous reuse, so it needs only ``seed_size`` words, not ``min_words``.
    """
    if m.similarity < settings.min_similarity:
        return False
    whole_short = m.matched == m.a_end - m.a_start < settings.min_words and (m.a_start, m.a_end) in doc.passages
    return whole_short or m.matched >= settings.min_words or (adjoins and m.matched >= settings.seed_size)


def _touches(covered: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(b == lo or a == hi for a, b in covered)


def _uncovered(covered: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    out, cursor = [], lo
    for a, b in sorted(covered):
        if b <= cursor or a >= hi:
            continue
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < hi:
        out.append((cursor, hi))
    return out


def _span(doc: DocWords, m: Match, target: Target, zone: str | None) -> Span:
    start, end = doc.words.char_span(m.a_start, m.a_end)
    t_start, t_end = target.words.char_span(m.b_start, m.b_end)
    if zone == "request":
        role = "request"
    elif target.template.source == "user":
        role = _role_at(doc, m.a_start, m.a_end)
    else:
        role = target.template.role
    return Span(doc.doc_id, start, end, target.template.id, t_start, t_end, round(m.similarity, 4), role, target.variant)


def _role_at(doc: DocWords, lo: int, hi: int) -> str:
    """The role holding most of the words ``[lo, hi)``."""
    weight: Counter[str] = Counter()
    for (a, b), role in zip(doc.passages, doc.roles):
        weight[role] += max(0, min(b, hi) - max(a, lo))
    return max(sorted(weight), key=lambda r: weight[r]) if weight else "answer"
