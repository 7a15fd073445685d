"""normalize: original text → comparison words with offsets back into the original.

Comparison drops what forces vary without changing the wording: case,
punctuation, curly quotes, hyphenation ("on-going"/"ongoing"), a few British
spelling pairs ("practise"/"practice"), URLs and e-mail addresses. Every word
keeps the ``[start, end)`` of the characters it came from, so a match found on
words maps back to the exact text as it stands in the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

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
        ``int64`` arrays: word ``i`` came from ``original[starts[i]:ends[i]]``.
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
        start, end = int(self.starts[first]), int(self.ends[last - 1])
        text = self.original
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
    held = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text, start, end)]
    skip = sorted([(m.start(), m.end()) for m in _SKIP.finditer(text, start, end)] + list(ignore) + held)
    tokens: list[tuple[int, int, str]] = [(a, b, PLACEHOLDER) for a, b in held if not _inside(a, ignore)]
    k = 0
    for m in _WORD.finditer(text, start, end):
        while k < len(skip) and skip[k][1] <= m.start():
            k += 1
        if k < len(skip) and skip[k][0] <= m.start() < skip[k][1]:
            continue
        tokens.extend((m.start(), m.end(), part) for part in canonical(m.group()).split())
    tokens.sort(key=lambda t: t[0])
    words = [t[2] for t in tokens]
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    return Normalized(
        tuple(words), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), text
    )
