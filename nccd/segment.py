"""segment: a document → its paragraphs (``Passage``s) with original offsets.

Responses reach us as web pages, letters and PDF text. PDF text is hard-wrapped:
every printed line ends in a newline (often followed by a blank line), page
headers repeat, and a footer URL can land in the middle of a sentence. Splitting
on blank lines would make every printed line a "paragraph", so lines are
re-flowed: a line continues the paragraph above when that paragraph has not
ended a sentence and the line either starts in lower case or the text is
hard-wrapped and the line above ran to the wrap width.

Each test on a line looks at its first or last characters with string methods
before any regex runs: most lines cannot match, and a document has many lines.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import ROLE_CODE, ROLES, Document, Passage, equal_records
from .roles import classify_roles

_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]\s+|\d{1,3}[.)]\s*(?=\S)|\(?[a-z][.)]\s+|\(?[ivx]{1,4}[.)]\s+)")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*$)")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_LOWER_START = re.compile(r"^\s*[\(\"'‘“]?[a-z]")
# A line's content is stripped, so each pattern above can only match a line that
# starts with one of these: a cheap test that spares most lines the regex.
_LIST_FIRST = frozenset("-*•·(abcdefghijklmnopqrstuvwxyz")
_HEADING_FIRST = frozenset("#*")
_LOWER_FIRST = frozenset("(\"'‘“abcdefghijklmnopqrstuvwxyz")
_URL_FIRST = ("http://", "https://", "www.")
# A line ends a sentence (regex ``[.!?:;]['"’”)\]*_]*$``): a sentence end, then
# only closing marks. String methods do it without a scan from every position.
_SENTENCE_END = frozenset(".!?:;")
_CLOSING = "'\"’”)]*_"


@dataclass(frozen=True)
class Line:
    """One non-blank line: ``text[start:end]`` without surrounding whitespace."""

    start: int
    end: int
    content: str


def _lines(text: str) -> list[tuple[int, int, str]]:
    """:func:`lines_of` as plain ``(start, end, content)`` tuples, cheaper to make."""
    out = []
    start = 0
    # A line is a run of characters other than CR and LF; split() cuts them in C.
    for raw in text.replace("\r", "\n").split("\n"):
        if raw:  # most blank lines are empty
            content = raw.strip()
            if content:
                # Most lines start with their content: no leading white space to measure.
                lead = start if raw[0] == content[0] else start + len(raw) - len(raw.lstrip())
                out.append((lead, lead + len(content), content))
        start += len(raw) + 1
    return out


def lines_of(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with their stripped offsets."""
    return [Line(*line) for line in _lines(text)]


def _ended(lines: Sequence[tuple[int, int, str]]) -> list[bool]:
    """Per stripped line, whether it ends a sentence ("… held.", "… (s31).’");
    with nothing but closing marks, ``[-1:]`` is "": not an end."""
    return [content.rstrip(_CLOSING)[-1:] in _SENTENCE_END for _, _, content in lines]


def _list_item(content: str) -> bool:
    """Whether a stripped line starts a list item ("- ", "2. ", "(b) ")."""
    first = content[0]
    return (first in _LIST_FIRST or first.isdigit()) and _LIST_ITEM.match(content) is not None


def _heading(content: str) -> bool:
    """Whether a stripped line is a markdown or all-bold heading."""
    return content[0] in _HEADING_FIRST and _HEADING.match(content) is not None


def _url(content: str) -> bool:
    """Whether a stripped line is a bare URL."""
    return content.startswith(_URL_FIRST) and _URL_LINE.match(content) is not None


def _wrap_width(lines: Sequence[tuple[int, int, str]], ended: Sequence[bool]) -> int | None:
    """The printed line width when the text is hard-wrapped, else ``None``.

    ``ended``: per line, whether it ends a sentence (:func:`_ended`).
    """
    if len(lines) < 8:
        return None
    if (len(lines) - sum(ended)) / len(lines) < 0.5:
        return None  # decided before the percentile, which costs more
    width = int(np.percentile(np.array([end - start for start, end, _ in lines]), 90))
    return width if width <= 130 else None


