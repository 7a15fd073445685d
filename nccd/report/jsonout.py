"""The JSON records of a scan (DESIGN.md "Output contract"), and JSON/JSONL text.

Every other format takes its fields from here, so a key means the same
everywhere.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from typing import Callable, Iterable, Iterator, Mapping, Sequence, TextIO

import numpy as np

from .. import __version__
from ..explain import explain
from ..model import ROLES, Document, DocumentScore, Passage, Result, Span, Template
from ..score import covered, solid_counts
from ..segment import FlatPassages
from ..spantable import SpanTable
from . import jsontext

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
    passages = [p for p in result.passages if p.doc_id == doc.id]
    return record_of(doc, result.score(doc.id), result.spans_of(doc.id), passages)


def by_document(result: Result) -> Iterator[tuple[Document, DocumentScore, tuple[Span, ...]]]:
    """Each document with its score and spans, as ``Result.score``/``Result.spans_of`` give them.

    Those look-ups scan the whole result; grouping once keeps writing a large
    corpus linear rather than quadratic.
    """
    scores: dict[str, DocumentScore] = {}
    for score in result.scores:
        scores.setdefault(score.doc_id, score)
    spans = _by_document(result, result.spans, "doc_id")
    for d, doc in enumerate(result.documents):
        if doc.id not in scores:
            raise KeyError(doc.id)
        yield doc, scores[doc.id], tuple(spans(d, doc.id))


def _by_document(result: Result, items: Sequence, key: str) -> Callable[[int, str], Sequence]:
    """``items`` of document ``d`` with id ``doc_id``: read a document at a time from a scan's
    tables (spans and passages in document order: none made before it is written), or
    grouped by id once."""
    ids = [d.id for d in result.documents]
    if isinstance(items, SpanTable) and items.doc_ids == tuple(ids) and len(set(ids)) == len(ids):
        doc = items.column("doc")
        if not len(doc) or (np.diff(doc) >= 0).all():
            bounds = np.searchsorted(doc, np.arange(len(ids) + 1)).tolist()
            return lambda d, _: items[bounds[d]:bounds[d + 1]]
    if isinstance(items, FlatPassages) and items.table.doc_ids == tuple(ids) and len(set(ids)) == len(ids):
        return lambda d, _: items.table[d]
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[getattr(item, key)].append(item)
    return lambda _, doc_id: groups.get(doc_id, ())


def record_of(
    doc: Document,
    score: DocumentScore,
    spans: Iterable[Span],
    passages: Iterable[Passage] = (),
    templates: Mapping[str, Template] | None = None,
) -> dict:
    """The output object of a document given its score, spans and passages.

    With ``templates`` (``--explain``), each span also carries the template text
    it matched and the word-level edits between the two.
    """
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
        "parent": doc.parent,
        "flags": list(doc.flags),
        "passages": [{"start": p.start, "end": p.end, "role": p.role} for p in passages],
        "spans": [_span_out(doc, s, templates) for s in text_order(spans)],
    }


def _span_out(doc: Document, span: Span, templates: Mapping[str, Template] | None) -> dict:
    record = span_record(span)
    if templates is not None:
        why = explain(doc.text, span, templates[span.template_id])
        record["template_text"] = why.template_text
        record["edits"] = [{"op": e.op, "document": e.document, "template": e.template} for e in why.edits]
    return record


def _records(result: Result, explain_spans: bool) -> Iterator[dict]:
    """Every document's output object, in document order."""
    passages = _by_document(result, result.passages, "doc_id")
    templates = {t.id: t for t in result.templates} if explain_spans else None
    for d, (doc, score, spans) in enumerate(by_document(result)):
        yield record_of(doc, score, spans, passages(d, doc.id), templates)


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


def result_record(result: Result, *, explain: bool = False) -> dict:
    """The whole scan as one JSON-ready object, keys in contract order."""
    return _result_fields(result, list(_records(result, explain)))


def _result_fields(result: Result, documents) -> dict:
    return {
        "nccd_version": __version__,
        "settings": result.settings.as_dict(),
        "documents": documents,
        "templates": [template_record(t) for t in result.templates],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }


def write_json(result: Result, out: TextIO, *, explain: bool = False) -> None:
    """Write the scan to ``out`` as one indented JSON document, a document object at
    a time (only one is held); the text is :func:`to_json`'s."""
    jsontext.write(_result_fields(result, jsontext.Streamed(_records(result, explain))), out.write)
    out.write("\n")


def write_jsonl(result: Result, out: TextIO, *, explain: bool = False) -> None:
    """Write one compact document object per line, in document order."""
    for record in _records(result, explain):
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def to_json(result: Result, *, explain: bool = False) -> str:
    """The scan as one indented JSON document; equal results give identical text
    (``json.dumps(result_record(result), indent=2, ensure_ascii=False)`` and a newline)."""
    out = io.StringIO()
    write_json(result, out, explain=explain)
    return out.getvalue()


def to_jsonl(result: Result, *, explain: bool = False) -> str:
    """One compact document object per line, in document order."""
    out = io.StringIO()
    write_jsonl(result, out, explain=explain)
    return out.getvalue()


def template_chars(doc: Document, spans: Iterable[Span]) -> list[tuple[str, int]]:
    """``(template_id, characters covered)`` of one document, most covered first.

    Characters are non-whitespace characters of ``doc.text`` under the union
    of the template's spans, as in the ``reuse`` score; ties go by id.
    """
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        ranges[s.template_id].append((s.start, s.end))
    solid = solid_counts(doc.text)
    counts = {tid: covered(r, solid) for tid, r in ranges.items()}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
