"""The compiled aligner against the plain-Python oracle, on random and real word sequences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nccd.align import Vocabulary, align_words
from nccd.align.reference import align_words_reference
from nccd.normalize import normalize

from .conftest import SEEDS

words = st.lists(st.integers(0, 6), max_size=70)
params = st.fixed_dictionaries({
    "min_words": st.integers(1, 10),
    "min_similarity": st.sampled_from([0.3, 0.6, 0.75, 0.9, 1.0]),
    "max_gap": st.integers(0, 10),
    "seed_size": st.integers(1, 4),
})


@settings(max_examples=400, deadline=None)
@given(words, words, params)
def test_kernel_equals_reference_on_random_sequences(a, b, kw):
    assert align_words(a, b, **kw) == align_words_reference(a, b, **kw)


@settings(max_examples=150, deadline=None)
@given(words, st.lists(st.tuples(st.integers(0, 69), st.integers(0, 12))), params)
def test_kernel_equals_reference_on_edited_copies(a, edits, kw):
    b = list(a)
    for at, word in edits:  # substitute, insert or delete near each chosen place
        if at < len(b):
            b[at:at + word % 3] = [word] * (word % 2)
    assert align_words(a, b, **kw) == align_words_reference(a, b, **kw)


def test_kernel_equals_reference_on_the_seeds():
    vocab = Vocabulary()
    texts = [vocab.ids(normalize(p.read_text(encoding="utf-8")).words) for p in sorted(SEEDS.glob("*.txt"))]
    for x in range(len(texts)):
        for y in range(x + 1, len(texts)):
            kw = {"min_words": 8, "min_similarity": 0.75, "max_gap": 9, "seed_size": 2}
            fast = align_words(texts[x], texts[y], **kw)
            assert fast == align_words_reference(texts[x], texts[y], **kw)
            assert fast  # the seeds share the national template


def test_document_alignment_equals_the_python_resolution(tmp_path):
    from nccd.align.corpus import align_documents
    from nccd.align.documents import TemplateIndex, align_document
    from nccd.align.reference_documents import align_document_reference
    from nccd.layout import Layout
    from nccd.pipeline import run
    from nccd.shingle import shingle
    from nccd.synth import SynthSettings, generate
    from nccd.ingest.documents import ingest
    from nccd.template import user_template

    generate(tmp_path, SynthSettings(documents=60, seed=11))
    docs, _ = ingest([tmp_path / "docs", SEEDS], manifest=str(tmp_path / "manifest.csv"))
    result = run(docs)
    by_doc = {d.id: [p for p in result.passages if p.doc_id == d.id] for d in docs}
    layout = Layout(docs, [normalize(d.text, ignore=d.ignore) for d in docs], [by_doc[d.id] for d in docs])
    shingles = shingle(layout.passage_words(), result.settings.shingle_size)
    index = TemplateIndex(result.templates, layout.vocab, result.settings.shingle_size,
                          result.settings.max_postings)
    spans = 0
    for d in range(len(docs)):
        fast = align_document(layout.doc_words(d, shingles), index, result.settings)
        assert fast == align_document_reference(layout.doc_words(d, shingles), index, result.settings)
        spans += len(fast)
    assert spans == len(result.spans) > 100
    # A template the user gave (its spans take the role of the passages they cover), and
    # the exact-text index kept to the wordings a short passage can equal, as a scan builds it.
    given = user_template("given.txt", sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")[:3000])
    index = TemplateIndex([*result.templates, given], layout.vocab, result.settings.shingle_size,
                          result.settings.max_postings, exact_below=result.settings.min_words)
    roles = set()
    for d in range(len(docs)):
        fast = align_document(layout.doc_words(d, shingles), index, result.settings)
        assert fast == align_document_reference(layout.doc_words(d, shingles), index, result.settings)
        roles |= {s.role for s in fast if s.template_id == given.id}
    assert len(roles) > 1
    differs = 0  # the wording choice (cover, caps) matches the oracle's where it bites too
    for settings in (replace(result.settings, target_cover=1, max_targets=3, max_postings=2),
                     replace(result.settings, target_cover=1000)):
        index = TemplateIndex(result.templates, layout.vocab, settings.shingle_size, settings.max_postings)
        for d in range(0, len(docs), 3):
            fast = align_document(layout.doc_words(d, shingles), index, settings)
            assert fast == align_document_reference(layout.doc_words(d, shingles), index, settings)
            differs += fast != align_document(layout.doc_words(d, shingles), index, result.settings)
    assert differs
    assert align_documents(layout, shingles, result.templates, result.settings) == list(result.spans)


def test_pair_links_equal_the_python_links(tmp_path):
    from nccd.align.corpus import align_pairs, align_pairs_reference
    from nccd.candidates import candidate_pairs
    from nccd.index import build_index
    from nccd.ingest.documents import ingest
    from nccd.layout import Layout
    from nccd.pipeline import run, sketch_new
    from nccd.shingle import shingle
    from nccd.synth import SynthSettings, generate

    generate(tmp_path, SynthSettings(documents=50, seed=12))
    docs, _ = ingest([tmp_path / "docs", SEEDS], manifest=str(tmp_path / "manifest.csv"))
    settings = run(docs[:1]).settings
    by_doc = {}
    for p in run(docs).passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    layout = Layout(docs, [normalize(d.text, ignore=d.ignore) for d in docs], [by_doc.get(d.id, []) for d in docs])
    shingles = shingle(layout.passage_words(), settings.shingle_size)
    signatures = sketch_new(shingles, layout, settings, {})
    rows = layout.rows(min_words=settings.min_words)
    index = build_index(signatures[rows], rows, threshold=settings.lsh_threshold, seed=settings.seed)
    pairs = candidate_pairs(index, shingles, layout, settings)
    links = align_pairs(pairs, layout, settings)
    assert len(links) > 500
    assert list(links) == align_pairs_reference(pairs, layout, settings)
    ends = align_pairs(pairs, layout, settings, similarity=False, jobs=2)  # what the pipeline clusters
    assert ends.similarity is None and np.array_equal(ends.ends, links.ends)
    with pytest.raises(ValueError, match="without their similarities"):
        list(ends)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 40), st.dictionaries(st.integers(0, 5000), st.tuples(
    st.integers(0, 300), st.integers(0, 90) | st.integers(2**60, 2**61)), max_size=12), max_size=8))
def test_packed_rank_order_is_the_lexsort(groups):
    """Pairs as ``_pairs`` gives them (grouped by passage, each wording once in a group),
    ranked as the lexsort of the four; needs too large to pack take the lexsort itself."""
    import numpy as np

    from nccd.align.targets import _ranked

    rows = [(p, c, n, t) for p in sorted(groups) for t, (c, n) in groups[p].items()]
    p, c, n, t = (np.array([r[k] for r in rows], dtype=np.int64) for k in range(4))
    assert np.array_equal(_ranked(p, c, n, t), np.lexsort((t, -n, -c, p)))


@st.composite
def _word_lists(draw):
    """Two sequences over a small alphabet (pairs repeat) or a larger one (most pairs
    unique, long shared runs: where lookups inside a run are skipped), the second
    often an edited copy of the first."""
    top = draw(st.sampled_from([4, 40]))
    a = draw(st.lists(st.integers(0, top), max_size=90))
    if draw(st.booleans()):
        return a, draw(st.lists(st.integers(0, top), max_size=90))
    b = list(a)
    for at, word in draw(st.lists(st.tuples(st.integers(0, 89), st.integers(0, top)), max_size=8)):
        b[at:at + word % 3] = [word] * (word % 2)
    return a, b


@settings(max_examples=600, deadline=None)
@given(_word_lists(), st.integers(1, 5))
def test_seeded_runs_equal_the_all_cells_scan(ab, k):
    """The pair-hashed seed search finds exactly the runs of visiting every cell, in
    the same order."""
    import numpy as np

    from nccd.align.kernel import _runs, _runs_scan

    x, y = (np.array(v, dtype=np.int64) for v in ab)
    assert _runs(x, y, k).tolist() == _runs_scan(x, y, k).tolist()


def test_seeded_runs_compare_words_not_just_their_hash():
    """Pair keys ``x * P + y`` (modulo 2**64) collide; the seeded search must not take a collision for a match."""
    import numpy as np

    from nccd.align.kernel import _PAIR, _runs, _runs_scan

    p, mod = int(_PAIR), 2**64
    target = (p + 1) % mod  # the key of the pair (1, 1)
    y = next(y for y in range(2, 1000) if (target - y) * pow(p, -1, mod) % mod < 2**63)
    x = (target - y) * pow(p, -1, mod) % mod
    assert (x * p + y) % mod == target and (x, y) != (1, 1)
    a, b = np.array([x, y, 9], dtype=np.int64), np.array([1, 1, 9], dtype=np.int64)
    assert _runs(a, b, 2).tolist() == _runs_scan(a, b, 2).tolist() == []


_HASHES = st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2**31, 2**32 - 2, 2**32 - 1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_HASHES, max_size=300), st.lists(st.tuples(st.integers(0, 50), _HASHES), max_size=120))
def test_template_lookup_equals_unique_and_searchsorted(table, queries):
    """The directory-guided lookup of a document's shingle keys gives what ``np.unique``
    and a search of the whole table give, at the edges of the hash range too."""
    import numpy as np

    from nccd.align.targets import _lookup, directory

    keys = np.unique(np.array(table, dtype=np.uint32))
    codes = np.array([p << 32 | h for p, h in queries], dtype=np.uint64)
    got, passage, at = _lookup(np.sort(codes), keys, *directory(keys))
    want = np.unique(codes)
    hashes = (want & np.uint64(0xFFFFFFFF)).astype(np.int64)
    where = np.searchsorted(keys.astype(np.int64), hashes)
    found = (where < len(keys)) & (keys.astype(np.int64)[np.minimum(where, max(len(keys) - 1, 0))] == hashes
                                   if len(keys) else np.zeros(len(want), dtype=bool))
    assert got.tolist() == want.tolist()
    assert passage.tolist() == (want >> np.uint64(32)).astype(np.int64).tolist()
    assert at.tolist() == np.where(found, where, -1).tolist()
