"""Properties of the whole pipeline on generated texts (hypothesis)."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from nccd.compare import compare_documents
from nccd.model import Document
from nccd.normalize import normalize
from nccd.pipeline import run

VOCAB_A = [f"alpha{i}" for i in range(300)]
VOCAB_B = [f"beta{i}" for i in range(300)]


def doc(text: str, name: str) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=digest[:16] + name, path=f"{name}.txt", text=text, force=None, date=None,
                    reference=None, title=None, sha256=digest)


def sentences(vocab, min_size=1, max_size=6):
    word = st.sampled_from(vocab)
    sentence = st.lists(word, min_size=6, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")
    paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
    return st.lists(paragraph, min_size=min_size, max_size=max_size).map("\n\n".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences(VOCAB_A, min_size=2))
def test_a_document_compared_with_itself_is_fully_reused(text):
    d = doc(text, "a")
    c = compare_documents(d, d)
    words = normalize(text)
    covered = [any(s.a_start <= words.starts[i] and words.ends[i] <= s.a_end for s in c.spans)
               for i in range(len(words))]
    assert all(covered)
    assert c.a_share == 1.0


@settings(max_examples=30, deadline=None)
@given(sentences(VOCAB_A), sentences(VOCAB_B))
def test_unrelated_texts_share_no_span(text_a, text_b):
    c = compare_documents(doc(text_a, "a"), doc(text_b, "b"))
    assert c.spans == () and c.a_share == 0.0
    result = run([doc(text_a, "a"), doc(text_b, "b")])
    assert result.spans == () and result.templates == ()


@st.composite
def corpora(draw):
    """Three documents that copy paragraphs of a shared bank, with edits and own text."""
    bank = draw(st.lists(sentences(VOCAB_A, 1, 1), min_size=2, max_size=4, unique=True))
    texts = []
    for _ in range(3):
        chosen = draw(st.lists(st.sampled_from(bank), min_size=1, max_size=len(bank)))
        own = draw(sentences(VOCAB_B, 1, 2))
        edited = []
        for para in chosen:
            words = para.split(" ")
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(st.sampled_from(VOCAB_B))  # one substitution
            edited.append(" ".join(words))
        texts.append("\n\n".join(edited + [own]))
    return texts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_every_span_quotes_the_file_and_its_template(texts):
    result = run([doc(t, str(i)) for i, t in enumerate(texts)])
    templates = {t.id: t for t in result.templates}
    for span in result.spans:
        text = result.document(span.doc_id).text
        assert 0 <= span.start < span.end <= len(text)
        mine = normalize(text, span.start, span.end).words
        variant = templates[span.template_id].variants[span.variant].text
        theirs = normalize(variant, span.template_start, span.template_end).words
        assert mine and theirs
        # the reported similarity never overstates the words' true (LCS) similarity
        assert Indel.normalized_similarity(list(mine), list(theirs)) >= span.similarity - 5e-5  # reported rounded to 4 places
    for t in result.templates:
        assert len(t.documents) >= 2
