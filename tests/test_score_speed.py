"""The batched score stage gives exactly what scoring one document at a time gives.

``score`` counts characters and unions with whole arrays, a batch of documents
at a time, rounds with numpy where that is safe, and searches the NCND and
exemption regexes only where a match can start. Each shortcut is held here to a
direct implementation: the plain per-document code the stage had before, and
:func:`nccd.exemptions.is_ncnd` and :func:`nccd.exemptions.find_exemptions`
for :func:`nccd.exemptions.flags`.
"""

from __future__ import annotations

import pathlib
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nccd import score as S
from nccd import exemptions
from nccd.exemptions import find_exemptions, flags, is_ncnd
from nccd.model import ROLES, Document, DocumentScore, Span, Template, Variant

SEEDS = sorted((pathlib.Path(__file__).parent.parent / "fixtures" / "seeds").glob("*.txt"))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The stage as it was: one document at a time, in plain Python.
def _plain_solid(text: str) -> list[int]:
    out = [0]
    for ch in text:
        out.append(out[-1] + (not ch.isspace()))
    return out


def _plain_share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _plain_score(doc: Document, spans: list[Span], templates: dict[str, Template]) -> DocumentScore:
    solid = _plain_solid(doc.text)
    by_role = {role: _plain_share(S.covered([(s.start, s.end) for s in spans if s.role == role], solid), solid[-1])
               for role in ROLES}
    reused = S.covered([(s.start, s.end) for s in spans if s.role != "request"], solid)
    ranges: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        ranges[(s.template_id, s.variant)].append((s.template_start, s.template_end))
    best: dict[str, float] = {}
    for (tid, v), intervals in ranges.items():
        wording = _plain_solid(templates[tid].variants[v].text)
        best[tid] = max(best.get(tid, 0.0), _plain_share(S.covered(intervals, wording), wording[-1]))
    return DocumentScore(doc.id, solid[-1], _plain_share(reused, solid[-1]), by_role, dict(sorted(best.items())),
                         is_ncnd(doc.text), tuple(find_exemptions(doc.text)))


def _plain(documents, spans, templates) -> list[DocumentScore]:
    by_doc: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        by_doc[s.doc_id].append(s)
    lookup = {t.id: t for t in templates}
    return [_plain_score(d, by_doc.get(d.id, []), lookup) for d in documents]


def _same(got: list[DocumentScore], expected: list[DocumentScore]) -> None:
    assert got == expected
    assert repr(got) == repr(expected)  # the same types too, and dicts in the same order


# Corpora: texts of awkward pieces, templates of one to three wordings, spans anywhere.
PIECES = [
    "Dear Sir", "NCND", "Ncnd", "neither confirm nor deny", "can neither confirm nor deny", "cannot confirm or deny",
    "won’t confirm or deny", "won't", "unable to confirm or deny", "not able to confirm or deny", "wonot able to",
    "canot able to confirm or deny", "will not confirm or deny", "The duty to confirm or deny does not arise",
    " if, ", "duty in section 1(1)(a) of the Act does not apply", "If you neither confirm nor deny",
    "whether your force can neither confirm nor deny", "confirmation or denial", "confirmed and denied",
    "Section 24(2)", "section 31 (3)", "S31(3)", "s.24(2)", "Sections 23(5) and 24(2)", "ss. 23(5), 24(2)",
    "s1(1)(a)", "s17(1)", "S24", "Section 30", "S24 Factors Favouring Confirmation or Denial", "sections 23",
    " of the Data Protection Act 2018", " of the Freedom of Information Act 2000", " of the Act", "(a)", " and ",
    " or ", "&", "/", ",", ".", "(", ")", "2", "24", "44", "s", "ss", "S", "section", "sections", "25.5",
    " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\u3000",
    "\u00a0", "–", "£", "İ", "ı", "ſ", "ſection 24(2)", "confırm", "\u212a", "é", "ß", "Σ", "😀", "𝐀", "\x00",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@st.composite
def corpora(draw):
    wordings = draw(st.lists(st.lists(TEXT, min_size=1, max_size=3), min_size=1, max_size=4))
    templates = [Template(f"t{i}", w[0], "legal", (), (), None, None, tuple(Variant(x, ()) for x in w))
                 for i, w in enumerate(wordings)]
    ids = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=5))  # an id may come twice
    texts = {i: draw(TEXT) for i in ids}
    documents = [Document(i, f"{i}.txt", texts[i], None, None, None, None, "x") for i in ids]
    spans = []
    for _ in range(draw(st.integers(0, 20))):
        doc = draw(st.sampled_from(documents))
        t = draw(st.integers(0, len(templates) - 1))
        v = draw(st.integers(-len(wordings[t]), len(wordings[t]) - 1))
        a, b = sorted(draw(st.tuples(st.integers(0, len(doc.text)), st.integers(0, len(doc.text)))))
        c, d = sorted(draw(st.tuples(st.integers(0, len(wordings[t][v])), st.integers(0, len(wordings[t][v])))))
        role = draw(st.sampled_from([*ROLES, "other"]))
        spans.append(Span(doc.id, a, b, f"t{t}", c, d, 1.0, role, v))
    spans += [Span("elsewhere", 0, 1, "t0", 0, 0, 1.0, "legal")]  # a document not scored
    return documents, draw(st.permutations(spans)), templates


