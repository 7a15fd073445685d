"""_regexneeds: the words a regex match cannot do without, read from the regex itself.

:func:`needs` parses a compiled regex with Python's own regex parser and derives
conditions every match must meet, as alternatives of conjunctions of *keys*, a
key being a condition on the maximal ``\\w`` runs (tokens) of the case-folded
text that is searched:

- a plain ``str``: a token equals it ("harm" for ``\\bharm\\b``);
- ``("prefix", w)``, ``("suffix", w)``, ``("infix", w)``: some token starts with,
  ends with, or contains ``w`` ("complain" for ``\\bcomplain``);
- ``("text", s)``: the folded text contains ``s`` (a literal with no word
  character, such as "@").

So ``neither\\s+confirm`` needs ``{("suffix", "neither"), ("prefix", "confirm")}``.
The derivation is conservative: whatever it cannot read (a digit class, a
non-ASCII literal, an ``re.ASCII`` group…) adds no condition, and a regex with
no condition at all gets ``None``. :func:`alternatives` splits a regex at its
top-level ``|``, so each branch can be gated (and searched) on its own.

The other way round, :func:`sufficient` reads the keys that prove a match
(``\\bharm\\b`` matches wherever the token "harm" stands), :func:`leads` the
literals every match starts with and :func:`anchored` whether a match can only
start at the start of the text.
"""

from __future__ import annotations

import re
from typing import Sequence, Union

try:  # Python 3.11+
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

Key = Union[str, tuple[str, str]]
#: Alternatives (any may hold) of conjunctions (all must hold) of keys.
Needs = frozenset[frozenset[Key]]

# In a derived literal: a token edge (``\b``, ``^``, ``$``, or a non-word character
# that the regex consumes but cannot name).
_EDGE = "\x00"
_EDGE_AT = {_c.AT_BEGINNING, _c.AT_BEGINNING_STRING, _c.AT_END, _c.AT_END_STRING, _c.AT_BOUNDARY,
            getattr(_c, "AT_BEGINNING_LINE", None), getattr(_c, "AT_END_LINE", None)}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)}
_GROUPS = {_c.SUBPATTERN, getattr(_c, "ATOMIC_GROUP", None)}
_NONWORD_CATEGORIES = {_c.CATEGORY_SPACE, _c.CATEGORY_NOT_WORD}
_WORD = re.compile(r"\w+")
# Alternatives kept when the conditions of several groups multiply out.
_MAX_ALTERNATIVES = 8


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _nonword(op: object, av: object) -> bool:
    """Whether an item consumes at least one character and only non-word ones (``\\s+``)."""
    if op is _c.IN:
        return all(
            (o is _c.LITERAL and v < 128 and not _is_word(chr(v))) or (o is _c.CATEGORY and v in _NONWORD_CATEGORIES)
            for o, v in av
        )
    if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1:
        return _nonword(*av[2][0])
    return False


def _flatten(items: Sequence) -> list | None:
    """Groups inlined into the sequence; ``None`` when a group switches to ASCII or
    locale matching, whose ``\\b`` is not the one the tokens assume."""
    out: list = []
    for op, av in items:
        if op in _GROUPS:
            if op is _c.SUBPATTERN and av[1] & (re.ASCII | re.LOCALE):
                return None
            inner = _flatten(av[-1] if op is _c.SUBPATTERN else av)
            if inner is None:
                return None
            out.extend(inner)
        else:
            out.append((op, av))
    return out


def _edge_after(items: list, k: int, right: bool) -> bool:
    """Whether a token edge is certain right after item ``k``."""
    if k + 1 >= len(items):
        return right
    op, av = items[k + 1]
    return (op is _c.AT and av in _EDGE_AT) or (op is _c.LITERAL and av < 128 and not _is_word(chr(av))) \
        or _nonword(op, av)


def _inner(op: object, av: object, head: str, after: bool) -> Needs | None:
    """What a match of a branch or of a repeated group needs."""
    if op is _c.BRANCH:
        alternatives = [_seq(alt, head, after) for alt in av[1]]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)  # type: ignore[arg-type]
    if op in _REPEATS and av[0] >= 1:
        # Of several repetitions only the first is sure to follow ``head``, and
        # what follows it may be another repetition rather than ``after``.
        return _seq(av[2], head, after and av[1] == 1)
    return None