def _furniture(lines: Sequence[tuple[int, int, str]]) -> set[int]:
    """Indexes of lines that are page furniture: bare URLs and repeated short lines."""
    counts = Counter(content for _, _, content in lines)
    return {
        i
        for i, (_, _, content) in enumerate(lines)
        if _url(content) or (counts[content] > 1 and len(content) < 80)
    }


def _urls(lines: Sequence[tuple[int, int, str]]) -> set[int]:
    """Indexes of the lines that are bare URLs (:func:`_url`, inlined: one test per line)."""
    return {i for i, (_, _, content) in enumerate(lines)
            if content.startswith(_URL_FIRST) and _URL_LINE.match(content)}


def _continues(prev: str, line: str, wrap: int | None) -> bool:
    """Whether the line ``line`` continues the paragraph whose last line, ``prev``,
    does not end a sentence."""
    if _list_item(line) or _heading(line) or _heading(prev):
        return False
    if line[0] in _LOWER_FIRST and _LOWER_START.match(line):
        return True
    return wrap is not None and len(prev) >= 0.7 * wrap


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each re-flowed paragraph of ``text``, in order."""
    lines = _lines(text)
    ended = _ended(lines)
    wrap = _wrap_width(lines, ended)
    furniture = _furniture(lines) if wrap is not None else _urls(lines)
    if not furniture and lines:
        # A line starts a paragraph unless the line before is open and it goes on from it.
        firsts = [0] + [i for i in range(1, len(lines))
                        if ended[i - 1] or not _continues(lines[i - 1][2], lines[i][2], wrap)]
        lasts = [i - 1 for i in firsts[1:]] + [len(lines) - 1]
        return [(lines[a][0], lines[b][1]) for a, b in zip(firsts, lasts)]
    starts: list[int] = []
    ends: list[int] = []
    prev = ""
    prev_ended = True  # before the first line: nothing to continue
    for i, (start, end, content) in enumerate(lines):
        if i in furniture:
            # Furniture never ends or starts a paragraph; a URL stays attached to
            # the paragraph it interrupts so offsets remain contiguous.
            if ends and _url(content):
                ends[-1] = end
            continue
        if not prev_ended and _continues(prev, content, wrap):
            ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
        prev, prev_ended = content, ended[i]
    return list(zip(starts, ends))


def _passages(doc_id: str, spans: Sequence[tuple[int, int]], roles: Sequence[str]) -> list[Passage]:
    """``Passage(doc_id, i, start, end, role)`` for each span and role.

    ``Passage`` is a frozen dataclass with slots: its ``__init__`` sets each field
    through ``object.__setattr__``. Setting the slots directly makes the same
    objects in half the time; if ``Passage`` ever gains more than its fields
    (other fields, ``__post_init__``), it is called as usual.
    """
    if _SLOTS is None:
        return [Passage(doc_id, i, s, e, role) for i, ((s, e), role) in enumerate(zip(spans, roles))]
    out = []
    new = object.__new__
    set_doc, set_index, set_start, set_end, set_role = _SLOTS
    for i, ((s, e), role) in enumerate(zip(spans, roles)):
        p = new(Passage)
        set_doc(p, doc_id)
        set_index(p, i)
        set_start(p, s)
        set_end(p, e)
        set_role(p, role)
        out.append(p)
    return out


def _slot_setters() -> tuple | None:
    """The setters of ``Passage``'s slots, in field order; ``None`` unless its
    ``__init__`` does nothing but set them."""
    names = ("doc_id", "index", "start", "end", "role")
    if (tuple(f.name for f in dataclasses.fields(Passage)) != names or hasattr(Passage, "__post_init__")
            or getattr(Passage, "__slots__", None) != names or not Passage.__dataclass_params__.init):
        return None
    return tuple(getattr(Passage, name).__set__ for name in names)


_SLOTS = _slot_setters()


def segment(doc: Document) -> list[Passage]:
    """Split a document into role-labelled passages.

    Parameters
    ----------
    doc:
        The document; passage offsets index ``doc.text``.
    """
    return _passages(doc.id, *_segmented(doc))


def _segmented(doc: Document) -> tuple[list[tuple[int, int]], list[str]]:
    """A document's paragraphs as ``(start, end)`` offsets, and the role of each."""
    spans = paragraphs(doc.text)
    return spans, classify_roles([doc.text[s:e] for s, e in spans])


