"""template: families (and texts the user gives) → ``Template``s.

A discovered template's canonical text is the wording its copies agree on word
by word (``nccd.consensus``); with fewer than five wordings, the most widely held
one (ties: one not hard-wrapped across lines, then the longest, then the first in
comparison order). So a template reads like the text forces actually copy. Its id is derived from that wording alone, so the
same family gets the same id whatever order the files were read in.

Most families are two or three short fragments, for which the fixed costs of
looking at each one dominated, and a few hold tens of thousands. So families
are built in stages over a few thousand at a time (``_CHUNK``): what ranking
needs of every fragment is found for all families at once, every text to
normalise in a stage is normalised in one call (``nccd.consensus.Normalizer``),
and only the wordings that vote or are kept are made into variants.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from itertools import accumulate, chain
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
from numba import njit

from .cluster import Families, Fragment
from .consensus import MAX_WORDINGS, MIN_WORDINGS, Normalizer, Wording, consensus
from .corpuswords import CorpusWords
from .layout import one_array
from .model import ROLE_CODE, ROLES, Document, Template, Variant
from .normalize import Normalized, normalize
from .parallel import chunked
from .roles import classify_roles
from .segment import paragraphs
from .sortedarrays import sorted_unique
from .wordings import Groups, WordSource, group, holds

#: Families built together: their wordings are held, and their texts normalised, at once.
_CHUNK = 2048


class Corpus:
    """What discovery knows of each document, by document number.

    Parameters
    ----------
    documents:
        The documents, in pipeline order.
    words:
        Each document's comparison words.
    roles:
        Each document's role per word (the role of the passage holding it), as
        names or as numbers into ``ROLES`` (``uint8`` arrays, as
        :meth:`nccd.layout.Layout.word_roles` gives them); kept as numbers.
    """

    def __init__(
        self, documents: Sequence[Document], words: Sequence[Normalized], roles: Sequence[Sequence[str] | np.ndarray]
    ) -> None:
        self.documents = documents
        self.words = words
        # a name not in ROLES counts for none of them
        self.roles = [r if isinstance(r, np.ndarray) else np.array([ROLE_CODE.get(x, len(ROLES)) for x in r],
                                                                   dtype=np.uint8)
                      for r in roles]


def template_id(text: str, prefix: str = "t") -> str:
    """A stable id from a text's comparison words: equal wording, equal id."""
    return _id_of(normalize(text).text, prefix)


def _id_of(comparison: str, prefix: str = "t") -> str:
    digest = hashlib.sha1(comparison.encode("utf-8")).hexdigest()
    return prefix + digest[:10]


def _when(doc: Document) -> str | None:
    return doc.date or (str(doc.year) if doc.year else None)


class _Fragments:
    """Every fragment of the families, flattened: family ``k`` is rows
    ``bounds[k]:bounds[k + 1]`` of ``doc``, ``start`` and ``end`` (arrays: millions of
    rows at 100,000 documents). Whether each row's text is hard-wrapped is found
    here for all rows at once; what is known of a document (its id, words, roles,
    force, date) is listed by document number."""

    def __init__(self, families: Sequence[Sequence[Fragment]], corpus: Corpus) -> None:
        if isinstance(families, Families):
            self.bounds = families.bounds.tolist()
            self.doc, self.start, self.end = (np.asarray(x, dtype=np.int64) for x in
                                              (families.doc, families.start, families.end))
        else:
            flat = list(chain.from_iterable(families))
            self.bounds = [0, *accumulate(map(len, families))]
            self.doc, self.start, self.end = (np.array([getattr(f, a) for f in flat], dtype=np.int64).reshape(-1)
                                              for a in ("doc", "start", "end"))
        self.doc_ids = [d.id for d in corpus.documents]
        self.wrapped = np.array(_wrapped(corpus, self.doc, self.start, self.end), dtype=bool)
        self.source = WordSource(corpus.words)
        self.roles = corpus.roles
        self._roles = one_array(corpus.roles, self.source.ptr)  # the same as one array, if they are
        self.force = [d.force for d in corpus.documents]
        self.when = list(map(_when, corpus.documents))
        self._texts = [d.text for d in corpus.documents]
        self._normalized = corpus.words

    def id_of(self, i: int) -> str:
        """The id of row ``i``'s document."""
        return self.doc_ids[self.doc[i]]

    def copy(self, i: int) -> str:
        """The text of row ``i`` as it stands in its document."""
        d, words = int(self.doc[i]), self._normalized
        if isinstance(words, CorpusWords):  # without unpacking the document's every offset
            start, end = words.char_span(d, int(self.start[i]), int(self.end[i]))
        else:
            start, end = words[d].char_span(int(self.start[i]), int(self.end[i]))
        return self._texts[d][start:end]

    def role_counts(self, lo: int, hi: int) -> np.ndarray:
        """Words of rows ``lo:hi`` per role number (a number past ``ROLES`` counts for none)."""
        doc, start, end = self.doc[lo:hi], self.start[lo:hi], self.end[lo:hi]
        if self._roles is not None:
            return _role_counts(self._roles, self.source.ptr, doc, start, end)
        held = [self.roles[d][s:e] for d, s, e in zip(doc.tolist(), start.tolist(), end.tolist())]
        return np.bincount(np.concatenate(held or [np.zeros(0, dtype=np.uint8)]), minlength=256)


