"""Reuse by force and by year: the comparisons researchers make across a corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from ..model import Result

#: What ``report`` can group by.
GROUPINGS = ("force", "year", "force,year")


@dataclass(frozen=True)
class GroupRow:
    """One force, year, or force and year."""

    force: str | None
    year: int | None
    documents: int
    ncnd_share: float
    mean_reuse: float
    top_template: str | None
    top_variant: int | None
    template_documents: int


def group_rows(result: Result, by: str = "force,year", role: str | None = None) -> list[GroupRow]:
    """Documents, NCND share, mean reuse (of ``role`` only, when given) and the template wording
    most documents of the group use, per group; groups sorted by force then year.

    Raises
    ------
    ValueError
        ``by`` is not one of ``GROUPINGS``.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by={by!r}: group by one of {', '.join(GROUPINGS)}")
    keys = by.split(",")
    scores = {s.doc_id: s for s in result.scores}
    uses: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for span in result.spans:
        if span.role != "request" and (role is None or span.role == role):
            uses[span.doc_id].add((span.template_id, span.variant))
    groups: dict[tuple, list[str]] = defaultdict(list)
    for doc in result.documents:
        key = tuple(doc.force if k == "force" else doc.year for k in keys)
        groups[key].append(doc.id)
    rows = [_row(key, keys, ids, scores, uses, role) for key, ids in groups.items()]
    return sorted(rows, key=lambda r: (r.force or "", r.year or 0))


def _row(key: tuple, keys: Sequence[str], ids: list[str], scores, uses, role: str | None) -> GroupRow:
    values = dict(zip(keys, key))
    reuse = [scores[i].reuse if role is None else scores[i].reuse_by_role.get(role, 0.0) for i in ids]
    counts: Counter = Counter(u for i in ids for u in uses.get(i, ()))
    top = min(counts.items(), key=lambda kv: (-kv[1], kv[0])) if counts else None
    return GroupRow(
        force=values.get("force"),
        year=values.get("year"),
        documents=len(ids),
        ncnd_share=round(sum(scores[i].ncnd for i in ids) / len(ids), 4),
        mean_reuse=round(sum(reuse) / len(ids), 4),
        top_template=top[0][0] if top else None,
        top_variant=top[0][1] if top else None,
        template_documents=top[1] if top else 0,
    )
