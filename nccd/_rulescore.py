"""_rulescore: weighted regex rules scored over many texts, each searched only where it may match.

A :class:`Scorer` holds a table of rules ``(regex, weight, max_words, slot)`` and
some flag regexes. For a text it sums, per slot, the weights of the rules that
match, and answers the flags through a :class:`~nccd._rulegate.Scan`. The
:class:`~nccd._rulegate.Gate` names the branches that may match from the
text's words, and the patterns some word proves to match; the scorer turns
each distinct set of branches into a short list of searches once, so a text
costs the gate's word look-ups and a few searches, each begun where a match
can start.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from ._rulegate import LAYOUTS, Entry, Gate, Scan, fold, start

Rule = tuple[re.Pattern[str], int, int, int]  # (regex, weight, max_words, slot)
# How a search runs, from the literals of its Entry: anywhere; only at the start
# of the text; at each place one literal stands (a match can start nowhere else);
# at each place one of several stands; from the first place one of them stands.
_ANYWHERE, _AT_START, _AT_EACH, _SEVERAL, _FROM_FIRST = range(5)
# A literal this long is rare enough in a passage to try a match at each place it
# stands; a shorter one ("0", "s") stands in many, and one search from the first is cheaper.
_RARE = 3


class Scorer:
    """Sums of the weights of the rules a text matches, and flags.

    Parameters
    ----------
    rules:
        ``(regex, weight, max_words, slot)``: a match adds ``weight`` to slot
        ``slot`` when the text has at most ``max_words`` words. A slot may
        serve as a flag: a rule of weight 1 makes it count the texts' matches.
    slots:
        How many slots.
    flags:
        More regexes, searched on demand through the :class:`Scan` that
        :meth:`score` returns: flag ``k`` has id ``len(rules) + k``.
    common:
        As for :class:`~nccd._rulegate.Gate`.
    """

    def __init__(self, rules: Sequence[Rule], slots: int, flags: Sequence[re.Pattern[str]] = (),
                 common: Iterable[str] = ()):
        self._rules = list(rules)
        self._slots = slots
        self.gate = Gate([rule[0] for rule in self._rules] + list(flags), common)
        # hits → (per rule: ``(regex, literals, kind, further searches, bit, weight, max_words, slot)``;
        # the layout for the flags)
        self._programs: dict[int, tuple[tuple[tuple, ...], dict[int, Entry] | None]] = {}
        self._searches: dict[tuple[int, tuple[Entry, ...]], tuple] = {}

    def score(self, text: str, chunks: Sequence[str], words: int) -> tuple[list[int], Scan | None]:
        """Per slot, the sum of the weights of the rules that match ``text``; and a
        :class:`Scan` of ``text`` that answers the flags, ``None`` when none can match.

        ``chunks``: ``text.split()``, as for :meth:`Gate.hits <nccd._rulegate.Gate.hits>`;
        ``words``: the word count the rules' ``max_words`` are held to.
        """
        hits, proven = self.gate.hits(text, chunks)
        program = self._programs.get(hits)
        if program is None:
            program = self._compile(hits)
        searches, layout = program
        folded = text.lower() if text.isascii() else fold(text)  # fold, without the call for most texts
        scores = [0] * self._slots
        for regex, starts, kind, more, bit, weight, most, slot in searches:
            # A word that proves the rule may stand in the text; else its first
            # search, else any other (most rules have one).
            if words <= most and (proven & bit or _found(regex, starts, kind, text, folded)
                                  or (more and any(_found(*search, text, folded) for search in more))):
                scores[slot] += weight
        return scores, None if layout is None else Scan(text, layout, folded, proven)

    def _compile(self, hits: int) -> tuple[tuple[tuple, ...], dict[int, Entry] | None]:
        """The searches of the rules some branch in ``hits`` belongs to, and the
        layout for the flags when one of them may match; remembered."""
        searches = tuple(self._search(i, groups) for i, groups in self.gate.groups(hits).items()
                         if i < len(self._rules))
        layout = self.gate.layout(hits)
        # A flag proven to match has a branch in hits too: without one in the layout, none can match.
        flagged = any(i >= len(self._rules) for i in layout)
        if len(self._programs) >= LAYOUTS:
            self._programs.clear()
        self._programs[hits] = program = (searches, layout if flagged else None)
        return program

    def _search(self, i: int, groups: tuple[Entry, ...]) -> tuple:
        """Rule ``i``'s entry in a program, searching ``groups``; remembered."""
        search = self._searches.get((i, groups))
        if search is None:
            _, weight, most, slot = self._rules[i]
            first, *more = [(regex, *_plan(starts, at_start)) for regex, starts, at_start in groups]
            self._searches[(i, groups)] = search = (*first, tuple(more), 1 << i, weight, most, slot)
        return search


def matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """``bool(pattern.search(text))`` as a function, with no gate: each group of
    the pattern's branches (:meth:`Gate.groups <nccd._rulegate.Gate.groups>`)
    searched the cheap way it allows. For a pattern asked of few texts."""
    gate = Gate([pattern])
    plans = [(regex, *_plan(starts, at_start)) for regex, starts, at_start in gate.groups(gate.every)[0]]

    def matches(text: str) -> bool:
        folded = text.lower() if text.isascii() else fold(text)
        return any(_found(regex, starts, kind, text, folded) for regex, starts, kind in plans)

    return matches


def _plan(starts: tuple[str, ...], at_start: bool) -> tuple[str | tuple[str, ...], int]:
    """How to search with an :data:`~nccd._rulegate.Entry`'s literals: ``(literals, kind)``."""
    if at_start:
        return starts, _AT_START
    if not starts:
        return starts, _ANYWHERE
    if min(map(len, starts)) < _RARE:
        return starts, _FROM_FIRST
    return (starts[0], _AT_EACH) if len(starts) == 1 else (starts, _SEVERAL)


def _found(regex: re.Pattern[str], starts: str | tuple[str, ...], kind: int, text: str, folded: str) -> bool:
    """Whether ``regex`` matches ``text``, searched as :func:`_plan` says."""
    if kind == _AT_EACH:
        return _matches_at(regex, text, folded, starts)  # type: ignore[arg-type]
    if kind == _SEVERAL:
        for literal in starts:
            if _matches_at(regex, text, folded, literal):
                return True
        return False
    if kind == _FROM_FIRST:
        at = start(folded, starts, False)  # type: ignore[arg-type]
        return at >= 0 and regex.search(text, at) is not None
    if kind == _AT_START:  # every match starts at 0, and with one of the literals if known
        return (not starts or folded.startswith(starts)) and regex.match(text) is not None
    return regex.search(text) is not None


def _matches_at(regex: re.Pattern[str], text: str, folded: str, literal: str) -> bool:
    """Whether ``regex`` matches ``text`` at some place ``literal`` stands in ``folded``.

    When every match starts with one of some literals, trying a match at each
    place one stands finds whatever a search would, without trying every
    position after the first.
    """
    at = folded.find(literal)
    while at >= 0:
        if regex.match(text, at) is not None:
            return True
        at = folded.find(literal, at + 1)
    return False
