"""metadata: a response's force, date, year, reference and title, inferred from its text.

Responses name many forces: a round-robin request quotes press stories about
other forces ("aside from the Met and South Wales Police…"), so the force is not
the one mentioned most but the one the letter *speaks as*: "<Force> can neither
confirm nor deny", "held by <Force>", "received by the <Force>", its letterhead
and sign-off. Dates likewise: the date a request was *received* is not the date
of the response.

The names of forces in a text are found by :mod:`nccd.mentions`. Each regex here
is tried only where a match can start: a date at its digits; a reference at the
word it opens with. The plain scans stay beside the fast ones (``*_reference``),
as what their results are held to.
"""

from __future__ import annotations

import re
from datetime import date as Date

from .gazetteer import FORCES, Force
from .mentions import _BY_DOMAIN, _BY_NAME, _find, _has_other_cases, _lower, mentions
from .model import Metadata

__all__ = ["FORCES", "Force", "find_dates", "find_force", "find_reference", "find_title", "infer_metadata",
           "mentions", "reference_year"]


#: Words around a name in which the body speaks as the author, with the weight of
#: the evidence: what follows the name ("<Force> can neither confirm nor deny"),
#: and what stands just before it ("held by <Force>").
_AFTER: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p), w)
    for p, w in (
        (r"\s+(?:(?:can|will|must|does|do)\s+)?(?i:neither\s+confirms?\s+nor\s+den(?:y|ies))", 6),
        (r"\s+(?i:force\s+)?(?i:will\s+not|cannot|is\s+unable\s+to)\s+(?i:divulge|disclose|confirm)", 4),
        (r"\s+(?i:provides\s+you|has\s+received|received\s+your|acknowledges)", 3),
    )
)
_BEFORE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p + r"\Z"), w)
    for p, w in (
        (r"\b(?i:held|recorded|retained)\s+by\s+(?i:the\s+)?", 4),
        (r"\b(?i:received|handled)\s+by\s+(?i:the\s+)?", 4),
        (r"\b(?i:on\s+behalf\s+of)\s+(?i:the\s+)?", 3),
    )
)
_CONTEXT = 48  # characters either side of a name that the phrases above can span
_MAIL = re.compile(r"@(?P<domain>[\w.-]+\.police\.uk)\b", re.IGNORECASE)
# Letterhead and sign-off: short lines at either end of the letter; a numbered
# or questioning line there is more likely a quoted request than a letterhead.
_EDGE_LINES, _EDGE_WIDTH = 12, 60
_QUESTION = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*]\s)|\?\s*$|^(?:whether|how|what|when|which|does|do|is|are)\b",
                       re.IGNORECASE)

_MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m1>{_MONTH_NAMES})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_NAMES})\.?\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})"
    r"|(?P<d3>\d{1,2})[/.](?P<m3>\d{1,2})[/.](?P<y3>\d{4}|\d{2})(?![/\d])"
    r"|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2}))\b",
    re.IGNORECASE,
)
#: Where the dates of :data:`_DATE` can start, found from their digits, to which
#: ``re`` skips ahead (digits are few): a digit that may be the day of a month-led
#: date ("May 5, 2019": after whitespace; then "day"), whose month is found before
#: it (see :func:`_date_starts`), or one that starts a digit-led date (after no \w).
_DATE_DIGIT = re.compile(
    rf"\d(?:(?<=\s\d)(?=\d?(?i:{_ORD}),?\s+\d{{4}}\b)(?P<day>)"
    rf"|(?<!\w\d)(?=(?:\d?(?i:{_ORD})\s+(?:(?i:of)\s+)?(?i:{_MONTH_NAMES})\.?,?\s+\d{{4}}"
    r"|\d?[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![/\d])|\d{3}-\d{2}-\d{2})\b))"
)

