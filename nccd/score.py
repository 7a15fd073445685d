"""score: spans → per-document reuse figures (README "Scores").

Documents are scored a batch at a time with whole-array numpy: the texts of a
batch are joined and their non-whitespace characters counted in one cumulative
sum, and every union of spans (per document and role, per document and template
wording) is swept at once, over spans sorted by union. Python is left with what
it must do per document: the NCND and exemption regexes, tried only where a
match can start, and building the records.
"""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter
from typing import Iterable, Mapping, Sequence

import numpy as np

from .exemptions import flags
from .model import ROLE_CODE, ROLES, Document, DocumentScore, Span, Template
from .parallel import chunked
from .spantable import SpanTable

#: Every code point ``str.isspace`` accepts (none lies above U+3000).
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
# Whether a code point is non-whitespace, by look-up; U+3001 stands for all above.
_IS_SOLID = np.ones(0x3002, dtype=bool)
_IS_SOLID[_SPACES] = False

#: Documents scored together. The arrays of a hundred stay in cache; those of a
#: whole chunk (a thousand and more) are fresh memory, faulted in page by page.
BATCH = 100

# A union of spans per document and role; one more for roles outside ROLES, and
# one for ``reuse`` (every role but "request").
_KEYS = len(ROLES) + 2
_SHOWN = [*range(len(ROLES)), _KEYS - 1]  # the columns a score reports: ROLES, then reuse

_DOC_ID, _ROLE = attrgetter("doc_id"), attrgetter("role")
_TEMPLATE_ID, _VARIANT = attrgetter("template_id"), attrgetter("variant")


def _is_solid(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is non-whitespace (``not chr(c).isspace()``)."""
    # ASCII white space is U+0009-000D and U+001C-0020 (unsigned, codes - 9 wraps
    # below 9); the rare other code points are looked up, sparing a whole-array gather.
    solid = (codes - 9 > 4) & (codes - 28 > 4)
    odd = np.flatnonzero(codes > 0x7F)
    solid[odd] = _IS_SOLID[np.minimum(codes[odd], 0x3001)]
    return solid


def solid_counts(text: str, dtype: type = np.int64) -> np.ndarray:
    """Cumulative count of non-whitespace characters: ``c[j] - c[i]`` counts ``text[i:j]``."""
    # UTF-16 is one unit a character (and half the bytes) unless a character lies above U+FFFF.
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(text):
        codes = np.frombuffer(units, dtype=np.uint16)
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.zeros(len(text) + 1, dtype=dtype)
    np.cumsum(_is_solid(codes), out=out[1:])
    return out


def _solid_many(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`solid_counts` of the texts joined, and where each starts: text ``k`` offset ``i``
    reads ``solid[base[k] + i]``; ``base[-1]`` is the total length."""
    base = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)), out=base[1:])
    # Half the memory to write when the counts fit 32 bits, as they do but for gigabytes.
    return solid_counts("".join(texts), np.int32 if base[-1] < 2**31 else np.int64), base


def covered(intervals: Iterable[tuple[int, int]], solid: np.ndarray) -> int:
    """Non-whitespace characters covered by the union of ``[start, end)`` intervals.

    Parameters
    ----------
    intervals:
        Offsets into a text.
    solid:
        :func:`solid_counts` of that text.
    """
    total, reach = 0, 0
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            total += int(solid[end] - solid[start])
            reach = end
    return total


def _union_sizes(key: np.ndarray, start: np.ndarray, end: np.ndarray, offset: np.ndarray, limit: np.ndarray,
                 solid: np.ndarray, keys: int) -> np.ndarray:
    """:func:`covered` of many unions at once: the size of union ``k`` for ``k < keys``.

    Interval ``i`` belongs to union ``key[i]`` and indexes a text ``limit[i]``
    characters long whose offset 0 reads ``solid[offset[i]]``.
    """
    if not len(key):
        return np.zeros(keys, dtype=np.int64)
    start = np.maximum(start, 0)  # what covered's first max(start, reach=0) does
    order = np.lexsort((start, key))
    key, start, end, offset, limit = (a[order] for a in (key, start, end, offset, limit))
    # Each union is lifted above those before it, so that one running maximum over
    # all intervals gives each interval the reach of those before it in its union.
    shift = key * (int(max(start.max(), end.max())) + 1)
    reach = np.maximum.accumulate(end + shift)
    lo = np.maximum(start + shift, np.concatenate((shift[:1], reach[:-1]))) - shift
    live = end > lo
    key, lo, end, offset = key[live], lo[live], end[live], offset[live]
    if (end > limit[live]).any():
        raise IndexError("a span ends after the end of its text")  # as covered's solid[end] would
    gain = solid[offset + end] - solid[offset + lo]
    return np.bincount(key, weights=gain, minlength=keys).astype(np.int64)  # exact below 2**53


