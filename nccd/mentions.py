"""mentions: every name of a police body in a text, found fast.

Forces are looked up in :mod:`nccd.gazetteer` (every UK police body, as data),
all names at once through one regex built from it here, factored into a trie so
that hundreds of names cost little more than one. The regex is tried only where
a name can start: where the text, folded to bytes, shows one's first word. The
plain scan (:func:`mentions_reference`) stays beside the fast one, as what its
results are held to. :mod:`nccd.metadata` weighs the mentions to tell which
force a letter speaks as.
"""

from __future__ import annotations

import functools
import re

from .gazetteer import FORCES, Force

__all__ = ["mentions", "mentions_reference"]

# The characters besides its two ASCII cases that ``re`` matches for a letter
# case-insensitively: "ſ" for s, the Kelvin sign for k, "ı" and "İ" for i.
_OTHER_CASES = "\u0130\u0131\u017f\u212a"
_AS_ASCII = str.maketrans(dict(zip(_OTHER_CASES, "iisk")))

def _lower(word: str) -> str:
    """``word`` in lower case, with the letters ``re`` takes for ASCII ones when it ignores
    case ("ſ", "ı", "İ", the Kelvin sign) as those: what a case-blind pattern matched
    is then found in tables keyed by ASCII ("LİNCS POLICE", "ſept")."""
    return word.translate(_AS_ASCII).lower()


def _key(name: str) -> str:
    """The form in which names are compared: lower case, "&" as "and", hyphens as spaces, no commas or apostrophes."""
    name = re.sub(r"[,'’]", "", _lower(name).replace("&", " and "))
    return " ".join(re.sub(r"[\s-]+", " ", name).split())


def _index(forces: tuple[Force, ...]) -> tuple[dict[str, Force], dict[str, Force], dict[str, Force]]:
    """Each body by canonical name, by the key of each of its names, and by mail domain; an alias or a
    domain claimed by two bodies is an error in the gazetteer."""
    by_name: dict[str, Force] = {}
    by_alias: dict[str, Force] = {}
    by_domain: dict[str, Force] = {}
    for force in forces:
        if by_name.setdefault(force.name, force) is not force:
            raise ValueError(f"gazetteer: {force.name!r} is listed twice")
        for alias in (force.name, *force.aliases):
            if by_alias.setdefault(_key(alias), force) is not force:
                raise ValueError(f"gazetteer: {alias!r} names {by_alias[_key(alias)].name!r} and {force.name!r}")
        for domain in force.domains:
            if by_domain.setdefault(domain.lower(), force) is not force:
                raise ValueError(f"gazetteer: {domain!r} belongs to two bodies")
    for force in forces:
        missing = [m for m in force.members if m not in by_name]
        if missing:
            raise ValueError(f"gazetteer: {force.name!r} has unknown members {missing}")
    return by_name, by_alias, by_domain


_BY_NAME, _BY_ALIAS, _BY_DOMAIN = _index(FORCES)


def _has_other_cases(text: str) -> bool:
    """Whether ``text`` holds one of :data:`_OTHER_CASES`, which the fast paths leave to the plain ones."""
    return not text.isascii() and any(c in text for c in _OTHER_CASES)


def _word(word: str) -> str:
    """The pattern of one word of a name (see :mod:`nccd.gazetteer` for the rules)."""
    if word in ("and", "&"):
        return r"(?:(?i:and)|&)"
    apostrophe = "['’]?" if word.endswith(("'", "’")) else ""
    parts = []
    for part in word.rstrip("'’,").split("-"):
        if part == "Met":  # the Met, not the Met Office
            parts.append(r"Met(?!\s+(?i:office)\b)")
        elif sum(c.isupper() for c in part) >= 2:  # an acronym, in its own capitals
            parts.append(re.escape(part))
        else:
            parts.append(f"(?i:{re.escape(part)})")
    return r"(?:\s*-\s*|\s+)".join(parts) + apostrophe


