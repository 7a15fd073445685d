"""shingle (word n-gram hashes) and sketch (batched MinHash, datasketch-compatible)."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings, strategies as st

from nccd.shingle import Shingles, WordHasher, ngram_hashes, shingle
from nccd.sketch import EMPTY, permutations, sketch, to_minhash

FAST = settings(max_examples=50, deadline=None)

word_st = st.sampled_from(
    ["the", "police", "force", "neither", "confirm", "nor", "deny", "held", "is", "not",
     "section", "24", "31", "harm", "public", "interest", "ﬁle", "straße", "é"]
) | st.text(min_size=1, max_size=6)
passage_st = st.lists(word_st, max_size=25)
batch_st = st.lists(passage_st, max_size=8)


def datasketch_signature(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: int(x))
    for h in hashes:
        m.update(h)
    return np.asarray(m.hashvalues)


def reference_shingles(passage, k: int) -> list[int]:
    """Independent re-implementation: BLAKE2b word hashes, polynomial combine, fmix64, top 32 bits."""
    mask = (1 << 64) - 1
    hw = [int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little") for w in passage]
    out = []
    for i in range(len(passage) - k + 1):
        acc = 0
        for j in range(k):
            acc = (acc * 0x9E3779B97F4A7C15 + hw[i + j]) & mask
        h = acc
        h ^= h >> 33
        h = (h * 0xFF51AFD7ED558CCD) & mask
        h ^= h >> 33
        h = (h * 0xC4CEB9FE1A85EC53) & mask
        h ^= h >> 33
        out.append(h >> 32)
    return out


# ---------------------------------------------------------------- shingle


@FAST
@given(batch_st, st.integers(1, 6))
def test_shingle_layout_and_values(batch, k):
    sh = shingle(batch, k)
    assert isinstance(sh, Shingles)
    assert sh.hashes.dtype == np.uint32
    assert len(sh) == len(batch)
    assert sh.indptr[0] == 0 and sh.indptr[-1] == len(sh.hashes)
    for i, p in enumerate(batch):
        got = sh.of(i)
        assert len(got) == max(len(p) - k + 1, 0)
        assert got.tolist() == reference_shingles(p, k)


@FAST
@given(batch_st, st.integers(1, 5))
def test_window_never_crosses_passage_boundaries(batch, k):
    sh = shingle(batch, k)
    for i, p in enumerate(batch):
        alone = shingle([p], k)
        assert np.array_equal(sh.of(i), alone.hashes)
    # and the batch is the concatenation of the single-passage batches
    if batch:
        assert np.array_equal(sh.hashes, np.concatenate([shingle([p], k).hashes for p in batch]))


def test_boundary_windows_are_absent():
    a, b = ["one", "two", "three"], ["four", "five", "six"]
    sh = shingle([a, b], 2)
    joined = shingle([a + b], 2)
    assert len(sh.hashes) == 4 and len(joined.hashes) == 5
    crossing = shingle([["three", "four"]], 2).hashes[0]
    assert crossing in joined.hashes
    assert crossing not in sh.hashes


def test_shingles_are_stable_across_calls_and_hashers():
    passages = [["any", "disclosure", "under", "foi", "is", "a", "release"], ["to", "the", "public"]]
    h1 = shingle(passages, 3)
    h2 = shingle(passages, 3, WordHasher())
    hasher = WordHasher()
    shingle([["warm", "the", "cache"]], 2, hasher)
    h3 = shingle(passages, 3, hasher)
    for other in (h2, h3):
        assert np.array_equal(h1.hashes, other.hashes)
        assert np.array_equal(h1.indptr, other.indptr)
    # pinned values: the same on every run and machine (BLAKE2b, not Python's salted hash)
    assert WordHasher()(["police"]).tolist() == [
        int.from_bytes(hashlib.blake2b(b"police", digest_size=8).digest(), "little")
    ]
    assert h1.hashes.tolist() == reference_shingles(passages[0], 3) + reference_shingles(passages[1], 3)


def test_word_hasher_dtype_and_distinctness():
    hv = WordHasher()(["a", "b", "a", "é", ""])
    assert hv.dtype == np.uint64
    assert hv[0] == hv[2] and len(set(hv.tolist())) == 4


def test_word_order_matters():
    assert shingle([["a", "b", "c"]], 3).hashes[0] != shingle([["c", "b", "a"]], 3).hashes[0]


def test_passages_shorter_than_k_and_empty_batch():
    sh = shingle([[], ["a"], ["a", "b"], ["a", "b", "c"]], 3)
    assert np.diff(sh.indptr).tolist() == [0, 0, 0, 1]
    empty = shingle([], 4)
    assert len(empty) == 0 and len(empty.hashes) == 0 and empty.indptr.tolist() == [0]


def test_ngram_hashes_direct():
    words = WordHasher()(["a", "b", "c", "d", "e"])
    sh = ngram_hashes(words, np.array([2, 0, 3]), 2)
    assert np.diff(sh.indptr).tolist() == [1, 0, 2]
    assert sh.hashes.tolist() == reference_shingles(["a", "b"], 2) + reference_shingles(["c", "d", "e"], 2)


# ---------------------------------------------------------------- sketch


@FAST
@given(batch_st, st.sampled_from([1, 2, 16, 128]), st.sampled_from([0, 1, 7, 2**32 - 1]),
       st.integers(1, 5))
def test_sketch_equals_datasketch(batch, num_perm, seed, k):
    sh = shingle(batch, k)
    sig = sketch(sh, num_perm=num_perm, seed=seed)
    assert sig.shape == (len(batch), num_perm) and sig.dtype == np.uint32
    for i in range(len(batch)):
        expect = datasketch_signature(sh.of(i), num_perm, seed)
        assert np.array_equal(sig[i], expect), (i, batch[i])


@FAST
@given(st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=40), max_size=6),
       st.sampled_from([4, 64, 256]), st.integers(0, 1000))
def test_sketch_equals_datasketch_on_raw_hashes(lists, num_perm, seed):
    hashes = np.array([h for xs in lists for h in xs], dtype=np.uint32)
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(xs) for xs in lists], out=indptr[1:])
    sig = sketch(Shingles(hashes, indptr), num_perm=num_perm, seed=seed)
    for i, xs in enumerate(lists):
        assert np.array_equal(sig[i], datasketch_signature(np.array(xs, dtype=np.uint32), num_perm, seed))
    # the rows shared by threads, and a subset of rows in any order: the same signatures
    rows = np.arange(len(lists))[::-1].copy()
    assert np.array_equal(sketch(Shingles(hashes, indptr), num_perm=num_perm, seed=seed, rows=rows, jobs=2),
                          sig[rows])


def test_sketch_spans_several_batches():
    """Many passages (more shingle × permutation cells than one step holds) give the same rows."""
    rng = random.Random(3)
    batch = [[str(rng.randrange(200)) for _ in range(rng.randrange(0, 60))] for _ in range(300)]
    batch[5] = []
    batch[-1] = []
    batch[10] = [str(rng.randrange(5000)) for _ in range(1500)]  # more shingles than one step
    sh = shingle(batch, 3)
    num_perm = 1 << 12  # with the default step (4M cells) this forces ~1000-shingle steps
    sig = sketch(sh, num_perm=num_perm, seed=5)
    one_by_one = np.vstack([sketch(shingle([p], 3), num_perm=num_perm, seed=5) for p in batch])
    assert np.array_equal(sig, one_by_one)
    for i in (0, 5, 10, 17, 299):
        assert np.array_equal(sig[i], datasketch_signature(sh.of(i), num_perm, 5))


def test_empty_passages_get_empty_signature():
    sig = sketch(shingle([[], ["too", "short"], ["long", "enough", "for", "one"]], 4), num_perm=32, seed=1)
    assert np.all(sig[0] == EMPTY) and np.all(sig[1] == EMPTY)
    assert not np.all(sig[2] == EMPTY)
    assert np.array_equal(sig[0], MinHash(num_perm=32, seed=1).hashvalues)
    assert sketch(shingle([], 4), num_perm=32).shape == (0, 32)


def test_identical_texts_identical_signatures():
    words = "any disclosure under foi is a release to the public at large".split()
    sig = sketch(shingle([words, list(words), words[:-1]], 3), num_perm=64, seed=2)
    assert np.array_equal(sig[0], sig[1])
    assert not np.array_equal(sig[0], sig[2])
    # a different seed gives different values
    other = sketch(shingle([words], 3), num_perm=64, seed=3)
    assert not np.array_equal(sig[0], other[0])


def test_permutations_are_datasketchs():
    a, b = permutations(16, 9)
    da, db = MinHash(num_perm=16, seed=9).permutations
    assert a.tolist() == np.asarray(da).tolist() and b.tolist() == np.asarray(db).tolist()


def test_to_minhash_round_trip_and_jaccard():
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(5000)]
    base = [rng.choice(vocab) for _ in range(3000)]
    other = list(base)
    for i in rng.sample(range(len(other)), 400):
        other[i] = rng.choice(vocab)
    k = 3
    sh = shingle([base, other], k)
    true = len(set(sh.of(0).tolist()) & set(sh.of(1).tolist())) / len(set(sh.of(0).tolist()) | set(sh.of(1).tolist()))
    assert 0.3 < true < 0.8
    sig = sketch(sh, num_perm=512, seed=4)
    m0, m1 = to_minhash(sig[0], seed=4), to_minhash(sig[1], seed=4)
    assert isinstance(m0, MinHash)
    assert np.array_equal(m0.hashvalues, sig[0])
    assert m0.jaccard(m1) == pytest.approx(true, abs=0.08)
    # the round-tripped MinHash agrees with one datasketch built itself
    ref = MinHash(num_perm=512, seed=4, hashfunc=lambda x: int(x))
    for h in sh.of(1):
        ref.update(h)
    assert np.array_equal(ref.hashvalues, m1.hashvalues)
    # and it keeps working as a MinHash: merging with the other side is the union's sketch
    merged = to_minhash(sig[0], seed=4)
    merged.merge(m1)
    union = sketch(Shingles(sh.hashes, np.array([0, len(sh.hashes)])), num_perm=512, seed=4)
    assert np.array_equal(merged.hashvalues, union[0])


@FAST
@given(st.lists(st.lists(st.sampled_from(["the", "police", "neither", "confirm", "nor", "deny", "held", "24"]) |
                         st.text(alphabet="abcdeé ", min_size=1, max_size=12), max_size=6), min_size=1, max_size=5),
       st.integers(1, 6), st.integers(1, 4))
def test_layout_shingles_by_word_id_equal_shingles_of_the_words(paragraphs, k, block):
    from unittest import mock

    from nccd import layout as layout_module
    from nccd.layout import Layout
    from nccd.model import Document
    from nccd.normalize import normalize
    from nccd.segment import segment

    docs = [Document(id=f"d{n}", path=f"d{n}.txt", text="\n\n".join(" ".join(p) for p in paragraphs[n:] + [["x"]]),
                     force=None, date=None, reference=None, title=None, sha256="0")
            for n in range(len(paragraphs))]
    layout = Layout(docs, [normalize(d.text) for d in docs], [segment(d) for d in docs])
    with mock.patch.object(layout_module, "_BLOCK", block):  # passages shingled a few at a time
        fast = layout.shingles(k)
    slow = shingle(layout.passage_words(), k)
    assert np.array_equal(fast.hashes, slow.hashes) and np.array_equal(fast.indptr, slow.indptr)
    rows = [i for i, w in enumerate(layout.passage_words()) if 2 <= len(w) < 4]
    assert layout.rows(min_words=2, max_words=4).tolist() == rows


@FAST
@given(st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=5), max_size=6), st.data())
def test_sketch_of_some_rows_is_those_rows_of_the_sketch(lists, data):
    sh = Shingles(np.array([h for p in lists for h in p], dtype=np.uint32),
                  np.cumsum([0, *map(len, lists)]).astype(np.int64))
    rows = data.draw(st.lists(st.integers(0, len(lists) - 1), max_size=8) if lists else st.just([]))
    assert np.array_equal(sketch(sh, 16, 3, rows=np.array(rows, dtype=np.int64)), sketch(sh, 16, 3)[rows])


def test_sketch_new_sketches_only_what_is_not_known():
    from nccd.layout import Layout
    from nccd.model import Document
    from nccd.normalize import normalize
    from nccd.pipeline import sketch_new
    from nccd.segment import segment
    from nccd.settings import Settings

    texts = ["the force neither confirms nor denies\n\nthat it holds any information", "a b c d e f\n\ng h i j",
             "no inference can be taken from this refusal"]
    docs = [Document(id=f"d{n}", path=f"d{n}.txt", text=t, force=None, date=None, reference=None, title=None,
                     sha256="0") for n, t in enumerate(texts)]
    layout = Layout(docs, [normalize(d.text) for d in docs], [segment(d) for d in docs])
    settings = Settings()
    shingles = layout.shingles(settings.shingle_size)
    full = sketch(shingles, settings.num_perm, settings.seed)
    assert np.array_equal(sketch_new(shingles, layout, settings, {}), full)
    first = layout.first
    marked = full.copy()
    marked[first[1]:first[2]] = 7  # a stored row is used as it is, not sketched again
    known = {"d1": marked[first[1]:first[2]], "d2": np.zeros((5, settings.num_perm), dtype=np.uint32)}
    got = sketch_new(shingles, layout, settings, known)
    assert np.array_equal(got, marked)  # d2's stored rows have the wrong shape: sketched again
    rows = np.array([len(full) - 1, 0, first[1]])  # some passages only, in any order
    assert np.array_equal(sketch_new(shingles, layout, settings, known, rows), marked[rows])
    assert sketch_new(shingles, layout, settings, known, np.zeros(0, dtype=np.int64)).shape == (0, settings.num_perm)
