"""The template wordings a document is aligned against, and which of them each passage takes.

:class:`TemplateIndex` finds the wordings that share shingles with a document's
passages (:class:`Shared`); :func:`choose` picks, passage by passage and best
first, the wordings that bring shingles fewer than ``cover`` wordings already
chosen hold. Boilerplate phrases recur in many templates, and aligning every one
of them over the same words would only find the same span again.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from numba import njit

from ..model import ROLES, Template
from ..consensus import Normalizer
from ..normalize import Normalized
from ..postings import directory, find
from ..shingle import WordHasher, ngram_hashes
from ..sortedarrays import sorted_unique
from . import Vocabulary, WordsOfIds


@dataclass(frozen=True, eq=False)
class Target:
    """One wording of one template, ready to align against."""

    template: Template
    variant: int
    words: Normalized
    sole: str | None  # the one document holding this wording, if just one does


@dataclass(frozen=True, eq=False)
class Shared:
    """What a document's passages share with the template wordings.

    ``keys`` are the distinct ``passage << 32 | shingle hash`` of the passages,
    sorted. Pair ``p`` is wording ``target[p]`` with passage ``passage[p]``, sharing
    the keys ``held[starts[p]:starts[p + 1]]`` (positions in ``keys``). Pairs are those
    worth aligning: enough shared shingles, not a wording only this document holds,
    the best-sharing wordings of their template. ``ranked`` orders them grouped by
    passage, best first (most shared shingles, then the longer wording, then the first).
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
    max_postings:
        A shingle held by more wordings is looked up in the longest this many only
        (``None``: all).
    wordings:
        Wordings already normalised (text → ``normalize(text)``, as a store keeps
        them); the others are normalised here.
    exact_below:
        Only wordings of fewer words are findable by exact text (``None``: all). A
        passage is looked up by its text only when shorter than ``min_words``, so
        that setting is enough, and the other texts need not be joined.
    """

    def __init__(self, templates: Sequence[Template], vocab: Vocabulary, shingle_size: int,
                 max_postings: int | None = None, wordings: Mapping[str, Normalized] | None = None, *,
                 exact_below: int | None = None) -> None:
        self.shingle_size = shingle_size
        self.max_postings = max_postings
        table = self._wordings(templates, vocab, wordings or {})
        self._vocab = vocab
        self._exact: dict[bytes, list[int]] = defaultdict(list)  # keyed by the bytes of the word ids (int32)
        short = np.arange(len(self.sizes)) if exact_below is None else np.flatnonzero(self.sizes < exact_below)
        for k in short.tolist():
            self._exact[self.target_ids[self.target_ptr[k]:self.target_ptr[k + 1]].tobytes()].append(k)
        # shingle() of the words, each distinct word hashed once (as Layout.shingles does)
        self._arrays(ngram_hashes(WordHasher()(table)[self.target_ids], self.sizes, shingle_size))

    def _wordings(self, templates: Sequence[Template], vocab: Vocabulary, known: Mapping[str, Normalized]) -> list[str]:
        """Every wording's words as ids (``target_ids``, cut by ``target_ptr``) and where
        each came from (``target_starts``, ``target_ends``), and ``targets``, whose words
        are views of those read through the vocabulary. Per wording only its place is
        kept: tens of thousands of objects a wording made a third of the index's time.
        Returns the vocabulary's words."""
        normalizer = Normalizer()  # tens of thousands of short texts: normalised in batches
        normalizer.fill(v.text for t in templates for v in t.variants if v.text not in known)
        self.wordings = [(t, v) for t in templates for v in range(len(t.variants))]
        self.texts = [t.variants[v].text for t, v in self.wordings]
        self.soles = [_sole(t.variants[v].documents) for t, v in self.wordings]
        # Each wording's words are a range of a source: a batch the normaliser joined, or a
        # wording the caller gave (kept as it is in ``targets``: its words are held there anyway).
        sources: dict[int, int] = {}
        parts: list[Normalized] = []
        place = np.empty((len(self.texts), 4), dtype=np.int64)  # source, first word, last word, offset
        self._given: dict[int, Normalized] = {}
        for k, x in enumerate(self.texts):
            n = known.get(x)
            if n is not None:
                self._given[k] = n
                joined, offset, a, b = n, 0, 0, len(n)
            else:
                joined, offset, a, b = normalizer.located(x)
            s = sources.setdefault(id(joined), len(parts))
            if s == len(parts):
                parts.append(joined)
            place[k] = s, a, b, offset
        del normalizer
        self._gather(parts, place, vocab)
        table = vocab.words()
        self.targets = _Targets(self, table)
        return table

    def _gather(self, parts: Sequence[Normalized], place: np.ndarray, vocab: Vocabulary) -> None:
        """``target_ids/ptr/starts/ends`` from each wording's ``(source, a, b, offset)``,
        new words numbered in the order first met, wording by wording."""
        self.sizes = place[:, 2] - place[:, 1]
        self.target_ptr = np.zeros(len(place) + 1, dtype=np.int64)
        np.cumsum(self.sizes, out=self.target_ptr[1:])
        base = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=base[1:])
        total = int(self.target_ptr[-1])
        at = np.repeat(base[place[:, 0]] + place[:, 1] - self.target_ptr[:-1], self.sizes) + np.arange(total)
        offset = np.repeat(place[:, 3], self.sizes)
        empty = np.zeros(0, dtype=np.int32)
        self.target_starts = (np.concatenate([empty] + [p.starts for p in parts])[at] - offset).astype(np.int32)
        self.target_ends = (np.concatenate([empty] + [p.ends for p in parts])[at] - offset).astype(np.int32)
        words = list(chain.from_iterable(p.words for p in parts))
        distinct = list(dict.fromkeys(words))
        number = dict(zip(distinct, range(len(distinct))))
        local = np.fromiter(map(number.__getitem__, words), dtype=np.int64, count=len(words))[at]
        met = _first_met(local, len(distinct))  # the source's words in the order first met
        ids = np.zeros(len(distinct), dtype=np.int32)  # as the documents' ids: the aligner is compiled once
        ids[met] = vocab.ids([distinct[k] for k in met.tolist()])
        self.target_ids = ids[local]

    def _arrays(self, shingles) -> None:
        """Postings (shingle → targets) as sorted arrays, and per-target numbers."""
        wordings = self.wordings
        self.need = np.maximum(1, self.sizes - self.shingle_size + 1)
        # Each shingle's wordings longest first, then by number: one sort of (hash, place of the
        # wording in that order), whose distinct keys are the distinct (wording, hash) pairs.
        by_need = np.lexsort((np.arange(len(wordings)), -self.need))
        place = np.empty(len(wordings), dtype=np.uint64)
        place[by_need] = np.arange(len(wordings), dtype=np.uint64)
        keys = sorted_unique(shingles.hashes.astype(np.uint64) << np.uint64(32)
                             | np.repeat(place, np.diff(shingles.indptr)))
        h = (keys >> np.uint64(32)).astype(np.uint32)
        self.postings = by_need[(keys & np.uint64(0xFFFFFFFF)).astype(np.int64)].astype(np.int32)  # far below 2**31
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, dtype=np.int64)
        self.keys = h[starts]  # h is sorted: each hash's run starts where it first appears
        self._directory, self._shift = directory(self.keys)
        self.ptr = np.append(starts, len(h)).astype(np.int64)
        # A boilerplate shingle is held by thousands of wordings: look it up in the longest few.
        self.walk = np.minimum(self.ptr[:-1] + self.max_postings, self.ptr[1:]) if self.max_postings else self.ptr[1:]
        self.template_names = sorted({t.id for t, _ in wordings})
        self.template_of = _positions([t.id for t, _ in wordings], self.template_names)
        self.variant = np.array([v for _, v in wordings], dtype=np.int64)
        # Per wording, its template's role and whether a user gave it: spans are made as arrays.
        self.role_code = np.array([ROLES.index(t.role) for t, _ in wordings], dtype=np.int64)
        self.user = np.array([t.source == "user" for t, _ in wordings], dtype=bool)
        # Resolution order on equal matches: a user's template first, then by id and wording.
        ranked = sorted(range(len(wordings)), key=lambda k: (wordings[k][0].source != "user", wordings[k][0].id,
                                                              wordings[k][1]))
        self.rank = np.empty(len(wordings), dtype=np.int64)
        self.rank[ranked] = np.arange(len(wordings))
        self.sole: dict[str, list[int]] = defaultdict(list)
        for k, doc in enumerate(self.soles):
            if doc is not None:
                self.sole[doc].append(k)
        self._scratch = np.full((4, len(wordings)), -1, dtype=np.int32)  # half the cache lines of int64

    def shared(self, codes: np.ndarray, doc_id: str, min_shared: int) -> Shared:
        """The wordings sharing ``min_shared`` shingles (fewer for short wordings) with
        each passage of a document, whose shingles are ``codes``: ``passage << 32 |
        shingle hash`` (uint64)."""
        # numpy's sort: three times as fast as the compiled code's own on a document's codes
        keys, key_passage, at = _lookup(np.sort(codes), self.keys, self._directory, self._shift)
        sole = np.asarray(self.sole.get(doc_id, ()), dtype=np.int64)
        self._scratch[3, sole] = 1  # wordings only this document holds are left out
        try:
            tgt, psg, counts, starts, held = _pairs(key_passage, at, self.ptr, self.walk, self.postings, self.need,
                                                    self.template_of, min_shared, self._scratch)
        finally:
            self._scratch[3, sole] = -1
        ranked = _ranked(psg, counts, self.need[tgt], tgt)
        return Shared(keys, tgt, psg, starts, held, ranked)

    def exact(self, words: str | np.ndarray, doc_id: str) -> list[int]:
        """Targets whose comparison words are ``words`` (a comparison text, or the words'
        ids in the vocabulary), leaving out this document's own."""
        if isinstance(words, str):
            ids = self._vocab.known(words.split())
            if ids is None:
                return []
            words = np.array(ids, dtype=np.int32)
        return [k for k in self._exact.get(words.astype(np.int32, copy=False).tobytes(), ()) if self.soles[k] != doc_id]


