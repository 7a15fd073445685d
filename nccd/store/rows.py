"""Records ↔ table rows: what ``Store`` writes and how it reads it back.

Lists and maps are stored as JSON text so the tables read well anywhere;
MinHash signatures as raw little-endian ``uint32`` bytes, which is compact and
``numpy.frombuffer(blob, "<u4")`` gives them back.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterator, Sequence

import numpy as np

from ..normalize import Normalized
from ..model import ROLES, Document, DocumentScore, Passage, Result, Span, Template, Variant
from ..align import Vocabulary
from ..align.keys import template_keys
from ..align.targets import TemplateIndex
from ..settings import Settings

DOCUMENT_COLUMNS = ('id, path, file, force, date, year, reference, title, sha256, parent, flags, inferred, '
                    '"ignore", text')

_REUSE = ", ".join(f"reuse_{role}" for role in ROLES)

#: Derived tables, children first, so emptying them never cascades.
DERIVED: tuple[str, ...] = (
    "spans", "template_keys", "template_documents", "template_variants", "signatures", "scores", "passages", "templates",
)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def document_row(doc: Document, file: str) -> tuple:
    """The ``documents`` row of ``doc``, read from ``file``."""
    return (doc.id, doc.path, file, doc.force, doc.date, doc.year, doc.reference, doc.title, doc.sha256,
            doc.parent, _dumps(list(doc.flags)), _dumps(list(doc.inferred)),
            _dumps([list(r) for r in doc.ignore]), doc.text)


def document_of(row: Sequence) -> Document:
    """The ``Document`` of a ``documents`` row selected as ``DOCUMENT_COLUMNS``."""
    (doc_id, path, _file, force, date, year, reference, title, sha256, parent, flags, inferred, ignore,
     text) = row
    return Document(
        id=doc_id, path=path, text=text, force=force, date=date, reference=reference, title=title,
        sha256=sha256, year=year, inferred=tuple(json.loads(inferred)), parent=parent,
        flags=tuple(json.loads(flags)), ignore=tuple((int(a), int(b)) for a, b in json.loads(ignore)),
    )


def write_result(conn: sqlite3.Connection, result: Result) -> None:
    """Insert every derived row of ``result`` (the derived tables must be empty)."""
    settings = result.settings
    index = TemplateIndex(result.templates, Vocabulary(), settings.shingle_size, settings.max_postings)
    _write_templates(conn, result.templates, {(t.template.id, t.variant): t.words for t in index.targets})
    conn.executemany('INSERT INTO template_keys ("key", template_id) VALUES (?, ?)',
                     template_keys(index, settings.min_words))
    write_document_results(conn, result)


def write_document_results(conn: sqlite3.Connection, result: Result) -> None:
    """Insert the passages, signatures, spans and scores of ``result``'s documents
    (its templates are written by :func:`write_result`, or are those stored)."""
    texts = {d.id: d.text for d in result.documents}
    conn.executemany('INSERT INTO passages (doc_id, idx, "start", "end", role, text) VALUES (?, ?, ?, ?, ?, ?)',
                     ((p.doc_id, p.index, p.start, p.end, p.role, texts[p.doc_id][p.start:p.end])
                      for p in result.passages))
    blobs = np.asarray(result.signatures).astype("<u4", copy=False)  # run() sketched them
    conn.executemany("INSERT INTO signatures (doc_id, idx, minhash) VALUES (?, ?, ?)",
                     ((p.doc_id, p.index, blobs[i].tobytes()) for i, p in enumerate(result.passages)))
    conn.executemany(
        'INSERT INTO spans (doc_id, "start", "end", template_id, template_start, template_end, similarity, '
        "role, variant, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((s.doc_id, s.start, s.end, s.template_id, s.template_start, s.template_end, float(s.similarity),
          s.role, s.variant, texts[s.doc_id][s.start:s.end]) for s in result.spans))
    marks = ", ".join("?" * (len(ROLES) + 6))
    conn.executemany(
        f"INSERT INTO scores (doc_id, chars, reuse, {_REUSE}, ncnd, exemptions, coverage) VALUES ({marks})",
        ((s.doc_id, s.chars, float(s.reuse), *(float(s.reuse_by_role.get(r, 0.0)) for r in ROLES),
          int(bool(s.ncnd)), _dumps(list(s.exemptions)), _dumps(dict(s.coverage))) for s in result.scores))


def _write_templates(conn: sqlite3.Connection, templates: Sequence[Template],
                     words: dict[tuple[str, int], Normalized]) -> None:
    """The templates' rows, each wording with its comparison words (space-joined) and
    their offsets (``offsets``: the starts then the ends, little-endian int32), so an
    add does not normalise the wordings it aligns against again."""
    conn.executemany(
        "INSERT INTO templates (id, source, name, role, text, documents, forces, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((t.id, t.source, t.name, t.role, t.text, len(t.documents), _dumps(list(t.forces)), t.first_seen,
          t.last_seen) for t in templates))
    conn.executemany(
        "INSERT INTO template_variants (template_id, variant, text, documents, words, offsets) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((t.id, k, v.text, _dumps(list(v.documents)), *_comparison(words[t.id, k]))
         for t in templates for k, v in enumerate(t.variants)))
    conn.executemany("INSERT INTO template_documents (template_id, doc_id) VALUES (?, ?)",
                     ((t.id, d) for t in templates for d in t.documents))


def _comparison(words: Normalized) -> tuple[str, bytes]:
    return words.text, np.concatenate([words.starts, words.ends]).astype("<i4").tobytes()


def _normalized(text: str, words: str | None, offsets: bytes | None) -> Normalized | None:
    """A wording's stored comparison words, or ``None`` when a store from before kept none."""
    if words is None or offsets is None:
        return None
    both = np.frombuffer(offsets, dtype="<i4").astype(np.int32, copy=False)  # a view where int32 is "<i4"
    half = len(both) // 2
    return Normalized(tuple(words.split(" ")) if words else (), both[:half], both[half:], text)


