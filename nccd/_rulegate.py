"""_rulegate: search a passage only with the regexes (and regex branches) that can match it.

Scoring a passage against a table of regexes costs one scan of the passage per
rule, and a scan with a many-branched regex tries every branch at every
position; yet most branches need words the passage does not hold. A
:class:`Gate` splits each regex into its top-level branches and reads what each
needs (:mod:`nccd._regexneeds`): words, as keys on the tokens of the
case-folded text, and the literals its matches start with. From the
whitespace-separated chunks of a passage (whose keys it learns once per
distinct chunk) it names the few branches that may match, and each is searched
from the first place a match can start. The answers are the ones the whole
regexes give, at a fraction of the cost.

Some keys also prove a match: ``\\bharm\\b`` matches wherever the token
"harm" stands (:func:`nccd._regexneeds.sufficient`), and a caller that only
asks whether a pattern matches need not search.

Sets of keys, branches and patterns are Python ints used as bit sets: bit
``b`` is branch ``b``; a key that some branch needs together with other keys
has a bit above the branches; above those, bit ``i`` of the patterns proven to
match. A chunk's keys are then one int, and a passage's the ``|`` of its
chunks' ints, which costs far less than a union of sets.
"""

from __future__ import annotations

import functools
import operator
import re
from typing import Iterable, Iterator, Sequence

from ._regexneeds import Key, alternatives, anchored, leads, needs, rank, sufficient

# IGNORECASE matches "ı" and "İ" to "i" and "ſ" to "s", which str.lower does not;
# and "İ".lower() is two characters where the regex sees one.
_FOLD = (("İ", "i"), ("ı", "i"), ("ſ", "s"))
_TOKEN = re.compile(r"\w+")
#: Most distinct chunks (tokens, sets of rare keys…) a gate remembers: see :class:`Memory`.
MEMORY = 100_000
#: Distinct sets of branches that may match whose layout a gate remembers.
LAYOUTS = 10_000

#: What a :class:`Scan` searches one pattern with: the regex of its branches that
#: may match, the literals its matches start with (folded; empty when unknown),
#: and whether they can only start at the start of the text (anchored).
Entry = tuple[re.Pattern[str], tuple[str, ...], bool]


def fold(text: str) -> str:
    """``text`` lower-cased so that whatever an ``IGNORECASE`` regex matches to an
    ASCII literal ``s`` reads ``s.lower()`` here, character for character."""
    if not text.isascii():
        for odd, plain in _FOLD:
            text = text.replace(odd, plain)  # str.translate is ten times slower
    return text.lower()


