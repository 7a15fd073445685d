"""template, consensus: the wording most copies of a family agree on, word by word.

When every force edits the national text a little, no single copy is the
template: each differs from the original in its own few words, and two copies
differ from each other in twice as many. Voting position by position over the
copies aligned to one pivot recovers the common wording, which every copy is
then closer to than to any other copy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from typing import Callable, Iterable, Sequence

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein

from .align import Vocabulary
from .normalize import Normalized, normalize


#: Wordings needed before voting: with fewer, one copy's own edits can carry a vote.
MIN_WORDINGS = 5
#: Wordings that vote at most (the most widely held, as callers order them).
MAX_WORDINGS = 64


@dataclass(frozen=True)
class Wording:
    """One wording of a family (its original text) and how many documents hold it."""

    text: str
    weight: int


def consensus(
    wordings: Sequence[Wording],
    *,
    max_wordings: int = MAX_WORDINGS,
    min_similarity: float = 0.5,
    normalized: Callable[[str], Normalized] = normalize,
) -> str:
    """The majority wording, with the surface forms (case, punctuation) of the copies.

    The first wording is the pivot; the others are aligned to it word by word. A
    pivot word stays when most weight keeps it, is replaced by the word most weight
    puts there, or is dropped when most weight drops it; words inserted between
    pivot words appear when most weight inserts the same words. Wordings less
    similar to the pivot than ``min_similarity`` do not vote. ``normalized`` gives
    a text's comparison words (``normalize``, or a ``Normalizer`` that has them).
    """
    used = list(wordings[:max_wordings])
    if len(used) < MIN_WORDINGS:  # decided before normalising: most families end here
        return used[0].text
    pivot = normalized(used[0].text)
    if not len(pivot):
        return used[0].text
    vocab = Vocabulary()
    tally = _Tally(vocab.ids(pivot.words), used[0].weight)
    voters: list[tuple[Normalized, list[int]]] = []
    for w in used[1:]:
        words = normalized(w.text)
        ids = vocab.ids(words.words)  # before the test: ids number words in the order met
        if Indel.normalized_similarity(tally.pivot, ids) < min_similarity:
            continue  # another text chained into the family, not a copy of this one
        tally.vote(ids, w.weight)
        voters.append((words, ids))
    return _render(pivot, tally, voters)


class _Tally:
    """The votes on a pivot's words.

    ``other[p]`` holds the weight for each outcome at pivot word ``p`` but keeping
    it (another word; ``None``: dropped), in the order first voted, which breaks
    ties. Keeping is most of every vote, in long runs, so its weight is kept as a
    difference list (``kept``: the weight keeping each word) and added up once.
    ``inserts[p]`` is the weight for each run of words inserted before word ``p``
    (``len(pivot)``: after the last).
    """

    def __init__(self, pivot: list[int], weight: int) -> None:
        self.pivot = pivot
        self.total = weight
        self._keep = [weight] + [0] * len(pivot)
        self._keep[len(pivot)] -= weight
        self.other: defaultdict[int, dict[int | None, int]] = defaultdict(dict)
        self.inserts: defaultdict[int, dict[tuple[int, ...], int]] = defaultdict(dict)

    def vote(self, ids: list[int], weight: int) -> None:
        """The votes of one copy (its word ids) holding ``weight``."""
        self.total += weight
        keep, pivot, other = self._keep, self.pivot, self.other
        for tag, a, b, c, d in Levenshtein.opcodes(pivot, ids).as_list():
            if tag == "equal":
                keep[a] += weight
                keep[b] -= weight
            elif tag == "replace" and b - a == d - c:
                for p, word in zip(range(a, b), ids[c:d]):
                    if word == pivot[p]:
                        keep[p] += weight
                        keep[p + 1] -= weight
                    else:
                        votes = other[p]
                        votes[word] = votes.get(word, 0) + weight
            else:
                for p in range(a, b):  # "delete", or a "replace" of another length
                    votes = other[p]
                    votes[None] = votes.get(None, 0) + weight
                if tag != "delete":
                    votes, words = self.inserts[a], tuple(ids[c:d])
                    votes[words] = votes.get(words, 0) + weight

    def kept(self) -> list[int]:
        """The weight keeping each pivot word."""
        return list(accumulate(self._keep[:-1]))

    def winner(self, p: int, kept: int) -> int | None:
        """What most weight puts at pivot word ``p``: keeping it wins a tie, and
        among the rest the first voted."""
        other = self.other.get(p)
        if not other:
            return self.pivot[p]
        best, weight = max(other.items(), key=itemgetter(1))
        return self.pivot[p] if kept >= weight else best


def _render(pivot: Normalized, tally: _Tally, voters: list[tuple[Normalized, list[int]]]) -> str:
    """Pivot text with the voted changes: each pivot word keeps the separator after it,
    a dropped word takes its separator with it (line breaks stay)."""
    text, starts, ends = pivot.original, pivot.starts.tolist(), pivot.ends.tolist()
    n = len(tally.pivot)
    out: list[str] = [text[: starts[0]]]
    for p, kept in enumerate(tally.kept()):
        out.extend(_inserted(tally.inserts.get(p), voters, tally.total))
        sep = text[ends[p] : starts[p + 1] if p + 1 < n else len(text)]
        winner = tally.winner(p, kept)
        if winner is None:
            out.append("\n" * sep.count("\n"))
        else:
            out.append(text[starts[p] : ends[p]] if winner == tally.pivot[p] else _surface(winner, voters))
            out.append(sep)
    out.extend(_inserted(tally.inserts.get(n), voters, tally.total))
    return "".join(out).strip()


def _inserted(counter: dict[tuple[int, ...], int] | None, voters: list[tuple[Normalized, list[int]]],
              total: int) -> list[str]:
    if not counter:
        return []
    words, weight = max(counter.items(), key=lambda kv: (kv[1], kv[0]))
    if 2 * weight <= total:
        return []
    return [_surface(i, voters) + " " for i in words]


def _surface(word: int, voters: list[tuple[Normalized, list[int]]]) -> str:
    """How the first copy (in voting order) that holds a word writes it, where first."""
    for words, ids in voters:
        if word in ids:
            k = ids.index(word)
            return words.original[int(words.starts[k]) : int(words.ends[k])]
    raise KeyError(word)  # pragma: no cover - every voted word comes from a voter


#: Between texts normalised in one call. A line break ends every pattern that
#: could run on into the next text (a URL, an e-mail address, a placeholder), and
#: a NUL, neither letter nor space, keeps a word hyphenated at a line break
#: ("infra-", "structure") from joining across it.
_BETWEEN = "\n\x00\n"
#: Characters normalised in one call at most: the array work takes some twenty bytes a character.
_BATCH = 1 << 20


class Normalizer:
    """``normalize``, for many texts at once and remembered.

    ``fill`` normalises the texts it is given a batch at a time, joined by
    ``_BETWEEN``: a call's array work has a cost of its own that, for texts of a
    paragraph or two, was most of what normalising cost. Calling it with a text
    gives ``normalize(text)``, normalising one not filled on its own. The tests
    hold the two ways to each other.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, tuple[Normalized, int, int, int]] = {}

    def fill(self, texts: Iterable[str]) -> None:
        """Normalise every text not yet known."""
        batch: list[str] = []
        size = 0
        for text in dict.fromkeys(t for t in texts if t not in self._pieces):
            batch.append(text)
            size += len(text) + len(_BETWEEN)
            if size >= _BATCH:
                self._normalize(batch)
                batch, size = [], 0
        if batch:
            self._normalize(batch)

    def _normalize(self, texts: list[str]) -> None:
        joined = normalize(_BETWEEN.join(texts))
        first = np.cumsum([0, *(len(t) + len(_BETWEEN) for t in texts)])[:-1]
        cut = [*np.searchsorted(joined.starts, first).tolist(), len(joined)]
        for text, offset, a, b in zip(texts, first.tolist(), cut, cut[1:]):
            self._pieces[text] = (joined, offset, a, b)

    def __call__(self, text: str) -> Normalized:
        """``normalize(text)``."""
        joined, offset, a, b = self._piece(text)
        return Normalized(joined.words[a:b], joined.starts[a:b] - offset, joined.ends[a:b] - offset, text)

    def comparison(self, text: str) -> str:
        """``normalize(text).text``."""
        joined, _, a, b = self._piece(text)
        return " ".join(joined.words[a:b])

    def located(self, text: str) -> tuple[Normalized, int, int, int]:
        """``(joined, offset, a, b)``: ``text``'s words are words ``a .. b - 1`` of the
        batch ``joined`` it was normalised in, at ``offset`` characters into it."""
        return self._piece(text)

    def _piece(self, text: str) -> tuple[Normalized, int, int, int]:
        if text not in self._pieces:
            self._normalize([text])
        return self._pieces[text]
