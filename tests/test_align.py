"""align: two word-id sequences → the stretches they share, with small edits allowed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from nccd.align import Match, Vocabulary, align_words, clip, edits

FAST = settings(max_examples=50, deadline=None)
SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def lcs_length(a, b) -> int:
    """Plain O(n*m) dynamic programme: length of the longest common subsequence."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def check_match(m: Match, a, b, *, min_words: int, min_similarity: float) -> None:
    assert m.matched >= min_words
    assert 0.0 < m.similarity <= 1.0
    assert m.similarity >= min_similarity - 1e-12
    assert 0 <= m.a_start < m.a_end <= len(a)
    assert 0 <= m.b_start < m.b_end <= len(b)
    assert m.matched == sum(n for _, _, n in m.blocks)
    assert m.similarity == pytest.approx(2 * m.matched / ((m.a_end - m.a_start) + (m.b_end - m.b_start)))
    # blocks: identical on both sides, in order, inside the ranges, touching both ends
    for pa, pb, n in m.blocks:
        assert n > 0
        assert all(a[pa + i] == b[pb + i] for i in range(n))
    for (pa, pb, n), (qa, qb, _) in zip(m.blocks, m.blocks[1:]):
        assert pa + n <= qa and pb + n <= qb
    assert (m.blocks[0][0], m.blocks[0][1]) == (m.a_start, m.b_start)
    last = m.blocks[-1]
    assert (last[0] + last[2], last[1] + last[2]) == (m.a_end, m.b_end)
    assert m.matched <= lcs_length(a[m.a_start : m.a_end], b[m.b_start : m.b_end])


def check_all(found, a, b, **kw) -> None:
    for m in found:
        check_match(m, a, b, min_words=kw.get("min_words", 8), min_similarity=kw.get("min_similarity", 0.75))
    assert found == sorted(found, key=lambda m: (m.a_start, m.b_start))
    for x, y in zip(found, found[1:]):
        assert x.a_end <= y.a_start  # a sides never overlap


def random_words(n: int, r: random.Random, lo: int = 0, hi: int = 10_000) -> list[int]:
    return [r.randrange(lo, hi) for _ in range(n)]


# ---------------------------------------------------------------- basics


def test_self_alignment_is_one_full_match():
    r = random.Random(0)
    a = random_words(120, r)
    found = align_words(a, a)
    assert len(found) == 1
    m = found[0]
    assert (m.a_start, m.a_end, m.b_start, m.b_end) == (0, 120, 0, 120)
    assert m.matched == 120 and m.similarity == 1.0
    check_all(found, a, a)


def test_self_alignment_of_real_text_with_repeats():
    from nccd.normalize import normalize

    text = (SEEDS / "000_b9307369c2648074.txt").read_text(encoding="utf-8")
    ids = Vocabulary().ids(normalize(text).words)
    found = align_words(ids, ids)
    assert [(m.a_start, m.a_end, m.b_start, m.b_end, m.matched, m.similarity) for m in found] == [
        (0, len(ids), 0, len(ids), len(ids), 1.0)
    ]


def test_empty_and_short_inputs():
    assert align_words([], []) == []
    assert align_words([1, 2, 3], []) == []
    assert align_words(list(range(7)), list(range(7))) == []  # below min_words=8
    assert len(align_words(list(range(8)), list(range(8)))) == 1


@FAST
@given(st.lists(st.integers(0, 40), max_size=60), st.lists(st.integers(100, 140), max_size=60),
       st.integers(1, 8), st.integers(1, 4))
def test_disjoint_vocabularies_share_nothing(a, b, min_words, seed_size):
    assert align_words(a, b, min_words=min_words, seed_size=seed_size, min_similarity=0.0) == []


def test_embedded_clause_exact_boundaries():
    r = random.Random(1)
    clause = random_words(20, r, 20_000, 21_000)
    before, after = random_words(35, r), random_words(40, r)
    a = before + clause + after
    b = random_words(12, r, 30_000, 31_000) + clause + random_words(9, r, 30_000, 31_000)
    found = align_words(a, b)
    assert len(found) == 1
    m = found[0]
    assert (m.a_start, m.a_end) == (35, 55)
    assert (m.b_start, m.b_end) == (12, 32)
    assert m.matched == 20 and m.similarity == 1.0
    check_all(found, a, b)


def test_clause_inside_a_reworded_sentence_survives_alone():
    """A verbatim clause with unrelated words around it on both sides: only the clause is reported."""
    r = random.Random(2)
    clause = random_words(12, r, 20_000, 21_000)
    a = random_words(6, r, 0, 1000) + clause + random_words(6, r, 0, 1000)
    b = random_words(6, r, 5000, 6000) + clause + random_words(6, r, 5000, 6000)
    found = align_words(a, b)
    assert [(m.a_start, m.a_end, m.b_start, m.b_end) for m in found] == [(6, 18, 6, 18)]


# ---------------------------------------------------------------- edits


