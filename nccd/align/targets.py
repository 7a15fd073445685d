"""The template wordings a document is aligned against, and which of them each passage takes.

:class:`TemplateIndex` finds the wordings that share shingles with a document's
passages (:class:`Shared`); :func:`choose` picks, passage by passage and best
first, the wordings that bring shingles fewer than ``cover`` wordings already
chosen hold. Boilerplate phrases recur in many templates, and aligning every one
of them over the same words would only find the same span again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numba import njit

from ..candidates import sorted_unique
from ..model import Template
from ..normalize import Normalized, normalize
from ..shingle import shingle
from . import Vocabulary


@dataclass(frozen=True, eq=False)
class Target:
    """One wording of one template, ready to align against."""

    template: Template
    variant: int
    words: Normalized
    ids: np.ndarray
    holders: frozenset[str]


@dataclass(frozen=True, eq=False)
class Shared:
    """What a document's passages share with the template wordings.

    ``keys`` are the distinct ``passage << 32 | shingle hash`` of the passages,
    sorted. Pair ``p`` is wording ``target[p]`` with passage ``passage[p]``, sharing
    the keys ``held[starts[p]:starts[p + 1]]`` (positions in ``keys``); pairs are sorted
    by (target, passage). ``ranked`` are the pairs worth aligning: enough shared
    shingles, not a wording only this document holds, the best-sharing wordings of
    their template; grouped by passage, best first (most shared shingles, then the
    longer wording, then the first).
    """

    keys: np.ndarray
    target: np.ndarray
    passage: np.ndarray
    starts: np.ndarray
    held: np.ndarray
    ranked: np.ndarray


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

    def shared(self, passage_shingles: Sequence[np.ndarray], passages: Sequence[int], doc_id: str,
               min_shared: int) -> Shared:
        """The wordings sharing ``min_shared`` shingles (fewer for short wordings) with
        each of ``passages`` (numbers into ``passage_shingles``)."""
        parts = [passage_shingles[k] for k in passages]
        owner = np.repeat(np.asarray(passages, dtype=np.uint64), [len(x) for x in parts])
        keys = sorted_unique(owner << np.uint64(32) | (np.concatenate(parts) if parts else np.zeros(0)).astype(np.uint64))
        h = (keys & np.uint64(0xFFFFFFFF)).astype(self.keys.dtype)
        at = np.minimum(np.searchsorted(self.keys, h), max(len(self.keys) - 1, 0))
        found = np.flatnonzero(self.keys[at] == h) if len(self.keys) else np.zeros(0, dtype=np.int64)
        at, owner = at[found], (keys[found] >> np.uint64(32)).astype(np.int64)
        lengths = self.ptr[at + 1] - self.ptr[at]
        firsts = np.repeat(self.ptr[at] - np.cumsum(lengths) + lengths, lengths)
        tgt = self.postings[firsts + np.arange(int(lengths.sum()))]
        psg = np.repeat(owner, lengths)
        width = int(psg.max(initial=0)) + 1
        by_pair = np.argsort(tgt * width + psg, kind="stable")
        codes = (tgt * width + psg)[by_pair]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=np.int64)
        counts = np.diff(np.r_[starts, len(codes)])
        tgt, psg = np.divmod(codes[starts], width)
        keep = counts >= np.minimum(min_shared, self.need[tgt])
        if doc_id in self.sole:
            keep &= ~np.isin(tgt, self.sole[doc_id])
        _, group = np.unique(psg * (len(self.targets) + 1) + self.template_of[tgt], return_inverse=True)
        top = np.zeros(group.max(initial=-1) + 1, dtype=np.int64)
        np.maximum.at(top, group, np.where(keep, counts, 0))
        ranked = np.flatnonzero(keep & (counts == top[group]))
        ranked = ranked[np.lexsort((tgt[ranked], -self.need[tgt[ranked]], -counts[ranked], psg[ranked]))]
        return Shared(keys, tgt, psg, np.append(starts, len(codes)), np.repeat(found, lengths)[by_pair], ranked)

    def exact(self, text: str, doc_id: str) -> list[int]:
        """Targets whose comparison text equals ``text``, leaving out this document's own."""
        return [k for k in self._exact.get(text, ()) if self.targets[k].holders != {doc_id}]


def choose(shared: Shared, depth: np.ndarray, taken: np.ndarray, cover: int, max_targets: int,
           skip: np.ndarray | None = None) -> np.ndarray:
    """Pairs of ``shared.ranked`` to align, in (target, passage) order: each holds a key
    of ``depth`` below ``cover``, then adds one to the depth of every key it holds;
    passage ``k`` takes ``max_targets - taken[k]`` pairs at most. ``depth`` and
    ``taken`` are updated; pairs in ``skip`` are passed over."""
    ranked = shared.ranked if skip is None else shared.ranked[~np.isin(shared.ranked, skip)]
    return _covering(ranked, shared.passage, shared.starts, shared.held, depth, taken, cover, max_targets)


@njit(cache=True, nogil=True)
def _covering(ranked, passage, starts, held, depth, taken, cover, max_targets):
    keep = np.zeros(passage.shape[0], dtype=np.bool_)
    for p in ranked:
        k = passage[p]
        if taken[k] >= max_targets:
            continue
        new = False
        for x in range(starts[p], starts[p + 1]):
            if depth[held[x]] < cover:
                new = True
                break
        if not new:
            continue
        keep[p] = True
        taken[k] += 1
        for x in range(starts[p], starts[p + 1]):
            depth[held[x]] += 1
    return np.flatnonzero(keep)


def _positions(values: Sequence[str], names: Sequence[str]) -> np.ndarray:
    where = {n: i for i, n in enumerate(names)}
    return np.array([where[v] for v in values], dtype=np.int64)


