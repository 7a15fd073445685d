"""segment: a document → its paragraphs (``Passage``s) with original offsets.

Responses reach us as web pages, letters and PDF text. PDF text is hard-wrapped:
every printed line ends in a newline (often followed by a blank line), page
headers repeat, and a footer URL can land in the middle of a sentence. Splitting
on blank lines would make every printed line a "paragraph", so lines are
re-flowed: a line continues the paragraph above when that paragraph has not
ended a sentence and the line either starts in lower case or the text is
hard-wrapped and the line above ran to the wrap width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import Document, Passage
from .roles import classify_roles

_TERMINAL = re.compile(r"[.!?:;]['\"’”)\]*_]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]\s+|\d{1,3}[.)]\s*(?=\S)|\(?[a-z][.)]\s+|\(?[ivx]{1,4}[.)]\s+)")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*$)")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_LOWER_START = re.compile(r"^\s*[\(\"'‘“]?[a-z]")


@dataclass(frozen=True)
class Line:
    """One non-blank line: ``text[start:end]`` without surrounding whitespace."""

    start: int
    end: int
    content: str


def lines_of(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with their stripped offsets."""
    out: list[Line] = []
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append(Line(start, start + len(stripped), stripped))
    return out


def _wrap_width(lines: Sequence[Line]) -> int | None:
    """The printed line width when the text is hard-wrapped, else ``None``."""
    if len(lines) < 8:
        return None
    lengths = np.array([ln.end - ln.start for ln in lines])
    width = int(np.percentile(lengths, 90))
    open_ended = sum(1 for ln in lines if not _TERMINAL.search(ln.content))
    if width <= 130 and open_ended / len(lines) >= 0.5:
        return width
    return None


def _furniture(lines: Sequence[Line]) -> set[int]:
    """Indexes of lines that are page furniture: bare URLs and repeated short lines."""
    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln.content] = counts.get(ln.content, 0) + 1
    return {
        i
        for i, ln in enumerate(lines)
        if _URL_LINE.match(ln.content) or (counts[ln.content] > 1 and len(ln.content) < 80)
    }


def _continues(prev: Line, line: Line, wrap: int | None) -> bool:
    """Whether ``line`` continues the paragraph whose last line is ``prev``."""
    if _TERMINAL.search(prev.content) or _LIST_ITEM.match(line.content):
        return False
    if _HEADING.match(line.content) or _HEADING.match(prev.content):
        return False
    if _LOWER_START.match(line.content):
        return True
    return wrap is not None and (prev.end - prev.start) >= 0.7 * wrap


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each re-flowed paragraph of ``text``, in order."""
    lines = lines_of(text)
    wrap = _wrap_width(lines)
    furniture = _furniture(lines) if wrap is not None else {
        i for i, ln in enumerate(lines) if _URL_LINE.match(ln.content)
    }
    bounds: list[list[int]] = []
    prev: Line | None = None
    for i, line in enumerate(lines):
        if i in furniture:
            # Furniture never ends or starts a paragraph; a URL stays attached to
            # the paragraph it interrupts so offsets remain contiguous.
            if bounds and _URL_LINE.match(line.content):
                bounds[-1][1] = line.end
            continue
        if prev is not None and bounds and _continues(prev, line, wrap):
            bounds[-1][1] = line.end
        else:
            bounds.append([line.start, line.end])
        prev = line
    return [(s, e) for s, e in bounds]


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