# What stands before a date that is *not* the response date.
_RECEIVED = re.compile(
    r"\b(?:received|dated|submitted|made\s+on|sent\s+on|request(?:ed)?\s+(?:of|on)|(?:e-?mail|letter)\s+of)"
    r"\b[^.\n]{0,80}$",
    re.IGNORECASE,
)
# A line that is only a date, or a response-date label and a date.
_RESPONSE_LABEL = re.compile(
    r"^(?:date(?:\s+(?:responded|of\s+(?:response|reply|letter)|sent|of\s+issue))?|response\s+date"
    r"|dated|responded)?\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"^[\s#>*_-]+|[\s*_]+$")
# The characters of \s (those str.isspace() accepts), to strip what _MARKUP
# removes without a regex: a line has no newline, so its "$" is the line's end.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + (
    "\u2028\u2029\u202f\u205f\u3000")
_MARKUP_HEAD, _MARKUP_TAIL = _WHITESPACE + "#>*_-", _WHITESPACE + "*_"
_DIGIT = re.compile(r"\d")

_REF_TOKEN = r"[A-Z]{0,6}[-/ ]?\d[\w/-]*\d[A-Z]?|[A-Z]{0,6}\d{4,}"
_REF_LABELLED = re.compile(
    rf"(?<!your\s)\b(?:our\s+)?ref(?:erence)?\b\.?(?:\s*(?:no|number|num)\b\.?)?\s*[:#.\-–]?\s*(?P<ref>{_REF_TOKEN})",
    re.IGNORECASE,
)
# Unlabelled reference forms, each with how its year is read.
_REF_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bFOI\s?/?\s?(?P<year>20\d{2})\s?/\s?\d{2,6}\b", re.IGNORECASE),  # FOI2019/07799
    re.compile(r"(?<![\w/])(?P<year>20\d{2})(?:0[1-9]|1[0-2])\d{6,8}\b"),           # MPS: YYYYMM + serial
    re.compile(r"(?<![\w/])\d{3,6}[A-Z]?/(?P<yy>\d{2})(?![\d/])"),                   # 11998/19, 1017A/21
)
# The requester's own reference is never the force's.
_YOUR_REF = re.compile(r"\byour\s+ref(?:erence)?\b[^\n]{0,40}", re.IGNORECASE)
# "Facial Recognition (11998/19)": a request title with its reference.
_TITLED = re.compile(r"^(?P<title>[A-Z][^()\n]{2,100}?)\s*\(\s*(?P<ref>" + _REF_TOKEN + r")\s*\)\s*$")
_TITLE_LABEL = re.compile(r"^(?:subject|title|re)\s*:\s*(?P<title>\S.{1,120})$", re.IGNORECASE)


def infer_metadata(text: str) -> Metadata:
    """Infer a response's metadata from its text.

    Parameters
    ----------
    text:
        The response text, as extracted.

    Returns
    -------
    Metadata
        ``force`` (canonical name), ``date`` (ISO, the response date only),
        ``year`` (from the response date, else the reference, else the received
        date), ``reference``, ``title``; ``inferred`` names the fields filled.
    """
    lines = _clean_lines(text)
    response, received = find_dates(lines)
    reference = find_reference(text, lines)
    year = int(response[:4]) if response else reference_year(reference) if reference else None
    if year is None and received:
        year = int(received[:4])
    values = {
        "force": find_force(text, lines),
        "date": response,
        "year": year,
        "reference": reference,
        "title": find_title(lines),
    }
    return Metadata(**values, inferred=tuple(k for k, v in values.items() if v is not None))


def _clean_lines(text: str) -> list[str]:
    """The lines of ``text`` that are not blank, without markup at either end (see :data:`_MARKUP`)."""
    return [ln for ln in (ln.lstrip(_MARKUP_HEAD).rstrip(_MARKUP_TAIL) for ln in text.splitlines()) if ln]


def _clean_lines_reference(text: str) -> list[str]:
    """:func:`_clean_lines` with :data:`_MARKUP`: the reference for its results."""
    lines = [_MARKUP.sub("", ln) for ln in text.splitlines()]
    return [ln for ln in lines if ln]


def find_force(text: str, lines: list[str] | None = None) -> str | None:
    """The canonical name of the force the letter speaks as, or ``None``.

    Evidence is weighed: the force's own NCND sentence and "held by" /
    "received by" phrases count most, then its mail domain and the letterhead
    or sign-off lines. A force merely mentioned in running text (as a quoted
    request does) counts for nothing, unless no other force is named at all
    (the NPCC and its units, which force letters cite, do not count for that).
    A joint unit with evidence of its own also takes its members' evidence: its
    letters come from one member's headquarters and another's mail domain.
    """
    if lines is None:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    votes: dict[str, int] = {}
    first: dict[str, int] = {}

    def vote(name: str, weight: int, at: int) -> None:
        votes[name] = votes.get(name, 0) + weight
        first[name] = min(first.get(name, at), at)

    named = mentions(text)
    for name, start, end in named:
        for pattern, weight in _AFTER:
            if pattern.match(text, end, end + _CONTEXT):
                vote(name, weight, start)
        for pattern, weight in _BEFORE:
            if pattern.search(text, max(0, start - _CONTEXT), start):
                vote(name, weight, start)
    for m in _MAIL.finditer(text):
        labels = m.group("domain").lower().split(".")
        owner = next((_BY_DOMAIN[d] for d in (".".join(labels[i:]) for i in range(len(labels))) if d in _BY_DOMAIN),
                     None)
        if owner is not None:
            vote(owner.name, 2, m.start())
    edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
    for n, line in enumerate(edges):
        if len(line) <= _EDGE_WIDTH and not _QUESTION.search(line):
            for name, _, _ in mentions(line):
                vote(name, 2, len(text) + n)
    if not votes:
        forces = {name for name, _, _ in named if _BY_NAME[name].kind != "coordinating"}
        return forces.pop() if len(forces) == 1 else None
    for joint in [_BY_NAME[name] for name in votes if _BY_NAME[name].members]:
        for member in joint.members:
            if member in votes:
                votes[joint.name] += votes[member]
                first[joint.name] = min(first[joint.name], first[member])
    return max(votes, key=lambda name: (votes[name], -first[name]))