BASE = list(range(1000, 1100))


def substituted(xs):
    out = list(xs)
    out[50] = 1
    return out


def inserted(xs):
    return xs[:50] + [1] + xs[50:]


def deleted(xs):
    return xs[:50] + xs[51:]


def every_seventh(xs):
    return [2000 + i if i % 7 == 3 else x for i, x in enumerate(xs)]


def mixed(xs):
    out = list(xs)
    out[10] = 1
    out = out[:30] + [2, 3] + out[30:]
    del out[70]
    return out


@pytest.mark.parametrize("edit", [substituted, inserted, deleted, every_seventh, mixed])
def test_small_edits_keep_one_match(edit):
    b = edit(BASE)
    found = align_words(BASE, b)
    assert len(found) == 1, found
    m = found[0]
    assert m.similarity >= 0.75
    assert (m.a_start, m.a_end) == (0, len(BASE))
    assert (m.b_start, m.b_end) == (0, len(b))
    assert m.matched == lcs_length(BASE, b)
    check_all(found, BASE, b)


def test_edits_inside_unrelated_context():
    r = random.Random(4)
    b_core = every_seventh(BASE)
    a = random_words(30, r, 0, 500) + BASE + random_words(30, r, 0, 500)
    b = random_words(25, r, 5000, 5500) + b_core + random_words(25, r, 5000, 5500)
    found = align_words(a, b)
    assert len(found) == 1
    m = found[0]
    assert (m.a_start, m.a_end, m.b_start, m.b_end) == (30, 130, 25, 125)


def test_heavier_edits_than_min_similarity_split_or_drop():
    # every other word replaced: similarity 0.5, below 0.75: no single long match
    b = [3000 + i if i % 2 else x for i, x in enumerate(BASE)]
    found = align_words(BASE, b)
    assert all(m.similarity >= 0.75 for m in found)
    assert not any(m.a_end - m.a_start > 50 for m in found)


def test_gap_wider_than_max_gap_breaks_the_match():
    r = random.Random(5)
    x, y = random_words(20, r, 0, 1000), random_words(20, r, 1000, 2000)
    a = x + y
    b = x + random_words(10, r, 5000, 6000) + y
    found = align_words(a, b, max_gap=6, min_similarity=0.0)
    assert [(m.a_start, m.a_end, m.b_start, m.b_end) for m in found] == [(0, 20, 0, 20), (20, 40, 30, 50)]
    bridged = align_words(a, b, max_gap=10, min_similarity=0.0)
    assert [(m.a_start, m.a_end, m.b_start, m.b_end) for m in bridged] == [(0, 40, 0, 50)]


def test_swapped_halves_are_both_found():
    b = BASE[50:] + BASE[:50]
    found = align_words(BASE, b)
    assert [(m.a_start, m.a_end, m.b_start, m.b_end, m.matched) for m in found] == [
        (0, 50, 50, 100, 50),
        (50, 100, 0, 50, 50),
    ]
    check_all(found, BASE, b)


def test_three_reordered_parts():
    r = random.Random(6)
    p, q, s = random_words(15, r), random_words(12, r), random_words(20, r)
    a = p + q + s
    b = s + p + q[::-1]
    found = align_words(a, b)
    spans = {(m.a_start, m.a_end, m.b_start, m.b_end) for m in found}
    assert (0, 15, 20, 35) in spans
    assert (27, 47, 0, 20) in spans
    check_all(found, a, b)


# ---------------------------------------------------------------- properties and oracle


@FAST
@given(st.lists(st.integers(0, 3), max_size=40), st.lists(st.integers(0, 3), max_size=40),
       st.integers(1, 8), st.integers(1, 4), st.integers(0, 6), st.sampled_from([0.0, 0.5, 0.75, 0.9]))
def test_matches_are_valid_and_bounded_by_lcs(a, b, min_words, seed_size, max_gap, min_similarity):
    found = align_words(a, b, min_words=min_words, seed_size=seed_size, max_gap=max_gap,
                        min_similarity=min_similarity)
    check_all(found, a, b, min_words=min_words, min_similarity=min_similarity)
    lcs = lcs_length(a, b)
    for m in found:
        assert m.matched <= lcs


@FAST
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40), st.data())
def test_planted_copy_is_found(base, data):
    """b holds a copy of a stretch of a (with different surroundings): some match covers it."""
    i = data.draw(st.integers(0, len(base) - 1))
    n = data.draw(st.integers(8, 30))
    piece = base[i : i + n]
    if len(piece) < 8:
        return
    b = [100 + x for x in data.draw(st.lists(st.integers(0, 30), max_size=10))] + piece + [200]
    found = align_words(base, b, min_similarity=0.0)
    check_all(found, base, b, min_similarity=0.0)
    assert any(m.matched >= len(piece) for m in found)


# ---------------------------------------------------------------- edits() and clip()


