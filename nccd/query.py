"""query: every passage in a corpus that reuses a given text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .align.documents import TemplateIndex, align_document
from .layout import Layout
from .model import Passage, Result
from .normalize import normalize
from .settings import Settings
from .shingle import shingle
from .template import user_template


@dataclass(frozen=True)
class Hit:
    """``document.text[start:end]`` reuses ``text[query_start:query_end]`` of the query."""

    doc_id: str
    path: str
    force: str | None
    date: str | None
    year: int | None
    start: int
    end: int
    query_start: int
    query_end: int
    similarity: float
    role: str
    text: str


def query(result: Result, text: str, settings: Settings | None = None, *, min_similarity: float | None = None
          ) -> list[Hit]:
    """Align ``text`` against every document of ``result``; best hits first.

    Parameters
    ----------
    result:
        A scan or a store's ``Store.result()``.
    text:
        The wording to look for (a clause, a paragraph, a whole template).
    settings:
        The corpus's settings (``result.settings`` when omitted).
    min_similarity:
        Overrides ``settings.min_similarity`` for this query.
    """
    settings = settings or result.settings
    if min_similarity is not None:
        settings = Settings(**{**settings.as_dict(), "min_similarity": min_similarity})
    docs = list(result.documents)
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for p in result.passages:
        by_doc[p.doc_id].append(p)
    layout = Layout(docs, [normalize(d.text, ignore=d.ignore) for d in docs], [by_doc[d.id] for d in docs])
    shingles = shingle(layout.passage_words(), settings.shingle_size)
    index = TemplateIndex([user_template("query", text)], layout.vocab, settings.shingle_size,
                          settings.max_postings)
    hits = []
    for d, doc in enumerate(docs):
        for span in align_document(layout.doc_words(d, shingles), index, settings):
            hits.append(Hit(doc.id, doc.path, doc.force, doc.date, doc.year, span.start, span.end,
                            span.template_start, span.template_end, span.similarity, span.role,
                            doc.text[span.start:span.end]))
    return sorted(hits, key=lambda h: (-h.similarity, -(h.end - h.start), h.path, h.start))

