"""score: spans → per-document reuse figures (README "Scores")."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import numpy as np

from .exemptions import find_exemptions, is_ncnd
from .model import ROLES, Document, DocumentScore, Span, Template
from .parallel import chunked


#: Every code point ``str.isspace`` accepts (none lies above U+3000).
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def _solid(text: str) -> np.ndarray:
    """Cumulative count of non-whitespace characters: ``c[j] - c[i]`` counts ``text[i:j]``."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(~np.isin(codes, _SPACES), out=out[1:])
    return out


@lru_cache(maxsize=4096)
def _solid_chars(text: str) -> tuple[np.ndarray, int]:
    """:func:`_solid` of a template wording, computed once per wording."""
    solid = _solid(text)
    return solid, int(solid[-1])


def covered(intervals: Iterable[tuple[int, int]], solid: np.ndarray) -> int:
    """Non-whitespace characters covered by the union of ``[start, end)`` intervals."""
    total, reach = 0, 0
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            total += int(solid[end] - solid[start])
            reach = end
    return total


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_document(doc: Document, spans: Sequence[Span], templates: Mapping[str, Template]) -> DocumentScore:
    """Reuse figures of one document.

    ``reuse`` counts every role but ``request``: a question quoted back to the
    requester is the same in every answer to a round-robin request, and is not
    template reuse.
    """
    solid = _solid(doc.text)
    chars = int(solid[-1])
    by_role = {
        role: _share(covered(((s.start, s.end) for s in spans if s.role == role), solid), chars)
        for role in ROLES
    }
    reused = covered(((s.start, s.end) for s in spans if s.role != "request"), solid)
    return DocumentScore(
        doc_id=doc.id,
        chars=chars,
        reuse=_share(reused, chars),
        reuse_by_role=by_role,
        coverage=_coverage(spans, templates),
        ncnd=is_ncnd(doc.text),
        exemptions=tuple(find_exemptions(doc.text)),
    )


def _coverage(spans: Sequence[Span], templates: Mapping[str, Template]) -> dict[str, float]:
    """For each template matched: the best share of one of its wordings reproduced."""
    ranges: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        ranges[(s.template_id, s.variant)].append((s.template_start, s.template_end))
    best: dict[str, float] = {}
    for (tid, v), intervals in ranges.items():
        solid, chars = _solid_chars(templates[tid].variants[v].text)
        best[tid] = max(best.get(tid, 0.0), _share(covered(intervals, solid), chars))
    return dict(sorted(best.items()))


def score(documents: Sequence[Document], spans: Sequence[Span], templates: Sequence[Template], *,
          jobs: int | None = 1) -> list[DocumentScore]:
    """Scores of every document, in document order (on ``jobs`` worker processes)."""
    by_doc: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        by_doc[s.doc_id].append(s)
    lookup = {t.id: t for t in templates}
    return chunked(_score_range, (documents, by_doc, lookup), len(documents), jobs=jobs)


def _score_range(state, lo: int, hi: int) -> list[DocumentScore]:
    documents, by_doc, lookup = state
    return [score_document(d, by_doc.get(d.id, []), lookup) for d in documents[lo:hi]]
