"""metadata: a response's force, date, year, reference and title, inferred from its text.

Responses name many forces: a round-robin request quotes press stories about
other forces ("aside from the Met and South Wales Police…"), so the force is not
the one mentioned most but the one the letter *speaks as*: "<Force> can neither
confirm nor deny", "held by <Force>", "received by the <Force>", its letterhead
and sign-off. Dates likewise: the date a request was *received* is not the date
of the response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

from .model import Metadata


@dataclass(frozen=True)
class Force:
    """A UK police body: its canonical name, other names it goes by, its mail domains."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


#: Police bodies the text can name. Ready to grow to every UK police body; an
#: alias belongs to exactly one entry (a joint unit owns its members' names,
#: because their letters are written by the joint unit).
FORCES: tuple[Force, ...] = (
    Force("West Midlands Police", ("West Midlands Police", "WMP"), ("west-midlands.police.uk",)),
    Force("Northumbria Police", ("Northumbria Police",), ("northumbria.police.uk", "northumbria.pnn.police.uk")),
    Force(
        "Metropolitan Police Service",
        ("Metropolitan Police Service", "Metropolitan Police", "MPS", "the Met", "The Met", "Met Police"),
        ("met.police.uk", "met.pnn.police.uk"),
    ),
    Force(
        "Bedfordshire Police and Hertfordshire Constabulary",
        ("Bedfordshire Police and Hertfordshire Constabulary",
         "Hertfordshire Constabulary and Bedfordshire Police",
         "Bedfordshire Police", "Hertfordshire Constabulary"),
        ("herts.pnn.police.uk", "beds.pnn.police.uk", "herts.police.uk", "bedfordshire.police.uk"),
    ),
    Force("Kent Police", ("Kent Police",), ("kent.police.uk", "kent.pnn.police.uk")),
    Force("South Wales Police", ("South Wales Police",), ("south-wales.police.uk", "south-wales.pnn.police.uk")),
    Force("Greater Manchester Police", ("Greater Manchester Police", "GMP"), ("gmp.police.uk",)),
    Force("West Yorkshire Police", ("West Yorkshire Police",), ("westyorkshire.police.uk",)),
    Force("Merseyside Police", ("Merseyside Police",), ("merseyside.police.uk",)),
    Force("Thames Valley Police", ("Thames Valley Police", "TVP"), ("thamesvalley.police.uk",)),
    Force("Essex Police", ("Essex Police",), ("essex.police.uk",)),
    Force("Avon and Somerset Constabulary", ("Avon and Somerset Constabulary", "Avon and Somerset Police"),
          ("avonandsomerset.police.uk",)),
    Force("City of London Police", ("City of London Police",), ("cityoflondon.police.uk",)),
    Force("British Transport Police", ("British Transport Police", "BTP"), ("btp.police.uk",)),
    Force("Police Scotland", ("Police Scotland",), ("scotland.police.uk",)),
    Force("Police Service of Northern Ireland", ("Police Service of Northern Ireland", "PSNI"), ("psni.police.uk",)),
)

_BY_ALIAS: dict[str, Force] = {}
for _force in FORCES:
    for _alias in (_force.name, *_force.aliases):
        _BY_ALIAS[" ".join(_alias.lower().split())] = _force


def _alias_pattern(alias: str) -> str:
    # Acronyms and "the Met" only in their own capitals ("met" is a verb, "MPs"
    # are MPs); full names in any case, as letterheads are often upper case.
    words = r"\s+".join(re.escape(w) for w in alias.split())
    return words if alias.isupper() or "Met" in alias.split() else f"(?i:{words})"


# Longest first, so "Metropolitan Police Service" wins over "Metropolitan Police".
_ALIASES = sorted({a for f in FORCES for a in (f.name, *f.aliases)}, key=len, reverse=True)
_F = r"(?<![\w-])(?P<force>" + "|".join(_alias_pattern(a) for a in _ALIASES) + r")(?![\w-])"
_MENTION = re.compile(_F)

