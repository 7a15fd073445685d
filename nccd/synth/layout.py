"""Lay a response out as text and record where every labelled piece lands.

A response arrives as paragraphs of pieces ``(text, label)``; a label is an
index into the document's list of spans-to-be, so the pieces of one copied
passage (one per paragraph) share a label and merge back into one span.
Offsets are computed while the text is written, never searched for afterwards.

Two layouts:

* :func:`plain`: paragraphs separated by a blank line.
* :func:`wrapped`: PDF-style text. Every line is ``width`` characters or fewer
  and followed by a blank line (paragraph ends carry two trailing spaces, block
  ends an extra blank line); each page opens with a header line and, from the
  second page on, the previous page's footer URL is dropped mid-sentence before
  it. A piece that runs across a page break becomes two segments, one each side
  of the furniture, because the furniture is not part of it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

Paragraph = list[tuple[str, int]]
Segment = tuple[int, int, int]  # start, end, label


@dataclass(frozen=True)
class Wrap:
    """How a hard-wrapped document is laid out.

    Attributes
    ----------
    width:
        Longest line, in characters (a single longer word gets a line of its own).
    page_lines:
        Text lines per page.
    header, footer:
        The page furniture; each occurrence is labelled ``header_label`` or
        ``footer_label``.
    """

    width: int
    page_lines: int
    header: str
    footer: str
    header_label: int
    footer_label: int


def plain(paragraphs: list[Paragraph]) -> tuple[str, list[Segment]]:
    """Paragraphs separated by ``"\\n\\n"``; returns the text and its merged segments."""
    out: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for paragraph in paragraphs:
        if out:
            out.append("\n\n")
            pos += 2
        for text, label in paragraph:
            _trimmed(segments, text, pos, label)
            out.append(text)
            pos += len(text)
    return "".join(out), _merge(segments)


def wrapped(paragraphs: list[Paragraph], block_ends: list[bool], wrap: Wrap) -> tuple[str, list[Segment]]:
    """Hard-wrapped, paginated text; returns the text and its merged segments.

    Parameters
    ----------
    paragraphs:
        The response's paragraphs, each a list of ``(text, label)`` pieces.
    block_ends:
        For each paragraph, whether a section (a passage or bespoke block) ends with it.
    wrap:
        Line width, page length and furniture.
    """
    state = _Pages(wrap)
    for paragraph, block_end in zip(paragraphs, block_ends):
        full = "".join(text for text, _ in paragraph)
        starts, ends, outs, pages = state.write(full)
        offset = 0
        for text, label in paragraph:
            _map_piece(state.segments, text, offset, label, starts, ends, outs, pages)
            offset += len(text)
        if block_end:
            state.emit(" \n\n")
    return "".join(state.out), _merge(state.segments)


class _Pages:
    """The growing output of a wrapped document: text, position, page and furniture."""

    def __init__(self, wrap: Wrap) -> None:
        self.wrap = wrap
        self.out: list[str] = []
        self.segments: list[Segment] = []
        self.pos = 0
        self.page = 0
        self.lines_on_page = 0
        self._header()

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += len(text)

    def _header(self) -> None:
        # " header \n\n \n\n": the header line keeps the PDF's surrounding spaces.
        self.segments.append((self.pos + 1, self.pos + 1 + len(self.wrap.header), self.wrap.header_label))
        self.emit(f" {self.wrap.header} \n\n \n\n")

    def _page_break(self) -> None:
        self.segments.append((self.pos, self.pos + len(self.wrap.footer), self.wrap.footer_label))
        self.emit(self.wrap.footer + "\n")
        self.page += 1
        self.lines_on_page = 0
        self._header()

    def write(self, full: str) -> tuple[list[int], list[int], list[int], list[int]]:
        """Write one paragraph; returns its lines' starts and ends (paragraph offsets), output starts, pages."""
        starts, ends = _lines(full, self.wrap.width)
        outs: list[int] = []
        pages: list[int] = []
        last = len(starts) - 1
        for index, (start, end) in enumerate(zip(starts, ends)):
            if self.lines_on_page >= self.wrap.page_lines:
                self._page_break()
            outs.append(self.pos)
            pages.append(self.page)
            self.emit(full[start:end] + ("  \n\n" if index == last else " \n\n"))
            self.lines_on_page += 1
        return starts, ends, outs, pages


def _lines(text: str, width: int) -> tuple[list[int], list[int]]:
    """Greedy line breaks at single spaces: each line's start and end offsets in ``text``."""
    starts, ends = [], []
    start, size = 0, len(text)
    while size - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            cut = text.find(" ", start + width)  # one word longer than the line
            if cut < 0:
                break
        starts.append(start)
        ends.append(cut)
        start = cut + 1
    starts.append(start)
    ends.append(size)
    return starts, ends


def _map_piece(segments: list[Segment], text: str, offset: int, label: int, starts: list[int],
               ends: list[int], outs: list[int], pages: list[int]) -> None:
    """Add the output segments of one piece: split where a page break falls inside it."""
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip())
    if tail <= lead:
        return
    first, last = offset + lead, offset + tail
    line = bisect_right(starts, first) - 1
    final = bisect_right(starts, last - 1) - 1
    group = line
    for index in range(line, final + 1):
        if index == final or pages[index + 1] != pages[index]:
            begin = max(first, starts[group])
            stop = min(last, ends[index])
            segments.append((outs[group] + begin - starts[group], outs[index] + stop - starts[index], label))
            group = index + 1


def _trimmed(segments: list[Segment], text: str, pos: int, label: int) -> None:
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip())
    if tail > lead:
        segments.append((pos + lead, pos + tail, label))


def _merge(segments: list[Segment]) -> list[Segment]:
    """Sort segments and join neighbours of one label (a passage's paragraphs) into one span."""
    segments.sort()
    merged: list[Segment] = []
    for start, end, label in segments:
        if merged and merged[-1][2] == label:
            merged[-1] = (merged[-1][0], end, label)
        else:
            merged.append((start, end, label))
    return merged