@njit(cache=True, nogil=True)
def _role_counts(roles, ptr, doc, start, end):
    counts = np.zeros(256, dtype=np.int64)
    for x in range(doc.shape[0]):
        for k in range(ptr[doc[x]] + start[x], ptr[doc[x]] + end[x]):
            counts[roles[k]] += 1
    return counts


def _wrapped(corpus: Corpus, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[bool]:
    """Whether each fragment's text holds a line break (PDF text, hard-wrapped).

    Looked up between its first word's start and its last word's end: the
    punctuation ``Normalized.char_span`` adds around them is never a line break.
    """
    docs, first, last = np.array(doc, np.int64), np.array(start, np.int64), np.array(end, np.int64)
    order = np.argsort(docs, kind="stable")
    cuts = np.flatnonzero(np.diff(docs[order])) + 1
    for rows in np.split(order, cuts) if len(order) else ():
        words = corpus.words[int(docs[rows[0]])]
        first[rows], last[rows] = np.asarray(words.starts)[first[rows]], np.asarray(words.ends)[last[rows] - 1]
    texts = [d.text for d in corpus.documents]
    return [texts[d].find("\n", a, b) >= 0 for d, a, b in zip(docs.tolist(), first.tolist(), last.tolist())]


def build_template(family: Sequence[Fragment], corpus: Corpus, max_variants: int = 8) -> Template:
    """The template of one family of fragments: its consensus wording first, then the
    wordings documents hold, most widely held first (``max_variants`` in all)."""
    return _build(_Fragments([family], corpus), range(1), max_variants, Normalizer())[0]


def build_templates(
    families: Sequence[Sequence[Fragment]], corpus: Corpus, max_variants: int = 8, *, jobs: int | None = 1
) -> list[Template]:
    """Templates of all families, one per id (families with the same wording merge), sorted by id.

    Families are built on ``jobs`` workers (``None`` or 0: every core), then merged
    here in family order: the result does not depend on ``jobs``."""
    fragments = _Fragments(families, corpus)
    built = chunked(_build_range, (fragments, max_variants), len(families), jobs=jobs, min_chunk=_CHUNK // 4)
    normalizer = Normalizer()
    by_id: dict[str, Template] = {}
    for lo in range(0, len(built), _CHUNK):
        _add(by_id, built[lo:lo + _CHUNK], max_variants, normalizer)
    return [by_id[k] for k in sorted(by_id)]


def _build_range(state: tuple[_Fragments, int], lo: int, hi: int) -> list[Template]:
    """The templates of families ``lo .. hi - 1``, a few thousand at a time."""
    fragments, max_variants = state
    normalizer = Normalizer()
    return [t for a in range(lo, hi, _CHUNK)
            for t in _build(fragments, range(a, min(a + _CHUNK, hi)), max_variants, normalizer)]


class _Draft(NamedTuple):
    """A family before its consensus: its wordings (rows grouped by comparison words), its
    role, the original texts of the most widely held (as many as vote or are kept, in rank
    order), how many documents hold each, the variants they make, and their comparison texts."""

    wordings: Groups
    role: str
    texts: list[str]
    weights: list[int]
    variants: list[Variant]
    comparisons: set[str]  # of the wordings ranked


def _build(fragments: _Fragments, ks: range, max_variants: int, normalizer: Normalizer) -> list[Template]:
    """The templates of families ``ks``, in order: see ``build_template``."""
    drafts = [_draft(fragments, k, max_variants) for k in ks]
    voting = [len(d.wordings) >= MIN_WORDINGS for d in drafts]  # else the consensus is the first
    normalizer.fill(chain.from_iterable(d.texts[: MAX_WORDINGS if v else 1] for d, v in zip(drafts, voting)))
    agreed = [
        consensus([Wording(*tw) for tw in zip(d.texts, d.weights)], normalized=normalizer) if v else d.texts[0]
        for d, v in zip(drafts, voting)
    ]
    normalizer.fill(agreed)
    return [_template(fragments, k, d, a, max_variants, normalizer) for k, d, a in zip(ks, drafts, agreed)]


def _draft(fragments: _Fragments, k: int, max_variants: int) -> _Draft:
    """Family ``k``'s wordings, ranked (see ``_ranked``)."""
    lo, hi = fragments.bounds[k], fragments.bounds[k + 1]
    wordings = group(fragments.source, fragments.doc, fragments.start, fragments.end, lo, hi)
    weight = fragments.role_counts(lo, hi)
    role = ROLES[int(np.argmax(weight[:len(ROLES)]))]  # the first of the most
    voters = MAX_WORDINGS if len(wordings) >= MIN_WORDINGS else 0
    ranked = _ranked(fragments, wordings, max(max_variants, voters))
    texts = [_text(fragments, rows) for _, rows in ranked]
    id_of = fragments.id_of
    variants = [
        Variant(t, (id_of(rows[0]),) if len(rows) == 1 else tuple(sorted(set(map(id_of, rows)))))
        for t, (_, rows) in zip(texts, ranked[:max_variants])
    ]
    return _Draft(wordings, role, texts, [-key[0] for key, _ in ranked], variants, {key[3] for key, _ in ranked})


def _ranked(fragments: _Fragments, wordings: Groups, n: int) -> list[tuple[tuple, list[int]]]:
    """The first ``n`` wordings with their sort keys: most documents first, then one
    not hard-wrapped in every copy, then the longest, then the first in comparison order.

    The keys but the text are found for every wording with arrays; texts are joined
    for the wordings that rank among the first ``n`` by those alone (or tie with the last)."""
    count = len(wordings)
    held, wrapped = _held(wordings.rows, wordings.ptr, fragments.doc, fragments.wrapped)
    first = wordings.rows[wordings.ptr[:-1]]
    length = fragments.source.lengths(fragments.doc[first], fragments.start[first], fragments.end[first])
    best = np.lexsort((-length, wrapped, -held))
    if count > n:
        h, w, ln = held[best], wrapped[best], length[best]
        tied = (h[n:] == h[n - 1]) & (w[n:] == w[n - 1]) & (ln[n:] == ln[n - 1])
        best = best[:n + (int(np.argmin(tied)) if not tied.all() else len(tied))]
    source, doc, start, end = fragments.source, fragments.doc, fragments.start, fragments.end
    keyed = [((-int(held[g]), bool(wrapped[g]), -int(length[g]),
               source.text(int(doc[first[g]]), int(start[first[g]]), int(end[first[g]]))), wordings.members(g))
             for g in best.tolist()]
    return heapq.nsmallest(n, keyed, key=itemgetter(0))


@njit(cache=True, nogil=True)
def _held(rows, ptr, doc, wrapped):
    """Per group of ``rows``: how many documents hold it, and whether every copy is hard-wrapped."""
    held = np.zeros(ptr.shape[0] - 1, dtype=np.int64)
    every = np.ones(ptr.shape[0] - 1, dtype=np.bool_)
    for g in range(ptr.shape[0] - 1):
        docs = np.sort(doc[rows[ptr[g]:ptr[g + 1]]])
        for x in range(docs.shape[0]):
            held[g] += x == 0 or docs[x] != docs[x - 1]
            every[g] &= wrapped[rows[ptr[g] + x]]
    return held, every


def _text(fragments: _Fragments, rows: list[int]) -> str:
    """A wording as its documents hold it: a copy not hard-wrapped if there is one,
    of the first document by id, the first as text."""
    if len(rows) == 1:
        return fragments.copy(rows[0])
    id_of, wrapped = fragments.id_of, fragments.wrapped
    plain = [i for i in rows if not wrapped[i]] or rows
    first = min(map(id_of, plain))
    return min(fragments.copy(i) for i in plain if id_of(i) == first)


def _template(fragments: _Fragments, k: int, draft: _Draft, agreed: str, max_variants: int,
              normalizer: Normalizer) -> Template:
    """Family ``k``'s template, its consensus ``agreed``."""
    variants = draft.variants
    comparison = normalizer.comparison(agreed)
    if comparison not in draft.comparisons and (len(draft.wordings) == len(draft.comparisons) or not holds(
            draft.wordings, fragments.source, comparison, fragments.doc, fragments.start, fragments.end)):
        variants = [Variant(agreed, ()), *variants]  # no single copy says what most copies agree on
    elif variants[0].text != agreed:
        comparison = normalizer.comparison(variants[0].text)
    lo, hi = fragments.bounds[k], fragments.bounds[k + 1]
    members = {fragments.doc_ids[d]: d for d in sorted_unique(fragments.doc[lo:hi]).tolist()}  # document id → number
    seen = list(filter(None, map(fragments.when.__getitem__, members.values())))
    return Template(
        id=_id_of(comparison),
        text=variants[0].text,
        role=draft.role,
        documents=tuple(sorted(members)),
        forces=tuple(sorted(filter(None, set(map(fragments.force.__getitem__, members.values()))))),
        first_seen=min(seen) if seen else None,
        last_seen=max(seen) if seen else None,
        variants=tuple(variants[:max_variants]),
    )


def _add(by_id: dict[str, Template], templates: list[Template], max_variants: int,
         normalizer: Normalizer) -> None:
    """Adds ``templates`` to ``by_id`` in order, merging each into one of its id there."""
    count = Counter(t.id for t in templates)
    merging = [t for t in templates if t.id in by_id or count[t.id] > 1]
    merging += [by_id[t.id] for t in merging if t.id in by_id]
    normalizer.fill(v.text for t in merging for v in t.variants)  # what merging normalises, in one call
    for t in templates:
        if t.id in by_id:
            t = _merge(by_id[t.id], t, max_variants, normalizer)
        by_id[t.id] = t


def _merge(x: Template, y: Template, max_variants: int, normalizer: Normalizer) -> Template:
    """Two families with the same canonical wording as one template, whichever came first."""
    holders: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, str] = {}
    for v in x.variants + y.variants:
        key = normalizer.comparison(v.text)
        texts[key] = min(texts.get(key, v.text), v.text, key=lambda t: ("\n" in t, t))
        holders[key].update(v.documents)
    first = normalizer.comparison(x.text)  # equal for x and y: that is why they merge
    rest = sorted((k for k in holders if k != first), key=lambda k: (-len(holders[k]), "\n" in texts[k], k))
    seen = sorted(s for s in (x.first_seen, x.last_seen, y.first_seen, y.last_seen) if s)
    role = max((x, y), key=lambda t: (len(t.documents), t.role)).role
    return Template(
        id=x.id,
        text=texts[first],
        role=role,
        documents=tuple(sorted(set(x.documents) | set(y.documents))),
        forces=tuple(sorted(set(x.forces) | set(y.forces))),
        first_seen=seen[0] if seen else None,
        last_seen=seen[-1] if seen else None,
        variants=tuple(Variant(texts[k], tuple(sorted(holders[k]))) for k in [first, *rest])[:max_variants],
    )


def user_template(path: str, text: str) -> Template:
    """A template the user gave, read from ``path``; its role is that of most of its words."""
    spans = paragraphs(text)
    roles = classify_roles([text[s:e] for s, e in spans])
    weight: Counter[str] = Counter()
    for (s, e), r in zip(spans, roles):
        weight[r] += len(normalize(text, s, e))
    role = max(ROLES, key=lambda r: (weight[r], -ROLES.index(r))) if weight else "ncnd"
    return Template(
        id=template_id(text, prefix="u"),
        text=text,
        role=role,
        documents=(),
        forces=(),
        first_seen=None,
        last_seen=None,
        variants=(Variant(text, ()),),
        source="user",
        name=Path(path).stem,
    )
