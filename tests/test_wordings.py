"""Wordings grouped by hash against grouping by joined comparison text (the oracle)."""

from __future__ import annotations

import heapq
from operator import itemgetter

import numpy as np
from hypothesis import given, settings, strategies as st

from nccd.align import Vocabulary, WordsOfIds
from nccd.normalize import Normalized
from nccd.wordings import WordSource, _grouped_by_text, group, holds

WORDS = ["the", "force", "neither", "confirms", "nor", "denies", "", "it", "holds", "information"]


@st.composite
def _corpus(draw):
    """Documents over a small vocabulary (so wordings repeat), and fragments of them (a
    word or more, as alignments find them)."""
    docs = draw(st.lists(st.lists(st.sampled_from(WORDS[:draw(st.integers(2, len(WORDS)))]), min_size=1,
                                  max_size=14), min_size=1, max_size=6))
    frags = []
    for _ in range(draw(st.integers(0, 40))):
        d = draw(st.integers(0, len(docs) - 1))
        s = draw(st.integers(0, len(docs[d]) - 1))
        frags.append((d, s, draw(st.integers(s + 1, len(docs[d])))))
    return docs, frags


def _sources(docs):
    """The same words as word ids of one array (as the pipeline holds them) and as plain words."""
    vocab = Vocabulary()
    ids = np.array(vocab.ids_of_all(w for d in docs for w in d), dtype=np.int32)
    ptr = np.cumsum([0] + [len(d) for d in docs])
    table = vocab.words()
    with_ids = [Normalized(WordsOfIds(ids[a:b], table), np.zeros(b - a, np.int32), np.zeros(b - a, np.int32), "")
                for a, b in zip(ptr[:-1], ptr[1:])]
    plain = [Normalized(tuple(d), np.zeros(len(d), np.int32), np.zeros(len(d), np.int32), "") for d in docs]
    return WordSource(with_ids), WordSource(plain)


def _by_text(docs, frags, lo, hi):
    out: dict[str, list[int]] = {}
    for i in range(lo, hi):
        d, s, e = frags[i]
        out.setdefault(" ".join(docs[d][s:e]), []).append(i)
    return out


def _arrays(frags):
    return (np.array([f[k] for f in frags], dtype=np.int64).reshape(-1) for k in range(3))


@settings(max_examples=300, deadline=None)
@given(_corpus(), st.data())
def test_groups_are_the_fragments_of_each_comparison_text(corpus, data):
    docs, frags = corpus
    lo = data.draw(st.integers(0, len(frags)))
    hi = data.draw(st.integers(lo, len(frags)))
    doc, start, end = _arrays(frags)
    expected = _by_text(docs, frags, lo, hi)
    for source in _sources(docs):
        for groups in (group(source, doc, start, end, lo, hi), _grouped_by_text(source, doc, start, end, lo, hi)):
            got = {" ".join(docs[frags[g[0]][0]][frags[g[0]][1]:frags[g[0]][2]]): g
                   for g in map(groups.members, range(len(groups)))}
            assert got == expected
            assert np.all(np.diff(groups.hashes.astype(np.float64)) >= 0) or len(groups) < 2
            lengths = source.lengths(doc[lo:hi], start[lo:hi], end[lo:hi])
            assert lengths.tolist() == [len(" ".join(docs[d][s:e])) for d, s, e in frags[lo:hi]]
            for text in [*expected, "the force", "nor nor nor", "", "unknown words"]:
                assert holds(groups, source, text, doc, start, end) == (text in expected)


def test_the_pipeline_holds_word_ids_as_one_array():
    ids_source, plain_source = _sources([["the", "force"], [], ["holds", "the", "force"]])
    assert ids_source.ids is not None and plain_source.ids is None
    assert ids_source.hash_of(["the", "force"]) == plain_source.hash_of(["the", "force"])
    assert ids_source.hash_of(["the", "force"]) != ids_source.hash_of(["force", "the"])


@settings(max_examples=200, deadline=None)
@given(_corpus(), st.lists(st.booleans(), min_size=40, max_size=40), st.integers(1, 9))
def test_ranked_wordings_equal_the_dictionary_ranking(corpus, wrapped, n):
    """The template stage's ranking of a family's wordings against the ranking it replaced:
    a key per joined text, then the ``n`` smallest."""
    from nccd.template import _ranked

    docs, frags = corpus
    doc, start, end = _arrays(frags)
    source = _sources(docs)[0]

    class Fragments:  # what _ranked reads of the template stage's fragments
        pass

    f = Fragments()
    f.doc, f.start, f.end, f.source = doc, start, end, source
    f.wrapped = np.array(wrapped[:len(frags)], dtype=bool)
    by_text = _by_text(docs, frags, 0, len(frags))
    held = {text: len({frags[i][0] for i in rows}) for text, rows in by_text.items()}
    keyed = [((-held[text], all(f.wrapped[rows]), -len(text), text), rows) for text, rows in by_text.items()]
    expected = heapq.nsmallest(n, keyed, key=itemgetter(0))
    assert _ranked(f, group(source, doc, start, end, 0, len(frags)), n) == expected