def _round4(values: np.ndarray) -> list[float]:
    """``round(v, 4)`` of each value, as Python floats.

    Python rounds the exact value of ``v`` (halves to even) and gives the float
    nearest that decimal, as ``rint(v * 1e4) / 1e4`` does too, but where ``v * 1e4``
    lies within its rounding error of a half (or is large): there Python rounds,
    at some 500 ns a value where numpy takes 10.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf and nan: Python rounds them below
        scaled = values * 10000.0
        near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    out = (np.rint(scaled) / 10000.0).tolist()
    for i in np.flatnonzero(near | ~(np.abs(values) < 1e6)).tolist():
        out[i] = round(float(values[i]), 4)
    return out


def _role_shares(local: np.ndarray, role: np.ndarray, start: np.ndarray, end: np.ndarray, solid: np.ndarray,
                 base: np.ndarray, chars: np.ndarray) -> list[float]:
    """Per document, the share of its characters each role covers, then ``reuse``."""
    again = role != ROLE_CODE["request"]
    doc = np.concatenate((local, local[again]))
    key = np.concatenate((local * _KEYS + role, local[again] * _KEYS + _KEYS - 1))
    sizes = _union_sizes(key, np.concatenate((start, start[again])), np.concatenate((end, end[again])),
                         base[doc], np.diff(base)[doc], solid, len(chars) * _KEYS)
    part, whole = sizes.reshape(-1, _KEYS)[:, _SHOWN], chars[:, None]
    # numpy divides as Python does: both integers are exact floats, the quotient correctly rounded.
    ratio = np.zeros(part.shape)
    np.divide(part, whole, out=ratio, where=whole > 0)
    return _round4(ratio.ravel())


class _Wordings:
    """The wordings of every template, counted once per process, when first needed.

    Template ids in order are ``ids`` (the order coverage lists them in).
    Template ``t`` (``number[id]``) has ``count[t]`` wordings, numbered from
    ``first[t]``; wording ``w`` is ``limit[w]`` characters long, ``whole[w]`` of
    them non-whitespace, and its offset ``i`` reads ``solid[offset[w] + i]``.
    """

    def __init__(self, templates: Mapping[str, Template]):
        self.templates = templates
        self.number: dict[str, int] | None = None  # the rest comes with it

    def _count(self) -> None:
        ids = list(self.templates)
        self.number = {tid: t for t, tid in enumerate(ids)}
        by_id = sorted(range(len(ids)), key=ids.__getitem__)
        self.ids, self.rank = [ids[t] for t in by_id], np.empty(len(ids), dtype=np.int64)
        self.rank[by_id] = np.arange(len(ids))
        variants = [self.templates[tid].variants for tid in ids]
        self.count = np.fromiter(map(len, variants), np.int64, len(ids))
        self.first = np.cumsum(self.count) - self.count
        self.solid, base = _solid_many([v.text for vs in variants for v in vs])
        self.offset, self.limit, self.whole = base[:-1], np.diff(base), np.diff(self.solid[base])

    def of(self, spans: Sequence[Span]) -> tuple[np.ndarray, ...]:
        """Per span: the place of its template id in ``ids``, its variant, and the
        ``offset``, ``limit`` and ``whole`` of that wording."""
        if self.number is None:
            self._count()
        if isinstance(spans, SpanTable):  # each template id looked up once
            used, at = np.unique(spans.column("template"), return_inverse=True)
            number = np.array([self.number[spans.template_ids[t]] for t in used.tolist()], np.int64)[at]
        else:
            number = np.fromiter(map(self.number.__getitem__, map(_TEMPLATE_ID, spans)), np.int64, len(spans))
        variant = _column(spans, "variant")
        count = self.count[number]
        if ((variant >= count) | (variant < -count)).any():  # as templates[id].variants[variant] would
            raise IndexError("tuple index out of range")
        w = self.first[number] + np.where(variant < 0, variant + count, variant)
        return self.rank[number], variant, self.offset[w], self.limit[w], self.whole[w]


def _coverages(local: np.ndarray, spans: Sequence[Span], start: np.ndarray, end: np.ndarray,
               wordings: _Wordings, n: int) -> list[dict[str, float]]:
    """Per document: for each template matched, the best share of one of its wordings reproduced."""
    if not spans:
        return [{} for _ in range(n)]
    tid, variant, offset, limit, whole = wordings.of(spans)
    # One union per document, template and variant (as the spans name it), in that order.
    order = np.lexsort((variant, tid, local))
    new = np.zeros(len(order), dtype=bool)
    new[0] = True
    for a in (local[order], tid[order], variant[order]):
        new[1:] |= a[1:] != a[:-1]
    key = np.empty(len(order), dtype=np.int64)
    key[order] = np.cumsum(new) - 1
    heads = order[new]
    sizes = _union_sizes(key, start, end, offset, limit, wordings.solid, len(heads))
    ratio = np.zeros(len(heads))
    np.divide(sizes, whole[heads], out=ratio, where=whole[heads] > 0)
    # The best wording of each template; rounding never reorders, so the best
    # share rounded is the best of the rounded shares.
    doc, tid = local[heads], tid[heads]
    first = np.flatnonzero(np.concatenate(([True], (doc[1:] != doc[:-1]) | (tid[1:] != tid[:-1]))))
    best = _round4(np.maximum.reduceat(ratio, first))
    names = [wordings.ids[t] for t in tid[first].tolist()]
    cuts = np.searchsorted(doc[first], np.arange(n + 1)).tolist()
    return [dict(zip(names[a:b], best[a:b])) for a, b in zip(cuts, cuts[1:])]


def _score_batch(docs: Sequence[Document], spans: Sequence[Span], local: np.ndarray,
                 wordings: _Wordings) -> list[DocumentScore]:
    """Scores of ``docs``; span ``i`` belongs to ``docs[local[i]]``."""
    texts = [d.text for d in docs]
    solid, base = _solid_many(texts)
    chars = np.diff(solid[base])

    if isinstance(spans, SpanTable):
        role = spans.column("role")
    else:
        role = np.fromiter(map(ROLE_CODE.get, map(_ROLE, spans), repeat(len(ROLES))), np.int64, len(spans))
    shares = _role_shares(local, role, _column(spans, "start"), _column(spans, "end"), solid, base, chars)
    coverage = _coverages(local, spans, _column(spans, "template_start"), _column(spans, "template_end"),
                          wordings, len(docs))
    out, shown = [], len(_SHOWN)
    for k, (doc, counted) in enumerate(zip(docs, chars.tolist())):
        ncnd, cited = flags(texts[k])
        row = shares[k * shown : (k + 1) * shown]
        out.append(DocumentScore(doc_id=doc.id, chars=counted, reuse=row[-1], reuse_by_role=dict(zip(ROLES, row)),
                                 coverage=coverage[k], ncnd=ncnd, exemptions=cited))
    return out


def _column(spans: Sequence[Span], name: str) -> np.ndarray:
    """A numeric field of every span (int64), read from a table's arrays if it is one."""
    if isinstance(spans, SpanTable):
        return spans.column(name)
    return np.fromiter(map(attrgetter(name), spans), np.int64, len(spans))