@dataclass(frozen=True, eq=False)
class PassageTable(Sequence[list[Passage]]):
    """The passages of many documents as arrays: document ``d``'s are rows
    ``ptr[d]:ptr[d + 1]`` of ``start``, ``end`` (int64 offsets into its text) and
    ``role`` (numbers into ``ROLES``). A few bytes a passage where ``Passage``
    objects take well over a hundred (at 100,000 documents there are four million);
    indexing gives a document's passages as ``Passage`` objects, made when asked for.
    """

    doc_ids: tuple[str, ...]
    ptr: np.ndarray
    start: np.ndarray
    end: np.ndarray
    role: np.ndarray

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __getitem__(self, d):
        if isinstance(d, slice):
            return [self[x] for x in range(*d.indices(len(self)))]
        d = range(len(self))[d]
        lo, hi = int(self.ptr[d]), int(self.ptr[d + 1])
        return _passages(self.doc_ids[d], list(zip(self.start[lo:hi].tolist(), self.end[lo:hi].tolist())),
                         [ROLES[r] for r in self.role[lo:hi].tolist()])

    def counts(self) -> np.ndarray:
        """Passages per document (int64)."""
        return np.diff(self.ptr)

    def roles(self, d: int) -> tuple[str, ...]:
        """Document ``d``'s passage roles, in text order."""
        return tuple(ROLES[r] for r in self.role[self.ptr[d]:self.ptr[d + 1]].tolist())

    def flat(self) -> "FlatPassages":
        """Every passage, document by document (made when read: four million
        ``Passage`` objects were half a GB at 100,000 documents)."""
        return FlatPassages(self)

    @classmethod
    def of(cls, documents: Sequence[Document], passages: Sequence[Sequence[Passage]]) -> "PassageTable":
        """The table of ``passages[d]``, the passages of ``documents[d]``."""
        counts = np.fromiter(map(len, passages), dtype=np.int64, count=len(passages))
        ptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        flat = [p for ps in passages for p in ps]
        return cls(tuple(d.id for d in documents), ptr, np.array([p.start for p in flat], dtype=np.int64),
                   np.array([p.end for p in flat], dtype=np.int64),
                   np.array([ROLE_CODE[p.role] for p in flat], dtype=np.uint8))

    @classmethod
    def joined(cls, parts: Sequence["PassageTable"]) -> "PassageTable":
        """The tables of consecutive runs of documents as one."""
        counts = np.concatenate([np.zeros(0, dtype=np.int64)] + [p.counts() for p in parts])
        ptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        column = lambda name, dtype: np.concatenate([np.zeros(0, dtype=dtype)] + [getattr(p, name) for p in parts])
        return cls(tuple(d for p in parts for d in p.doc_ids), ptr, column("start", np.int64),
                   column("end", np.int64), column("role", np.uint8))


class FlatPassages(Sequence[Passage]):
    """Every passage of a :class:`PassageTable`, document by document, as one read-only
    sequence of ``Passage`` records made when read (equal to any sequence of the same)."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return int(self.table.ptr[-1])

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        k = range(len(self))[k]  # a negative index counts from the end; out of range raises
        d = int(np.searchsorted(self.table.ptr, k, "right")) - 1
        return self.table[d][k - int(self.table.ptr[d])]

    def __iter__(self):
        return (p for d in range(len(self.table)) for p in self.table[d])

    def __eq__(self, other) -> bool:
        return equal_records(self, other)

    __hash__ = None  # type: ignore[assignment]  # equal to its passages, as a list

    def __repr__(self) -> str:
        return f"FlatPassages({len(self)} passages)"


def segment_table(documents: Sequence[Document]) -> PassageTable:
    """:func:`segment` of every document, as one :class:`PassageTable`."""
    starts, ends, roles, counts = [], [], [], []
    for doc in documents:
        spans, named = _segmented(doc)
        starts.extend(s for s, _ in spans)
        ends.extend(e for _, e in spans)
        roles.extend(map(ROLE_CODE.__getitem__, named))
        counts.append(len(spans))
    ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return PassageTable(tuple(d.id for d in documents), ptr, np.array(starts, dtype=np.int64),
                        np.array(ends, dtype=np.int64), np.array(roles, dtype=np.uint8))
