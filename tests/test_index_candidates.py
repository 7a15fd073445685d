"""index (LSH formulas, the band index against datasketch's MinHashLSH) and candidates (pairs worth aligning)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nccd.candidates import exact_pairs, limit_partners, lsh_pairs, shared_shingle_pairs
from nccd.index import build_index, datasketch_index, lsh_probability, lsh_threshold
from nccd.shingle import shingle
from nccd.sketch import sketch

FAST = settings(max_examples=50, deadline=None)


def as_set(pairs) -> set[tuple[int, int]]:
    """Pairs as a set of tuples (the functions give ``(n, 2)`` arrays)."""
    return {tuple(p) for p in np.asarray(pairs).reshape(-1, 2).tolist()}


def lsh_set(lsh, docs, **kw) -> set[tuple[int, int]]:
    return as_set(lsh_pairs(lsh, docs, rank=np.arange(len(docs), dtype=np.uint64), **kw))
K, P, SEED = 5, 128, 1

# ---------------------------------------------------------------- formulas


@FAST
@given(st.floats(0, 1), st.integers(1, 64), st.integers(1, 32))
def test_lsh_probability_formula(s, b, r):
    p = lsh_probability(s, b, r)
    assert isinstance(p, float)
    assert p == pytest.approx(1 - (1 - s**r) ** b, abs=1e-12)
    assert 0.0 <= p <= 1.0


@FAST
@given(st.integers(1, 64), st.integers(1, 32))
def test_lsh_probability_is_monotonic(b, r):
    s = np.linspace(0, 1, 201)
    p = lsh_probability(s, b, r)
    assert isinstance(p, np.ndarray) and p.shape == s.shape
    assert np.all(np.diff(p) >= -1e-12)
    assert p[0] == 0.0 and p[-1] == 1.0
    # more bands: more candidates; more rows: fewer
    assert np.all(lsh_probability(s, b + 1, r) >= p - 1e-12)
    assert np.all(lsh_probability(s, b, r + 1) <= p + 1e-12)


@FAST
@given(st.integers(1, 128), st.integers(1, 32))
def test_lsh_threshold_is_where_probability_is_half(b, r):
    t = lsh_threshold(b, r)
    assert 0.0 < t < 1.0
    assert lsh_probability(t, b, r) == pytest.approx(0.5, abs=1e-9)


def test_lsh_probability_known_values():
    assert lsh_probability(0.5, 1, 1) == pytest.approx(0.5)
    assert lsh_probability(0.8, 20, 5) == pytest.approx(1 - (1 - 0.8**5) ** 20)
    assert lsh_threshold(1, 1) == pytest.approx(0.5)
    assert lsh_threshold(20, 5) == pytest.approx((1 - 0.5 ** (1 / 20)) ** (1 / 5))


@pytest.mark.parametrize("b, r", [(0, 3), (3, 0), (-1, 2)])
def test_lsh_threshold_rejects_bad_parameters(b, r):
    with pytest.raises(ValueError):
        lsh_threshold(b, r)


# ---------------------------------------------------------------- fixtures

VOCAB = [f"w{i}" for i in range(3000)]


def words(n: int, r: random.Random) -> list[str]:
    return [r.choice(VOCAB) for _ in range(n)]


def edited(ws: list[str], n_edits: int, r: random.Random) -> list[str]:
    out = list(ws)
    for i in r.sample(range(len(out)), n_edits):
        out[i] = r.choice(VOCAB)
    return out


@pytest.fixture(scope="module")
def corpus():
    """Passages from four documents: a template paragraph copied with small edits into
    docs A, B, C; doc A also holds it twice; unrelated paragraphs everywhere."""
    r = random.Random(7)
    template = words(200, r)
    passages, docs = [], []

    def add(doc, ws):
        passages.append(ws)
        docs.append(doc)
        return len(passages) - 1

    idx = {
        "A1": add("A", edited(template, 2, r)),
        "A2": add("A", list(template)),
        "Ax": add("A", words(70, r)),
        "B1": add("B", edited(template, 3, r)),
        "Bx": add("B", words(90, r)),
        "C1": add("C", edited(template, 1, r)),
        "Dx": add("D", words(60, r)),
        "Dy": add("D", words(75, r)),
    }
    sh = shingle(passages, K)
    sig = sketch(sh, num_perm=P, seed=SEED)
    return passages, docs, sh, sig, idx


# ---------------------------------------------------------------- index


def test_build_index_holds_every_key(corpus):
    passages, docs, sh, sig, idx = corpus
    keys = list(range(len(passages)))
    lsh = build_index(sig, keys, threshold=0.5, seed=SEED)
    assert lsh.keys.tolist() == keys and len(lsh) == len(keys)
    assert lsh.bands * lsh.rows <= P
    assert lsh_threshold(lsh.bands, lsh.rows) == pytest.approx(0.5, abs=0.15)


def test_an_index_filled_block_by_block_equals_one_built_whole(corpus):
    from nccd.index import BandIndex

    passages, docs, sh, sig, idx = corpus
    rows = np.array([0, 2, 3, 5, 6, 7])
    whole = build_index(sig[rows], rows, threshold=0.5, seed=SEED)
    blocks = BandIndex.empty(rows, num_perm=P, threshold=0.5, seed=SEED)
    for lo in range(0, len(rows), 4):
        blocks.put(lo, sig[rows[lo:lo + 4]])
    assert np.array_equal(blocks.band_keys, whole.band_keys)
    assert (blocks.bands, blocks.rows, blocks.keys.tolist()) == (whole.bands, whole.rows, rows.tolist())
    with pytest.raises(ValueError, match="do not fit an index of 6 rows"):
        blocks.put(4, sig[:3])


def test_buckets_are_datasketchs_buckets(corpus):
    passages, docs, sh, sig, idx = corpus
    keys = list(range(len(passages)))
    ours = build_index(sig, keys, threshold=0.5, seed=SEED)
    theirs = datasketch_index(sig, keys, threshold=0.5, seed=SEED)
    assert (ours.bands, ours.rows) == (theirs.b, theirs.r)
    assert any(ours.buckets(band) for band in range(ours.bands))
    for band in range(ours.bands):
        expect = {frozenset(v) for v in theirs.hashtables[band]._dict.values() if len(v) > 1}
        assert {frozenset(g.tolist()) for g in ours.buckets(band)} == expect


def test_band_keys_do_not_depend_on_the_block_size(corpus):
    from unittest import mock

    from nccd import index as index_module

    passages, docs, sh, sig, idx = corpus
    keys = list(range(len(passages)))
    whole = build_index(sig, keys, threshold=0.5, seed=SEED).band_keys
    with mock.patch.object(index_module, "_BLOCK", 3):  # 8 signatures: blocks of 3, 3 and 2
        assert np.array_equal(build_index(sig, keys, threshold=0.5, seed=SEED).band_keys, whole)
        put = index_module.BandIndex.empty(keys, num_perm=sig.shape[1], threshold=0.5, seed=SEED)
        put.put(0, sig[:5], jobs=2)  # the blocks shared by two threads, in two puts
        put.put(5, sig[5:], jobs=2)
        assert np.array_equal(put.band_keys, whole)


def test_build_index_key_count_must_match(corpus):
    *_, sig, _ = corpus
    with pytest.raises(ValueError):
        build_index(sig, [0, 1], threshold=0.5, seed=SEED)


def test_build_index_subset_of_rows(corpus):
    passages, docs, sh, sig, idx = corpus
    rows = [idx["A1"], idx["B1"], idx["Dx"]]
    lsh = build_index(sig[rows], rows, threshold=0.5, seed=SEED)
    assert lsh_set(lsh, docs) == {(idx["A1"], idx["B1"])}


# ---------------------------------------------------------------- lsh_pairs


def test_near_duplicates_across_documents_are_candidates(corpus):
    passages, docs, sh, sig, idx = corpus
    rows = list(range(len(passages)))
    lsh = build_index(sig, rows, threshold=0.5, seed=SEED)
    pairs = lsh_set(lsh, docs)
    copies = ["A1", "A2", "B1", "C1"]
    expect = {
        tuple(sorted((idx[x], idx[y])))
        for x in copies for y in copies
        if x < y and docs[idx[x]] != docs[idx[y]]
    }
    assert pairs == expect
    for i, j in pairs:
        assert i < j and docs[i] != docs[j]


def test_same_document_never_pairs(corpus):
    passages, docs, sh, sig, idx = corpus
    rows = list(range(len(passages)))
    lsh = build_index(sig, rows, threshold=0.5, seed=SEED)
    one_doc = ["A"] * len(passages)
    assert lsh_set(lsh, one_doc) == set()
    assert (idx["A1"], idx["A2"]) not in lsh_set(lsh, docs)


def test_a_big_bucket_pairs_through_hubs_only():
    r = random.Random(2)
    text = words(40, r)
    n = 20
    sh = shingle([text] * n, K)
    sig = sketch(sh, num_perm=P, seed=SEED)
    lsh = build_index(sig, list(range(n)), threshold=0.5, seed=SEED)
    docs = [f"d{i}" for i in range(n)]
    rank = np.arange(n, dtype=np.uint64)[::-1].copy()  # passage 19 ranks first, then 18
    pairs = as_set(lsh_pairs(lsh, docs, rank=rank, clique=8, hubs=2))
    assert pairs == {(i, 19) for i in range(19)} | {(i, 18) for i in range(18)}
    assert as_set(lsh_pairs(lsh, docs, rank=rank, clique=n)) == {(i, j) for i in range(n) for j in range(i + 1, n)}
    for jobs in (2, 3):  # the bands grouped on threads: the same pairs, in the same order
        assert np.array_equal(lsh_pairs(lsh, docs, rank=rank, clique=8, jobs=jobs),
                              lsh_pairs(lsh, docs, rank=rank, clique=8))


def test_limit_partners_keeps_k_per_passage_whatever_the_order():
    pairs = np.array([(i, j) for i in range(12) for j in range(i + 1, 12)], dtype=np.int64)
    rank = np.arange(100, 112, dtype=np.uint64)
    kept = limit_partners(pairs, rank, 3)
    assert as_set(kept) == as_set(limit_partners(pairs[::-1].copy(), rank, 3))
    counts = np.bincount(kept.ravel(), minlength=12)
    assert counts.min() >= 3 and len(kept) < len(pairs)


def test_short_distinct_passages_do_not_all_pair():
    r = random.Random(1)
    # 30 one-shingle passages (exactly K words), all different, from 30 documents
    passages = [words(K, r) for _ in range(30)]
    docs = [f"d{i}" for i in range(30)]
    sh = shingle(passages, K)
    sig = sketch(sh, num_perm=P, seed=SEED)
    rows = list(range(30))
    lsh = build_index(sig, rows, threshold=0.5, seed=SEED)
    assert lsh_set(lsh, docs) == set()
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=1, rows=rows)) == set()
    texts = [" ".join(p[:2]) for p in passages]
    assert as_set(exact_pairs(texts, docs, rows)) == set()


# ---------------------------------------------------------------- shared_shingle_pairs


def test_shared_shingle_pairs_counts_distinct_shingles():
    clause = ["whilst", "there", "is", "a", "public", "interest", "in", "the"]  # 4 shingles at K=5
    r = random.Random(3)
    a = words(20, r) + clause + words(20, r)
    b = words(30, r) + clause + words(5, r)
    c = clause[:6] + words(10, r)  # 2 shingles of the clause
    d = clause[:5] + words(3, r) + clause[:5] + clause[:5]  # one clause shingle, three times
    docs = ["A", "B", "C", "D"]
    sh = shingle([a, b, c, d], K)
    rows = [0, 1, 2, 3]
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=4, rows=rows)) == {(0, 1)}
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=5, rows=rows)) == set()
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=2, rows=rows)) == {(0, 1), (0, 2), (1, 2)}
    # repeats of one shingle count once
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=1, rows=rows)) == {
        (0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)
    }


def test_shared_shingle_pairs_count_past_two_bytes():
    """Counts saturate at 65535 (two bytes a passage): a pair sharing more shingles
    still meets every threshold allowed, and a larger threshold is refused."""
    long = [f"w{k}" for k in range(65545)]  # 65541 distinct shingles at K=5
    sh = shingle([long, long], K)
    assert as_set(shared_shingle_pairs(sh, ["A", "B"], min_shared=65535, rows=[0, 1])) == {(0, 1)}
    with pytest.raises(ValueError, match="min_shared=65536 is outside"):
        shared_shingle_pairs(sh, ["A", "B"], min_shared=65536, rows=[0, 1])


def test_shared_shingle_pairs_respects_documents_and_rows():
    clause = "the police service is reliant upon all manner of techniques".split()
    r = random.Random(5)
    passages = [clause + words(5, r), words(5, r) + clause, clause]
    sh = shingle(passages, K)
    assert as_set(shared_shingle_pairs(sh, ["A", "A", "B"], min_shared=2, rows=[0, 1, 2])) == {(0, 2), (1, 2)}
    assert as_set(shared_shingle_pairs(sh, ["A", "A", "A"], min_shared=1, rows=[0, 1, 2])) == set()
    assert as_set(shared_shingle_pairs(sh, ["A", "B", "C"], min_shared=2, rows=[0, 2])) == {(0, 2)}
    assert as_set(shared_shingle_pairs(sh, ["A", "B", "C"], min_shared=2, rows=[])) == set()


@FAST
@given(st.lists(st.lists(st.integers(0, 6), max_size=12), min_size=1, max_size=7),
       st.integers(1, 4), st.data())
def test_shared_shingle_pairs_brute_force(passages, min_shared, data):
    ws = [[f"t{x}" for x in p] for p in passages]
    docs = data.draw(st.lists(st.sampled_from("ABC"), min_size=len(ws), max_size=len(ws)))
    k = 2
    sh = shingle(ws, k)
    rows = sorted(data.draw(st.sets(st.integers(0, len(ws) - 1))))
    expect = set()
    for x in rows:
        for y in rows:
            if x < y and docs[x] != docs[y]:
                if len(set(sh.of(x).tolist()) & set(sh.of(y).tolist())) >= min_shared:
                    expect.add((x, y))
    assert as_set(shared_shingle_pairs(sh, docs, min_shared=min_shared, rows=rows)) == expect


# ---------------------------------------------------------------- exact_pairs


def test_exact_pairs_identical_short_texts_across_documents():
    texts = ["balance test", "balance test", "balance test", "public interest test", "", "", "public interest"]
    docs = ["A", "A", "B", "C", "A", "B", "C"]
    rows = list(range(len(texts)))
    assert as_set(exact_pairs(texts, docs, rows)) == {(0, 2), (1, 2)}


def test_exact_pairs_never_pairs_empty_texts():
    assert as_set(exact_pairs(["", "", ""], ["A", "B", "C"], [0, 1, 2])) == set()


def test_exact_pairs_only_given_rows():
    texts = ["s24 factors", "s24 factors", "s24 factors"]
    docs = ["A", "B", "C"]
    assert as_set(exact_pairs(texts, docs, [0, 2])) == {(0, 2)}
    assert as_set(exact_pairs(texts, docs, [])) == set()


@FAST
@given(st.lists(st.tuples(st.sampled_from(["", "a", "a b", "b"]), st.sampled_from("XYZ")), max_size=12))
def test_exact_pairs_brute_force(items):
    texts = [t for t, _ in items]
    docs = [d for _, d in items]
    rows = list(range(len(items)))
    expect = {
        (i, j) for i in rows for j in rows
        if i < j and texts[i] and texts[i] == texts[j] and docs[i] != docs[j]
    }
    assert as_set(exact_pairs(texts, docs, rows)) == expect


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), max_size=10), min_size=1, max_size=30), st.integers(1, 4),
       st.integers(2, 6), st.integers(1, 3), st.randoms(use_true_random=False))
def test_shared_shingle_pairs_count_as_every_group_pair_would(hashes, min_shared, clique, hubs, rnd):
    """The dense per-passage count equals counting every pair code of every group."""
    from nccd.candidates import _decode, _group_pairs
    from nccd.shingle import Shingles
    from nccd.sortedarrays import sorted_unique

    sh = Shingles(np.concatenate([np.asarray(h, dtype=np.uint32) for h in hashes] + [np.zeros(0, np.uint32)]),
                  np.concatenate([[0], np.cumsum([len(h) for h in hashes])]).astype(np.int64))
    docs = [rnd.randrange(4) for _ in hashes]
    rank = np.array([rnd.randrange(1000) for _ in hashes], dtype=np.uint64)
    rows = sorted(rnd.sample(range(len(hashes)), rnd.randrange(len(hashes) + 1)))
    fast = shared_shingle_pairs(sh, docs, min_shared=min_shared, rows=rows, max_postings=clique, rank=rank, hubs=hubs)
    threads = shared_shingle_pairs(sh, docs, min_shared=min_shared, rows=rows, max_postings=clique, rank=rank,
                                   hubs=hubs, jobs=3)
    assert np.array_equal(fast, threads)
    if not rows:
        assert len(fast) == 0
        return
    held = sorted({(x, r) for r in rows for x in hashes[r]})  # each passage's distinct shingles
    h, owner = (np.array([t[k] for t in held], dtype=np.int64) for k in (0, 1))
    order = np.lexsort((rank[owner], h))
    h, owner = h[order], owner[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1], True]).astype(np.int64)
    codes, counts = sorted_unique(_group_pairs(owner, starts, np.asarray(docs, dtype=np.int64), clique, hubs),
                                  counts=True)
    assert np.array_equal(fast, _decode(codes[counts >= min_shared], len(docs)))


@settings(max_examples=100, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 30), st.integers(0, 30)).filter(lambda p: p[0] < p[1]), max_size=200),
       st.integers(1, 5), st.randoms(use_true_random=False))
def test_limit_partners_equals_sorting_every_partner(pairs, k, rnd):
    """Each passage keeps its k partners of smallest pair hash (ties: the first listed)."""
    from nccd.shingle import fmix64

    pairs = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    rank = np.array([rnd.randrange(4) for _ in range(31)], dtype=np.uint64)  # few ranks: many equal hashes
    i, j = pairs[:, 0], pairs[:, 1]
    with np.errstate(over="ignore"):
        h = fmix64(np.minimum(rank[i], rank[j]) * np.uint64(0x9E3779B97F4A7C15) ^ np.maximum(rank[i], rank[j]))
    src, both = np.concatenate([i, j]), np.concatenate([h, h])
    order = np.lexsort((both, src))
    first = np.flatnonzero(np.r_[True, src[order][1:] != src[order][:-1]]) if len(order) else order
    place = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    kept = np.zeros(len(pairs), dtype=bool)
    kept[order[place < k] % max(len(pairs), 1)] = True
    assert np.array_equal(limit_partners(pairs, rank, k), pairs[kept])
    from nccd.partners import limit_kept  # the passages shared by two threads: the same pairs

    assert np.array_equal(limit_kept(pairs[:, 0] * len(rank) + pairs[:, 1], rank, k, jobs=2), kept)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10), max_size=10), min_size=2, max_size=30), st.integers(1, 3),
       st.integers(2, 6), st.integers(1, 4),
       st.sets(st.tuples(st.integers(0, 29), st.integers(0, 29)).filter(lambda p: p[0] < p[1]), max_size=40),
       st.randoms(use_true_random=False))
def test_shared_pairs_limited_while_counting_limit_the_same(hashes, min_shared, clique, k, others, rnd):
    """Each passage's first k shared partners, kept while counting, then limited with any
    other pairs, give exactly what limiting every shared pair would."""
    from nccd.shingle import Shingles

    def union(*pairs, n):
        return np.array(sorted({tuple(p) for ps in pairs for p in ps.tolist()}), dtype=np.int64).reshape(-1, 2)

    sh = Shingles(np.concatenate([np.asarray(h, dtype=np.uint32) for h in hashes]),
                  np.concatenate([[0], np.cumsum([len(h) for h in hashes])]).astype(np.int64))
    n = len(hashes)
    docs = [rnd.randrange(5) for _ in hashes]
    rank = np.array([rnd.randrange(3) for _ in hashes], dtype=np.uint64)  # few ranks: many equal hashes
    rows = list(range(n))
    other = np.array(sorted(p for p in others if p[1] < n), dtype=np.int64).reshape(-1, 2)
    every = shared_shingle_pairs(sh, docs, min_shared=min_shared, rows=rows, max_postings=clique, rank=rank)
    few = shared_shingle_pairs(sh, docs, min_shared=min_shared, rows=rows, max_postings=clique, rank=rank,
                               limit=k, jobs=2)
    assert as_set(few) <= as_set(every)
    assert np.array_equal(limit_partners(union(every, other, n=n), rank, k),
                          limit_partners(union(few, other, n=n), rank, k))


def _star_oracle(texts, docs, rows):
    """Each passage with the first after it, in ``rows`` order, of its text from another document."""
    pairs = set()
    for x, i in enumerate(rows):
        for j in rows[x + 1:]:
            if texts[i] and texts[i] == texts[j] and docs[i] != docs[j]:
                pairs.add((min(i, j), max(i, j)))
                break
    return pairs


@FAST
@given(st.lists(st.tuples(st.sampled_from(["", "a", "a b", "b"]), st.sampled_from("XYZ")), max_size=14),
       st.randoms(use_true_random=False))
def test_exact_pairs_star_equals_the_one_by_one_walk(items, rnd):
    texts = [t for t, _ in items]
    docs = [d for _, d in items]
    rows = list(range(len(items)))
    rnd.shuffle(rows)
    got = exact_pairs(texts, docs, rows, star=True)
    assert as_set(got) == _star_oracle(texts, docs, rows)
    assert got.tolist() == sorted(got.tolist())


@FAST
@given(st.sets(st.integers(-2**62, 2**62)), st.sets(st.integers(-2**62, 2**62)))
def test_merge_unique_is_the_sorted_union(a, b):
    from nccd.sortedarrays import merge_unique

    x, y = np.array(sorted(a), dtype=np.int64), np.array(sorted(b), dtype=np.int64)
    assert merge_unique(x, y).tolist() == sorted(a | b)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**6), st.lists(st.integers(0, 2**40), max_size=200))
def test_decode_in_place_gives_the_pairs_and_leaves_a_view_alone(n, values):
    from nccd.candidates import _decode

    codes = np.array(sorted(v % (n * n) for v in values), dtype=np.int64)
    expect = [[c // n, c % n] for c in codes.tolist()]
    assert _decode(codes.copy(), n, in_place=True).tolist() == expect
    kept = codes.copy()
    assert _decode(kept[:], n, in_place=True).tolist() == expect and np.array_equal(kept, codes)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=40), st.integers(0, 300), st.booleans(),
       st.randoms(use_true_random=False))
def test_stable_groups_equal_a_stable_argsort(distinct, n, low_bits_only, rnd):
    """Grouping band keys by one sort of packed (top bits, position): the order and runs of
    ``np.argsort(kind="stable")``, also when keys differ only below the bits kept."""
    from nccd.sortedarrays import stable_groups

    if low_bits_only:  # every key alike in its top bits: each run put in order by the slow path
        distinct = [0xABCDEF0000000000 | (k & 0xFFFF) for k in distinct]
    keys = np.array([rnd.choice(distinct) for _ in range(n)], dtype=np.uint64)
    order, starts = stable_groups(keys)
    want = np.argsort(keys, kind="stable")
    assert order.tolist() == want.tolist()
    ranked = keys[want]
    assert starts.tolist() == [k for k in range(n) if k == 0 or ranked[k] != ranked[k - 1]] + [n]
