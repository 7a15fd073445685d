"""align, documents against templates: every reused span of a document.

A document's passages find the template wordings they share shingles with;
each hit is aligned over the passage and its neighbours (so a match can run on
across a paragraph break), and overlapping matches are resolved longest first.
The candidate search is numpy over the whole document; the alignments and the
resolution are one compiled call each (:mod:`nccd.align.resolve`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..model import Span, Template
from ..normalize import Normalized, normalize
from ..candidates import sorted_unique
from ..shingle import shingle
from . import Vocabulary
from .resolve import align_batch, resolve


@dataclass(frozen=True, eq=False)
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
        self._exact: dict[str, list[int]] = defaultdict(list)
        for t in templates:
            for v, variant in enumerate(t.variants):
                words = normalize(variant.text)
                self.targets.append(Target(t, v, words, np.asarray(vocab.ids(words.words), dtype=np.int64),
                                           frozenset(variant.documents)))
        for k, target in enumerate(self.targets):
            self._exact[target.words.text].append(k)
        self._arrays(shingle([t.words.words for t in self.targets], shingle_size))

    def _arrays(self, shingles) -> None:
        """Postings (shingle → targets) as sorted arrays, and per-target numbers."""
        targets = self.targets
        hashes = [np.unique(shingles.of(k)) for k in range(len(targets))]
        h = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint32)
        owner = np.repeat(np.arange(len(targets), dtype=np.int64), [len(x) for x in hashes])
        order = np.lexsort((owner, h))
        h, self.postings = h[order], owner[order]
        self.keys, starts = np.unique(h, return_index=True)
        self.ptr = np.append(starts, len(h)).astype(np.int64)
        self.need = np.array([max(1, len(t.words) - self.shingle_size + 1) for t in targets], dtype=np.int64)
        names = sorted({t.template.id for t in targets})
        self.template_of = _positions([t.template.id for t in targets], names)
        # Resolution order on equal matches: a user's template first, then by id and wording.
        ranked = sorted(range(len(targets)), key=lambda k: (targets[k].template.source != "user",
                                                            targets[k].template.id, targets[k].variant))
        self.rank = np.empty(len(targets), dtype=np.int64)
        self.rank[ranked] = np.arange(len(targets))
        self.sole: dict[str, list[int]] = defaultdict(list)
        for k, t in enumerate(targets):
            if len(t.holders) == 1:
                self.sole[next(iter(t.holders))].append(k)
        self.target_ids = np.concatenate([t.ids for t in targets]) if targets else np.zeros(0, dtype=np.int64)
        self.target_ptr = np.concatenate([[0], np.cumsum([len(t.ids) for t in targets])]).astype(np.int64)

    def hits(self, passage_shingles: Sequence[np.ndarray], passages: Sequence[int], doc_id: str,
             min_shared: int, max_targets: int = 128) -> tuple[np.ndarray, np.ndarray]:
        """``(target, passage)`` pairs, sorted, of targets sharing ``min_shared`` shingles
        with a passage (fewer for short targets), leaving out wordings only this
        document holds. Of one template's wordings only those sharing the most
        shingles with the passage are kept (the others say the same with more edits),
        and of those the ``max_targets`` sharing most (ties: the longer wording, then the
        first: a long wording gives one whole span where short ones give pieces)."""
        empty = np.zeros(0, dtype=np.int64)
        if not len(passages) or not len(self.keys):
            return empty, empty
        parts = [passage_shingles[k] for k in passages]
        owner = np.repeat(np.asarray(passages, dtype=np.uint64), [len(x) for x in parts])
        keys = sorted_unique(owner << np.uint64(32) | np.concatenate(parts).astype(np.uint64))
        h = (keys & np.uint64(0xFFFFFFFF)).astype(self.keys.dtype)
        owner = (keys >> np.uint64(32)).astype(np.int64)
        at = np.minimum(np.searchsorted(self.keys, h), len(self.keys) - 1)
        found = self.keys[at] == h
        at, owner = at[found], owner[found]
        lengths = self.ptr[at + 1] - self.ptr[at]
        firsts = np.repeat(self.ptr[at] - np.cumsum(lengths) + lengths, lengths)
        tgt = self.postings[firsts + np.arange(int(lengths.sum()))]
        psg = np.repeat(owner, lengths)
        pairs, counts = sorted_unique(tgt * (int(psg.max(initial=0)) + 1) + psg, counts=True)
        tgt, psg = np.divmod(pairs, int(psg.max(initial=0)) + 1)
        keep = counts >= np.minimum(min_shared, self.need[tgt])
        if doc_id in self.sole:
            keep &= ~np.isin(tgt, self.sole[doc_id])
        tgt, psg, counts = tgt[keep], psg[keep], counts[keep]
        group = psg * (len(self.targets) + 1) + self.template_of[tgt]
        _, inverse = np.unique(group, return_inverse=True)
        top = np.zeros(inverse.max(initial=-1) + 1, dtype=np.int64)
        np.maximum.at(top, inverse, counts)
        best = counts == top[inverse]
        tgt, psg, counts = tgt[best], psg[best], counts[best]
        order = np.lexsort((tgt, -self.need[tgt], -counts, psg))
        first = np.flatnonzero(np.r_[True, psg[order][1:] != psg[order][:-1]])
        place = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
        keep = np.sort(order[place < max_targets])  # back in (target, passage) order
        return tgt[keep], psg[keep]

    def exact(self, text: str, doc_id: str) -> list[int]:
        """Targets whose comparison text equals ``text``, leaving out this document's own."""
        return [k for k in self._exact.get(text, ()) if self.targets[k].holders != {doc_id}]


