"""Layout's arrays against the plain per-passage lists they replace."""

from __future__ import annotations

import bisect
import random

import numpy as np

from nccd.align import Vocabulary
from nccd.ingest.documents import ingest
from nccd.layout import Layout
from nccd.model import Document
from nccd.normalize import normalize
from nccd.segment import segment

from .conftest import SEEDS


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, force=None, date=None, reference=None, title=None,
                    sha256="0")


def _corpus():
    """The seeds, an empty document, and a document whose passages were dropped."""
    docs, _ = ingest([SEEDS])
    docs = [_doc("zz-first", "one two three\n\nfour five six seven eight\n\n\nnine"), *docs, _doc("empty", "")]
    words = [normalize(d.text, ignore=d.ignore) for d in docs]
    passages = [segment(d) for d in docs]
    passages[2] = []
    return docs, words, passages


def _ranges(words, passages):
    """Each document's passage word ranges, one search per passage end."""
    return [[(int(np.searchsorted(w.starts, p.start)), int(np.searchsorted(w.starts, p.end))) for p in ps]
            for w, ps in zip(words, passages)]


def test_per_passage_arrays_match_the_plain_lists():
    docs, words, passages = _corpus()
    layout = Layout(docs, words, passages)
    ranges = _ranges(words, passages)
    assert layout.doc_of.tolist() == [d for d, rs in enumerate(ranges) for _ in rs]
    assert layout.local.tolist() == [k for rs in ranges for k in range(len(rs))]
    assert layout.first.tolist() == np.cumsum([0, *map(len, ranges)])[:-1].tolist()
    assert [layout.passage_ranges(d) for d in range(len(docs))] == [tuple(rs) for rs in ranges]
    flat = [r for rs in ranges for r in rs]
    assert [layout.word_range(i) for i in range(len(flat))] == flat
    vocab = Vocabulary()
    assert all(ids.dtype == np.int32 and ids.tolist() == vocab.ids(w.words) for ids, w in zip(layout.ids, words))
    assert layout.passage_words() == [words[d].words[lo:hi] for d, rs in enumerate(ranges) for lo, hi in rs]
    for i, (d, k) in enumerate(zip(layout.doc_of.tolist(), layout.local.tolist())):
        rs = ranges[d]
        assert layout.window(i) == (rs[max(k - 1, 0)][0], rs[min(k + 1, len(rs) - 1)][1])


def test_flat_shares_the_layouts_arrays():
    docs, words, passages = _corpus()
    layout = Layout(docs, words, passages)
    f = layout.flat()
    ranges = _ranges(words, passages)
    assert f.doc_of is layout.doc_of and f.ids.dtype == np.int32
    assert f.first.tolist() == [*layout.first.tolist(), len(layout.doc_of)]
    for d, rs in enumerate(ranges):
        assert f.bounds[f.b_ptr[d]:f.b_ptr[d + 1]].tolist() == sorted({b for r in rs for b in r})
        assert np.array_equal(f.ids[f.id_ptr[d]:f.id_ptr[d + 1]], layout.ids[d])
    assert sorted(range(len(docs)), key=lambda d: docs[d].id) == np.argsort(f.doc_rank).tolist()


def test_snap_and_passage_under_match_bisect_over_lists():
    docs, words, passages = _corpus()
    layout = Layout(docs, words, passages)
    rng = random.Random(3)
    for d, rs in enumerate(_ranges(words, passages)):
        bounds, starts = sorted({b for r in rs for b in r}), [r[0] for r in rs]
        for _ in range(200):
            start = rng.randrange(-3, len(words[d]) + 4)
            end, reach = start + rng.randrange(-2, 80), rng.randrange(8)
            got = layout.snap(d, start, end, reach)
            k = bisect.bisect_right(bounds, start) - 1
            s = bounds[k] if k >= 0 and start - bounds[k] <= reach else start
            k = bisect.bisect_left(bounds, end)
            e = bounds[k] if k < len(bounds) and bounds[k] - end <= reach else end
            assert (got.doc, got.start, got.end) == (d, s, e)
            if not rs:
                continue
            overlap = lambda r: min(r[1], end) - max(r[0], start)  # noqa: E731
            near = rs[max(bisect.bisect_right(starts, start) - 1, 0):bisect.bisect_left(starts, end)]
            best = max(near, key=overlap) if near else None
            assert layout.passage_under(d, start, end) == (
                best if best is not None and overlap(best) > 0 else max(rs, key=overlap))