def _iso(match: re.Match[str]) -> str | None:
    """The ISO date of a ``_DATE`` match, or ``None`` when it is not a real date."""
    g = match.groupdict()
    if g["d1"]:
        day, month, year = int(g["d1"]), _MONTHS[_lower(g["m1"])], int(g["y1"])
    elif g["d2"]:
        day, month, year = int(g["d2"]), _MONTHS[_lower(g["m2"])], int(g["y2"])
    elif g["d3"]:
        # UK order: day/month/year.
        day, month, year = int(g["d3"]), int(g["m3"]), int(g["y3"])
        year += 2000 if year < 100 else 0
    else:
        day, month, year = int(g["d4"]), int(g["m4"]), int(g["y4"])
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(lines: list[str]) -> tuple[str | None, str | None]:
    """The response date and the request's received date, as ISO strings.

    A response date stands on a line of its own, bare ("14th January 2020") or
    labelled ("Date Responded 13 August 2018"). A date after "received",
    "dated", "your email of" … is the received date. Dates in running prose
    (a request's "on 19 March 2019") are neither. The same as
    :func:`find_dates_reference`, faster: the lines are scanned as one string.
    """
    # No date form matches a NUL, or runs over one, so joined by NULs the lines
    # hold the same dates as one by one.
    joined = "\0".join(lines)
    if joined.count("\0") != max(len(lines) - 1, 0):
        return find_dates_reference(lines)  # a NUL within a line
    response = received = None
    for m in _dates(joined):
        iso = _iso(m)
        if iso is None:
            continue
        before = joined[joined.rfind("\0", 0, m.start()) + 1: m.start()]  # the line up to the date
        if _RECEIVED.search(before, before.rfind(".") + 1):  # a match of _RECEIVED holds no "."
            received = received or iso
        elif response is None and _RESPONSE_LABEL.match(before):
            line_end = joined.find("\0", m.end())
            if (len(joined) if line_end < 0 else line_end) - m.end() < 12:
                response = iso
        if response is not None and received is not None and not _has_other_cases(joined):
            break  # neither can change, nor can a later date raise (a month in another case, "ſept", does)
    return response, received


def _dates(text: str):
    """Each match of :data:`_DATE` in ``text``, as ``_DATE.finditer(text)`` finds them."""
    return _find(_DATE, text, _date_starts(text))


def _date_starts(text: str):
    """Positions in ``text``, in order, among them every one where a date starts.

    Each digit :data:`_DATE_DIGIT` finds, and before one that may be a day, where
    its month would start. Between the two stand only letters, a full stop and
    whitespace, where it finds no digit, so the positions stay in order.
    """
    for m in _DATE_DIGIT.finditer(text):
        if m.group("day") is not None:
            yield _month_before(text, m.start())
        yield m.start()  # _DATE decides


def _month_before(text: str, day: int) -> int:
    """Where a month-led date whose day starts at ``day`` can only start.

    Its month is the word before the whitespace (and a full stop) before the day;
    a word longer than a month's name gives a start within it, where no date starts.
    """
    end = day - 1  # the whitespace before the day
    while end > 0 and text[end - 1].isspace():  # str.isspace is re's \s
        end -= 1
    if end > 0 and text[end - 1] == ".":
        end -= 1
    start = end
    while start > 0 and end - start < 9 and (text[start - 1].isalnum() or text[start - 1] == "_"):  # \w
        start -= 1
    return start


def find_dates_reference(lines: list[str]) -> tuple[str | None, str | None]:
    """:func:`find_dates` with :data:`_DATE` run over each line: the reference for its results."""
    response = received = None
    for line in lines:
        if not _DIGIT.search(line):
            continue  # every date form has digits; most lines have none, and _DATE is slow to fail
        for m in _DATE.finditer(line):
            iso = _iso(m)
            if iso is None:
                continue
            if _RECEIVED.search(line[: m.start()]):
                received = received or iso
            elif response is None and _RESPONSE_LABEL.match(line[: m.start()]) and len(line) - m.end() < 12:
                response = iso
    return response, received


