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
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Sequence

from ._regexneeds import Key, alternatives, leads, needs, rank

# IGNORECASE matches "ı" and "İ" to "i" and "ſ" to "s", which str.lower does not;
# and "İ".lower() is two characters where the regex sees one.
_FOLD = (("İ", "i"), ("ı", "i"), ("ſ", "s"))
_TOKEN = re.compile(r"\w+")
#: Distinct chunks a gate remembers before it forgets them all and starts again.
MEMORY = 100_000
#: Distinct sets of branches that may match whose layout a gate remembers.
LAYOUTS = 10_000
_NONE: frozenset[Key] = frozenset()


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
        # branch id → (pattern id, branch regex, literals its matches start with)
        self._branches: list[tuple[int, re.Pattern[str], tuple[str, ...]]] = []
        self._always: list[int] = []  # branches we can say nothing about
        # A branch that needs one key is filed under it; one that needs several
        # (a conjunction) under its rarest, and checked in full.
        self._direct: dict[Key, set[int]] = {}
        self._checked: dict[Key, list[tuple[frozenset[Key], int]]] = {}
        for i, pattern in enumerate(patterns):
            branches = alternatives(pattern)
            self._split.append(len(branches))
            for branch in branches:
                self._file(i, branch, frozenset(common))
        used = set(self._direct).union(*(keys for entries in self._checked.values() for keys, _ in entries))
        self._tokens = frozenset(k for k in used if isinstance(k, str))
        # A text key with no white space lies inside one chunk: learnt with the
        # chunk. One with white space is looked for in the whole text.
        text = sorted(k for k in used if isinstance(k, tuple) and k[0] == "text")
        self._text = tuple(k for k in text if k[1].split() != [k[1]])
        self._chunk_text = tuple(k for k in text if k[1].split() == [k[1]])
        partial = [k for k in used if isinstance(k, tuple) and k[0] != "text"]
        self._prefixes = tuple(sorted(w for kind, w in partial if kind == "prefix"))
        self._suffixes = tuple(sorted(w for kind, w in partial if kind == "suffix"))
        self._infixes = tuple(sorted(w for kind, w in partial if kind == "infix"))
        self._direct_keys = frozenset(self._direct)
        self._checked_keys = frozenset(self._checked)
        self._chunks = _Chunks(self)
        # hits → the layout a Scan reads; few distinct sets of hits recur.
        self._layouts: dict[frozenset[int], dict[int, tuple[re.Pattern[str], tuple[str, ...]]]] = {}
        self._joined: dict[tuple[int, ...], tuple[re.Pattern[str], tuple[str, ...]]] = {}

    def _file(self, i: int, branch: re.Pattern[str], common: frozenset[str]) -> None:
        """Add a branch of pattern ``i`` to the index, under what it needs."""
        b = len(self._branches)
        self._branches.append((i, branch, tuple(leads(branch) or ())))
        need = needs(branch)
        if need is None:
            self._always.append(b)
        for keys in map(_prune, need or ()):
            if len(keys) == 1:
                self._direct.setdefault(next(iter(keys)), set()).add(b)
            else:
                rarest = max(keys, key=lambda k: rank(k) - 100 * ((k if isinstance(k, str) else k[1]) in common))
                self._checked.setdefault(rarest, []).append((keys, b))

    def _token_keys(self, token: str) -> set[Key]:
        """The keys one token (folded) meets."""
        keys: set[Key] = {token} if token in self._tokens else set()
        # startswith/endswith with a tuple rule most tokens out in one call.
        if token.startswith(self._prefixes):
            keys.update(("prefix", w) for w in self._prefixes if token.startswith(w))
        if token.endswith(self._suffixes):
            keys.update(("suffix", w) for w in self._suffixes if token.endswith(w))
        keys.update(("infix", w) for w in self._infixes if w in token)
        return keys

    def chunk_keys(self, chunk: str) -> frozenset[Key]:
        """The keys the tokens of a chunk (a run of non-space characters) meet."""
        keys = set().union(*map(self._token_keys, _TOKEN.findall(fold(chunk))))
        keys.update(k for k in self._chunk_text if k[1] in chunk)  # no letters: folding changes nothing
        return frozenset(keys) if keys else _NONE

    def scan(self, text: str, chunks: Sequence[str] | None = None) -> "Scan":
        """What of the patterns may match ``text``; search with the :class:`Scan`.

        ``chunks``: ``text.split()``, or a list with the same non-space runs and
        perhaps more, when the caller has it already.
        """
        keys = set().union(*map(self._chunks.__getitem__, text.split() if chunks is None else chunks))
        keys.update(k for k in self._text if k[1] in text)  # no letters: folding changes nothing
        hits = set(self._always)
        hits.update(*map(self._direct.__getitem__, keys & self._direct_keys))
        for key in keys & self._checked_keys:
            hits.update(b for need, b in self._checked[key] if need <= keys)
        key = frozenset(hits)
        layout = self._layouts.get(key)
        if layout is None:
            by_pattern: dict[int, list[int]] = {}
            for b in sorted(hits):
                by_pattern.setdefault(self._branches[b][0], []).append(b)
            layout = {i: self._join(tuple(bs)) for i, bs in by_pattern.items()}
            if len(self._layouts) >= LAYOUTS:
                self._layouts.clear()
            self._layouts[key] = layout
        return Scan(text, layout)

    def _join(self, bs: tuple[int, ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
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
            if len(bs) == self._split[i]:
                regex = self._patterns[i]
            elif len(bs) == 1:
                regex = branches[0]
            else:
                try:
                    regex = re.compile("|".join(b.pattern for b in branches), self._patterns[i].flags)
                except re.error:  # pragma: no cover - each branch compiles alone
                    regex, lead = self._patterns[i], ()
            self._joined[bs] = joined = (regex, lead)
        return joined


class _Chunks(dict):
    """chunk → :meth:`Gate.chunk_keys`, worked out on first sight (bounded)."""

    def __init__(self, gate: Gate):
        super().__init__()
        self._gate = gate

    def __missing__(self, chunk: str) -> frozenset[Key]:
        keys = self._gate.chunk_keys(chunk)
        if len(self) >= MEMORY:
            self.clear()
        self[chunk] = keys
        return keys


class Scan:
    """The branches of a :class:`Gate`'s patterns that may match one text.

    Attributes
    ----------
    text:
        The text.
    """

    __slots__ = ("text", "_folded", "_found")

    def __init__(self, text: str, found: dict[int, tuple[re.Pattern[str], tuple[str, ...]]]):
        self.text = text
        self._folded: str | None = None
        # pattern id → (regex of its branches that may match, literals its matches start with)
        self._found = found

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
        regex, starts = found
        at = 0
        if starts:
            if self._folded is None:
                self._folded = fold(self.text)
            # No match starts before the first of the literals every match starts with.
            if len(starts) == 1:
                at = self._folded.find(starts[0])
            else:
                at = min((p for p in map(self._folded.find, starts) if p >= 0), default=-1)
        return regex.search(self.text, at) if at >= 0 else None

    def matches(self, i: int) -> bool:
        """Whether pattern ``i`` matches the text: ``bool(pattern.search(text))``."""
        return self.search(i) is not None


def _prune(keys: frozenset[Key]) -> frozenset[Key]:
    """The keys of a conjunction worth checking.

    A whole token costs a set look-up and a text key one substring test; a
    partial key costs a test of every new token, and a short one ("s", "ref")
    is met by many. Keep the tokens, the text keys and the long partial keys;
    the best partial key when there is nothing else.
    """
    kept = {k for k in keys if isinstance(k, str) or k[0] == "text" or rank(k) >= 4}
    return frozenset(kept or [max(keys, key=rank)])
