"""candidates: passage pairs, across documents, worth aligning.

Three sources, each for what the others miss:
- near-duplicate passages, from the ``MinHashLSH`` index;
- passages sharing a few exact shingles though their Jaccard similarity is low,
  which is how a clause of the national text shows up inside a force's own
  sentence;
- short passages (headings, one-liners) whose shingle sets are too small to
  sketch: these pair only when their comparison text is identical, so they
  never collapse into one family because their sets are tiny.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Sequence

import numpy as np
from datasketch import MinHashLSH

from .settings import Settings
from .shingle import Shingles
from .sketch import to_minhash


def lsh_pairs(
    lsh: MinHashLSH, signatures: np.ndarray, docs: Sequence[str], *, seed: int, rows: Sequence[int]
) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of indexed passages from different documents
    that share an LSH bucket. ``rows`` are the passage numbers to query."""
    pairs: set[tuple[int, int]] = set()
    for i in rows:
        for j in lsh.query(to_minhash(signatures[i], seed)):
            if j != i and docs[i] != docs[j]:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def shared_shingle_pairs(
    shingles: Shingles, docs: Sequence[str], *, min_shared: int, rows: Sequence[int],
    max_postings: int | None = None, keys: Sequence[str] | None = None, hubs: int = 2,
) -> set[tuple[int, int]]:
    """Pairs of passages from different documents sharing ``min_shared`` or more
    distinct shingles.

    A shingle held by more than ``max_postings`` passages is boilerplate: walking
    its postings pair by pair would grow with the square of the corpus, so each
    holder is paired only with the ``hubs`` holders that rank first by a stable
    hash of their ``keys``. The same few passages rank first for every shingle of
    a copied passage, so its copies still pair, through them, in linear work.
    """
    hashes, owners = [], []
    for i in rows:
        h = np.unique(shingles.of(i))
        hashes.append(h)
        owners.append(np.full(len(h), i, dtype=np.int64))
    if not hashes:
        return set()
    h = np.concatenate(hashes)
    o = np.concatenate(owners)
    order = np.argsort(h, kind="stable")
    h, o = h[order], o[order]
    cut = np.flatnonzero(np.diff(h)) + 1
    rank = _ranks(keys, len(docs)) if keys is not None else np.arange(len(docs))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for group in np.split(o, cut):
        if len(group) < 2:
            continue
        members = group.tolist()
        if max_postings is not None and len(group) > max_postings:
            centres = group[np.argsort(rank[group], kind="stable")[:hubs]].tolist()
            partners = [(i, c) for c in centres for i in members if i != c]
        else:
            partners = [(members[x], members[y]) for x in range(len(members)) for y in range(x + 1, len(members))]
        for i, j in partners:
            if docs[i] != docs[j]:
                counts[(min(i, j), max(i, j))] += 1
    return {pair for pair, n in counts.items() if n >= min_shared}


def _ranks(keys: Sequence[str], n: int) -> np.ndarray:
    """A stable pseudo-random rank per passage, from its key."""
    return np.array(
        [int.from_bytes(hashlib.blake2b(k.encode(), digest_size=8).digest(), "little") for k in keys[:n]],
        dtype=np.uint64,
    )


def exact_pairs(
    texts: Sequence[str], docs: Sequence[str], rows: Sequence[int], *, star: bool = False
) -> set[tuple[int, int]]:
    """Pairs of the given passages from different documents with identical
    comparison text (empty texts never pair).

    With ``star``, each passage pairs only with the first of its group from
    another document: identical texts need no more links to form one family.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i in rows:
        if texts[i]:
            groups[texts[i]].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if docs[i] != docs[j]:
                    pairs.add((min(i, j), max(i, j)))
                    if star:
                        break
    return pairs


def limit_partners(pairs: set[tuple[int, int]], keys: Sequence[str], k: int) -> set[tuple[int, int]]:
    """Keep, for every passage, at most ``k`` partners (a pair survives when either
    side keeps it). Partners are ranked by a hash of both passages' stable keys, so
    the choice is spread evenly and never depends on reading order. Families form
    through chains of links, and a few links per passage keep them connected."""
    ranked: dict[int, list[tuple[bytes, int]]] = defaultdict(list)
    for i, j in pairs:
        h = hashlib.blake2b("|".join(sorted((keys[i], keys[j]))).encode(), digest_size=8).digest()
        ranked[i].append((h, j))
        ranked[j].append((h, i))
    kept: set[tuple[int, int]] = set()
    for i, partners in ranked.items():
        for _, j in sorted(partners)[:k]:
            kept.add((min(i, j), max(i, j)))
    return kept


def candidate_pairs(lsh: MinHashLSH, signatures: np.ndarray, shingles: Shingles, layout, settings: Settings) -> list[tuple[int, int]]:
    """Passage pairs worth aligning: near-duplicates, shared clauses, identical short passages."""
    docs = layout.doc_of
    long_rows = layout.rows(min_words=settings.min_words)
    found = lsh_pairs(lsh, signatures, docs, seed=settings.seed, rows=long_rows)
    found |= shared_shingle_pairs(shingles, docs, min_shared=settings.min_shared_shingles,
                                  rows=layout.rows(min_words=settings.shingle_size),
                                  max_postings=settings.max_postings, keys=layout.keys())
    found = limit_partners(found, layout.keys(), settings.max_partners)
    texts = [" ".join(w) for w in layout.passage_words()]
    found |= exact_pairs(texts, docs, layout.rows(min_words=2, max_words=settings.min_words), star=True)
    return sorted(found)