def _ranked(passage: np.ndarray, count: np.ndarray, need: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Order by passage, then most shared, longest, first: ``np.lexsort`` of the four.

    The pairs come as :func:`_pairs` gives them, each (passage, wording) once, so one
    sort of a packed key gives that order when the four fit in 63 bits (they do but
    in giant corpora): numpy's sort, twice as fast as a sort per passage in
    compiled code."""
    sizes = [int(x.max(initial=0)).bit_length() for x in (count, need, target, passage)]
    if sum(sizes) > 63:
        return np.lexsort((target, -need, -count, passage))
    count_bits, need_bits, target_bits, _ = sizes
    key = passage.astype(np.int64) << (count_bits + need_bits + target_bits)
    key |= ((1 << count_bits) - 1 - count) << (need_bits + target_bits)  # more shared, longer first: flipped
    key |= ((1 << need_bits) - 1 - need) << target_bits
    key |= target
    return np.argsort(key)  # the keys differ: any sort gives the one order


def choose(shared: Shared, depth: np.ndarray, taken: np.ndarray, cover: int, max_targets: int,
           skip: np.ndarray | None = None) -> np.ndarray:
    """Pairs of ``shared.ranked`` to align, in (target, passage) order: each holds a key
    of ``depth`` below ``cover``, then adds one to the depth of every key it holds;
    passage ``k`` takes ``max_targets - taken[k]`` pairs at most. ``depth`` and
    ``taken`` are updated; pairs in ``skip`` are passed over."""
    ranked = shared.ranked
    if skip is not None:
        keep = np.ones(len(shared.target), dtype=bool)
        keep[skip] = False
        ranked = ranked[keep[ranked]]
    chosen = _covering(ranked, shared.passage, shared.starts, shared.held, depth, taken, cover, max_targets)
    return chosen[np.lexsort((shared.passage[chosen], shared.target[chosen]))]


@njit(cache=True, nogil=True)
def _first_met(values, size):
    """The distinct ``values`` (each in ``[0, size)``) in the order they first occur."""
    seen = np.zeros(size, dtype=np.bool_)
    out = np.empty(min(size, values.shape[0]), dtype=np.int64)
    n = 0
    for v in values:
        if not seen[v]:
            seen[v] = True
            out[n] = v
            n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def _lookup(x, table, directory, shift):
    """The distinct codes of ``x`` (sorted ``passage << 32 | shingle hash``); the passage
    of each; and the position in the sorted ``table`` of its hash, -1 where absent.
    ``directory[b]`` is where the hashes ``h`` with ``h >> shift == b`` start in ``table``."""
    keys = np.empty(x.shape[0], dtype=np.uint64)
    n = 0
    for v in x:
        if n == 0 or keys[n - 1] != v:
            keys[n] = v
            n += 1
    keys = keys[:n]
    passage, at = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for i in range(n):
        passage[i] = np.int64(keys[i] >> np.uint64(32))
        at[i] = find(table, directory, shift, np.int64(keys[i] & np.uint64(0xFFFFFFFF)))
    return keys, passage, at


@njit(cache=True, nogil=True)
def _pairs(key_passage, key_at, ptr, walk, postings, need, template_of, min_shared, scratch):
    """``(target, passage, count, starts, held)`` of the (wording, passage) pairs worth
    aligning: sharing ``min(min_shared, need[target])`` keys, not left out, and no other
    wording of the same template sharing more with the passage. Pair ``p`` holds the
    keys ``held[starts[p]:starts[p + 1]]``. Keys come grouped by passage; ``key_at`` is
    the key's row of postings (read up to ``walk``), -1 when no wording holds it.
    ``scratch`` rows (one column per wording, all -1): counts, pair slots, best count
    per template, and 1 for a wording left out; left as found but for the last.

    Counting in a dense row per passage touches each posting once: boilerplate
    shingles are held by thousands of wordings, and sorting their pairs was the cost."""
    count, slot, best, left_out = scratch[0], scratch[1], scratch[2], scratch[3]
    visits = 0
    for x in range(key_at.shape[0]):
        if key_at[x] >= 0:
            visits += walk[key_at[x]] - ptr[key_at[x]]
    # Every array is bounded by the visits: no growing inside the loops.
    touched, held = np.empty(visits, dtype=np.int64), np.empty(visits, dtype=np.int64)
    tgt, psg, cnt = np.empty(visits, dtype=np.int64), np.empty(visits, dtype=np.int64), np.empty(visits, dtype=np.int64)
    starts = np.zeros(visits + 1, dtype=np.int64)
    n, g0, nk = 0, 0, key_passage.shape[0]
    while g0 < nk:
        g1 = g0
        while g1 < nk and key_passage[g1] == key_passage[g0]:
            g1 += 1
        nt = 0
        for x in range(g0, g1):
            if key_at[x] >= 0:
                for y in range(ptr[key_at[x]], walk[key_at[x]]):
                    t = postings[y]
                    if count[t] < 0:
                        count[t] = 0
                        touched[nt] = t
                        nt += 1
                    count[t] += 1
        for i in range(nt):
            t = touched[i]
            if count[t] >= min(min_shared, need[t]) and left_out[t] < 0:
                best[template_of[t]] = max(best[template_of[t]], count[t])
        for i in range(nt):
            t = touched[i]
            if count[t] >= min(min_shared, need[t]) and left_out[t] < 0 and count[t] == best[template_of[t]]:
                tgt[n], psg[n], cnt[n] = t, key_passage[g0], count[t]
                starts[n + 1] = starts[n] + count[t]
                slot[t] = n
                n += 1
        for x in range(g0, g1):
            if key_at[x] >= 0:
                for y in range(ptr[key_at[x]], walk[key_at[x]]):
                    p = slot[postings[y]]
                    if p >= 0:
                        held[starts[p + 1] - count[postings[y]]] = x
                        count[postings[y]] -= 1
        for i in range(nt):
            t = touched[i]
            count[t], slot[t], best[template_of[t]] = -1, -1, -1
        g0 = g1
    return tgt[:n], psg[:n], cnt[:n], starts[:n + 1], held[:starts[n]]


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


class _Targets(Sequence[Target]):
    """An index's wordings as :class:`Target` records, each made when asked for: the
    alignment reads the index's arrays, and only a span's report needs the record.
    Holds what it reads, not the index (which holds it: a cycle would keep the
    index alive until a garbage collection, and the pipeline pauses those)."""

    __slots__ = ("_wordings", "_texts", "_soles", "_given", "_ids", "_ptr", "_starts", "_ends", "_table")

    def __init__(self, index: TemplateIndex, table: Sequence[str]) -> None:
        self._wordings, self._texts, self._soles, self._given = index.wordings, index.texts, index.soles, index._given
        self._ids, self._ptr, self._starts, self._ends = (index.target_ids, index.target_ptr, index.target_starts,
                                                          index.target_ends)
        self._table = table

    def __len__(self) -> int:
        return len(self._wordings)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self._wordings))[k]  # a negative k counts from the end; too far raises
        template, variant = self._wordings[k]
        words = self._given.get(k)
        if words is None:
            lo, hi = self._ptr[k], self._ptr[k + 1]
            words = Normalized(WordsOfIds(self._ids[lo:hi], self._table), self._starts[lo:hi], self._ends[lo:hi],
                               self._texts[k])
        return Target(template, variant, words, self._soles[k])


def _sole(documents: Sequence[str]) -> str | None:
    """The one document holding a wording, or ``None`` when none or several do (a
    boilerplate wording lists tens of thousands: decided by the ends most often)."""
    if not documents or documents[0] != documents[-1]:
        return None
    return documents[0] if len(documents) == 1 or documents.count(documents[0]) == len(documents) else None


def _positions(values: Sequence[str], names: Sequence[str]) -> np.ndarray:
    where = {n: i for i, n in enumerate(names)}
    return np.array([where[v] for v in values], dtype=np.int64)