def test_an_empty_corpus_has_empty_arrays():
    layout = Layout([], [], [])
    assert len(layout.doc_of) == 0 and layout.passage_words() == [] and layout.flat().ids.shape == (0,)
    assert len(layout.shingles(5).indptr) == 1


def test_words_of_ids_read_as_the_words_they_number():
    import numpy as np

    from nccd.align import WordsOfIds

    table = ["the", "force", "neither", "confirms"]
    words = WordsOfIds(np.array([0, 1, 2, 3, 0], dtype=np.int32), table)
    plain = ("the", "force", "neither", "confirms", "the")
    assert len(words) == 5 and tuple(words) == plain and words == plain and plain == words
    for k in (slice(0, 0), slice(1, 2), slice(1, 4), slice(None), slice(None, None, -1), slice(3, 1)):
        assert words[k] == plain[k] and isinstance(words[k], tuple)
    assert words[-1] == "the" and words[2] == "neither" and " ".join(words) == " ".join(plain)
    assert words != plain[:4] and words != ("the",) * 5


def test_ids_of_all_numbers_words_as_ids_does():
    from nccd.align import Vocabulary

    words = "the force will neither confirm nor deny the force holds".split() + ["", "the"]
    one, many = Vocabulary(), Vocabulary()
    one.ids(["deny", "x"])
    many.ids(["deny", "x"])
    assert many.ids_of_all(iter(words)) == one.ids(words) and many.words() == one.words()
    assert many.ids_of_all([]) == []


def test_ids_read_into_one_array_are_kept_not_copied():
    """Words whose ids are consecutive stretches of one array (as the pipeline reads
    them) give the layout that array itself; any other words are copied."""
    from nccd.align import WordsOfIds

    docs, words, passages = _corpus()
    vocab = Vocabulary()
    ids = np.array(vocab.ids_of_all(w for n in words for w in n.words), dtype=np.int32)
    ptr = np.cumsum([0] + [len(n) for n in words])
    table = vocab.words()
    read = [type(n)(WordsOfIds(ids[a:b], table), n.starts, n.ends, n.original)
            for n, a, b in zip(words, ptr[:-1], ptr[1:])]
    layout = Layout(docs, read, passages, vocab=vocab)
    assert np.shares_memory(layout.flat().ids, ids) and layout.flat().ids.tolist() == ids.tolist()
    shuffled = [read[1], read[0], *read[2:]]  # no longer in the array's order: copied
    other = Layout([docs[1], docs[0], *docs[2:]], shuffled, [passages[1], passages[0], *passages[2:]], vocab=vocab)
    assert not np.shares_memory(other.flat().ids, ids)
    assert [x.tolist() for x in other.ids] == [x.words.ids.tolist() for x in shuffled]


def test_a_documents_shingles_made_alone_are_the_corpus_shingles_of_its_passages():
    docs, words, passages = _corpus()
    layout = Layout(docs, words, passages)
    for k in (1, 3, 5):
        every, alone = layout.shingles(k), layout.document_shingles(k)
        for d in range(len(docs)):
            made = alone.of_document(d)
            first, last = int(layout.first[d]), int(layout.first[d]) + len(layout.passage_ranges(d))
            assert len(made) == last - first
            for p, hashes in zip(range(first, last), made):
                assert hashes.dtype == every.hashes.dtype and np.array_equal(hashes, every.of(p))
            given = layout.doc_words(d, alone).shingles
            assert len(given) == len(made) and all(np.array_equal(x, y) for x, y in zip(given, made))


def test_shingles_made_block_by_block_on_threads_are_the_same(monkeypatch):
    import nccd.layout as layout_module

    docs, words, passages = _corpus()
    layout = Layout(docs, words, passages)
    whole = layout.shingles(3)
    monkeypatch.setattr(layout_module, "_BLOCK", 2)  # a few passages a block, blocks shared by two threads
    parts = layout.shingles(3, jobs=2)
    assert np.array_equal(parts.indptr, whole.indptr) and np.array_equal(parts.hashes, whole.hashes)
