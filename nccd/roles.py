"""roles: what each passage of a response is doing (README "Roles").

Every passage gets one of ``ncnd`` (the neither-confirm-nor-deny reasoning),
``legal`` (the Act quoted or explained), ``request`` (the requester's own text
quoted back), ``letter`` (furniture: greetings, sign-off, complaint rights,
banners, disclaimers) or ``answer`` (everything else: the force's own answer).

Classification is rule-based and deliberately transparent:

1. each passage is scored against the regex tables in :data:`RULES` (a
   passage's score for a role is the sum of the weights of the rules it
   matches, each rule counting once), and takes the best role scoring at least
   :data:`THRESHOLD`, else ``answer``;
2. context passes then fix what one paragraph alone cannot tell: text under an
   NCND or legal heading inherits the heading's role, short address and
   signature lines join the letter furniture next to them, and the request is
   found as a *region* between markers ("You asked:" … "In Response:"), since a
   quoted question looks like anything else out of context.

Scoring searches a passage only with the rules (and rule branches) whose words
it holds, and not at all with a rule one of its words proves
(:mod:`nccd._rulescore`), with the same results as searching with all of them;
it remembers each passage's features: letters repeat lines and paragraphs.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple, Sequence

from ._rulescore import Scorer, matcher

ANSWER, LETTER, LEGAL, NCND, REQUEST = "answer", "letter", "legal", "ncnd", "request"

#: Lowest score that gives a passage a role other than ``answer``.
THRESHOLD = 3
#: Score above which a passage cannot be part of a quoted request.
STRONG = 6
#: On equal scores the more specific role wins: furniture phrases are the most
#: specific, then the Act's wording, then the NCND vocabulary.
PRIORITY = (LETTER, LEGAL, NCND)


def _rules(*rows: tuple[str, int] | tuple[str, int, int]) -> tuple[tuple[re.Pattern[str], int, int], ...]:
    """Compile ``(regex, weight[, max_words])`` rows; ``max_words`` limits a rule to short passages."""
    return tuple((re.compile(r[0], re.IGNORECASE), r[1], r[2] if len(r) > 2 else 10_000) for r in rows)


#: role → rules ``(pattern, weight, max_words)``, matched on cleaned passage text
#: (markdown removed, whitespace collapsed, curly quotes straightened).
RULES: dict[str, tuple[tuple[re.Pattern[str], int, int], ...]] = {
    NCND: _rules(
        (r"neither\s+confirm\w*\s+n?or\s+den\w*", 6),
        (r"(?-i:\bNCND\b)", 5),
        (r"no inference (?:can|should|may|is to) be (?:taken|drawn|made)", 8),
        (r"should not be taken (?:to |as )+(?:an? )?(?:indication|necessarily indicating)", 4),
        (r"does or does not exist|is or is not held|is or isn't held", 3),
        (r"\bpublic interest\b", 2),
        (r"\bpublic interest (?:test|considerations)\b|\bPIT\b", 3),
        (r"\bbalanc(?:e|ing) test|balance of (?:the )?public interest|weighing up the competing interests", 4),
        (r"\bfactors? (?:favouring|for|against|in favour)", 4),
        (r"\b(?:overall|evidence of) harm\b|\bharm in confirming", 4),
        (r"\bharm\b", 1),
        (r"\bprejudice test", 3),
        (r"\b(?:confirm(?:ing|ation)?|to confirm) (?:or|nor) den(?:y|ying|ial)\b", 2),
        (r"release to the (?:public at large|world)|disclosed to the world", 3),
        (r"\bthreat (?:level|from terrorism)|\bterroris[mt]", 2),
        (r"\b(?:criminals?|covert|tactics?|intelligence|operational|law enforcement|national security)\b", 1),
        (r"\b(?:will|would) not divulge\b", 3),
        (r"\bparamount importance\b", 2),
        (r"public (?:are|is) entitled to know|public funds|better informed public|transparen|accountab"
         r"|public debate|public awareness", 1),
        (r"\bduty of care\b|\bpublic at large\b", 1),
    ),
    LEGAL: _rules(
        (r"\bof the (?:Act|Freedom of Information Act(?: 2000)?) provides\b|\bprovides:$", 8),
        (r"^\(\d+\)\s+\S", 4),
        (r"^\([a-z]{1,3}\)\s+\S", 3),
        (r"duty to confirm or deny does not arise (?:if|in relation)|does not arise if, or to the extent", 8),
        (r"\b(?:qualified|absolute|class[- ]based|prejudice[- ]based) exemptions?\b", 8),
        (r"\bpurpose of the Act\b|\bgeneral right of access\b", 6),
        (r"\bprovision of information held by\b", 5),
        (r"\bmade under the Freedom of Information Act\b", 3),
        (r"\bexempt information\b|\bexemption from section\b|\bby virtue of (?:section|the following exemptions?)", 2),
        (r"^legal annex$", 8),
        (r"\bthese exemptions and explanatory notes\b", 5),
        # An exemption list line: "Section 24(2) – National security".
        (r"^(?:sections?|s)\.?\s*\d{1,2}\s*\(\s*\d{1,2}\s*\)", 8, 16),
        (r"\bsection 1\s*\(1\)|\bpublic authority\b", 1),
        (r"\bexemptions?\b", 1),
    ),
    LETTER: _rules(
        (r"^dear\b", 8),
        (r"^(?:yours (?:sincerely|faithfully|truly)|(?:kind|best|warm) regards|regards)\b", 8),
        (r"\bcomplain|\bindependent review\b|\breview (?:procedure|of (?:this|the|our|their) (?:response|decision))"
         r"|\bright to (?:request|require|complain|appeal)|\bdissatisfied\b|\bunhappy with\b", 5),
        (r"\binformation commissioner|\bico\.org\.uk|\bwycliffe house\b|\bwater lane\b|\bwilmslow\b", 6),
        (r"^(?:tel(?:ephone)?|phone|mobile|fax|e-?mail|web(?:site)?)\s*:", 6),
        (r"[\w.-]+@[\w-]+\.[\w.]+|\b0\d{3,4} ?\d{3} ?\d{3,5}\b", 2),
        # Address lines; a whole address block may come as one passage.
        (r"(?-i:\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b)|\bPO Box\b|\bheadquarters\b", 4, 16),
        (r"^(?:our |your )?ref(?:erence)?\b|\breference (?:no|number)\b|\bref no\b", 5, 20),
        (r"\(\s*[A-Z]{0,6}\d+[A-Z]?/\d{2,4}\s*\)$", 5, 12),
        (r"^(?:date[\w ]{0,20}:?\s*)?\d{1,2}(?:st|nd|rd|th)? [a-z]+ \d{4}$|\bdate responded\b", 6, 8),
        (r"\bcopyright\b", 5),
        (r"this (?:e-?mail|message) and any attachments|intended (?:solely )?for the use|do not print this e-?mail"
         r"|monitored to the extent permitted|malicious software|views or opinions expressed|binding agreement", 6),
        (r"skip to (?:main )?content|back to top|^find us (?:at|on)"
         r"|\b(?:facebook|twitter|instagram|youtube|linkedin)\b"
         r"|making some improvements|new website|\bcookies\b|\blive chat\b", 6),
        (r"should you have any (?:further )?(?:enquiries|queries|questions)|please do not hesitate to contact"
         r"|if you have any (?:further )?(?:queries|questions|enquiries)|quoting the (?:above )?reference", 6),
        (r"please see the legal annex|please find (?:below|attached|enclosed)|\bi (?:write|am writing) in connection"
         r"|thank you for your (?:request|e-?mail|letter)|opportunity to (?:fully )?consider your request"
         r"|\bi provide a response|^our response\b", 5),
        (r"blind to the identity of the (?:requester|requestor|applicant)|regarded as being published"
         r"|to handle all requests", 6),
        (r"^(?:freedom of information|foi|information rights|information management|disclosure|data protection)"
         r"[\w ]{0,30}$", 6, 8),
        (r"\bworking days\b", 2),
        (r"searches (?:were|have been) (?:conducted|carried out)|^searches to locate information$|^decision$", 5),
        (r"^(?:https?://|www\.)\S+$", 4),
    ),
}

# Headings of the NCND sections ("Balance Test", "S24 Factors Favouring …").
# "Confirmed" alone is not enough: an answer line such as "2 of these are
# confirmed positive identifications" is short enough to look like a heading.
_NCND_HEADING = re.compile(
    r"\bharm\b|\bfactors\b|\bbalanc(?:e|ing) test|\bpublic interest\b|\bNCND\b|\bprejudice\b"
    r"|\b(?:confirm\w*|deny\w*|denial) (?:or|nor) (?:not|den\w*|confirm\w*)",
    re.IGNORECASE,
)
_HEADING_BONUS = 3

# Request region markers. Openers are the force introducing the quoted request;
# closers are where the force starts to reply.
_OPEN = re.compile(
    r"\byou asked(?: for| the following)?\s*:|\bi note you seek access to(?: the following)?(?: information)?\s*:?"
    r"|^your request\s*(?::|was:?|reads:?|is as follows:?)|\byour request (?:was|is) as follows\s*:?"
    r"|\byou (?:have )?requested the following(?: information)?\s*:?|^(?:foi )?request(?: details)?\s*:\s*$"
    r"|\bin your (?:request|e-?mail) you asked\s*:?",
    re.IGNORECASE,
)
_CLOSE = re.compile(
    r"^in response\b|^(?:our )?(?:response|decision|answer|reply)\s*(?:[:\-–]|$)"
    r"|please find (?:attached|enclosed|below)"
    r"|^searches to locate information|\bi am required by the freedom of information act 2000 \(the act\) to handle"
    r"|\bto handle all requests in a manner that is blind|opportunity to (?:fully )?consider your request",
    re.IGNORECASE,
)
# What a requester's question looks like: a question mark, a numbered or bulleted
# item, "please provide …", "how many …", "whether …".
_QUESTION = re.compile(
    r"\?|^\(?\d{1,2}[.)]\s*\S|^[-•*]\s|\bplease (?:provide|confirm|state|supply|send|tell|disclose)\b"
    r"|\bhow (?:many|much)\b|^(?:whether|what|when|which|where|who|how|does|do|did|is|are|has|have)\b",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(?:[-•*]\s|\(?\d{1,3}[.)]|\(?[a-z][.)]\s|\(?[ivx]{1,4}[.)]\s)", re.IGNORECASE)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_MARKUP = re.compile(r"\*\*|__|^\s*#{1,6}\s*|^\s*>\s*|\[([^\]]*)\]\([^)]*\)|<(https?://[^>]*)>")
_QUOTES = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " "))
_BULLET = re.compile(r"^[-•*]\s+")
_BULLETS = ("-", "•", "*")  # what _BULLET takes off a _clean text: a chunk of its own

#: The rules of :data:`RULES` in one list, ``(pattern, weight, max_words, role)``;
#: a rule's position is its id in :data:`_GATE`, followed by the request markers.
_RULE_LIST = [(p, w, most, role) for role, rules in RULES.items() for p, w, most in rules]
_CLOSE_ID, _OPEN_ID, _HEADING_ID = range(len(_RULE_LIST), len(_RULE_LIST) + 3)
_SLOT = {role: i for i, role in enumerate(RULES)}  # a role's place in a passage's scores
_CLOSE_SLOT, _NCND_SLOT = len(RULES), _SLOT[NCND]  # the closer is counted after the roles
# Which patterns can match a passage at all, from the words it holds: most
# passages hold the words of only a few rules, and a skipped search costs nothing.
# (Rules are filed under their rarer words: these are in most FOI paragraphs.)
_SCORER = Scorer(
    [(p, w, most, _SLOT[role]) for p, w, most, role in _RULE_LIST] + [(_CLOSE, 1, 10_000, _CLOSE_SLOT)],
    len(RULES) + 1, [_OPEN, _NCND_HEADING],
    common="a and any as be by confirm deny for in information is it not of or public request the this to "
           "we you your".split(),
)
_GATE = _SCORER.gate


def _chunks(text: str) -> list[str]:
    """The space-separated runs of the :func:`_clean` text."""
    if not text.isascii():  # the quotes and the no-break space are not ASCII
        for curly, straight in _QUOTES:
            text = text.replace(curly, straight)  # str.translate is ten times slower
    if "*" in text or "_" in text or "#" in text or ">" in text or "[" in text or "<" in text:
        # Every alternative of _MARKUP holds one of these characters: without
        # them the substitution, an alternation tried at every position, is idle.
        text = _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return text.split()


def _clean(text: str) -> str:
    """Passage text for matching: markdown gone, quotes straightened, whitespace collapsed."""
    return " ".join(_chunks(text))


def _plain(clean: str) -> str:
    """``clean`` without a leading list bullet ("- (a) states" → "(a) states")."""
    return _BULLET.sub("", clean) if clean[:1] in _BULLETS else clean


def _words(clean: str) -> int:
    """``len(clean.split())`` for a :func:`_clean` text, whose words are one space apart."""
    return clean.count(" ") + 1 if clean else 0


def _heading(raw: str, clean: str, words: int, item: bool) -> bool:
    """:func:`is_heading` of a stripped passage ``raw`` whose :func:`_clean` text is
    ``clean``, of ``words`` words, a list item (``_LIST_ITEM``) or not."""
    if (raw[:1] == "#" and _MD_HEADING.match(raw)) or (raw.startswith("**") and raw.endswith("**")
                                                         and raw.count("**") == 2):
        return True
    return 0 < words <= 12 and clean[-1] not in ".!?;," and not item and "://" not in clean


def is_heading(text: str) -> bool:
    """Whether a passage is a heading: markdown, all bold, or a short unpunctuated line."""
    raw = text.strip()
    clean = _clean(raw)
    return _heading(raw, clean, _words(clean), _LIST_ITEM.match(clean) is not None)


class _Features(NamedTuple):
    """What the context passes need to know of the passages of a document, one
    tuple per feature, passage by passage (a passage's own: :func:`_passage`)."""

    scores: tuple[tuple[int, ...], ...]  # per role of RULES, in its order
    roles: tuple[str, ...]  # the best-scoring role (_best)
    headings: tuple[bool, ...]
    shorts: tuple[bool, ...]  # few words, no closing punctuation: maybe an address or signature line
    openers: tuple[int | None, ...]  # words after a request opener ("You asked: …"); None without one
    closers: tuple[bool, ...]  # holds a request closer ("In response", "DECISION")
    items: tuple[bool, ...]  # a list item (_LIST_ITEM)


@functools.lru_cache(maxsize=1 << 15)
def _passage(text: str) -> tuple:
    """The features of one passage, in the order of :class:`_Features` (whether it
    reads like a question: :func:`_question`). Cached: letters repeat the same
    lines and paragraphs. A plain tuple of plain values, which the garbage
    collector stops tracking: it holds many."""
    raw = text.strip()
    chunks = _chunks(text)
    clean = " ".join(chunks)
    listed = _LIST_ITEM.match(clean) is not None
    if len(chunks) > 1 and chunks[0] in _BULLETS:  # what _plain takes off: the chunk and its space
        plain, words = clean[2:], len(chunks) - 1
        item = _LIST_ITEM.match(plain) is not None
    else:
        plain, words, item = clean, len(chunks), listed
    heading = _heading(raw, clean, len(chunks), listed) if raw == text else is_heading(raw)
    found, scan = _SCORER.score(plain, chunks if plain is clean else chunks[1:], words)
    scores = found[:_CLOSE_SLOT]
    if heading and scan and scan.matches(_HEADING_ID):
        scores[_NCND_SLOT] += _HEADING_BONUS
    short = 0 < len(chunks) <= 6 and clean[-1] not in ".!?:" and not listed
    opened = scan.search(_OPEN_ID) if scan else None
    opener = len(plain[opened.end():].split()) if opened else None
    return tuple(scores), _best(scores), heading, short, opener, found[_CLOSE_SLOT] > 0, item


_ASKS = matcher(_QUESTION)


@functools.lru_cache(maxsize=1 << 12)
def _question(text: str) -> bool:
    """Whether a passage reads like a question (:data:`_QUESTION`). Asked only of
    the passages of a request region, so worked out only for them."""
    return _ASKS(_plain(_clean(text)))


def score_passage(text: str) -> dict[str, int]:
    """Score one passage for each rule-based role (``ncnd``, ``legal``, ``letter``).

    Parameters
    ----------
    text:
        The passage, as it stands in the document.

    Returns
    -------
    dict[str, int]
        role → sum of the weights of the rules it matches (each rule once). A
        heading naming an NCND section ("Balance Test") gets a bonus, as a
        heading is too short to gather evidence otherwise.
    """
    return dict(zip(RULES, _passage(text)[0]))


def _best(scores: Sequence[int]) -> str:
    """The role with the highest score (``scores``: per role of :data:`RULES`) at
    least ``THRESHOLD``, else ``answer``; on equal scores the one first in :data:`PRIORITY`."""
    role = PRIORITY[0]
    for other in PRIORITY[1:]:
        if scores[_SLOT[other]] > scores[_SLOT[role]]:
            role = other
    return role if scores[_SLOT[role]] >= THRESHOLD else ANSWER


def classify_roles(texts: Sequence[str]) -> list[str]:
    """One role per passage, the passages given in document order.

    Parameters
    ----------
    texts:
        The passages of one document (paragraphs; headings and list items are
        passages of their own), in order.

    Returns
    -------
    list[str]
        A role from ``nccd.model.ROLES`` for each passage.
    """
    if not texts:
        return []
    features = _Features(*zip(*map(_passage, texts)))
    roles = _inherit_from_headings(features.roles, features.headings)
    roles = _join_furniture(roles, features.shorts)
    return _mark_requests(roles, features, texts)


def _inherit_from_headings(roles: Sequence[str], headings: Sequence[bool]) -> list[str]:
    """Give unscored paragraphs under an NCND or legal heading the heading's role.

    The body of "S24 Factors Favouring Confirmation or Denial" or of "Section
    22 of the Act provides:" may hold no telltale phrase of its own. The scope
    runs until the next heading or a paragraph of another role, so the force's
    answers after the exemption list ("Section 31(3) Law Enforcement") stay
    answers.
    """
    out = list(roles)
    current = None
    for i, (role, heading) in enumerate(zip(roles, headings)):
        if heading:
            current = role if role in (NCND, LEGAL) else None
        elif role == ANSWER and current:
            out[i] = current
        elif role != current:
            current = None
    return out


def _join_furniture(roles: list[str], short: Sequence[bool]) -> list[str]:
    """Short unscored lines next to letter furniture are furniture too.

    Address lines ("London", "Water Lane"), signatory names ("James Cooper")
    and job titles carry no phrase of their own but sit in a block of lines
    that do. Numbered items ("5. 30 days") are answers, never furniture.
    ``short``: per passage, at most six words, no closing punctuation and no
    list number.
    """
    out = list(roles)
    # One sweep each way carries furniture along a run of short lines from
    # whichever end of the run touches it. Only short lines change: only they are visited.
    lines = [i for i, s in enumerate(short) if s]
    for i in lines:
        if i > 0 and out[i] == ANSWER and out[i - 1] == LETTER:
            out[i] = LETTER
    for i in reversed(lines):
        if i + 1 < len(out) and out[i] == ANSWER and out[i + 1] == LETTER:
            out[i] = LETTER
    return out


def _mark_requests(roles: list[str], features: _Features, texts: Sequence[str]) -> list[str]:
    """Mark the quoted request: passages between an opening and a closing marker.

    An opener ("You asked:", "I note you seek access to the following
    information:") is ``letter`` and starts a region that runs to the next
    closer ("In Response:", "Please find attached our response", "DECISION"…),
    to a strongly scored passage, or to the first passage after the questions
    that is not itself a question or list item. A
    closer that is only a marker is ``letter``; one that also speaks ("Response
    – X neither confirms nor denies…") keeps its own role. When the first
    closer comes with no opener before it, see :func:`_implicit_region`.
    ``texts``: the passages' texts.
    """
    out = list(roles)
    opens = [opener is not None for opener in features.openers]
    closes = [closer and not opened for closer, opened in zip(features.closers, opens)]
    first_close = next((i for i, c in enumerate(closes) if c), None)
    if first_close is not None and not any(opens[:first_close]):
        for i in _implicit_region(roles, features.scores, texts, first_close):
            out[i] = REQUEST
    # A region never takes in an opener or a closer: each marker is settled on its own.
    for i in [i for i, closed in enumerate(closes) if closed]:
        if out[i] == ANSWER:
            out[i] = LETTER
    for i in [i for i, opened in enumerate(opens) if opened]:
        out[i] = REQUEST if features.openers[i] > 5 else (roles[i] if roles[i] != ANSWER else LETTER)
        j = i + 1
        asked = False
        while j < len(texts) and not closes[j] and not opens[j]:
            if j > i + 1 and max(features.scores[j]) >= STRONG:
                break
            questions = features.items[j] or _question(texts[j])
            if asked and not questions:
                break  # the questions are over: what follows is the force speaking
            asked = asked or questions
            out[j] = REQUEST
            j += 1
    return out


def _implicit_region(roles: list[str], scores: Sequence[tuple[int, ...]], texts: Sequence[str], close: int) -> range:
    """Passages before the first closer that form an unannounced request.

    Web pages often quote the request straight after the title ("Facial
    Recognition (11998/19)") with no "You asked:". Walking back from the closer,
    the region takes every passage up to the nearest letter furniture, legal
    text or strongly scored passage; it counts as a request only if some
    passage in it reads like a question ("1. Whether …", "?", "Please
    provide …"). The requester's own "Please confirm the following:" is part of
    it.
    """
    start = close
    while start > 0 and roles[start - 1] not in (LETTER, LEGAL) and max(scores[start - 1]) < STRONG:
        start -= 1
    if any(map(_question, texts[start:close])):
        return range(start, close)
    return range(0)
