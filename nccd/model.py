"""Records passed between pipeline stages.

All records are frozen dataclasses. Offsets are Python ``str`` indices
(Unicode code points) into ``Document.text``, half-open ``[start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

#: The roles a passage or span can carry (see README "Roles").
ROLES: tuple[str, ...] = ("ncnd", "legal", "request", "letter", "answer")

#: Each role's number (its place in ``ROLES``), as arrays of roles hold them.
ROLE_CODE: dict[str, int] = {role: k for k, role in enumerate(ROLES)}

#: Roles whose reuse counts towards a document's ``reuse`` score.
TEMPLATE_ROLES: tuple[str, ...] = ("ncnd", "legal", "letter", "answer")


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Metadata:
    """Descriptive fields of a response, from a manifest or inferred from its text.

    ``inferred`` names the fields that came from the text rather than a manifest.
    """

    force: str | None = None
    date: str | None = None  # ISO 8601 "YYYY-MM-DD" when the day is known
    year: int | None = None
    reference: str | None = None
    title: str | None = None
    inferred: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One response: its original text, kept verbatim, and its metadata."""

    id: str
    path: str
    text: str
    force: str | None
    date: str | None
    reference: str | None
    title: str | None
    sha256: str
    year: int | None = None
    inferred: tuple[str, ...] = ()
    parent: str | None = None  # the e-mail an attachment came with
    flags: tuple[str, ...] = ()  # e.g. "failed-redaction"
    ignore: tuple[tuple[int, int], ...] = ()  # page furniture: in the text, not compared


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph of a document: ``Document.text[start:end]``."""

    doc_id: str
    index: int
    start: int
    end: int
    role: str


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a document that reproduces a stretch of a template.

    ``template_start``/``template_end`` index the text of the template variant
    ``variant`` (0 is the template's canonical text).
    """

    doc_id: str
    start: int
    end: int
    template_id: str
    template_start: int
    template_end: int
    similarity: float
    role: str
    variant: int = 0


@dataclass(frozen=True)
class Variant:
    """One wording of a template and the documents that hold it."""

    text: str
    documents: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    """A family of text shared across documents, or a template the user gave."""

    id: str
    text: str
    role: str
    documents: tuple[str, ...]
    forces: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    variants: tuple[Variant, ...] = ()
    source: str = "discovered"  # or "user"
    name: str | None = None


@dataclass(frozen=True)
class DocumentScore:
    """Per-document reuse figures (README "Scores")."""

    doc_id: str
    chars: int
    reuse: float
    reuse_by_role: Mapping[str, float]
    coverage: Mapping[str, float]
    ncnd: bool
    exemptions: tuple[str, ...]


def equal_records(records: Sequence, other: object) -> bool:
    """Whether ``other`` is a sequence of the same records in the same order: how a
    read-only table of records (:class:`nccd.spantable.SpanTable`) compares, as a
    tuple of them would."""
    if not isinstance(other, Sequence) or isinstance(other, str) or len(records) != len(other):
        return False
    return all(a == b for a, b in zip(records, other))


@dataclass(frozen=True)
class Result:
    """Everything one scan produced."""

    settings: Any
    documents: tuple[Document, ...]
    #: Document by document; a :class:`nccd.segment.FlatPassages` from a scan (arrays read as passages).
    passages: Sequence[Passage]
    #: In document order; a :class:`nccd.spantable.SpanTable` from a scan (arrays read as spans).
    spans: Sequence[Span]
    templates: tuple[Template, ...]
    scores: tuple[DocumentScore, ...]
    skipped: tuple[Skipped, ...]
    timings: Mapping[str, float] = field(default_factory=dict, compare=False)
    #: MinHash signature of every passage, in passage order (numpy ``uint32`` rows), when computed.
    signatures: Any = field(default=None, compare=False, repr=False)

    def document(self, doc_id: str) -> Document:
        """Return the document with id ``doc_id``."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def score(self, doc_id: str) -> DocumentScore:
        """Return the score of the document with id ``doc_id``."""
        for score in self.scores:
            if score.doc_id == doc_id:
                return score
        raise KeyError(doc_id)

    def spans_of(self, doc_id: str) -> tuple[Span, ...]:
        """Spans of one document, in text order."""
        return tuple(s for s in self.spans if s.doc_id == doc_id)
