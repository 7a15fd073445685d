"""normalize: original text → comparison words with offsets back into the original.

Comparison drops what forces vary without changing the wording: case,
punctuation, curly quotes, hyphenation ("on-going"/"ongoing"), a few British
spelling pairs ("practise"/"practice"), URLs and e-mail addresses. Every word
keeps the ``[start, end)`` of the characters it came from, so a match found on
words maps back to the exact text as it stands in the file.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from itertools import compress
from typing import Sequence

import numpy as np

from . import _wordscan

# A word: letters/digits, joined across apostrophes ("isn't") and hyphens
# ("infra-structure"), because forces write both forms of the same word; and
# across a hyphen at a line break followed by a lower-case letter, which is a
# word a PDF hyphenated at the end of a printed line.
_WORD = re.compile(r"[^\W_]+(?:(?:['’\u2010\u2011-]|-[ \t]*(?:\r?\n[ \t]*){1,2}(?=[^\W\d_A-Z]))[^\W_]+)*")
# URLs and addresses are furniture, never template wording; and a URL that a
# PDF dropped mid-sentence must not break a match around it.
_SKIP = re.compile(r"(?:https?://|www\.)[^\s<>\]\)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_OPENING = frozenset("([{\"'‘“*_<")
_CLOSING = frozenset(")]}\"'’”.,;:!?*_>%")
# WhatDoTheyKnow's "[email address]", "[name removed]", "[FOI #123 email]" and
# folded "[quoted text]" differ from page to page but stand for the same thing.
_PLACEHOLDER = re.compile(
    r"\[[^\[\]\n]{0,40}?(?:e-?mail|address|name|removed|redacted|quoted|phone|number)[^\[\]\n]{0,40}?\]",
    re.IGNORECASE,
)
#: The comparison word every placeholder becomes.
PLACEHOLDER = "⟨placeholder⟩"
_JOINERS = re.compile(r"['’\u2010\u2011-]")

#: Spelling variants forces use interchangeably, mapped to one form.
SPELLINGS: dict[str, str] = {
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "judgement": "judgment",
    "licence": "license",
    "organisation": "organization",
    "organisations": "organizations",
    "organised": "organized",
    "recognised": "recognized",
    "categorised": "categorized",
    "authorised": "authorized",
    "realised": "realized",
    "whilst": "while",
    "isnt": "is not",
}


@dataclass(frozen=True)
class Normalized:
    """Comparison words of a text and where each came from.

    Attributes
    ----------
    words:
        Canonical word forms, in text order.
    starts, ends:
        ``int32`` arrays (a text longer than 2**31 characters is not read): word
        ``i`` came from ``original[starts[i]:ends[i]]``.
    original:
        The text the words came from.
    """

    words: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray
    original: str = ""

    def __len__(self) -> int:
        return len(self.words)

    @property
    def text(self) -> str:
        """The comparison text: canonical words joined by single spaces."""
        return " ".join(self.words)

    def within(self, start: int, end: int) -> "Normalized":
        """The words that begin inside original ``[start, end)``."""
        i = int(np.searchsorted(self.starts, start, "left"))
        j = int(np.searchsorted(self.starts, end, "left"))
        return Normalized(self.words[i:j], self.starts[i:j], self.ends[i:j], self.original)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering words ``first`` .. ``last - 1``, with the
        opening punctuation before the first and the closing punctuation after the
        last ("‘map’", "activities."), which belong to the copied text."""
        return with_punctuation(self.original, int(self.starts[first]), int(self.ends[last - 1]))


def with_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened over the opening punctuation before it and the
    closing punctuation after it."""
    while start > 0 and text[start - 1] in _OPENING:
        start -= 1
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return start, end


def canonical(word: str) -> str:
    """The comparison form of one word as it stands in the text."""
    w = unicodedata.normalize("NFKC", word).casefold()
    w = _JOINERS.sub("", "".join(w.split()))
    return SPELLINGS.get(w, w)


def _inside(position: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in ranges)


# The two branches of _SKIP. An address needs an "@", and _SKIP tries the
# address branch at every letter (the local part is a run of word characters):
# most texts hold no "@" at all, and the rest are cheaper searched from each "@".
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\]\)]+")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def _skipped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[m.span() for m in _SKIP.finditer(text, start, end)]``, for ``0 <= start, end <= len(text)``."""
    if text.find("@", start, end) < 0:
        return _urls(text, start, end)
    out: list[tuple[int, int]] = []
    url: tuple[int, int] | None = (-1, -1)  # the next match of each branch: stale while it starts before pos
    mail: tuple[int, int] | None = (-1, -1)
    pos = start
    while True:
        if url is not None and url[0] < pos:
            m = _URL.search(text, pos, end)
            url = m.span() if m else None
        if mail is not None and mail[0] < pos:
            mail = _address(text, pos, end)
        # The leftmost match; at one position _SKIP tries the URL branch first.
        found = url if mail is None or (url is not None and url[0] <= mail[0]) else mail
        if found is None:
            return out
        out.append(found)
        pos = found[1]