def _seq(items: Sequence, head: str, right: bool) -> Needs | None:
    """What every match of the sequence ``items`` needs.

    ``head``: the literal run certain to come just before the sequence (the
    parser moves the common start of alternatives out in front of them, as in
    ``\\bt(?:hreat|erroris)``); ``right``: whether a token edge is certain after
    it. Every maximal run of ASCII literals is needed, and so is what each
    branch or repeated group needs.
    """
    flat = _flatten(items)
    if flat is None:
        return None
    runs: list[str] = []
    groups: list[Needs] = []
    run = head
    for k, (op, av) in enumerate(flat):
        if op is _c.LITERAL and av < 128:
            run += chr(av).lower()
        elif op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):  # zero width: the run goes on
            run += _EDGE if op is _c.AT and av in _EDGE_AT else ""
        else:  # consumes characters no literal names: the run ends here
            inner = _inner(op, av, run, _edge_after(flat, k, right))
            if inner is not None:
                groups.append(inner)
            sep = _nonword(op, av)
            runs.append(run + _EDGE if sep else run)
            run = _EDGE if sep else ""
    runs.append(run + _EDGE if right else run)
    needs = {frozenset().union(*(_keys(r) for r in runs if r.strip(_EDGE)))}
    for group in sorted(groups, key=len):
        product = {a | b for a in needs for b in group}
        if len(product) <= _MAX_ALTERNATIVES:
            needs = product
    return None if any(not a for a in needs) else frozenset(needs)


def _keys(literal: str) -> frozenset[Key]:
    """The keys a derived literal implies: one per word in it, or its text."""
    keys: set[Key] = set()
    for m in _WORD.finditer(literal.replace(_EDGE, " ")):
        lo, hi = m.start() > 0, m.end() < len(literal)  # a certain edge before / after the word
        keys.add(m.group() if lo and hi else ("prefix" if lo else "suffix" if hi else "infix", m.group()))
    return frozenset(keys) if keys else frozenset([("text", literal.replace(_EDGE, ""))])


def rank(key: Key) -> float:
    """How few texts a key lets through, roughly: a longer word is rarer, and a
    whole token rarer than a part of one."""
    if isinstance(key, str):
        return len(key)
    return len(key[1]) - {"prefix": 1, "suffix": 1, "infix": 2}.get(key[0], 3)


def needs(pattern: re.Pattern[str]) -> Needs | None:
    """Conditions every match of ``pattern`` meets (see the module docstring).

    ``None`` when nothing can be said: the pattern may match without any
    literal we can name.
    """
    tree = _tree(pattern)
    return None if tree is None else _seq(tree, "", False)


def _leads(items: Sequence) -> frozenset[str] | None:
    """Lower-cased literals one of which every match of ``items`` starts with."""
    flat = _flatten(items)
    if flat is None:
        return None
    run = ""
    for op, av in flat:
        if op is _c.LITERAL and av < 128:
            run += chr(av).lower()
            continue
        if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):  # zero width
            continue
        inner: list[frozenset[str] | None] = []
        if op is _c.BRANCH:
            inner = [_leads(alt) for alt in av[1]]
        elif op in _REPEATS and av[0] >= 1:
            inner = [_leads(av[2])]
        if inner and None not in inner:
            tails = frozenset().union(*inner)  # type: ignore[arg-type]
            if len(tails) <= _MAX_ALTERNATIVES:
                return frozenset(run + t for t in tails)
        break
    return frozenset([run]) if run else None