class Gate:
    """Which branches of a list of regexes may match a text, judged from its words.

    Parameters
    ----------
    patterns:
        The regexes, as compiled; their positions are the ids a :class:`Scan`
        answers with.
    common:
        Words most texts hold: a branch that needs several words is filed under
        another one if it can, so that it is checked less often.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]], common: Iterable[str] = ()):
        self._patterns = list(patterns)
        self._split: list[int] = []  # per pattern: how many branches
        # branch id → (pattern id, branch regex, literals its matches start with, anchored)
        self._branches: list[tuple[int, re.Pattern[str], tuple[str, ...], bool]] = []
        self._always = 0  # branches we can say nothing about: always searched
        direct: dict[Key, set[int]] = {}  # key → branches that need only it
        checked: dict[Key, list[tuple[frozenset[Key], int]]] = {}  # rarest key → (all keys, branch)
        for i, pattern in enumerate(patterns):
            branches = alternatives(pattern)
            self._split.append(len(branches))
            for branch in branches:
                self._file(i, branch, frozenset(common), direct, checked)
        self.every = (1 << len(self._branches)) - 1  # every branch, as a bit set
        self._bits(direct, checked)
        self._chunks = Memory(self._chunk_value, MEMORY // 2, share=True)
        self._token_values = Memory(self._token_value, MEMORY // 2, share=True)
        # hits → the layout a Scan reads; few distinct sets of hits recur.
        self._layouts: dict[int, dict[int, Entry]] = {}
        self._joined: dict[tuple[int, ...], Entry] = {}  # branches → their joined search
        self._grouped: dict[tuple[int, ...], tuple[Entry, ...]] = {}  # branches → their searches by kind
        self._wanted = Memory(self._want, MEMORY // 2)  # rare keys → the keys their conjunctions need
        self._joint = Memory(self._check, MEMORY // 2)  # those keys held → the branches of the conjunctions met

    def _file(self, i: int, branch: re.Pattern[str], common: frozenset[str], direct: dict, checked: dict) -> None:
        """Add a branch of pattern ``i`` to ``direct`` or ``checked``, under what it needs."""
        b = len(self._branches)
        self._branches.append((i, branch, tuple(sorted(leads(branch) or ())), anchored(branch)))
        need = needs(branch)
        if need is None:
            self._always |= 1 << b
        for keys in need or ():
            if len(keys) == 1:
                direct.setdefault(next(iter(keys)), set()).add(b)
            else:
                # (sorted first: ties go the same way whatever the hash seed)
                rarest = max(sorted(keys, key=repr),
                             key=lambda k: rank(k) - 100 * ((k if isinstance(k, str) else k[1]) in common))
                checked.setdefault(rarest, []).append((keys, b))

    def _bits(self, direct: dict[Key, set[int]], checked: dict[Key, list[tuple[frozenset[Key], int]]]) -> None:
        """The bit sets: each key's (its direct branches, its own bit if a
        conjunction needs it, the patterns it proves) and each conjunction's,
        filed under its rarest key."""
        joint = sorted({k for entries in checked.values() for keys, _ in entries for k in keys}, key=repr)
        own = {k: 1 << (len(self._branches) + j) for j, k in enumerate(joint)}
        self._proof_shift = len(self._branches) + len(joint)
        proofs: dict[Key, int] = {}
        for i, pattern in enumerate(self._patterns):
            for k in sufficient(pattern):
                proofs[k] = proofs.get(k, 0) | 1 << (self._proof_shift + i)
        used = set(direct) | set(own) | set(proofs)
        self._values = {k: sum(1 << b for b in direct.get(k, ())) | own.get(k, 0) | proofs.get(k, 0) for k in used}
        self._rare = {own[k]: tuple((sum(own[x] for x in keys), 1 << b) for keys, b in entries)
                      for k, entries in checked.items()}
        self._rare_mask = sum(self._rare)
        self._tokens = frozenset(k for k in used if isinstance(k, str))
        # A text key with no white space lies inside one chunk: learnt with the
        # chunk. One with white space is looked for in the whole text.
        text = sorted(k for k in used if isinstance(k, tuple) and k[0] == "text")
        self._text = tuple((k[1], self._values[k]) for k in text if k[1].split() != [k[1]])
        self._chunk_text = tuple((k[1], self._values[k]) for k in text if k[1].split() == [k[1]])
        # Partial keys by the character a token meeting them starts (ends) with.
        self._prefixes: dict[str, list[tuple[str, int]]] = {}
        self._suffixes: dict[str, list[tuple[str, int]]] = {}
        for key in sorted((k for k in used if isinstance(k, tuple) and k[0] in ("prefix", "suffix")), key=repr):
            kind, w = key
            by_end = self._prefixes if kind == "prefix" else self._suffixes
            by_end.setdefault(w[0] if kind == "prefix" else w[-1], []).append((w, self._values[key]))
        self._infixes = tuple((k[1], self._values[k]) for k in sorted(used, key=repr)
                              if isinstance(k, tuple) and k[0] == "infix")

    def _token_value(self, token: str) -> int:
        """The bits of the keys one token (folded, not empty) meets."""
        value = self._values[token] if token in self._tokens else 0
        for w, bits in self._prefixes.get(token[0], ()):
            if token.startswith(w):
                value |= bits
        for w, bits in self._suffixes.get(token[-1], ()):
            if token.endswith(w):
                value |= bits
        for w, bits in self._infixes:
            if w in token:
                value |= bits
        return value

    def _chunk_value(self, chunk: str) -> int:
        """The bits of the keys the tokens of a chunk (a run of non-space characters) meet."""
        if chunk.isalnum():  # one token, and no text key (those hold no word character)
            return self._token_values[fold(chunk)]
        value = _any_of(map(self._token_values.__getitem__, _TOKEN.findall(fold(chunk))))
        # A chunk text key has no letters: folding changes nothing.
        return value | _any_of(v for s, v in self._chunk_text if s in chunk)

    def hits(self, text: str, chunks: Sequence[str] | None = None) -> tuple[int, int]:
        """The branches that may match ``text`` and the patterns that do, as bit
        sets (bit ``b``: branch ``b``; bit ``i``: pattern ``i``).

        ``chunks``: ``text.split()``, when the caller has it already.
        """
        chunks = text.split() if chunks is None else chunks
        keys = functools.reduce(operator.or_, map(self._chunks.__getitem__, chunks), 0)
        for s, value in self._text:  # no letters: folding changes nothing
            if s in text:
                keys |= value
        found = (keys & self.every) | self._always
        rare = keys & self._rare_mask
        if rare:
            # What the conjunctions filed under these rare keys need, and which of
            # it the text holds (which holds these rare keys again): few distinct.
            found |= self._joint[keys & self._wanted[rare]]
        return found, keys >> self._proof_shift

    def _want(self, rare: int) -> int:
        """The keys the conjunctions filed under the keys of ``rare`` need."""
        wanted = 0
        for bit in _members(rare):
            for need, _ in self._rare[bit]:
                wanted |= need
        return wanted

    def _check(self, held: int) -> int:
        """The branches of the conjunctions filed under the rare keys in ``held`` that
        ``held`` meets in full."""
        met = 0
        for bit in _members(held & self._rare_mask):
            for need, branch in self._rare[bit]:
                if held & need == need:
                    met |= branch
        return met

    def layout(self, hits: int) -> dict[int, Entry]:
        """pattern id → what to search it with, for the patterns some branch in ``hits`` belongs to."""
        layout = self._layouts.get(hits)
        if layout is None:
            layout = {i: self._join(bs) for i, bs in self._by_pattern(hits).items()}
            if len(self._layouts) >= LAYOUTS:
                self._layouts.clear()
            self._layouts[hits] = layout
        return layout

    def groups(self, hits: int) -> dict[int, tuple[Entry, ...]]:
        """pattern id → its branches in ``hits``, grouped into searches that each run alone.

        The branches anchored at the start of the text, those whose matches start
        with known literals, and the rest: a pattern matches where one of its
        groups does, and each group is searched the cheap way it allows. (The
        first match of the pattern need not be the first of any one group: for
        spans, :meth:`layout`.)
        """
        return {i: self._group(bs) for i, bs in self._by_pattern(hits).items()}

    def _group(self, bs: tuple[int, ...]) -> tuple[Entry, ...]:
        """The searches of :meth:`groups` for some branches of one pattern, remembered."""
        grouped = self._grouped.get(bs)
        if grouped is None:
            kinds: dict[tuple[bool, bool], list[int]] = {}
            for b in bs:
                kinds.setdefault((self._branches[b][3], not self._branches[b][2]), []).append(b)
            self._grouped[bs] = grouped = tuple(self._join(tuple(group)) for _, group in sorted(kinds.items()))
        return grouped

    def _by_pattern(self, hits: int) -> dict[int, tuple[int, ...]]:
        """pattern id → its branches in ``hits``, in order."""
        by_pattern: dict[int, list[int]] = {}
        for bit in _members(hits):
            b = bit.bit_length() - 1
            by_pattern.setdefault(self._branches[b][0], []).append(b)
        return {i: tuple(bs) for i, bs in by_pattern.items()}

    def scan(self, text: str, chunks: Sequence[str] | None = None) -> "Scan":
        """What of the patterns may match ``text``; search with the :class:`Scan`.

        ``chunks``: as for :meth:`hits`.
        """
        found, proven = self.hits(text, chunks)
        return Scan(text, self.layout(found), proven=proven)

    def _join(self, bs: tuple[int, ...]) -> Entry:
        """One regex for some branches of one pattern, and what its matches start with.

        The alternation of the branches that may match, in their order, finds
        what the whole pattern finds (the others cannot match), in one search.
        """
        joined = self._joined.get(bs)
        if joined is None:
            i = self._branches[bs[0]][0]
            branches = [self._branches[b][1] for b in bs]
            starts = [self._branches[b][2] for b in bs]
            # Without a known start for every branch, a match may start anywhere.
            lead = tuple(dict.fromkeys(s for ss in starts for s in ss)) if all(starts) else ()
            at = all(self._branches[b][3] for b in bs)
            if len(bs) == self._split[i]:
                regex = self._patterns[i]
            elif len(bs) == 1:
                regex = branches[0]
            else:
                try:
                    regex = re.compile("|".join(b.pattern for b in branches), self._patterns[i].flags)
                except re.error:  # pragma: no cover - each branch compiles alone
                    regex, lead, at = self._patterns[i], (), False
            self._joined[bs] = joined = (regex, lead, at)
        return joined


def _any_of(values: Iterable[int]) -> int:
    """The union of some bit sets."""
    return functools.reduce(operator.or_, values, 0)


def _members(bits: int) -> Iterator[int]:
    """The set bits of ``bits``, lowest first, each as an int of that bit alone."""
    while bits:
        low = bits & -bits
        yield low
        bits ^= low


class Memory(dict):
    """key → ``make(key)``, worked out on first sight and remembered.

    A look-up of a remembered key is a plain dict look-up, cheaper than an LRU
    cache's. When ``size`` keys are held they become the previous generation,
    still answered from (and moved back on use), and the generation before is
    forgotten: what recurs stays, at most ``2 * size`` keys are held. With
    ``share``, equal values are stored as one object: few distinct bit sets
    recur, and fewer objects keep more of them in the processor's cache.
    ``make`` never returns ``None``.
    """

    def __init__(self, make, size: int, share: bool = False):
        super().__init__()
        self._make, self._size = make, size
        self._previous: dict = {}
        self._values: dict | None = {} if share else None

    def __missing__(self, key):
        value = self._previous.get(key)
        if value is None:
            value = self._make(key)
            if self._values is not None:
                value = self._values.setdefault(value, value)
        if len(self) >= self._size:
            self._previous = dict(self)
            self.clear()
            if self._values is not None:  # keep the values the previous generation holds
                self._values = {v: v for v in self._previous.values()}
        self[key] = value
        return value


def start(folded: str, starts: tuple[str, ...], at_start: bool) -> int:
    """The first place in ``folded`` a match can start, from an :data:`Entry`'s
    literals; ``-1`` when none can, ``0`` when unknown."""
    if at_start:
        return 0 if not starts or folded.startswith(starts) else -1
    if not starts:
        return 0
    if len(starts) == 1:
        return folded.find(starts[0])
    return min((p for p in map(folded.find, starts) if p >= 0), default=-1)


class Scan:
    """The branches of a :class:`Gate`'s patterns that may match one text.

    Attributes
    ----------
    text:
        The text.
    """

    __slots__ = ("text", "_folded", "_found", "_proven")

    def __init__(self, text: str, found: dict[int, Entry], folded: str | None = None, proven: int = 0):
        self.text = text
        self._folded = folded  # fold(text), once needed
        # pattern id → (regex of its branches that may match, literals its matches start with, anchored)
        self._found = found
        self._proven = proven  # bit i: pattern i matches, known without a search

    def __iter__(self) -> Iterator[int]:
        """The ids of the patterns that may match."""
        return iter(self._found)

    def __contains__(self, i: int) -> bool:
        return i in self._found

    def search(self, i: int) -> re.Match[str] | None:
        """``patterns[i].search(text)``, from the first place a match can start.

        (The match object may come from a regex of only some of the pattern's
        branches: its span is the pattern's, its groups are not.)
        """
        found = self._found.get(i)
        if found is None:
            return None
        regex, starts, at_start = found
        at = 0
        if starts:
            if self._folded is None:
                self._folded = fold(self.text)
            # No match starts before the first of the literals every match starts with.
            at = start(self._folded, starts, at_start)
        elif at_start:
            return regex.match(self.text)
        return regex.search(self.text, at) if at >= 0 else None

    def matches(self, i: int) -> bool:
        """Whether pattern ``i`` matches the text: ``bool(pattern.search(text))``."""
        return bool(self._proven >> i & 1) or self.search(i) is not None

