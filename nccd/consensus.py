"""template, consensus: the wording most copies of a family agree on, word by word.

When every force edits the national text a little, no single copy is the
template: each differs from the original in its own few words, and two copies
differ from each other in twice as many. Voting position by position over the
copies aligned to one pivot recovers the common wording, which every copy is
then closer to than to any other copy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz.distance import Indel, Levenshtein

from .align import Vocabulary
from .normalize import normalize


#: Wordings needed before voting: with fewer, one copy's own edits can carry a vote.
MIN_WORDINGS = 5


@dataclass(frozen=True)
class Wording:
    """One wording of a family (its original text) and how many documents hold it."""

    text: str
    weight: int


def consensus(wordings: Sequence[Wording], *, max_wordings: int = 64, min_similarity: float = 0.5) -> str:
    """The majority wording, with the surface forms (case, punctuation) of the copies.

    The first wording is the pivot; the others are aligned to it word by word. A
    pivot word stays when most weight keeps it, is replaced by the word most weight
    puts there, or is dropped when most weight drops it; words inserted between
    pivot words appear when most weight inserts the same words. Wordings less
    similar to the pivot than ``min_similarity`` do not vote.
    """
    used = list(wordings[:max_wordings])
    pivot = normalize(used[0].text)
    if len(used) < MIN_WORDINGS or not len(pivot):
        return used[0].text
    vocab = Vocabulary()
    pivot_ids = vocab.ids(pivot.words)
    votes: list[Counter] = [Counter({i: used[0].weight}) for i in pivot_ids]
    inserts: list[Counter] = [Counter() for _ in range(len(pivot_ids) + 1)]
    surface: dict[int, str] = {}
    total = used[0].weight
    for w in used[1:]:
        words = normalize(w.text)
        if Indel.normalized_similarity(pivot_ids, vocab.ids(words.words)) < min_similarity:
            continue  # another text chained into the family, not a copy of this one
        total += w.weight
        _vote(words, w.weight, vocab, pivot_ids, votes, inserts, surface)
    return _render(pivot, pivot_ids, votes, inserts, surface, total)


def _vote(words, weight, vocab, pivot_ids, votes, inserts, surface) -> None:
    ids = vocab.ids(words.words)
    for k, i in enumerate(ids):
        surface.setdefault(i, words.original[int(words.starts[k]) : int(words.ends[k])])
    for op in Levenshtein.opcodes(pivot_ids, ids):
        if op.tag == "equal" or (op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start):
            for p, q in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
                votes[p][ids[q]] += weight
            continue
        if op.tag in ("delete", "replace"):
            for p in range(op.src_start, op.src_end):
                votes[p][None] += weight
        if op.tag in ("insert", "replace"):
            inserts[op.src_start][tuple(ids[op.dest_start : op.dest_end])] += weight


def _render(pivot, pivot_ids, votes, inserts, surface, total: int) -> str:
    """Pivot text with the voted changes: each pivot word keeps the separator after it,
    a dropped word takes its separator with it (line breaks stay)."""
    text, starts, ends = pivot.original, pivot.starts, pivot.ends
    out: list[str] = [text[: int(starts[0])]]
    for p, own in enumerate(pivot_ids):
        out.extend(_inserted(inserts[p], surface, total))
        nxt = int(starts[p + 1]) if p + 1 < len(pivot_ids) else len(text)
        sep = text[int(ends[p]) : nxt]
        winner = max(votes[p].items(), key=lambda kv: (kv[1], kv[0] == own))[0]
        if winner is None:
            out.append("\n" * sep.count("\n"))
        else:
            out.append(text[int(starts[p]) : int(ends[p])] if winner == own else surface[winner])
            out.append(sep)
    out.extend(_inserted(inserts[len(pivot_ids)], surface, total))
    return "".join(out).strip()


def _inserted(counter: Counter, surface: dict, total: int) -> list[str]:
    if not counter:
        return []
    words, weight = max(counter.items(), key=lambda kv: (kv[1], kv[0]))
    if 2 * weight <= total:
        return []
    return [surface[i] + " " for i in words]