def leads(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased literals one of which every match of ``pattern`` starts with,
    as they read in the case-folded text; ``None`` when unknown.

    No match can start before the first of them in the text, so a search may
    start there (``\\bharm\\b`` matches only where "harm" stands).
    """
    tree = _tree(pattern)
    return None if tree is None else _leads(tree)


def sufficient(pattern: re.Pattern[str]) -> frozenset[Key]:
    """Keys any one of which the folded text's tokens meet only where ``pattern`` matches.

    Read from the branches that spell one word, ``\\b(?:harm|factors?)\\b`` or
    ``\\bterroris[mt]``: an ``IGNORECASE`` word of ASCII letters matches exactly
    where the folded text reads it (:func:`nccd._rulegate.fold` keeps every
    offset and what is a word character), with a token edge wherever the branch
    has ``\\b``. Such a key proves a match without a search.
    """
    tree = _tree(pattern)
    if tree is None or not pattern.flags & re.IGNORECASE:
        return frozenset()
    keys: set[Key] = set()
    for spelt in _spellings(tree) or ():
        word = spelt.strip(_EDGE)
        if word and _WORD.fullmatch(word) and word.isascii():
            lo, hi = spelt.startswith(_EDGE), spelt.endswith(_EDGE)
            keys.add(word if lo and hi else ("prefix" if lo else "suffix" if hi else "infix", word))
    return frozenset(keys)


def _spellings(items: Sequence) -> set[str] | None:
    """Strings ``items`` matches, lower-cased, ``_EDGE`` for ``\\b``: all of them, or
    those of the alternatives that can be spelt out; ``None`` when none can (a
    class such as ``\\w``, a look-around, a flag change, an atomic group, too
    many strings…)."""
    out = {""}
    for op, av in items:
        part: set[str] | None = None
        if op is _c.LITERAL and av < 128:
            part = {chr(av).lower()}
        elif op is _c.AT and av is _c.AT_BOUNDARY:
            part = {_EDGE}
        elif op is _c.IN and all(o is _c.LITERAL and v < 128 for o, v in av):
            part = {chr(v).lower() for _, v in av}
        elif op is _c.BRANCH:  # a string of any alternative is one the branch matches
            part = set().union(*(spelt for spelt in map(_spellings, av[1]) if spelt))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] <= 1 and av[1] == 1:
            part = _spellings(av[2])
            if part is not None and av[0] == 0:
                part.add("")
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            part = _spellings(av[-1])
        if not part or len(out) * len(part) > 8 * _MAX_ALTERNATIVES:
            return None
        out = {a + b for a in out for b in part}
    return out


def anchored(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` starts at the start of the string (``^``, ``\\A``).

    With its :func:`leads` known, such a pattern can only match a text whose
    folded form starts with one of them: one ``startswith`` decides.
    """
    tree = _tree(pattern)
    multiline = bool(pattern.flags & re.MULTILINE)
    while tree:
        op, av = tree[0]
        if op is _c.SUBPATTERN:  # (group, add flags, del flags, items): ``(?m:^…)`` is a line start
            multiline = (multiline or bool(av[1] & re.MULTILINE)) and not av[2] & re.MULTILINE
            tree = list(av[-1])
            continue
        return op is _c.AT and (av is _c.AT_BEGINNING_STRING or (av is _c.AT_BEGINNING and not multiline))
    return False


def _tree(pattern: re.Pattern[str]) -> list | None:
    """The pattern as Python's regex parser reads it; ``None`` for byte, ASCII or
    locale patterns (their case folding differs) or when the parser refuses."""
    if not isinstance(pattern.pattern, str) or pattern.flags & (re.ASCII | re.LOCALE):
        return None
    try:
        return list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # pragma: no cover - a private parser that changed shape
        return None


def _top_level_bars(source: str) -> list[int]:
    """Positions of the ``|`` outside every group and character class."""
    bars, depth, i, in_class = [], 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 1
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            bars.append(i)
        i += 1
    return bars


def alternatives(pattern: re.Pattern[str]) -> list[re.Pattern[str]]:
    """The top-level branches of ``pattern`` as regexes of their own.

    ``pattern`` matches where one of them does; at its leftmost match it takes
    the first branch that matches there. ``[pattern]`` when there is nothing to
    split, or when splitting is not safe (verbose patterns, comments, group
    references across branches).
    """
    source = pattern.pattern
    if not isinstance(source, str) or pattern.flags & re.VERBOSE or "(?#" in source:
        return [pattern]
    cuts = [-1, *_top_level_bars(source), len(source)]
    if len(cuts) == 2:
        return [pattern]
    try:
        parts = [re.compile(source[a + 1:b], pattern.flags) for a, b in zip(cuts, cuts[1:])]
    except re.error:
        return [pattern]
    return parts
