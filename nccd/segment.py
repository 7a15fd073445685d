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

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import Document, Passage
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
        content = raw.strip()
        if content:
            lead = start + len(raw) - len(raw.lstrip())
            out.append((lead, lead + len(content), content))
        start += len(raw) + 1
    return out


def lines_of(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with their stripped offsets."""
    return [Line(*line) for line in _lines(text)]


def _terminal(content: str) -> bool:
    """Whether a stripped line ends a sentence ("… held.", "… (s31).’")."""
    body = content.rstrip(_CLOSING)
    return body != "" and body[-1] in _SENTENCE_END


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


def _wrap_width(lines: Sequence[tuple[int, int, str]]) -> int | None:
    """The printed line width when the text is hard-wrapped, else ``None``."""
    if len(lines) < 8:
        return None
    open_ended = sum(1 for _, _, content in lines if not _terminal(content))
    if open_ended / len(lines) < 0.5:
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


def _continues(prev: str, line: str, wrap: int | None) -> bool:
    """Whether the line ``line`` continues the paragraph whose last line is ``prev``."""
    if _terminal(prev) or _list_item(line):
        return False
    if _heading(line) or _heading(prev):
        return False
    if line[0] in _LOWER_FIRST and _LOWER_START.match(line):
        return True
    return wrap is not None and len(prev) >= 0.7 * wrap


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each re-flowed paragraph of ``text``, in order."""
    lines = _lines(text)
    wrap = _wrap_width(lines)
    furniture = _furniture(lines) if wrap is not None else {
        i for i, (_, _, content) in enumerate(lines) if _url(content)
    }
    bounds: list[list[int]] = []
    prev: str | None = None
    for i, (start, end, content) in enumerate(lines):
        if i in furniture:
            # Furniture never ends or starts a paragraph; a URL stays attached to
            # the paragraph it interrupts so offsets remain contiguous.
            if bounds and _url(content):
                bounds[-1][1] = end
            continue
        if prev is not None and bounds and _continues(prev, content, wrap):
            bounds[-1][1] = end
        else:
            bounds.append([start, end])
        prev = content
    return list(map(tuple, bounds))  # type: ignore[arg-type]


def segment(doc: Document) -> list[Passage]:
    """Split a document into role-labelled passages.

    Parameters
    ----------
    doc:
        The document; passage offsets index ``doc.text``.
    """
    spans = paragraphs(doc.text)
    roles = classify_roles([doc.text[s:e] for s, e in spans])
    return [
        Passage(doc.id, i, s, e, role) for i, ((s, e), role) in enumerate(zip(spans, roles))
    ]
