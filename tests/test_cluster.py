"""cluster: aligned fragments → families of shared text."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from nccd.cluster import Fragment, Link, UnionFind, cluster, overlap

FAST = settings(max_examples=50, deadline=None)
F = Fragment


def clu(links, **kw):
    """``cluster`` at the documented overlap ("by half or more"), whatever the default."""
    kw.setdefault("min_overlap", 0.5)
    return cluster(links, **kw)


def link(a, b, s=1.0):
    return Link(F(*a), F(*b), s)


# ---------------------------------------------------------------- overlap / UnionFind


def test_overlap_is_intersection_over_union():
    assert overlap(F(0, 0, 10), F(0, 0, 10)) == 1.0
    assert overlap(F(0, 0, 10), F(0, 5, 15)) == 5 / 15
    assert overlap(F(0, 5, 15), F(0, 0, 10)) == 5 / 15
    assert overlap(F(0, 0, 10), F(0, 2, 8)) == 6 / 10
    assert overlap(F(0, 0, 10), F(0, 10, 20)) == 0.0  # touching is not overlapping
    assert overlap(F(0, 0, 10), F(0, 30, 40)) == 0.0


@FAST
@given(st.integers(0, 50), st.integers(1, 50), st.integers(0, 50), st.integers(1, 50))
def test_overlap_property(s1, n1, s2, n2):
    x, y = F(0, s1, s1 + n1), F(0, s2, s2 + n2)
    inter = len(set(range(s1, s1 + n1)) & set(range(s2, s2 + n2)))
    span = max(x.end, y.end) - min(x.start, y.start)
    v = overlap(x, y)
    assert v == overlap(y, x)
    assert 0.0 <= v <= 1.0
    assert v == (inter / span if inter else 0.0)


def test_union_find():
    uf = UnionFind()
    assert uf.find("a") == "a"
    uf.union("a", "b")
    uf.union("c", "d")
    assert uf.find("a") == uf.find("b") != uf.find("c")
    uf.union("b", "d")
    assert len({uf.find(x) for x in "abcd"}) == 1
    uf.union("a", "a")
    uf.find("z")
    assert uf.groups() == [["a", "b", "c", "d"], ["z"]]


@FAST
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=30))
def test_union_find_matches_naive_components(pairs):
    uf = UnionFind()
    comp = {}
    for x, y in pairs:
        uf.union(x, y)
        comp.setdefault(x, {x})
        comp.setdefault(y, {y})
        if comp[x] is not comp[y]:
            merged = comp[x] | comp[y]
            for z in merged:
                comp[z] = merged
    expect = sorted({tuple(sorted(c)) for c in comp.values()})
    assert [tuple(g) for g in uf.groups()] == expect


# ---------------------------------------------------------------- cluster


def test_transitive_linking_across_documents():
    links = [link((0, 0, 50), (1, 10, 60)), link((1, 10, 60), (2, 5, 55)), link((2, 5, 55), (3, 0, 50))]
    assert clu(links) == [[F(0, 0, 50), F(1, 10, 60), F(2, 5, 55), F(3, 0, 50)]]


def test_transitive_through_overlapping_fragments_of_one_document():
    # doc 1's two fragments overlap (IoU 40/60): one text, so docs 0 and 2 join one family
    links = [link((0, 0, 50), (1, 10, 60)), link((1, 20, 70), (2, 0, 50))]
    assert clu(links) == [[F(0, 0, 50), F(1, 10, 70), F(2, 0, 50)]]


def test_slightly_overlapping_fragments_stay_apart():
    # a clause reused on its own (doc 1, words 0..12) inside a longer paragraph found
    # elsewhere (doc 1, words 0..60): IoU 0.2, two families
    links = [link((0, 0, 60), (1, 0, 60)), link((2, 0, 12), (1, 0, 12))]
    fams = clu(links)
    assert fams == [[F(0, 0, 60), F(1, 0, 60)], [F(1, 0, 12), F(2, 0, 12)]]


def test_far_apart_fragments_of_one_document_do_not_merge():
    links = [link((0, 0, 40), (1, 0, 40)), link((1, 100, 140), (2, 0, 40))]
    assert clu(links) == [[F(0, 0, 40), F(1, 0, 40)], [F(1, 100, 140), F(2, 0, 40)]]


def test_min_overlap_parameter():
    links = [link((0, 0, 50), (1, 0, 50)), link((1, 30, 80), (2, 0, 50))]  # IoU 20/80
    assert len(clu(links)) == 2
    assert len(clu(links, min_overlap=0.26)) == 2
    assert clu(links, min_overlap=0.25) == [[F(0, 0, 50), F(1, 0, 80), F(2, 0, 50)]]
    # IoU 40/60: one text at 0.5, two at 0.8
    links = [link((0, 0, 50), (1, 10, 60)), link((1, 20, 70), (2, 0, 50))]
    assert len(clu(links, min_overlap=0.5)) == 1
    assert len(clu(links, min_overlap=0.8)) == 2


def test_repeated_text_in_one_document_keeps_one_fragment_per_repetition():
    links = [link((0, 0, 30), (1, 0, 30)), link((0, 200, 230), (1, 0, 30))]
    assert clu(links) == [[F(0, 0, 30), F(0, 200, 230), F(1, 0, 30)]]
    # and a family within only one document plus its repetition is not enough
    assert clu(links, min_documents=3) == []


def test_families_below_min_documents_are_dropped():
    links = [
        link((0, 0, 30), (1, 0, 30)),
        link((2, 0, 30), (3, 0, 30)), link((3, 0, 30), (4, 0, 30)),
    ]
    assert clu(links, min_documents=2) == [
        [F(0, 0, 30), F(1, 0, 30)],
        [F(2, 0, 30), F(3, 0, 30), F(4, 0, 30)],
    ]
    assert clu(links, min_documents=3) == [[F(2, 0, 30), F(3, 0, 30), F(4, 0, 30)]]
    assert clu(links, min_documents=4) == []


def test_no_links():
    assert clu([]) == []


def test_accepts_any_iterable():
    links = (l for l in [link((0, 0, 9), (1, 0, 9))])
    assert clu(links) == [[F(0, 0, 9), F(1, 0, 9)]]


fragment_st = st.builds(lambda d, s, n: F(d, s, s + n), st.integers(0, 5), st.integers(0, 60), st.integers(1, 40))
links_st = st.lists(
    st.tuples(fragment_st, fragment_st, st.floats(0.5, 1.0)).filter(lambda t: t[0].doc != t[1].doc)
    .map(lambda t: Link(*t)),
    max_size=25,
)


@FAST
@given(links_st, st.randoms(use_true_random=False), st.booleans())
def test_output_is_independent_of_link_order(links, rnd, flip):
    expect = clu(links)
    shuffled = list(links)
    rnd.shuffle(shuffled)
    if flip:
        shuffled = [Link(l.b, l.a, l.similarity) for l in shuffled]
    assert clu(shuffled) == expect
    assert clu(shuffled, min_documents=3, min_overlap=0.3) == clu(links, min_documents=3, min_overlap=0.3)
    assert cluster(shuffled) == cluster(links)  # at the default overlap too


@FAST
@given(links_st, st.integers(2, 4), st.sampled_from([0.3, 0.5, 0.8]))
def test_cluster_properties(links, min_documents, min_overlap):
    fams = clu(links, min_documents=min_documents, min_overlap=min_overlap)
    all_frags = {f for l in links for f in (l.a, l.b)}
    seen_ranges = []
    for fam in fams:
        assert fam == sorted(fam)
        assert len({f.doc for f in fam}) >= min_documents
        for x, y in zip(fam, fam[1:]):
            if x.doc == y.doc:
                assert x.end <= y.start  # merged per document: no overlaps left
        for f in fam:
            # every family range is the union of linked fragments that lie inside it
            inside = [g for g in all_frags if g.doc == f.doc and f.start <= g.start and g.end <= f.end]
            assert inside
            assert min(g.start for g in inside) == f.start and max(g.end for g in inside) == f.end
            seen_ranges.append(f)
    # families are ordered by their first fragment
    assert [fam[0] for fam in fams] == sorted(fam[0] for fam in fams)


@FAST
@given(links_st)
def test_cluster_matches_naive_components(links):
    """A slow oracle: components of the link graph plus same-document IoU >= 0.5 edges."""
    frags = sorted({f for l in links for f in (l.a, l.b)})
    parent = {f: f for f in frags}

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    edges = [(l.a, l.b) for l in links]
    edges += [(x, y) for x in frags for y in frags if x.doc == y.doc and x != y and overlap(x, y) >= 0.5]
    for x, y in edges:
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[rx] = ry
    comps = {}
    for f in frags:
        comps.setdefault(root(f), []).append(f)
    expect = []
    for c in comps.values():
        if len({f.doc for f in c}) < 2:
            continue
        merged = []
        for f in sorted(c):
            if merged and merged[-1].doc == f.doc and f.start < merged[-1].end:
                merged[-1] = F(f.doc, merged[-1].start, max(merged[-1].end, f.end))
            else:
                merged.append(f)
        expect.append(merged)
    assert clu(links) == sorted(expect, key=lambda fam: fam[0])


fragments = st.builds(lambda d, s, n: Fragment(d, s, s + n), st.integers(0, 4), st.integers(0, 40), st.integers(0, 25))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(fragments, fragments, st.floats(0, 1)), max_size=40), st.integers(1, 3))
def test_compiled_clustering_equals_the_dictionary_union_find(pairs, min_documents):
    from nccd.cluster import cluster_reference

    from nccd.cluster import LinkTable

    links = [Link(a, b, s) for a, b, s in pairs if a.doc != b.doc]
    expect = cluster_reference(links, min_documents=min_documents)
    assert cluster(links, min_documents=min_documents) == expect
    table = LinkTable(np.array([(k.a.doc, k.a.start, k.a.end, k.b.doc, k.b.start, k.b.end) for k in links],
                               dtype=np.int64).reshape(-1, 6), np.array([k.similarity for k in links]))
    assert list(table) == links
    assert cluster(table, min_documents=min_documents) == expect


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40), st.integers(1, 12),
                          st.integers(0, 6), st.integers(0, 40), st.integers(1, 12)), max_size=60),
       st.sampled_from([1, 2**12, 2**25]),  # the last too large to pack
       st.sampled_from([1, 4, 100]))
def test_fragments_grouped_by_document_are_the_distinct_rows(rows, scale, rounds):
    """The distinct fragments and each end's place among them, for small numbers and
    large, and the ends grouped by document in one round or many, agree with np.unique
    over rows."""
    import nccd.cluster
    from nccd.cluster import _fragments


    ends = np.array([(da, sa * scale, (sa + la) * scale, db, sb * scale, (sb + lb) * scale)
                     for da, sa, la, db, sb, lb in rows], dtype=np.int64).reshape(-1, 6)
    ends = ends.astype(np.int32)
    saved, nccd.cluster._ROUNDS = nccd.cluster._ROUNDS, rounds
    try:
        frags, place = _fragments(ends)
    finally:
        nccd.cluster._ROUNDS = saved
    both = np.concatenate([ends[:, :3], ends[:, 3:]])
    expected, inverse = np.unique(both, axis=0, return_inverse=True)
    assert frags.dtype == np.int32 and frags.shape == expected.reshape(-1, 3).shape
    assert np.array_equal(frags, expected.reshape(-1, 3)) and np.array_equal(place, inverse.reshape(-1))


@FAST
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 6), st.integers(1, 4),
                          st.integers(0, 5), st.integers(0, 6), st.integers(1, 4)), max_size=60))
def test_fragments_are_the_sorted_distinct_ends(rows):
    """Every link end found again as its row of the sorted distinct (doc, start, end): ends
    repeat across links (the compiled pass looks them up in a table per document)."""
    from nccd.cluster import _fragments

    ends = np.array([(a, s, s + n, b, t, t + m) for a, s, n, b, t, m in rows], dtype=np.int32).reshape(-1, 6)
    frags, place = _fragments(ends)
    every = [tuple(r[:3]) for r in ends.tolist()] + [tuple(r[3:]) for r in ends.tolist()]
    assert [tuple(f) for f in frags.tolist()] == sorted(set(every))
    assert [tuple(frags[p]) for p in place.tolist()] == every