def _urls(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[m.span() for m in _URL.finditer(text, start, end)]``: each match starts
    at an "http" or a "www.", which ``str.find`` finds faster than a regex scan."""
    at = sorted(_occurrences(text, "http", start, end) + _occurrences(text, "www.", start, end))
    out: list[tuple[int, int]] = []
    for i in at:
        if out and i < out[-1][1]:
            continue  # inside the URL before
        m = _URL.match(text, i, end)
        if m:
            out.append(m.span())
    return out


def _occurrences(text: str, literal: str, start: int, end: int) -> list[int]:
    """Where ``literal`` stands in ``text[start:end]``, overlaps included."""
    out = []
    i = text.find(literal, start, end)
    while i >= 0:
        out.append(i)
        i = text.find(literal, i + 1, end)
    return out


def _address(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """Span of ``_SKIP``'s address branch as ``search(text, pos, end)`` finds it.

    The local part cannot hold an "@", so a match takes, before the first "@"
    whose domain matches, the longest run of local-part characters (from
    ``pos`` at the earliest); it must not be empty.
    """
    at = text.find("@", pos, end)
    while at >= 0:
        first = at
        while first > pos and (text[first - 1].isalnum() or text[first - 1] in "_.+-"):
            first -= 1
        domain = _DOMAIN.match(text, at + 1, end) if first < at else None
        if domain:
            return first, domain.end()
        at = text.find("@", at + 1, end)
    return None


class _Canonical(dict):
    """word → its comparison word (``canonical(word)``), remembered.

    A response repeats its words, and a corpus its vocabulary: NFKC and the
    rest run once per distinct word. Bounded: forgotten whole when full. A
    word that gives other than one comparison word ("isnt": "is not") is never
    remembered but answered with a tuple and counted (per thread) in
    ``_SEEN.specials``, so a caller sees whether its words need the slow path.
    """

    def __missing__(self, word: str) -> str | tuple[str, ...]:
        parts = canonical(word).split()
        if len(parts) != 1:
            _SEEN.specials = getattr(_SEEN, "specials", 0) + 1
            return tuple(parts)
        if len(self) >= _CANONICAL_MEMORY:
            self.clear()
        self[word] = parts[0]
        return parts[0]


_SEEN = threading.local()
_CANONICAL_MEMORY = 200_000
_CANONICAL = _Canonical()
# _WORD with its match kept: split() then alternates gap, word, gap, … in C.
_WORD_SPLIT = re.compile("(" + _WORD.pattern + ")")


def _words(text: str, start: int, end: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The ``_WORD`` matches in ``text[start:end]``: texts, starts, ends.

    ``0 <= start <= end <= len(text)``. The pattern has no anchors or
    look-behinds, so matching the slice is matching between ``pos`` and ``endpos``.
    """
    piece = text if start == 0 and end == len(text) else text[start:end]
    found = _wordscan.words(piece)
    if found is None:  # pragma: no cover - the array scan disagreed with itself
        parts = _WORD_SPLIT.split(piece)
        bounds = np.cumsum([0, *map(len, parts)], dtype=np.int64)
        found = parts[1::2], bounds[1:-1:2], bounds[2::2]
    raw, starts, ends = found
    return raw, starts.astype(np.int32) + np.int32(start), ends.astype(np.int32) + np.int32(start)


def _kept(starts: np.ndarray, skip: Sequence[tuple[int, int]]) -> np.ndarray | None:
    """Mask of the words (by sorted ``starts``) that begin inside no skipped range;
    ``None`` when none does."""
    keep = None
    for a, b in skip:
        i, j = np.searchsorted(starts, (a, b), "left")
        if i < j:
            keep = np.ones(len(starts), dtype=bool) if keep is None else keep
            keep[i:j] = False
    return keep


def normalize(
    text: str, start: int = 0, end: int | None = None, *, ignore: Sequence[tuple[int, int]] = ()
) -> Normalized:
    """Comparison words of ``text[start:end]`` with offsets into ``text``.

    Parameters
    ----------
    text:
        The original text, verbatim.
    start, end:
        The part of ``text`` to normalise; offsets stay relative to ``text``.
    ignore:
        Ranges to leave out (page headers and footers a reader found).
    """
    end = len(text) if end is None else end
    lo, hi = min(max(start, 0), len(text)), min(max(end, 0), len(text))  # as re clamps pos, endpos
    held = [m.span() for m in _PLACEHOLDER.finditer(text, start, end)]
    raw, starts, ends = _words(text, lo, max(hi, lo))
    keep = _kept(starts, _skipped(text, lo, hi) + list(ignore) + held)
    if keep is not None:
        raw, starts, ends = list(compress(raw, keep.tolist())), starts[keep], ends[keep]
    specials = getattr(_SEEN, "specials", 0)
    words = list(map(_CANONICAL.__getitem__, raw))
    if getattr(_SEEN, "specials", 0) != specials:  # a word gave several comparison words, or none
        counts = [1 if isinstance(w, str) else len(w) for w in words]
        words = [p for w in words for p in ((w,) if isinstance(w, str) else w)]
        starts, ends = np.repeat(starts, counts), np.repeat(ends, counts)
    for a, b in held:
        if not _inside(a, ignore):
            # No word starts where a placeholder does: "[" is not a word character.
            k = int(np.searchsorted(starts, a, "left"))
            words.insert(k, PLACEHOLDER)
            starts, ends = np.insert(starts, k, a), np.insert(ends, k, b)
    return Normalized(tuple(words), starts, ends, text)
