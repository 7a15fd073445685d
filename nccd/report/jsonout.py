"""The JSON records of a scan (DESIGN.md "Output contract"), and JSON/JSONL text.

Every other format takes its fields from here, so a key means the same
everywhere.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable, Iterator

from .. import __version__
from ..model import ROLES, Document, DocumentScore, Result, Span, Template

#: Decimals kept in every score and similarity.
DECIMALS = 4


def _round(value: float) -> float:
    return round(float(value), DECIMALS)


def span_record(span: Span) -> dict:
    """One span: offsets into the document and into the template variant's text."""
    return {
        "start": span.start,
        "end": span.end,
        "template_id": span.template_id,
        "template_start": span.template_start,
        "template_end": span.template_end,
        "similarity": _round(span.similarity),
        "role": span.role,
        "variant": span.variant,
    }


def text_order(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted as they appear in the document's text."""
    return sorted(spans, key=lambda s: (s.start, s.end, s.template_id, s.variant))


def document_record(result: Result, doc: Document) -> dict:
    """The output object of one document, keys in contract order."""
    return record_of(doc, result.score(doc.id), result.spans_of(doc.id))


def by_document(result: Result) -> Iterator[tuple[Document, DocumentScore, tuple[Span, ...]]]:
    """Each document with its score and spans, as ``Result.score``/``Result.spans_of`` give them.

    Those look-ups scan the whole result; grouping once keeps writing a large
    corpus linear rather than quadratic.
    """
    scores: dict[str, DocumentScore] = {}
    for score in result.scores:
        scores.setdefault(score.doc_id, score)
    spans: dict[str, list[Span]] = defaultdict(list)
    for span in result.spans:
        spans[span.doc_id].append(span)
    for doc in result.documents:
        if doc.id not in scores:
            raise KeyError(doc.id)
        yield doc, scores[doc.id], tuple(spans.get(doc.id, ()))


def record_of(doc: Document, score: DocumentScore, spans: Iterable[Span]) -> dict:
    """The output object of a document given its score and spans."""
    return {
        "id": doc.id,
        "path": doc.path,
        "force": doc.force,
        "date": doc.date,
        "year": doc.year,
        "reference": doc.reference,
        "title": doc.title,
        "chars": score.chars,
        "reuse": _round(score.reuse),
        "reuse_by_role": {role: _round(score.reuse_by_role.get(role, 0.0)) for role in ROLES},
        "coverage": {tid: _round(score.coverage[tid]) for tid in sorted(score.coverage)},
        "ncnd": bool(score.ncnd),
        "exemptions": list(score.exemptions),
        "inferred": list(doc.inferred),
        "spans": [span_record(s) for s in text_order(spans)],
    }


def template_record(template: Template) -> dict:
    """The output object of one template, keys in contract order."""
    return {
        "id": template.id,
        "name": template.name,
        "source": template.source,
        "role": template.role,
        "text": template.text,
        "documents": list(template.documents),
        "forces": list(template.forces),
        "first_seen": template.first_seen,
        "last_seen": template.last_seen,
        "variants": [{"text": v.text, "documents": list(v.documents)} for v in template.variants],
    }


def result_record(result: Result) -> dict:
    """The whole scan as one JSON-ready object, keys in contract order."""
    return {
        "nccd_version": __version__,
        "settings": result.settings.as_dict(),
        "documents": [record_of(*item) for item in by_document(result)],
        "templates": [template_record(t) for t in result.templates],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }


def to_json(result: Result) -> str:
    """The scan as one indented JSON document; equal results give identical text."""
    return json.dumps(result_record(result), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def to_jsonl(result: Result) -> str:
    """One compact document object per line, in document order."""
    return "".join(
        json.dumps(record_of(*item), ensure_ascii=False, separators=(",", ":")) + "\n"
        for item in by_document(result)
    )


def template_chars(doc: Document, spans: Iterable[Span]) -> list[tuple[str, int]]:
    """``(template_id, characters covered)`` of one document, most covered first.

    Characters are non-whitespace characters of ``doc.text`` under the union
    of the template's spans, as in the ``reuse`` score; ties go by id.
    """
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        ranges[s.template_id].append((s.start, s.end))
    counts = {tid: _solid_covered(doc.text, r) for tid, r in ranges.items()}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _solid_covered(text: str, ranges: list[tuple[int, int]]) -> int:
    total, reach = 0, 0
    for start, end in sorted(ranges):
        start = max(start, reach)
        if end > start:
            piece = text[start:end]
            total += len(piece) - sum(ch.isspace() for ch in piece)
            reach = end
    return total
