"""exemptions: which FOIA exemptions a response cites, and whether it is an NCND refusal.

Responses cite the Freedom of Information Act 2000 in many spellings:
"Section 24(2)", "Section 31 (3)", "S31(3)", "s.24(2)", "Sections 23(5) and 24(2)".
They are normalised to ``s24(2)`` so that responses can be counted and compared.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Sequence

from ._regexneeds import leads
from ._rulegate import fold

#: Part II of the Act: the exemptions (ss. 21-44). Other sections a response
#: quotes (s1 the right of access, s17 the refusal notice, s11 …) are procedure,
#: not an exemption relied on.
EXEMPTION_SECTIONS = range(21, 45)

# One citation: a section number and its subsection, e.g. "24(2)", "31 (3)".
_CITATION = r"\d{1,2}\s*\(\s*\d{1,2}\s*\)"
# "Section 24(2)", "sections 23(5) and 24(2)", "S31(3)", "s.24(2)", "ss. 23(5), 24(2)".
# The leading \b keeps "subsection (1)" and words ending in "s" from matching.
_CITED = re.compile(
    rf"\b(?:sections?|ss?)\.?\s*(?P<list>{_CITATION}(?:\s*(?:\([a-z]{{1,4}}\)\s*)*"
    rf"(?:,|and|&|or|/)\s*(?:(?:section|s)\.?\s*)?{_CITATION})*)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(\d{1,2})\s*\(\s*(\d{1,2})\s*\)")
#: The subsection of each exemption that removes the duty to confirm or deny.
NCND_SUBSECTIONS: dict[int, int] = {
    22: 2, 23: 5, 24: 2, 26: 3, 27: 4, 28: 3, 29: 2, 30: 3, 31: 3, 32: 3, 33: 3,
    34: 2, 35: 3, 36: 3, 37: 2, 38: 2, 39: 2, 40: 5, 41: 2, 42: 2, 43: 3, 44: 2,
}
# A section named without a subsection ("S24 Factors Favouring Confirmation or
# Denial"), and the confirm/deny wording that ties it to the NCND clause.
_BARE = re.compile(r"\b(?:sections?|s)\.?\s*(?P<section>\d{1,2})\b(?!\s*\(|\.\d|/)", re.IGNORECASE)
_CONFIRM_DENY = re.compile(
    r"confirm\w*\s+(?:n?or|and)\s+den\w*|confirmation\s+or\s+denial|\bNCND\b|neither\s+confirm", re.IGNORECASE
)
# "... of the Data Protection Act 2018": a section of some other Act. "of the Act"
# (no name) is the FOIA by the letters' own convention. Used with
# ``match(text, pos)``, so no "^" (which would only match at the string start).
_OTHER_ACT = re.compile(
    r"\s*(?:\([a-z0-9]{1,4}\)\s*)*of\s+(?:the\s+)?(?P<act>(?:(?:[A-Z][\w,']*|of|and)\s+){1,6})Act\b"
)

_NCND_PHRASES = re.compile(
    r"neither\s+confirm(?:s|ing|ed)?\s+n?or\s+den(?:y|ies|ying|ied)"
    r"|(?:cannot|can\s*not|will\s+not|won['’]t|unable\s+to|not\s+able\s+to)\s+(?:either\s+)?confirm\s+or\s+deny"
    r"|duty\s+(?:to\s+confirm\s+or\s+deny|in\s+section\s+1\s*\(\s*1\s*\)\s*\(\s*a\s*\)[^.]{0,100}?)"
    r"\s+does\s+not\s+(?:arise|apply)(?!\s*(?:if|in\s+relation|where|to\s+the\s+extent|,))",
    re.IGNORECASE,
)
# The acronym only in capitals: "ncnd" in running text is not a usage we have seen.
_NCND_ACRONYM = re.compile(r"\bNCND\b")
# A requester asking "if you neither confirm nor deny, ..." is not a refusal.
_HYPOTHETICAL = re.compile(r"\b(?:if|whether|should|where)\s+(?:you|your\s+force|the\s+force)\b[^.?!]*$",
                           re.IGNORECASE)


def find_exemptions(text: str) -> tuple[str, ...]:
    """FOIA exemptions cited in ``text``, normalised and sorted.

    Only Part II exemptions (sections 21-44) cited with a subsection are listed:
    "Section 24(2)" gives ``s24(2)``; procedural sections such as s1(1)(a) or
    s17(1) are left out, as is a section followed by "of the <Name> Act" (another
    Act). A bare "Section 24" gives nothing (it names the exemption in passing
    without citing the clause relied on), with one exception: in an NCND
    response, a bare section on a line about confirming or denying ("S24 Factors
    Favouring Confirmation or Denial") stands for that section's NCND clause
    (:data:`NCND_SUBSECTIONS`, here ``s24(2)``), unless the section is also cited
    with a subsection.

    Parameters
    ----------
    text:
        The response text.

    Returns
    -------
    tuple[str, ...]
        Unique citations like ``("s22(1)", "s24(2)", "s31(3)")``, sorted by
        section number, then subsection.
    """
    found = _cited(text)
    if is_ncnd(text):
        found |= _implied_ncnd(text, {section for section, _ in found})
    return tuple(f"s{section}({subsection})" for section, subsection in sorted(found))


def _cited(text: str) -> set[tuple[int, int]]:
    """``(section, subsection)`` of every Part II exemption cited with a subsection."""
    found: set[tuple[int, int]] = set()
    for match in _CITED.finditer(text):
        found |= _citation(text, match)
    return found


def _citation(text: str, match: re.Match[str]) -> set[tuple[int, int]]:
    """The exemptions one ``_CITED`` match names, none when it cites another Act."""
    act = _OTHER_ACT.match(text, match.end())
    if act and not act.group("act").strip().lower().startswith("freedom of information"):
        return set()
    numbers = ((int(n.group(1)), int(n.group(2))) for n in _NUMBER.finditer(match.group("list")))
    return {(section, subsection) for section, subsection in numbers if section in EXEMPTION_SECTIONS}


def _implied_ncnd(text: str, cited: set[int]) -> set[tuple[int, int]]:
    """NCND clauses named only by their section, on a line that speaks of confirming or denying.

    A public interest annex may say no more than "S24 Factors Favouring
    Confirmation or Denial"; in an NCND response that is s24(2). Sections
    already cited with a subsection are left as cited.
    """
    found: set[tuple[int, int]] = set()
    for line in text.splitlines():
        if not _CONFIRM_DENY.search(line):
            continue
        for match in _BARE.finditer(line):
            section = int(match.group("section"))
            if section in NCND_SUBSECTIONS and section not in cited:
                found.add((section, NCND_SUBSECTIONS[section]))
    return found


def is_ncnd(text: str) -> bool:
    """Whether ``text`` makes a neither-confirm-nor-deny refusal.

    Recognises "can neither confirm nor deny", "neither confirms nor denies",
    "neither confirming nor denying", "NCND", "cannot confirm or deny" and "the
    duty to confirm or deny does not apply/arise" said of this request. The
    Act's own wording ("The duty to confirm or deny does not arise if, …"),
    quoted in many letters, is not a refusal, nor is a requester's "if you
    neither confirm nor deny".

    Parameters
    ----------
    text:
        The response text.
    """
    if _NCND_ACRONYM.search(text):
        return True
    for match in _NCND_PHRASES.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()]
        if not _HYPOTHETICAL.search(before):
            return True
    return False


# flags(): is_ncnd and find_exemptions with their regexes tried only where a match
# can start, as found in the folded text (_rulegate.fold: where an IGNORECASE regex
# matches "confirm", it reads "confirm"). Trying a regex at each such place in turn,
# skipping those inside the last match, finds the matches finditer finds; the tests
# hold flags() to the two functions above. When the first words of a regex cannot be
# read, flags() calls them instead.
# Where a citation ("s24(2)", "Section 31 (3)") or a bare section ("S24") can start,
# in the folded text: "s", "ss", "section" or "sections", perhaps a point and
# white space, then a digit. (No such place can hide inside another's match: it
# would follow a letter, and both regexes start with \b.)
_SECTION = re.compile(r"s(?:ections?|s)?\.?\s*\d")
_WINDOW = 2048  # characters searched at a time for NCND phrases, which mostly come early


def _first_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """The folded literals every match of ``pattern`` starts with, none a prefix of
    another (its places are among theirs); ``()`` when unknown."""
    words = leads(pattern) or ()
    return tuple(sorted(w for w in words if not any(o != w and w.startswith(o) for o in words)))


_ACRONYM_WORDS = _first_words(_NCND_ACRONYM)
_PHRASE_WORDS = _first_words(_NCND_PHRASES)
_CONFIRM_WORDS = _first_words(_CONFIRM_DENY)
_FAST_FLAGS = bool(_ACRONYM_WORDS and _PHRASE_WORDS and _CONFIRM_WORDS)


def _starts(folded: str, words: Sequence[str], lo: int = 0, hi: int | None = None) -> list[int]:
    """Every place from ``lo`` to before ``hi`` where one of ``words`` starts in ``folded``, in order."""
    found = []
    for word in words:
        stop = None if hi is None else hi + len(word) - 1
        at = folded.find(word, lo, stop)
        while at >= 0:
            found.append(at)
            at = folded.find(word, at + 1, stop)
    found.sort()
    return found


def flags(text: str) -> tuple[bool, tuple[str, ...]]:
    """``(is_ncnd(text), find_exemptions(text))`` in one pass: NCND is worked out once,
    and each regex is tried only where a match can start (scoring calls this per document)."""
    if not _FAST_FLAGS:
        return is_ncnd(text), tuple(find_exemptions(text))
    folded = fold(text)
    ncnd = _is_ncnd_at(text, folded)
    sections = [m.start() for m in _SECTION.finditer(folded)]
    found = _cited_at(text, sections)
    if ncnd and sections:
        found |= _implied_ncnd_at(text, folded, sections, {section for section, _ in found})
    return ncnd, tuple(f"s{section}({subsection})" for section, subsection in sorted(found))


def _is_ncnd_at(text: str, folded: str) -> bool:
    """:func:`is_ncnd`, trying the phrases only where one can start."""
    at = min((p for p in map(folded.find, _ACRONYM_WORDS) if p >= 0), default=-1)
    if at >= 0 and _NCND_ACRONYM.search(text, at):
        return True
    end = 0
    for lo in range(0, len(folded), _WINDOW):
        for start in _starts(folded, _PHRASE_WORDS, lo, lo + _WINDOW):
            match = _NCND_PHRASES.match(text, start) if start >= end else None
            if match:
                end = match.end()
                if not _HYPOTHETICAL.search(text[max(0, start - 120) : start]):
                    return True
    return False


def _cited_at(text: str, sections: Sequence[int]) -> set[tuple[int, int]]:
    """:func:`_cited`, trying the regex only at ``sections``, where a citation can start."""
    found: set[tuple[int, int]] = set()
    end = 0
    for start in sections:
        match = _CITED.match(text, start) if start >= end else None
        if match is None:
            continue
        end = match.end()
        found |= _citation(text, match)
    return found


def _implied_ncnd_at(text: str, folded: str, sections: Sequence[int], cited: set[int]) -> set[tuple[int, int]]:
    """:func:`_implied_ncnd`: on the lines with a bare section it
    would add, and only then asking whether the line speaks of confirming or denying.

    A line is searched in place, as ``text[:stop]`` from where a match can start:
    the character before a line is a line break, as good as its start for ``\\b``.
    """
    lines = text.splitlines(True)
    ends = list(accumulate(map(len, lines)))
    bare: dict[int, list[int]] = {}
    for at in sections:
        bare.setdefault(bisect_right(ends, at), []).append(at)
    found: set[tuple[int, int]] = set()
    for i, places in bare.items():
        base, end, named = ends[i - 1] if i else 0, 0, set()
        stop = base + len(lines[i].splitlines()[0])  # the line without its line break
        for at in places:
            match = _BARE.match(text, at, stop) if at >= end else None
            if match:
                end = match.end()
                section = int(match.group("section"))
                if section in NCND_SUBSECTIONS and section not in cited:
                    named.add((section, NCND_SUBSECTIONS[section]))
        if named - found and any(_CONFIRM_DENY.match(text, at, stop)
                                 for at in _starts(folded, _CONFIRM_WORDS, base, stop)):
            found |= named
    return found
