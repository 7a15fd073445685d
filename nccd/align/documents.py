"""align, documents against templates: every reused span of a document.

A document's passages find the template wordings they share shingles with;
each hit is aligned over the passage and its neighbours (so a match can run on
across a paragraph break), and overlapping matches are resolved longest first.
The candidate search is numpy over the whole document; the alignments and the
resolution are one compiled call each (:mod:`nccd.align.resolve`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numba import njit

from ..model import ROLE_CODE, ROLES, Span
from ..normalize import Normalized, with_punctuation
from .resolve import align_batch, resolve
from .targets import Target, TemplateIndex, choose


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

    The wordings are aligned in two rounds (:func:`nccd.align.targets.choose`): first
    those bringing shingles fewer than ``target_cover`` others bring; then every
    wording left that holds a shingle whose words no span of the first round covers.
    """
    rows, similarity = align_document_rows(doc, index, settings)
    names, target = index.template_names, rows[:, 2]
    return [Span(doc.doc_id, a, b, names[n], ta, tb, sim, ROLES[r], v) for (a, b, _, ta, tb, r), n, v, sim in zip(
        rows.tolist(), index.template_of[target].tolist(), index.variant[target].tolist(), similarity)]


def align_document_rows(doc: DocWords, index: TemplateIndex, settings) -> tuple[np.ndarray, list[float]]:
    """:func:`align_document`'s spans, in its order, as rows ``(start, end, target,
    template_start, template_end, role)`` (``target`` into ``index.targets``, ``role``
    into ``ROLES``) and their similarities: no object per span."""
    zones = _Zones.of(doc)
    found, long = _short_passages(doc, index, settings)
    ranges = zones.passages
    codes, at = _shingle_codes(doc, long, ranges)
    shared = index.shared(codes, doc.doc_id, settings.min_shared_shingles)
    taken = np.zeros(len(ranges), dtype=np.int64)
    first = choose(shared, np.zeros(len(shared.keys), dtype=np.int64), taken, settings.target_cover,
                   settings.max_targets)
    found = _joined(found, _align(doc, index, settings, shared.target[first], shared.passage[first], ranges))
    pieces = _resolve(index, settings, found, zones)
    live = _live(shared.keys, codes, at, pieces[:, 1:3], len(doc.ids), settings.shingle_size)
    every = len(shared.ranked) + 1  # no depth reaches it: every wording holding a live key
    second = choose(shared, np.where(live, 0, every), taken, every, settings.max_targets, skip=first)
    if len(second):
        found = _joined(found, _align(doc, index, settings, shared.target[second], shared.passage[second], ranges))
        pieces = _resolve(index, settings, found, zones)
    return _rows(doc, index, pieces, found[2], zones)


def _rows(doc: DocWords, index: TemplateIndex, pieces: np.ndarray, found_target: np.ndarray,
          zones: "_Zones") -> tuple[np.ndarray, list[float]]:
    """The resolved pieces as span rows (what :func:`make_span` gives, one array for all),
    ordered by (start, end, template id) and, on a tie, best match first."""
    if not len(pieces):
        return np.zeros((0, 6), dtype=np.int64), []
    m, a0, a1, b0, b1, n, z = pieces.T
    target = found_target[m]
    similarity = [round(2.0 * x / y, 4) for x, y in zip(n.tolist(), ((a1 - a0) + (b1 - b0)).tolist())]
    at = index.target_ptr[target]
    text, texts = doc.words.original, index.texts
    rows = np.empty((len(pieces), 6), dtype=np.int64)
    rows[:, :2] = [with_punctuation(text, x, y) for x, y in zip(doc.words.starts[a0].tolist(),
                                                                 doc.words.ends[a1 - 1].tolist())]
    rows[:, 2] = target
    rows[:, 3:5] = [with_punctuation(texts[t], x, y) for t, x, y in zip(
        target.tolist(), index.target_starts[at + b0].tolist(), index.target_ends[at + b1 - 1].tolist())]
    request = zones.request[z]
    rows[:, 5] = np.where(request, ROLE_CODE["request"], index.role_code[target])
    for k in np.flatnonzero(~request & index.user[target]).tolist():  # a user's template: the passages' role
        rows[k, 5] = ROLE_CODE[_role_at(doc, int(a0[k]), int(a1[k]))]
    order = np.lexsort((index.template_of[target], rows[:, 1], rows[:, 0]))  # stable: ties keep their order
    return rows[order], [similarity[k] for k in order.tolist()]


#: Matches as :func:`nccd.align.resolve.align_batch` gives them, with the wording of each:
#: ``(blocks, bounds, target)``.
Found = tuple[np.ndarray, np.ndarray, np.ndarray]


def _joined(x: Found, y: Found) -> Found:
    return (np.concatenate([x[0], y[0]]).reshape(-1, 3), np.concatenate([x[1], y[1][1:] + x[1][-1]]),
            np.concatenate([x[2], y[2]]))


def _resolve(index: TemplateIndex, settings, found: Found, zones: "_Zones") -> np.ndarray:
    """The pieces :func:`nccd.align.resolve.resolve` keeps, best match first."""
    blocks, bounds, target = found
    if not len(target):
        return np.zeros((0, 7), dtype=np.int64)
    return resolve(blocks, bounds, index.rank[target], zones.ranges, zones.request, zones.passages,
                   settings.min_words, settings.min_similarity, settings.seed_size).reshape(-1, 7)


