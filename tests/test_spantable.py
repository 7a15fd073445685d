"""SpanTable: spans kept as arrays read exactly as the Span records they stand for."""

from __future__ import annotations

import numpy as np
import pytest

from nccd.model import ROLES, Document, Span, Template, Variant
from nccd.score import score
from nccd.spantable import SpanTable

DOCS = ("a.txt", "b.txt", "c.txt")
TEMPLATES = ("T1", "T2")


def _table(n: int, seed: int = 5) -> SpanTable:
    rng = np.random.default_rng(seed)
    rows = np.zeros((n, 8), dtype=np.int32)
    rows[:, 0] = np.sort(rng.integers(0, len(DOCS), n))
    rows[:, 1] = rng.integers(0, 50, n)
    rows[:, 2] = rows[:, 1] + rng.integers(1, 30, n)
    rows[:, 3] = rng.integers(0, len(TEMPLATES), n)
    rows[:, 4] = rng.integers(0, 10, n)
    rows[:, 5] = rows[:, 4] + rng.integers(1, 20, n)
    rows[:, 6] = rng.integers(0, len(ROLES), n)
    rows[:, 7] = rng.integers(0, 2, n)
    return SpanTable(rows, rng.random(n).round(4), DOCS, TEMPLATES)


def _spans(t: SpanTable) -> list[Span]:
    return [Span(DOCS[d], a, b, TEMPLATES[k], ta, tb, float(s), ROLES[r], v)
            for (d, a, b, k, ta, tb, r, v), s in zip(t.rows.tolist(), t.similarity.tolist())]


def test_table_reads_as_its_spans_across_blocks():
    t = _table(9000)  # more than one block of rows made at a time
    spans = _spans(t)
    assert list(t) == spans and t == spans and t == tuple(spans) and tuple(spans) == t
    assert t[0] == spans[0] and t[-1] == spans[-1] and t[4321] == spans[4321]
    assert list(t[100:200]) == spans[100:200] and isinstance(t[100:200], SpanTable)
    assert list(t.take(np.array([7, 3, 8000]))) == [spans[7], spans[3], spans[8000]]
    assert t.column("end").tolist() == [s.end for s in spans]
    assert t != spans[:-1] and t != "not spans" and t[:0] == []
    with pytest.raises(IndexError):
        t[9000]


def test_table_states_what_does_not_agree():
    with pytest.raises(ValueError, match="2 span rows for 1 similarities"):
        SpanTable(np.zeros((2, 8), dtype=np.int32), np.zeros(1), DOCS, TEMPLATES)
    assert len(SpanTable.empty()) == 0 and list(SpanTable.empty()) == []


def test_scores_from_a_table_equal_scores_from_its_spans():
    t = _table(400)
    documents = [Document(id=d, path=d, text=("Neither confirm nor deny. " * 4) + d * 20, force=None, date=None,
                          reference=None, title=None, sha256="0") for d in DOCS]
    templates = [Template(id=k, text="x" * 40, role="ncnd", documents=DOCS, forces=(), first_seen=None,
                          last_seen=None, variants=(Variant("x " * 20, DOCS), Variant("y\ny " * 10, DOCS)))
                 for k in TEMPLATES]
    assert score(documents, t, templates) == score(documents, _spans(t), templates)
    # Out of document order, as a store may hand them over: grouped by document first.
    shuffled = t.take(np.random.default_rng(1).permutation(len(t)))
    assert score(documents, shuffled, templates) == score(documents, _spans(shuffled), templates)
