"""align, documents against templates, in plain Python: the oracle of :mod:`nccd.align.resolve`.

Every candidate wording aligned one call at a time, the matches resolved longest
first with Python lists. The tests check the compiled path gives the same spans.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

import numpy as np

from ..model import Span
from . import Match, align_words, clip
from .documents import DocWords, TemplateIndex, _zones, make_span


def _candidates(index: TemplateIndex, hashes: np.ndarray, doc_id: str,
                min_shared: int) -> tuple[list[int], dict[int, set[int]]]:
    """Targets sharing ``min_shared`` shingles with a passage, best-sharing wordings of each
    template, best first (ties: the longer, then the first); and the shingles each shares."""
    shared: dict[int, set[int]] = defaultdict(set)
    for h in np.unique(hashes).tolist():
        lo, hi = np.searchsorted(index.keys, [h, h + 1])
        for k in index.postings[index.ptr[lo]:index.walk[lo]].tolist() if lo < hi else ():
            shared[k].add(h)
    best: dict[str, int] = {}
    kept: list[tuple[str, int, int]] = []
    for k, held in shared.items():
        target, n = index.targets[k], len(held)
        need = min(min_shared, max(1, len(target.words) - index.shingle_size + 1))
        if n >= need and target.sole != doc_id:
            kept.append((target.template.id, n, k))
            best[target.template.id] = max(best.get(target.template.id, 0), n)
    return [k for *_, k in sorted((-n, -int(index.need[k]), k) for t, n, k in kept if n == best[t])], shared


def _take(ranked: list[int], shared: dict[int, set[int]], depth: Counter, cover: int, room: int) -> list[int]:
    """Of ``ranked``, each target holding a shingle of depth below ``cover`` (which then
    deepens every shingle it holds), ``room`` at most."""
    taken: list[int] = []
    for k in ranked:
        if len(taken) < room and any(depth[h] < cover for h in shared[k]):
            taken.append(k)
            depth.update(shared[k])
    return taken


def align_document_reference(doc: DocWords, index: TemplateIndex, settings) -> list[Span]:
    """Reused spans of one document against every template it shares text with.

    Where two templates match the same words, the longer match wins (on a tie, a
    template the user gave) and the other keeps only the words left over (if still
    long and similar enough).
    A span never runs across the edge of a quoted request.
    Wordings are aligned in two rounds: each passage's first choice, then every
    wording left holding a shingle whose words no span of the first round covers.
    """
    cover, size = settings.target_cover, settings.shingle_size
    found, choices, first = [], {}, {}
    for k, (lo, hi) in enumerate(doc.passages):
        n = hi - lo
        if 2 <= n < settings.min_words:  # a short passage (a heading) counts only when identical
            found.extend((Match(lo, hi, 0, n, n, 1.0, ((lo, 0, n),)), index.targets[t])
                         for t in index.exact(" ".join(doc.words.words[lo:hi]), doc.doc_id))
        if n >= size:
            choices[k] = _candidates(index, doc.shingles[k], doc.doc_id, settings.min_shared_shingles)
            first[k] = _take(*choices[k], Counter(), cover, settings.max_targets)
    found.extend(_aligned(doc, index, settings, first))
    covered = {w for span in _resolved(doc, found, settings) for w in range(span[0].a_start, span[0].a_end)}
    second = {}
    for k, (ranked, shared) in choices.items():
        lo = doc.passages[k][0]
        live = {h for i, h in enumerate(doc.shingles[k].tolist())
                if any(w not in covered for w in range(lo + i, min(lo + i + size, len(doc.ids))))}
        every = len(ranked) + 1
        depth = Counter({h: every for held in shared.values() for h in held if h not in live})
        second[k] = _take([t for t in ranked if t not in first[k]], shared, depth, every,
                          settings.max_targets - len(first[k]))
    found.extend(_aligned(doc, index, settings, second))
    spans = [make_span(doc, p.a_start, p.a_end, p.b_start, p.b_end, p.similarity, target, role)
             for p, target, role in _resolved(doc, found, settings)]
    return sorted(spans, key=lambda s: (s.start, s.end, s.template_id))


def _resolved(doc: DocWords, found: list, settings) -> list:
    """``(piece, target, role)``: of each match, best first, the pieces no better match covers."""
    found = sorted(found, key=lambda x: (-x[0].matched, -x[0].similarity, x[1].template.source != "user",
                                         x[1].template.id, x[1].variant, x[0].a_start))
    covered: list[tuple[int, int]] = []
    kept = []
    for match, target in found:
        for zlo, zhi, role in _zones(doc):
            for lo, hi in _uncovered(covered, max(match.a_start, zlo), min(match.a_end, zhi)):
                piece = clip(match, lo, hi)
                adjoins = role != "request" and _touches(covered, lo, hi)
                if piece is None or not _passes(piece, settings, doc, adjoins):
                    continue
                covered.append((piece.a_start, piece.a_end))
                kept.append((piece, target, role))
    return kept


def _aligned(doc: DocWords, index: TemplateIndex, settings, chosen: dict[int, list[int]]):
    """Matches of each passage's chosen targets, target by target, over runs of nearby passages."""
    hits: dict[int, list[int]] = defaultdict(list)
    for k, targets in chosen.items():
        for t in targets:
            hits[t].append(k)
    for t, ks in sorted(hits.items()):
        target = index.targets[t]
        for first, last in _runs(sorted(ks)):
            lo, hi = doc.window(first, last)
            ids = index.target_ids[index.target_ptr[t]:index.target_ptr[t + 1]]
            for m in align_words(doc.ids[lo:hi], ids, min_words=settings.min_words,
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