def _positions(values: Sequence[str], names: Sequence[str]) -> np.ndarray:
    where = {n: i for i, n in enumerate(names)}
    return np.array([where[v] for v in values], dtype=np.int64)


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
    long and similar enough). A span never runs across the edge of a quoted request.
    """
    blocks, bounds, target = _matches(doc, index, settings)
    if not len(target):
        return []
    first, last = bounds[:-1], bounds[1:] - 1
    a_start, b_start = blocks[first, 0], blocks[first, 1]
    a_end, b_end = blocks[last, 0] + blocks[last, 2], blocks[last, 1] + blocks[last, 2]
    matched = np.add.reduceat(blocks[:, 2], first)
    similarity = 2.0 * matched / ((a_end - a_start) + (b_end - b_start))
    order = np.lexsort((np.arange(len(target)), a_start, index.rank[target], -similarity, -matched))
    zones = _zones(doc)
    pieces = resolve(blocks, bounds, order, np.array([(lo, hi) for lo, hi, _ in zones], dtype=np.int64),
                     np.array([role == "request" for _, _, role in zones]),
                     np.array(doc.passages, dtype=np.int64).reshape(-1, 2), settings.min_words,
                     settings.min_similarity, settings.seed_size)
    spans = [make_span(doc, a0, a1, b0, b1, 2.0 * n / ((a1 - a0) + (b1 - b0)), index.targets[target[m]],
                       zones[z][2]) for m, a0, a1, b0, b1, n, z in pieces.tolist()]
    return sorted(spans, key=lambda s: (s.start, s.end, s.template_id))


def _matches(doc: DocWords, index: TemplateIndex, settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every match of the document's passages (and their neighbours) against the templates:
    ``(blocks, bounds, target)`` as :func:`nccd.align.resolve.align_batch` gives them,
    exact copies of short passages (headings) first."""
    exact_blocks, exact_targets = [], []
    long = []
    for k, (lo, hi) in enumerate(doc.passages):
        n = hi - lo
        if 2 <= n < settings.min_words:  # a short passage counts only when identical
            for t in index.exact(" ".join(doc.words.words[lo:hi]), doc.doc_id):
                exact_blocks.append((lo, 0, n))
                exact_targets.append(t)
        if n >= settings.shingle_size:
            long.append(k)
    tgt, psg = index.hits(doc.shingles, long, doc.doc_id, settings.min_shared_shingles, settings.max_targets)
    los, his, calls = [], [], []
    for t, first, last in _runs(tgt.tolist(), psg.tolist()):
        lo, hi = doc.window(first, last)
        los.append(lo)
        his.append(hi)
        calls.append(t)
    calls_a = np.array(calls, dtype=np.int64)
    blocks, bounds, call = align_batch(doc.ids, np.array(los, dtype=np.int64), np.array(his, dtype=np.int64),
                                       calls_a, index.target_ids, index.target_ptr, settings.min_words,
                                       settings.min_similarity, settings.max_gap, settings.seed_size)
    if exact_blocks:
        blocks = np.concatenate([np.array(exact_blocks, dtype=np.int64), blocks])
        bounds = np.concatenate([np.arange(len(exact_blocks)), bounds + len(exact_blocks)])
    return blocks.reshape(-1, 3), bounds, np.concatenate([np.array(exact_targets, dtype=np.int64), calls_a[call]])


def _runs(targets: Sequence[int], passages: Sequence[int], gap: int = 2) -> list[tuple[int, int, int]]:
    """``(target, first, last)``: each target's passages grouped into runs whose members
    are at most ``gap`` apart (input sorted by target, then passage)."""
    runs: list[list[int]] = []
    for t, k in zip(targets, passages):
        if runs and runs[-1][0] == t and k - runs[-1][2] <= gap:
            runs[-1][2] = k
        else:
            runs.append([t, k, k])
    return [(t, a, b) for t, a, b in runs]


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


def make_span(doc: DocWords, a0: int, a1: int, b0: int, b1: int, similarity: float, target: Target,
              zone: str | None) -> Span:
    """The span of document words ``[a0, a1)`` matching the target's words ``[b0, b1)``."""
    start, end = doc.words.char_span(a0, a1)
    t_start, t_end = target.words.char_span(b0, b1)
    if zone == "request":
        role = "request"
    elif target.template.source == "user":
        role = _role_at(doc, a0, a1)
    else:
        role = target.template.role
    return Span(doc.doc_id, start, end, target.template.id, t_start, t_end, round(similarity, 4), role, target.variant)


def _role_at(doc: DocWords, lo: int, hi: int) -> str:
    """The role holding most of the words ``[lo, hi)``."""
    weight: Counter[str] = Counter()
    for (a, b), role in zip(doc.passages, doc.roles):
        weight[role] += max(0, min(b, hi) - max(a, lo))
    return max(sorted(weight), key=lambda r: weight[r]) if weight else "answer"
