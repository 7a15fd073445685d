"""The shingle postings against a dictionary of holders, and their lookup."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from nccd.postings import build_postings, directory, find

FAST = settings(max_examples=60, deadline=None)
# Hashes over the whole 32-bit range, and a few values so that passages share them.
HASH = st.one_of(st.sampled_from([0, 1, 7, 2**20 + 3, 2**31, 2**32 - 1]), st.integers(0, 2**32 - 1))


@FAST
@given(st.lists(st.lists(HASH, max_size=8), max_size=12), st.data(), st.integers(1, 3), st.integers(0, 40),
       st.integers(1, 3))
def test_postings_hold_each_shingle_with_its_passages_in_rank_order(passages, data, min_holders, round_size, jobs):
    """Every shingle held by ``min_holders`` passages or more, with them; the others not
    found; whatever the rounds the buckets are scattered in, and the threads they are shared by."""
    n = len(passages)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p) for p in passages], out=indptr[1:])
    hashes = np.array([h for p in passages for h in p], dtype=np.uint32)
    rows = sorted(data.draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=n)) if n else [])
    by_rank = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
    place = {int(p): k for k, p in enumerate(by_rank)}
    holders: dict[int, set[int]] = {}
    for r in rows:
        for h in passages[r]:
            holders.setdefault(h, set()).add(r)
    post = build_postings(hashes, indptr, np.array(rows, dtype=np.int64), by_rank, min_holders=min_holders,
                          round_size=round_size, jobs=jobs)
    for h in [h for h, held in holders.items() if len(held) < min_holders]:
        assert find(post.hashes, post.directory, post.shift, h) == -1
        del holders[h]
    assert post.hashes.tolist() == sorted(holders)
    for g, h in enumerate(post.hashes.tolist()):
        got = post.members[post.starts[g]:post.starts[g + 1]].tolist()
        assert got == sorted(holders[h], key=place.__getitem__)
        assert find(post.hashes, post.directory, post.shift, h) == g
    assert post.starts[-1] == len(post.members)


@FAST
@given(st.sets(HASH, max_size=300), st.lists(HASH, max_size=50))
def test_find_equals_searchsorted(table, queries):
    table = np.array(sorted(table), dtype=np.uint32)
    starts, shift = directory(table)
    for q in queries:
        k = int(np.searchsorted(table, q))
        expect = k if k < len(table) and table[k] == q else -1
        assert find(table, starts, shift, q) == expect