def find_reference(text: str, lines: list[str] | None = None) -> str | None:
    """The force's reference number, or ``None``.

    A labelled one ("Our Ref: FOI2019/07799", "Reference No: 2018030000340";
    never "Your ref") wins; then one given with the title ("Facial Recognition
    (11998/19)"); then the first token in a known reference form. Where two are
    given ("FOI2019/07799 & FOI2019/07795") the first is returned. The same as
    :func:`find_reference_reference`, faster: each pattern is tried only where
    the word or character it must start with (or at) occurs (see :func:`_find`).
    """
    # The words are found in lower case; a letter re matches for an ASCII one in
    # another case ("ı" for i) would hide them, so such a text is left to finditer.
    low = None if _has_other_cases(text) else text.lower()
    starts = {_REF_LABELLED: low and _labelled_starts(low), _YOUR_REF: low and _occurrences(low, "your")}
    starts.update(zip(_REF_FORMS, (low and _occurrences(low, "foi"), _occurrences(text, "20"), _serial_starts(text))))
    return _reference(text, lines, lambda pattern: _find(pattern, text, starts[pattern]))


def find_reference_reference(text: str, lines: list[str] | None = None) -> str | None:
    """:func:`find_reference` with each pattern's ``finditer``: the reference for its results."""
    return _reference(text, lines, lambda pattern: pattern.finditer(text))


def _reference(text: str, lines: list[str] | None, matches) -> str | None:
    """:func:`find_reference`, reading each pattern's matches in ``text`` from ``matches(pattern)``."""
    if lines is None:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for m in matches(_REF_LABELLED):
        ref = m.group("ref").strip(" /-")
        if len(ref) >= 4 and ("/" in ref or any(c.isalpha() for c in ref) or len(ref) >= 6):
            return ref
    for line in lines[:_EDGE_LINES]:
        titled = _TITLED.match(line)
        if titled:
            return titled.group("ref")
    theirs = [m.span() for m in matches(_YOUR_REF)]
    found = [
        m for form in _REF_FORMS for m in matches(form)
        if not _financial_year(m.group()) and not any(a <= m.start() < b for a, b in theirs)
    ]
    return min(found, key=lambda m: m.start()).group() if found else None


def _occurrences(text: str, word: str):
    """Every position of ``word`` in ``text``, in order, overlapping ones too."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _labelled_starts(low: str):
    """Where :data:`_REF_LABELLED` can start in a lower-cased text: at each "ref", and
    at an "our" with whitespace between it and the "ref"."""
    for at in _occurrences(low, "ref"):
        before = at
        while before > 0 and low[before - 1].isspace():  # str.isspace is re's \s
            before -= 1
        if 3 <= before < at and low.startswith("our", before - 3, before):
            yield before - 3
        yield at


def _serial_starts(text: str):
    """Where the serial/yy reference form ("11998/19", "1017A/21") can start: at the
    digits before each "/" (and a capital), at most six of them."""
    for slash in _occurrences(text, "/"):
        end = slash - 1 if slash and "A" <= text[slash - 1] <= "Z" else slash
        start = end
        while start > 0 and end - start < 6 and text[start - 1].isdecimal():  # str.isdecimal is re's \d
            start -= 1
        yield start


def _financial_year(token: str) -> bool:
    """Whether ``token`` is a financial year like "2018/19" rather than a reference."""
    m = re.fullmatch(r"((?:19|20)\d{2})/(\d{2})", token)
    return bool(m) and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def reference_year(reference: str) -> int | None:
    """The year a reference number encodes, or ``None``.

    "11998/19" → 2019, "1017A/21" → 2021 (serial/yy), "2018030000340" → 2018
    (YYYYMM + serial, the MPS form), "FOI2019/07799" → 2019.
    """
    for form in _REF_FORMS:
        m = form.fullmatch(reference) or form.search(reference)
        if m:
            groups = m.groupdict()
            return int(groups["year"]) if groups.get("year") else 2000 + int(groups["yy"])
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", reference)
    return int(m.group(1)) if m else None


def find_title(lines: list[str]) -> str | None:
    """A short request title near the top ("Facial Recognition (11998/19)"), or ``None``."""
    for line in lines[:_EDGE_LINES]:
        m = _TITLED.match(line) or _TITLE_LABEL.match(line)
        if m:
            return m.group("title").strip(" -–:")
    return None
