"""SpanTable: a scan's spans as arrays, read as :class:`~nccd.model.Span` records.

A large scan finds millions of spans. As a tuple of frozen dataclasses they
were a GB at 100,000 documents, made in one serial pass after the workers sent
their arrays back, and held to the end. A ``SpanTable`` keeps the workers'
arrays (40 bytes a span) and makes a ``Span`` when one is read; the stages that
only count (scores) read the columns.
"""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from .model import ROLES, Span, equal_records

#: Spans made from their rows at a time, when iterating (``tolist`` of a block at once).
_BLOCK = 4096
_COLUMNS = ("doc", "start", "end", "template", "template_start", "template_end", "role", "variant")


class SpanTable(Sequence[Span]):
    """Spans as rows: row ``k`` of ``rows`` is ``(document, start, end, template,
    template_start, template_end, role, variant)``, numbers into ``doc_ids``,
    ``template_ids`` and ``ROLES``; ``similarity[k]`` is its similarity.

    A read-only sequence of :class:`Span` (equal to any sequence of the same spans);
    a slice is a ``SpanTable`` of the same arrays' rows.

    Examples
    --------
    >>> t = SpanTable(np.array([[0, 3, 9, 0, 0, 6, 0, 0]]), np.array([0.9]), ("a.txt",), ("T1",))
    >>> t[0].doc_id, t[0].start, t[0].template_id, t[0].role, t[0].similarity
    ('a.txt', 3, 'T1', 'ncnd', 0.9)
    >>> t == [t[0]], len(t[1:])
    (True, 0)
    """

    def __init__(self, rows: np.ndarray, similarity: np.ndarray, doc_ids: Sequence[str],
                 template_ids: Sequence[str]) -> None:
        rows = np.asarray(rows).reshape(-1, len(_COLUMNS))
        if len(rows) != len(similarity):
            raise ValueError(f"{len(rows)} span rows for {len(similarity)} similarities: one each")
        self.rows, self.similarity = rows, np.asarray(similarity, dtype=np.float64)
        self.doc_ids, self.template_ids = tuple(doc_ids), tuple(template_ids)

    @classmethod
    def empty(cls) -> "SpanTable":
        """A table of no spans."""
        return cls(np.zeros((0, len(_COLUMNS)), dtype=np.int32), np.zeros(0), (), ())

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return SpanTable(self.rows[k], self.similarity[k], self.doc_ids, self.template_ids)
        k = range(len(self))[k]  # a negative index counts from the end; out of range raises
        return self._made(self.rows[k].tolist(), float(self.similarity[k]))

    def __iter__(self) -> Iterator[Span]:
        for lo in range(0, len(self), _BLOCK):
            yield from map(self._made, self.rows[lo:lo + _BLOCK].tolist(), self.similarity[lo:lo + _BLOCK].tolist())

    def __eq__(self, other) -> bool:
        return equal_records(self, other)

    __hash__ = None  # type: ignore[assignment]  # as a tuple of spans would, were it hashable: equal to its spans

    def __repr__(self) -> str:
        return f"SpanTable({len(self)} spans)"

    def column(self, name: str) -> np.ndarray:
        """One column of numbers (int64): ``doc`` and ``template`` number into
        ``doc_ids`` and ``template_ids``, ``role`` into ``ROLES``; the rest are the
        spans' fields of that name."""
        return self.rows[:, _COLUMNS.index(name)].astype(np.int64)

    def take(self, rows: np.ndarray) -> "SpanTable":
        """The spans of the given row numbers, in that order."""
        return SpanTable(self.rows[rows], self.similarity[rows], self.doc_ids, self.template_ids)

    def _made(self, row: list[int], similarity: float) -> Span:
        d, a, b, t, ta, tb, r, v = row
        return Span(self.doc_ids[d], a, b, self.template_ids[t], ta, tb, similarity, ROLES[r], v)