@SETTINGS
@given(corpora())
def test_score_is_the_plain_score(corpus):
    documents, spans, templates = corpus
    _same(S.score(documents, spans, templates), _plain(documents, spans, templates))


@SETTINGS
@given(corpora())
def test_score_document_is_the_plain_score(corpus):
    documents, spans, templates = corpus
    lookup = {t.id: t for t in templates}
    mine = [s for s in spans if s.doc_id == documents[0].id]
    _same([S.score_document(documents[0], mine, lookup)], [_plain_score(documents[0], mine, lookup)])


def _seed_corpus(n: int) -> tuple[list[Document], list[Span], list[Template]]:
    """``n`` documents cut from the seed responses, each reproducing parts of three templates."""
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    templates = [Template(f"t{i}", s[:400], "ncnd", (), (), None, None, (Variant(s[:400], ()), Variant(s[50:300], ())))
                 for i, s in enumerate(seeds)]
    rng = np.random.default_rng(7)
    documents, spans = [], []
    for k in range(n):
        text = seeds[k % len(seeds)][k % 97 :]
        documents.append(Document(f"d{k}", f"d{k}.txt", text, None, None, None, None, "x"))
        for t in rng.choice(len(templates), 3, replace=False).tolist():
            a, c = sorted(rng.integers(0, len(text), 2).tolist()), sorted(rng.integers(0, 250, 2).tolist())
            spans.append(Span(f"d{k}", a[0], a[1], f"t{t}", c[0], c[1], 1.0, ROLES[k % len(ROLES)], k % 2))
    return documents, spans, templates


def test_batches_and_workers_change_nothing(monkeypatch):
    documents, spans, templates = _seed_corpus(150)  # enough for two workers to be forked
    expected = _plain(documents, spans, templates)
    monkeypatch.setattr(S, "BATCH", 7)
    _same(S.score(documents, spans, templates, jobs=1), expected)
    _same(S.score(documents, spans, templates, jobs=2), expected)
    _same(S.score(documents, spans[::-1], templates, jobs=2), expected)  # spans in no order


def test_the_same_errors_as_one_document_at_a_time():
    doc = Document("d", "d.txt", "abc def", None, None, None, None, "x")
    t = Template("t", "abc", "legal", (), (), None, None, (Variant("abc", ()),))
    for span, error in [(Span("d", 0, 3, "u", 0, 3, 1.0, "legal"), KeyError),
                        (Span("d", 0, 3, "t", 0, 3, 1.0, "legal", 1), IndexError),
                        (Span("d", 0, 30, "t", 0, 3, 1.0, "legal"), IndexError),
                        (Span("d", 0, 3, "t", 0, 9, 1.0, "legal"), IndexError)]:
        with pytest.raises(error):
            _plain([doc], [span], [t])
        with pytest.raises(error):
            S.score([doc], [span], [t])


# NCND and exemptions.
def test_the_exemption_shortcuts_are_on():
    # flags() falls back to the plain functions when a regex's first words cannot be read.
    assert exemptions._FAST_FLAGS, "a regex in nccd/exemptions.py no longer starts with words _regexneeds reads"


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_flags_are_is_ncnd_and_find_exemptions(text):
    assert flags(text) == (is_ncnd(text), find_exemptions(text))


EDGES = [
    "We neither confirm nor deny under S24\n(a) of the letter",  # the "(" on the next line is not S24's
    "We neither confirm nor deny.\nS24 Factors Favouring Confirmation or Denial\r\nS31 confirm or deny",
    "NCND\nS24\nFactors Favouring Confirmation or Denial",  # the section on a line of its own
    "NCND. Section 24(2) and S24 and S31 confirmation or denial",
    "NCND. Sections 23(5) and s.24(2), s 31 neither confirm",
    "The force wonot able to confirm or deny it",
    "The force canot able to confirm or deny it",
    "If you neither confirm nor deny, say so. The duty to confirm or deny does not arise.",
    "The duty to confirm or deny does not arise if, in this case",
    "Section 31(3) of the Police Act 1996; NCND",
    "XNCND ncnd Ncnd",
    "ſection 24(2) NCND ſ24 confırmation or denial",
    "Section 24\u2028(2) neither confirm nor deny S24 confirm or deny\x85(3)",
]


@pytest.mark.parametrize("text", EDGES)
def test_flags_at_the_edges(text):
    assert flags(text) == (is_ncnd(text), find_exemptions(text))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_flags_of_the_seeds(path):
    text = path.read_text(encoding="utf-8")
    for piece in (text, text.upper(), text.replace("\n", "\r\n"), text.replace("\n", " ")):
        assert flags(piece) == (is_ncnd(piece), find_exemptions(piece))


@given(st.one_of(st.floats(0, 1), st.builds(lambda a, b: a / b, st.integers(0, 10**6), st.integers(1, 10**6)),
                 st.integers(0, 20000).map(lambda k: (2 * k + 1) / 20000), st.floats(allow_nan=True)))
def test_round4_is_round(value):
    expected = round(value, 4)
    got = S._round4(np.array([value]))[0]
    assert got == expected or (got != got and expected != expected)
