"""PDF responses: bytes → the text of their text layer.

The text is pypdf's plain extraction, page by page, repaired with ftfy
(ligatures, mojibake) before any offset is taken, so every offset indexes the
string returned. Two more things are worked out while a page is read:

* page furniture (running headers and footers, page numbers, bare URLs at the
  top or bottom of pages), returned as ``Extracted.ignore`` ranges;
* failed redactions: text that a dark filled box was drawn over (or dark text
  drawn on a dark box) is still in the text layer. Its characters are replaced
  with ``MASK`` before anything else sees them, and ``FAILED_REDACTION`` is
  flagged.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from collections import Counter

import ftfy
from pypdf import PdfReader, PasswordType
from pypdf.errors import DependencyError

from . import IngestError
from .extracted import FAILED_REDACTION, MASK, Extracted
from .redaction import _PageScan, _Widths, _annotation_boxes, _hidden_offsets


# pypdf logs every repair it makes to a broken file; without a handler Python
# would print those on standard error, and library code never prints. An
# application that configures logging still receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

#: Pages read at most: a pathological file must not keep a run busy forever.
MAX_PAGES = 2000

#: Where a PDF must announce itself (the standard tolerates leading junk).
_HEADER_WINDOW = 1024

#: Longest pypdf message quoted in a "corrupt PDF (...)" reason.
_MAX_MESSAGE = 80


#: Non-blank lines at the top and at the bottom of a page searched for furniture.
_EDGE = 3

_PAGE_NUMBER = re.compile(
    r"(?i)(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?"
)
_URL = re.compile(r"(?i)(?:https?://|www\.)\S+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")
_MASKED = re.compile(f"({MASK}+)")


def extract(data: bytes, path: str) -> list[Extracted]:
    """The text of a PDF's text layer, with its furniture and failed redactions.

    Parameters
    ----------
    data:
        The file's bytes.
    path:
        The file's display path, for errors.

    Returns
    -------
    list[Extracted]
        Always one record: the pages' texts joined with blank lines, the page
        furniture in ``ignore`` and ``FAILED_REDACTION`` in ``flags`` when text
        hidden under dark boxes was masked. At most ``MAX_PAGES`` pages are read.

    Raises
    ------
    IngestError
        ``"encrypted"`` (no empty password opens it), ``"no text layer: needs
        OCR"`` (no page has text) or ``"corrupt PDF (...)"`` (anything pypdf
        cannot parse, quoting its message).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf's warnings about repairs it made
            return [_extract(data, path)]
    except IngestError:
        raise
    except DependencyError as err:
        # AES needs the optional "cryptography" package even for an empty password.
        raise IngestError(path, f"encrypted ({_short(err)})") from None
    except Exception as err:  # pypdf raises many kinds of error on a broken file
        raise IngestError(path, _corrupt(_short(err))) from None


def _extract(data: bytes, path: str) -> Extracted:
    reader = _open(data, path)
    fonts: dict[int, tuple[object, _Widths]] = {}
    texts: list[str] = []
    redacted = False
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            break
        text, hidden = _page_text(page, fonts)
        texts.append(text)
        redacted = redacted or hidden
    if not texts:
        raise IngestError(path, _corrupt("no pages"))
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 2)
    text, ignore = "\n\n".join(texts), _furniture(texts, starts)
    if not _has_body(text, ignore):
        # Scanned pages often carry a stamped page number or header as text.
        raise IngestError(path, "no text layer: needs OCR")
    return Extracted(text=text, flags=(FAILED_REDACTION,) if redacted else (), ignore=tuple(ignore))


def _has_body(text: str, ignore: list[tuple[int, int]]) -> bool:
    """Whether a letter, a digit or masked text stands outside the furniture."""
    start = 0
    for begin, end in ignore + [(len(text), len(text))]:
        if any(ch.isalnum() or ch == MASK for ch in text[start:begin]):
            return True
        start = end
    return False