#: Phrases in which a force speaks as the author, with the weight of the evidence.
_VOICE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p), w)
    for p, w in (
        (_F + r"\s+(?:(?:can|will|must|does|do)\s+)?(?i:neither\s+confirms?\s+nor\s+den(?:y|ies))", 6),
        (r"(?i:held|recorded|retained)\s+by\s+(?i:the\s+)?" + _F, 4),
        (r"(?i:received|handled)\s+by\s+(?i:the\s+)?" + _F, 4),
        (_F + r"\s+(?i:force\s+)?(?i:will\s+not|cannot|is\s+unable\s+to)\s+(?i:divulge|disclose|confirm)", 4),
        (_F + r"\s+(?i:provides\s+you|has\s+received|received\s+your|acknowledges)", 3),
        (r"(?i:on\s+behalf\s+of)\s+(?i:the\s+)?" + _F, 3),
    )
)
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
    lines = [_MARKUP.sub("", ln) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
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


def find_force(text: str, lines: list[str] | None = None) -> str | None:
    """The canonical name of the force the letter speaks as, or ``None``.

    Evidence is weighed: the force's own NCND sentence and "held by" /
    "received by" phrases count most, then its mail domain and the letterhead
    or sign-off lines. A force merely mentioned in running text (as a quoted
    request does) counts for nothing, unless no other force is named at all.
    """
    if lines is None:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    votes: dict[str, int] = {}
    first: dict[str, int] = {}

    def vote(force: Force, weight: int, at: int) -> None:
        votes[force.name] = votes.get(force.name, 0) + weight
        first[force.name] = min(first.get(force.name, at), at)

    for pattern, weight in _VOICE:
        for m in pattern.finditer(text):
            vote(_BY_ALIAS[" ".join(m.group("force").lower().split())], weight, m.start())
    for m in _MAIL.finditer(text):
        domain = m.group("domain").lower()
        for force in FORCES:
            if any(domain == d or domain.endswith("." + d) for d in force.domains):
                vote(force, 2, m.start())
    edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
    for n, line in enumerate(edges):
        if len(line) <= _EDGE_WIDTH and not _QUESTION.search(line):
            for m in _MENTION.finditer(line):
                vote(_BY_ALIAS[" ".join(m.group("force").lower().split())], 2, len(text) + n)
    if not votes:
        named = {_BY_ALIAS[" ".join(m.group("force").lower().split())].name for m in _MENTION.finditer(text)}
        return named.pop() if len(named) == 1 else None
    return max(votes, key=lambda name: (votes[name], -first[name]))


def _iso(match: re.Match[str]) -> str | None:
    """The ISO date of a ``_DATE`` match, or ``None`` when it is not a real date."""
    g = match.groupdict()
    if g["d1"]:
        day, month, year = int(g["d1"]), _MONTHS[g["m1"].lower()], int(g["y1"])
    elif g["d2"]:
        day, month, year = int(g["d2"]), _MONTHS[g["m2"].lower()], int(g["y2"])
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
    (a request's "on 19 March 2019") are neither.
    """
    response = received = None
    for line in lines:
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
    given ("FOI2019/07799 & FOI2019/07795") the first is returned.
    """
    if lines is None:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for m in _REF_LABELLED.finditer(text):
        ref = m.group("ref").strip(" /-")
        if len(ref) >= 4 and ("/" in ref or any(c.isalpha() for c in ref) or len(ref) >= 6):
            return ref
    for line in lines[:_EDGE_LINES]:
        titled = _TITLED.match(line)
        if titled:
            return titled.group("ref")
    theirs = [m.span() for m in _YOUR_REF.finditer(text)]
    found = [
        m for form in _REF_FORMS for m in form.finditer(text)
        if not _financial_year(m.group()) and not any(a <= m.start() < b for a, b in theirs)
    ]
    return min(found, key=lambda m: m.start()).group() if found else None


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