def score_document(doc: Document, spans: Sequence[Span], templates: Mapping[str, Template]) -> DocumentScore:
    """Reuse figures of one document.

    ``reuse`` counts every role but ``request``: a question quoted back to the
    requester is the same in every answer to a round-robin request, and is not
    template reuse.

    Parameters
    ----------
    doc:
        The document.
    spans:
        Its spans.
    templates:
        Templates by id; those the spans name must be there.
    """
    spans = list(spans)
    wordings = _Wordings({s.template_id: templates[s.template_id] for s in spans})
    return _score_batch([doc], spans, np.zeros(len(spans), dtype=np.int64), wordings)[0]


def score(documents: Sequence[Document], spans: Sequence[Span], templates: Sequence[Template], *,
          jobs: int | None = 1) -> list[DocumentScore]:
    """Scores of every document, in document order.

    Parameters
    ----------
    documents, spans, templates:
        What the pipeline found; a span counts for every document with its ``doc_id``.
    jobs:
        Worker processes (:func:`nccd.parallel.chunked`).
    """
    # Each worker counts the template wordings in its own copy, in its first batch.
    state = (documents, spans, _span_groups(documents, spans), _Wordings({t.id: t for t in templates}))
    return chunked(_score_range, state, len(documents), jobs=jobs)


def _span_groups(documents: Sequence[Document], spans: Sequence[Span]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``order[bounds[g]:bounds[g + 1]]`` with ``g = group[i]`` are the spans of document ``i``
    (documents that share an id share a group)."""
    first: dict[str, int] = {}
    for i, d in enumerate(documents):
        first.setdefault(d.id, i)
    group = np.fromiter((first[d.id] for d in documents), np.int64, len(documents))
    if isinstance(spans, SpanTable):  # each document id looked up once
        of_doc = np.fromiter(map(first.get, spans.doc_ids, repeat(-1)), np.int64, len(spans.doc_ids))
        of_span = of_doc[spans.column("doc")]
    else:
        of_span = np.fromiter(map(first.get, map(_DOC_ID, spans), repeat(-1)), np.int64, len(spans))
    order = np.argsort(of_span, kind="stable")
    return group, order, np.searchsorted(of_span[order], np.arange(len(documents) + 1))


def _score_range(state, lo: int, hi: int) -> list[DocumentScore]:
    """Scores of documents ``lo .. hi - 1``, :data:`BATCH` at a time."""
    documents, spans, (group, order, bounds), wordings = state
    out: list[DocumentScore] = []
    for at in range(lo, hi, BATCH):
        batch = slice(at, min(at + BATCH, hi))
        first = bounds[group[batch]]
        count = bounds[group[batch] + 1] - first
        local = np.repeat(np.arange(len(count)), count)
        picked = order[np.repeat(first - np.cumsum(count) + count, count) + np.arange(len(local))]
        if len(picked) and picked[-1] - picked[0] == len(picked) - 1 and (np.diff(picked) == 1).all():
            mine = spans[picked[0] : picked[-1] + 1]  # as aligning leaves them: one run, in document order
        else:
            mine = spans.take(picked) if isinstance(spans, SpanTable) else [spans[i] for i in picked.tolist()]
        out.extend(_score_batch(documents[batch], mine, local, wordings))
    return out