def _open(data: bytes, path: str) -> PdfReader:
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise IngestError(path, _corrupt("not a PDF file"))
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise IngestError(path, "encrypted")
    return reader


def _corrupt(message: str) -> str:
    return f"corrupt PDF ({message})"


def _short(err: Exception) -> str:
    """The first line of an exception's message, shortened; its type when it has none."""
    lines = str(err).strip().splitlines()
    message = lines[0].strip() if lines else ""
    if not message:
        return type(err).__name__
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


# ---------------------------------------------------------------- one page


def _page_text(page, fonts: dict[int, tuple[object, _Widths]]) -> tuple[str, bool]:
    """One page's repaired text, and whether hidden text was masked in it."""
    scan = _PageScan(fonts, _xobjects(page))
    raw = page.extract_text(
        visitor_operand_before=scan.operator, visitor_operand_after=scan.after, visitor_text=scan.text,
    )
    boxes = [box for box in scan.boxes + _annotation_boxes(page) if box.usable()]
    hidden: set[int] = set()
    if boxes and scan.runs:
        pieces = "".join(run.text for run in scan.runs)
        hidden = _hidden_offsets(pieces, scan.runs, boxes)
        if hidden:
            # Hidden offsets index the runs, so the text must be theirs: pypdf's
            # own assembly (around form XObjects) can differ slightly from it.
            raw = pieces
    return _fix(_mask(raw, hidden)), bool(hidden)


def _xobjects(page):
    """The page's XObject resources, or ``None``."""
    try:
        return page["/Resources"].get_object()["/XObject"].get_object()
    except Exception:  # no resources or no XObjects: nothing to look up
        return None


def _fix(text: str) -> str:
    """ftfy's repairs (ligatures, mojibake), leaving masked runs exactly as they are."""
    parts = _MASKED.split(text)
    # Curly quotes stay: they are what the page shows, and comparison folds them anyway.
    return "".join(part if part.startswith(MASK) else ftfy.fix_text(part, uncurl_quotes=False)
                   for part in parts if part)


def _mask(text: str, hidden: set[int]) -> str:
    """``text`` with every non-space character at ``hidden`` offsets replaced by ``MASK``."""
    if not hidden:
        return text
    return "".join(MASK if i in hidden and not ch.isspace() else ch for i, ch in enumerate(text))


# ---------------------------------------------------------------- page furniture


def _furniture(pages: list[str], starts: list[int]) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of the joined text that are page furniture.

    Furniture is found at the edges of each page only: working inwards from
    the top and from the bottom, lines are taken while they are a page number,
    a bare URL, or a line that (digits aside) stands at an edge of most pages.
    """
    edges = [_edge_lines(text) for text in pages]
    seen = Counter(key for top, bottom in edges for key in {line[2] for line in top + bottom})
    needed = max(2, math.ceil(len(pages) / 2))
    repeated = {key for key, count in seen.items() if count >= needed and len(key) >= 3}
    ranges: set[tuple[int, int]] = set()
    for (top, bottom), offset in zip(edges, starts):
        for side in (top, reversed(bottom)):
            for begin, end, key, line in side:
                if not (key in repeated or _PAGE_NUMBER.fullmatch(line) or _URL.fullmatch(line)):
                    break
                ranges.add((offset + begin, offset + end))
    return sorted(ranges)


def _edge_lines(text: str) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str, str]]]:
    """The first and last ``_EDGE`` non-blank lines of a page: (start, end, key, line).

    ``start``/``end`` bound the line without its surrounding spaces; ``key`` is
    the line without digits, spaces collapsed and case folded, so "Page 1 of 3"
    and "Page 2 of 3" are one line.
    """
    lines = []
    for match in _LINE.finditer(text):
        line = match.group().strip()
        if line:
            begin = match.start() + match.group().index(line)
            key = _SPACES.sub(" ", _DIGITS.sub("", line)).strip().casefold()
            lines.append((begin, begin + len(line), key, line))
    return lines[:_EDGE], lines[-_EDGE:]


__all__ = ["MAX_PAGES", "extract"]