def apply_edits(m: Match, a, b) -> tuple[list, list]:
    ops = edits(m)
    a_side, b_side = [], []
    pa, pb = m.a_start, m.b_start
    for tag, a0, a1, b0, b1 in ops:
        assert (a0, b0) == (pa, pb)  # contiguous on both sides
        assert tag in {"equal", "replace", "delete", "insert"}
        a_side += a[a0:a1]
        if tag == "equal":
            assert a[a0:a1] == b[b0:b1]
            b_side += a[a0:a1]  # b rebuilt from a where they agree
        elif tag == "delete":
            assert b0 == b1 and a1 > a0
        else:
            assert b1 > b0
            if tag == "insert":
                assert a0 == a1
            b_side += b[b0:b1]
        pa, pb = a1, b1
    assert (pa, pb) == (m.a_end, m.b_end)
    return a_side, b_side


@pytest.mark.parametrize("edit", [substituted, inserted, deleted, every_seventh, mixed])
def test_edits_reconstruct_both_sides(edit):
    b = edit(BASE)
    (m,) = align_words(BASE, b)
    a_side, b_side = apply_edits(m, BASE, b)
    assert a_side == BASE[m.a_start : m.a_end]
    assert b_side == b[m.b_start : m.b_end]
    equal = sum(a1 - a0 for tag, a0, a1, _, _ in edits(m) if tag == "equal")
    assert equal == m.matched


def test_edits_tags():
    (m,) = align_words(BASE, substituted(BASE))
    assert [op[0] for op in edits(m)] == ["equal", "replace", "equal"]
    (m,) = align_words(BASE, inserted(BASE))
    assert [op[0] for op in edits(m)] == ["equal", "insert", "equal"]
    assert edits(m)[1] == ("insert", 50, 50, 50, 51)
    (m,) = align_words(BASE, deleted(BASE))
    assert [op[0] for op in edits(m)] == ["equal", "delete", "equal"]
    assert edits(m)[1] == ("delete", 50, 51, 50, 50)


@FAST
@given(st.lists(st.integers(0, 5), min_size=8, max_size=40), st.data())
def test_edits_reconstruct_property(a, data):
    b = list(a)
    for _ in range(data.draw(st.integers(0, 4))):
        op = data.draw(st.sampled_from(["sub", "ins", "del"]))
        i = data.draw(st.integers(0, max(len(b) - 1, 0)))
        if op == "sub" and b:
            b[i] = 99
        elif op == "ins":
            b.insert(i, 98)
        elif b:
            del b[i]
    for m in align_words(a, b, min_words=4, min_similarity=0.0):
        a_side, b_side = apply_edits(m, a, b)
        assert a_side == a[m.a_start : m.a_end]
        assert b_side == b[m.b_start : m.b_end]


def test_clip_keeps_only_the_requested_a_range():
    b = every_seventh(BASE)
    (m,) = align_words(BASE, b)
    c = clip(m, 10, 40)
    assert c is not None
    assert 10 <= c.a_start < c.a_end <= 40
    check_match(c, BASE, b, min_words=1, min_similarity=0.0)
    # every kept block pair is a pair of the original match
    original = {(pa + i, pb + i) for pa, pb, n in m.blocks for i in range(n)}
    kept = {(pa + i, pb + i) for pa, pb, n in c.blocks for i in range(n)}
    assert kept <= original
    assert kept == {(x, y) for x, y in original if 10 <= x < 40}


def test_clip_edges():
    (m,) = align_words(BASE, BASE)
    assert clip(m, 0, 100) == m
    assert clip(m, 100, 200) is None
    assert clip(m, 30, 30) is None
    c = clip(m, 20, 25)
    assert (c.a_start, c.a_end, c.b_start, c.b_end, c.matched, c.similarity) == (20, 25, 20, 25, 5, 1.0)
    # a range starting inside a replaced word: the clip starts at the next equal word
    (m,) = align_words(BASE, substituted(BASE))
    c = clip(m, 50, 60)
    assert (c.a_start, c.a_end, c.b_start, c.b_end) == (51, 60, 51, 60)


@FAST
@given(st.integers(0, 100), st.integers(0, 100))
def test_clip_property(lo, hi):
    b = mixed(BASE)
    (m,) = align_words(BASE, b)
    c = clip(m, lo, hi)
    original = {(pa + i, pb + i) for pa, pb, n in m.blocks for i in range(n)}
    expect = {(x, y) for x, y in original if lo <= x < hi}
    if not expect:
        assert c is None
        return
    assert c is not None and lo <= c.a_start and c.a_end <= hi
    assert {(pa + i, pb + i) for pa, pb, n in c.blocks for i in range(n)} == expect
    assert c.matched == len(expect)


# ---------------------------------------------------------------- vocabulary


def test_vocabulary_ids_are_shared_and_stable():
    v = Vocabulary()
    x = v.ids(["the", "police", "the"])
    y = v.ids(["police", "force", "the"])
    assert x == [0, 1, 0]
    assert y == [1, 2, 0]
    assert Vocabulary().ids(["police"]) == [0]