def _trie(names) -> str:
    """One alternation of all ``names``, factored into a trie: by first letter, then word by word.

    A shared first letter is checked once and a shared first word tried once, not
    once per name, so the regex stays fast with hundreds of names; at each word
    the longer continuation is tried before stopping, so the longest name at a
    position wins ("Warwickshire Police and West Mercia Police" over
    "Warwickshire Police").
    """
    roots: dict[str, dict] = {}
    for name in names:
        node = roots.setdefault(name[0].lower(), {})
        for word in name.split():
            node = node.setdefault(_word(word), {})
        node[None] = {}

    def branch(node: dict) -> str:
        alternatives = []
        for token in sorted(t for t in node if t is not None):
            child = node[token]
            if len(child) == 1 and None in child:
                alternatives.append(token)
            else:
                tail = rf",?\s+(?:{branch(child)})"
                alternatives.append(token + (f"(?:{tail})?" if None in child else tail))
        return "|".join(alternatives)

    initials = "".join(re.escape(c + c.upper()) for c in sorted(roots))
    return f"(?=[{initials}])(?:" + "|".join(
        f"(?=[{re.escape(c + c.upper())}])(?:{branch(root)})" for c, root in sorted(roots.items())
    ) + ")"


#: Any name of any body, as whole words ("Kent Police", never inside "Kentish").
_NAMES = {a for f in FORCES for a in (f.name, *f.aliases)}
_MENTION = re.compile(r"(?<![\w-])(?P<force>" + _trie(_NAMES) + r")(?![\w-])")
# Where names can start, found in the text "folded" to bytes (see :func:`mentions`):
# ASCII letters in lower case, digits, "_" and "-" (word characters, to a name) as
# "0", and any other character (a non-ASCII one arrives as "?") as a space, so that
# before a name stands a space.
_FOLD = bytes(c | 32 if chr(c).isalpha() else 48 if chr(c) in "0123456789_-" else 32 for c in range(128)) + b" " * 128


def _fold(text: str) -> bytes:
    """``text`` folded as described at :data:`_FOLD`, one byte a character."""
    return text.encode("ascii", "replace").translate(_FOLD)


def _first_words(name: str) -> str:
    """What a name starts with, folded: its first word up to a hyphen, and for a
    first word in lower case (the "the" of "the Met"), the next word too."""
    words = [_fold(w.rstrip("'’,").split("-")[0]).decode() for w in name.split()]
    return " ".join(words[:2]) if name.split()[0].islower() and len(words) > 1 else words[0]


def _spelt(words) -> str:
    """``words`` as one alternation, factored letter by letter; a space stands for spaces."""
    root: dict = {}
    for word in words:
        node = root
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [(" +" if c == " " else re.escape(c)) + branch(child) for c, child in sorted(node.items()) if c]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return "" if not alternatives else f"(?:{body})?" if "" in node else body
    return branch(root)


#: Where a name may start in folded text: after a space, its first words, then no
#: letter (none follows a name's first word, nor its part before a hyphen). The
#: match is the space; ``re`` finds spaces, a literal, fast.
_MENTION_START = re.compile(rb" (?=" + _spelt({_first_words(n) for n in _NAMES}).encode() + rb"[^a-z])")

def mentions(text: str) -> list[tuple[str, int, int]]:
    """Every name of a police body in ``text``: ``(canonical name, start, end)``, in order.

    Names are matched as whole words, the longest name at a position winning, so
    "Warwickshire Police and West Mercia Police" is one mention of the joint unit.
    The same as :func:`mentions_reference`, faster: :data:`_MENTION` is tried only
    where :data:`_MENTION_START` finds a name may start, which ``re`` finds fast
    in bytes.
    """
    if _has_other_cases(text):
        return mentions_reference(text)  # "ſ" matches a name's s, but folds to a space
    # With a space before the text, a start in the folded text is its index in ``text``.
    starts = (m.start() for m in _MENTION_START.finditer(b" " + _fold(text) + b" "))
    return [(_canonical(m.group("force")), m.start(), m.end()) for m in _find(_MENTION, text, starts)]


def mentions_reference(text: str) -> list[tuple[str, int, int]]:
    """:func:`mentions` as one plain scan of :data:`_MENTION`: the reference for its results."""
    return [(_BY_ALIAS[_key(m.group("force"))].name, m.start(), m.end()) for m in _MENTION.finditer(text)]


@functools.lru_cache(maxsize=4096)
def _canonical(alias: str) -> str:
    """The canonical name of the body a matched name means (the few spellings met recur)."""
    return _BY_ALIAS[_key(alias)].name


def _find(pattern: re.Pattern[str], text: str, starts):
    """The matches of ``pattern`` in ``text``, as ``pattern.finditer(text)`` gives them.

    ``pattern`` is tried only at ``starts``, positions in order among which is
    every one where it can match (it never matches empty), skipping those within
    the last match, as ``finditer`` would. With ``starts`` ``None``, ``finditer``.
    """
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)  # its lookbehinds see the text before ``start``
            if m:
                end = m.end()
                yield m
