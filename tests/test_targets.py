"""TemplateIndex's wordings: their words, ids and offsets as ``normalize`` gives them,
new words numbered in the order first met, and wordings a caller gave kept as given."""

from __future__ import annotations

import numpy as np
import pytest

from nccd.align import Vocabulary
from nccd.align.targets import TemplateIndex
from nccd.model import Template, Variant
from nccd.normalize import normalize

TEXTS = [
    "The Police Service neither confirms nor denies that it holds any information.",
    "No inference can be taken from this refusal that the information does or does not exist.",
    "Irrelevant Practise",
    "The Police Service neither confirms nor denies that it holds information relevant to your request.",
]


def _templates() -> list[Template]:
    variants = lambda *texts: tuple(Variant(t, ("d1", "d2")) for t in texts)
    return [Template("t1", TEXTS[0], "ncnd", ("d1", "d2"), (), None, None, variants(TEXTS[0], TEXTS[3])),
            Template("t2", TEXTS[1], "ncnd", ("d1",), (), None, None,
                     (Variant(TEXTS[1], ("d1",)), *variants(TEXTS[2])))]


def test_every_wording_has_the_words_ids_and_offsets_normalize_gives():
    vocab = Vocabulary()
    vocab.ids(["neither", "zzz"])  # words already known keep their ids
    index = TemplateIndex(_templates(), vocab, 3, exact_below=8)
    order = [TEXTS[0], TEXTS[3], TEXTS[1], TEXTS[2]]
    expected = Vocabulary()
    expected.ids(["neither", "zzz"])
    for k, text in enumerate(order):
        n = normalize(text)
        lo, hi = index.target_ptr[k], index.target_ptr[k + 1]
        assert list(index.targets[k].words.words) == list(n.words)
        assert index.target_ids[lo:hi].tolist() == expected.ids(list(n.words))
        assert index.target_starts[lo:hi].tolist() == n.starts.tolist()
        assert index.target_ends[lo:hi].tolist() == n.ends.tolist()
        assert index.targets[k].words.original == index.texts[k] == text
    assert [(t.template.id, t.variant) for t in index.targets] == [("t1", 0), ("t1", 1), ("t2", 0), ("t2", 1)]
    assert [t.sole for t in index.targets] == [None, None, "d1", None]
    assert index.targets[-1].variant == 1 and len(index.targets[1:3]) == 2
    with pytest.raises(IndexError):
        index.targets[4]


def test_a_wording_given_normalised_is_kept_as_given():
    given = {TEXTS[3]: normalize(TEXTS[3])}
    index = TemplateIndex(_templates(), Vocabulary(), 3, wordings=given)
    assert index.targets[1].words is given[TEXTS[3]]
    lo, hi = index.target_ptr[1], index.target_ptr[2]
    assert index.target_starts[lo:hi].tolist() == given[TEXTS[3]].starts.tolist()


def test_short_wordings_are_found_by_their_text_but_not_for_their_only_document():
    index = TemplateIndex(_templates(), Vocabulary(), 3, exact_below=8)
    assert index.exact("irrelevant practice", "d9") == [3]
    assert index.exact(normalize(TEXTS[1]).text, "d9") == []  # long: looked up by shingles only
    whole = TemplateIndex(_templates(), Vocabulary(), 3)
    assert whole.exact(normalize(TEXTS[1]).text, "d9") == [2]
    assert whole.exact(normalize(TEXTS[1]).text, "d1") == []  # d1 alone holds it
    assert np.array_equal(whole.sizes, [len(normalize(t).words) for t in [TEXTS[0], TEXTS[3], TEXTS[1], TEXTS[2]]])


def test_an_index_is_freed_without_a_garbage_collection():
    """The pipeline pauses the cyclic collector: an index in a reference cycle would stay
    in memory, with all its arrays, for the rest of a scan."""
    import gc
    import weakref

    index = TemplateIndex(_templates(), Vocabulary(), 3)
    index.targets[0]  # records made on demand hold no path back to the index
    gone = weakref.ref(index)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del index
        assert gone() is None
    finally:
        if enabled:
            gc.enable()


def test_each_shingle_lists_its_wordings_longest_first_as_sorting_every_pair_would():
    from nccd.shingle import WordHasher, ngram_hashes

    for k in (1, 2, 3):
        index = TemplateIndex(_templates(), Vocabulary(), k)
        held = set()
        for t in range(len(index.targets)):
            words = list(index.targets[t].words.words)
            hashes = ngram_hashes(WordHasher()(words), np.array([len(words)]), k).hashes
            held |= {(int(h), t) for h in hashes.tolist()}
        need = index.need
        expected = sorted(held, key=lambda p: (p[0], -need[p[1]], p[1]))  # by hash, longest first, then number
        got = [(int(index.keys[g]), int(index.postings[y])) for g in range(len(index.keys))
               for y in range(index.ptr[g], index.ptr[g + 1])]
        assert got == expected


def test_first_met_gives_the_distinct_values_in_the_order_they_first_occur():
    from nccd.align.targets import _first_met

    rng = np.random.default_rng(3)
    for size in (1, 5, 50):
        values = rng.integers(0, size, 200)
        assert _first_met(values, size).tolist() == list(dict.fromkeys(values.tolist()))
    assert _first_met(np.zeros(0, dtype=np.int64), 4).tolist() == []