def read_result(conn: sqlite3.Connection, settings: Settings) -> Result:
    """The stored results, rebuilt; call inside one read transaction so the tables agree."""
    rows = conn.execute(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id IN (SELECT doc_id FROM scores) ORDER BY rowid")
    # Sorted in Python, stably: the order ``ingest`` gives a scan, and so the pipeline's.
    documents = tuple(sorted((document_of(r) for r in rows), key=lambda d: d.path))
    # In document order, as the pipeline gives them: documents added without
    # discovery have their rows after the others'.
    place = {d.id: k for k, d in enumerate(documents)}
    passages = tuple(sorted((Passage(*r) for r in conn.execute(
        'SELECT doc_id, idx, "start", "end", role FROM passages ORDER BY rowid')), key=lambda p: place[p.doc_id]))
    spans = tuple(sorted((Span(*r) for r in conn.execute(
        'SELECT doc_id, "start", "end", template_id, template_start, template_end, similarity, role, variant '
        "FROM spans ORDER BY rowid")), key=lambda s: place[s.doc_id]))
    scores = {s.doc_id: s for s in _read_scores(conn)}
    return Result(settings, documents, passages, spans, tuple(read_templates(conn)),
                  tuple(scores[d.id] for d in documents), (), {})


def read_templates(conn: sqlite3.Connection) -> Iterator[Template]:
    """The stored templates, in the order they were written."""
    variants: dict[str, list[Variant]] = {}
    for tid, text, docs in conn.execute(
            "SELECT template_id, text, documents FROM template_variants ORDER BY template_id, variant"):
        variants.setdefault(tid, []).append(Variant(text, tuple(json.loads(docs))))
    members: dict[str, list[str]] = {}
    for tid, doc_id in conn.execute("SELECT template_id, doc_id FROM template_documents ORDER BY rowid"):
        members.setdefault(tid, []).append(doc_id)
    for tid, source, name, role, text, forces, first, last in conn.execute(
            "SELECT id, source, name, role, text, forces, first_seen, last_seen FROM templates ORDER BY rowid"):
        yield Template(id=tid, text=text, role=role, documents=tuple(members.get(tid, ())),
                       forces=tuple(json.loads(forces)), first_seen=first, last_seen=last,
                       variants=tuple(variants.get(tid, ())), source=source, name=name)


def has_template_keys(conn: sqlite3.Connection) -> bool:
    """Whether the templates' keys are stored (a store from before they were kept has
    templates but no keys)."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM template_keys) OR NOT EXISTS "
                             "(SELECT 1 FROM templates)").fetchone()[0])


def templates_meeting(conn: sqlite3.Connection, keys: Sequence[int]) -> tuple[list[Template], dict[str, Normalized]]:
    """The stored templates holding any of ``keys`` (:func:`nccd.align.keys.passage_keys`),
    sorted by id, as new documents are aligned against them: without the documents and
    forces holding them (a new document is in none, and they are not written back);
    and their wordings' stored comparison words (text → words)."""
    found = [r[0] for r in conn.execute(
        'SELECT DISTINCT template_id FROM template_keys WHERE "key" IN (SELECT value FROM json_each(?)) '
        "ORDER BY template_id", (json.dumps(list(keys)),))]
    wanted = json.dumps(found)
    variants: dict[str, list[Variant]] = {}
    wordings: dict[str, Normalized] = {}
    for tid, text, words, offsets in conn.execute(
            "SELECT template_id, text, words, offsets FROM template_variants WHERE template_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY template_id, variant", (wanted,)):
        variants.setdefault(tid, []).append(Variant(text, ()))
        known = _normalized(text, words, offsets)
        if known is not None:
            wordings[text] = known
    return [Template(id=tid, text=text, role=role, documents=(), forces=(), first_seen=first, last_seen=last,
                     variants=tuple(variants.get(tid, ())), source=source, name=name)
            for tid, source, name, role, text, first, last in conn.execute(
                "SELECT id, source, name, role, text, first_seen, last_seen FROM templates "
                "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (wanted,))], wordings


def _read_scores(conn: sqlite3.Connection) -> Iterator[DocumentScore]:
    for row in conn.execute(f"SELECT doc_id, chars, reuse, {_REUSE}, ncnd, exemptions, coverage FROM scores"):
        doc_id, chars, reuse, *rest = row
        by_role, (ncnd, exemptions, coverage) = rest[:len(ROLES)], rest[len(ROLES):]
        yield DocumentScore(doc_id=doc_id, chars=chars, reuse=reuse, reuse_by_role=dict(zip(ROLES, by_role)),
                            coverage=json.loads(coverage), ncnd=bool(ncnd), exemptions=tuple(json.loads(exemptions)))