def _short_passages(doc: DocWords, index: TemplateIndex, settings) -> tuple[Found, list[int]]:
    """Exact copies of short passages (a heading counts only when identical), and the
    passages long enough to have shingles."""
    blocks, targets, long = [], [], []
    for k, (lo, hi) in enumerate(doc.passages):
        n = hi - lo
        if 2 <= n < settings.min_words:
            for t in index.exact(doc.ids[lo:hi], doc.doc_id):
                blocks.append((lo, 0, n))
                targets.append(t)
        if n >= settings.shingle_size:
            long.append(k)
    return (np.array(blocks, dtype=np.int64).reshape(-1, 3), np.arange(len(blocks) + 1),
            np.array(targets, dtype=np.int64)), long


def _align(doc: DocWords, index: TemplateIndex, settings, targets: np.ndarray, passages: np.ndarray,
           ranges: np.ndarray) -> Found:
    """``(blocks, bounds, target)`` of the (target, passage) pairs, in one compiled call."""
    calls, los, his = _windows(targets, passages, ranges)
    blocks, bounds, call = align_batch(doc.ids, los, his, calls, index.target_ids, index.target_ptr,
                                       settings.min_words, settings.min_similarity, settings.max_gap,
                                       settings.seed_size)
    return blocks, bounds, calls[call]


def _shingle_codes(doc: DocWords, long: Sequence[int], ranges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every shingle of the passages ``long`` as ``passage << 32 | hash`` (the keys
    :meth:`TemplateIndex.shared` looks up), with the word it starts at."""
    parts = [doc.shingles[k] for k in long]
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    sizes = [len(x) for x in parts]
    owner = np.repeat(np.asarray(long, dtype=np.uint64), sizes)
    at = np.repeat(ranges[long, 0], sizes) + np.arange(len(owner)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return owner << np.uint64(32) | np.concatenate(parts).astype(np.uint64), at


@njit(cache=True, nogil=True)
def _live(keys, codes, at, covers, n, size):
    """Whether each key (sorted, distinct ``codes``) occurs at some ``at`` whose
    ``size`` words are not all inside the ``[lo, hi)`` word ranges ``covers``."""
    covered = np.zeros(n + 1, dtype=np.int64)  # covered words before each position
    mark = np.zeros(n, dtype=np.bool_)
    for r in range(covers.shape[0]):
        mark[covers[r, 0]:covers[r, 1]] = True
    for w in range(n):
        covered[w + 1] = covered[w] + mark[w]
    live = np.zeros(keys.shape[0], dtype=np.bool_)
    for x in range(codes.shape[0]):
        end = min(at[x] + size, n)
        if covered[end] - covered[at[x]] < end - at[x]:
            live[np.searchsorted(keys, codes[x])] = True
    return live


def _windows(targets: np.ndarray, passages: np.ndarray, bounds: np.ndarray, gap: int = 2,
             reach: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(target, lo, hi)`` per alignment: each target's passages (input sorted by target,
    then passage) grouped into runs whose members are at most ``gap`` apart, and each
    run widened by ``reach`` passages either side (a match may run on across a
    paragraph break), as word ranges of the document."""
    if not len(targets):
        return targets, targets, targets
    new = np.empty(len(targets), dtype=bool)
    new[0] = True
    np.logical_or(targets[1:] != targets[:-1], passages[1:] - passages[:-1] > gap, out=new[1:])
    first = np.flatnonzero(new)
    last = np.empty_like(first)
    last[:-1], last[-1] = first[1:] - 1, len(targets) - 1
    lo = bounds[np.maximum(passages[first] - reach, 0), 0]
    hi = bounds[np.minimum(passages[last] + reach, len(bounds) - 1), 1]
    return targets[first], lo, hi


@dataclass(frozen=True, eq=False)
class _Zones:
    """A document's zones (:func:`_zones`) and passages as the compiled resolution takes them."""

    ranges: np.ndarray
    request: np.ndarray
    passages: np.ndarray

    @classmethod
    def of(cls, doc: DocWords) -> "_Zones":
        zones = _zones(doc)
        return cls(np.array([(lo, hi) for lo, hi, _ in zones], dtype=np.int64),
                   np.array([kind == "request" for *_, kind in zones]),
                   np.array(doc.passages, dtype=np.int64).reshape(-1, 2))


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
    return Span(doc.doc_id, start, end, target.template.id, t_start, t_end, round(similarity, 4),
                _role(doc, target, a0, a1, zone), target.variant)


def _role(doc: DocWords, target: Target, a0: int, a1: int, zone: str | None) -> str:
    """A span's role: quoted request text is the request's; a user's template takes the
    role of the passages it covers; a discovered one has its own."""
    if zone == "request":
        return "request"
    if target.template.source == "user":
        return _role_at(doc, a0, a1)
    return target.template.role


def _role_at(doc: DocWords, lo: int, hi: int) -> str:
    """The role holding most of the words ``[lo, hi)``."""
    weight: Counter[str] = Counter()
    for (a, b), role in zip(doc.passages, doc.roles):
        weight[role] += max(0, min(b, hi) - max(a, lo))
    return max(sorted(weight), key=lambda r: weight[r]) if weight else "answer"
