"""segment's fast paths give exactly what the plain version gives.

The plain version is held here: paragraphs split with a regex per line
(``test_text_speed.reference_paragraphs``), every role rule searched on every
passage with its original regex, and the context passes as first written. The
fast one (bit-set word gate, proofs from words, searches begun where a match
can start, the question asked only in request regions, slots set directly)
must agree with it on random documents and passages, on a small generated
corpus and on the seed responses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nccd import roles as R
from nccd import segment as S
from nccd._regexneeds import anchored, sufficient
from nccd._rulegate import Gate, Memory, fold
from nccd._rulescore import Scorer, matcher
from nccd.ingest.documents import ingest
from nccd.model import Document, Passage
from nccd.synth import SynthSettings, generate

from .test_text_speed import _REF_MARKUP, _REF_QUOTES, PIECES, SETTINGS, TEXT, TRICKY, reference_paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

# ---------------------------------------------------------------- the plain version


def reference_clean(text: str) -> str:
    return " ".join(_REF_MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", text.translate(_REF_QUOTES)).split())


def reference_features(text: str) -> tuple:
    """Every feature of a passage from the plain regexes: those of ``roles._passage``, then the question."""
    clean = reference_clean(text)
    plain = re.sub(r"^[-•*]\s+", "", clean)
    words = len(plain.split())
    scores = [sum(w for p, w, most in rules if words <= most and p.search(plain)) for rules in R.RULES.values()]
    raw = text.strip()
    c = reference_clean(raw)
    heading = bool(R._MD_HEADING.match(raw) or (raw.startswith("**") and raw.endswith("**") and raw.count("**") == 2)
                   or (0 < len(c.split()) <= 12 and not re.search(r"[.!?;,]$", c) and not R._LIST_ITEM.match(c)
                       and "://" not in c))
    if heading and R._NCND_HEADING.search(plain):
        scores[list(R.RULES).index(R.NCND)] += R._HEADING_BONUS
    by_role = dict(zip(R.RULES, scores))
    role = max(R.PRIORITY, key=lambda r: (by_role[r], -R.PRIORITY.index(r)))
    short = 0 < len(clean.split()) <= 6 and clean[-1] not in ".!?:" and not R._LIST_ITEM.match(clean)
    opened = R._OPEN.search(plain)
    return (tuple(scores), role if by_role[role] >= R.THRESHOLD else R.ANSWER, heading, short,
            len(plain[opened.end():].split()) if opened else None, bool(R._CLOSE.search(plain)),
            bool(R._LIST_ITEM.match(plain)), bool(R._QUESTION.search(plain)))


def reference_classify(texts: list[str]) -> list[str]:
    """classify_roles as first written, on the plain features."""
    feats = [reference_features(t) for t in texts]
    roles = [f[1] for f in feats]
    out, current = list(roles), None
    for i, (role, heading) in enumerate(zip(roles, [f[2] for f in feats])):
        if heading:
            current = role if role in (R.NCND, R.LEGAL) else None
        elif role == R.ANSWER and current:
            out[i] = current
        elif role != current:
            current = None
    roles, out = out, list(out)
    for order in (range(1, len(out)), range(len(out) - 2, -1, -1)):
        for i in order:
            neighbour = i - 1 if order.step == 1 else i + 1
            if out[i] == R.ANSWER and feats[i][3] and out[neighbour] == R.LETTER:
                out[i] = R.LETTER
    return reference_requests(out, feats)


def reference_requests(roles: list[str], feats: list[tuple]) -> list[str]:
    """_mark_requests and _implicit_region as first written."""
    out = list(roles)
    opens = [f[4] is not None for f in feats]
    closes = [f[5] and not opens[i] for i, f in enumerate(feats)]
    first_close = next((i for i, c in enumerate(closes) if c), None)
    if first_close is not None and not any(opens[:first_close]):
        start = first_close
        while start > 0 and roles[start - 1] not in (R.LETTER, R.LEGAL) and max(feats[start - 1][0]) < R.STRONG:
            start -= 1
        if any(f[7] for f in feats[start:first_close]):
            out[start:first_close] = [R.REQUEST] * (first_close - start)
    i = 0
    while i < len(feats):
        if closes[i] and out[i] == R.ANSWER:
            out[i] = R.LETTER
        if not opens[i]:
            i += 1
            continue
        out[i] = R.REQUEST if feats[i][4] > 5 else (roles[i] if roles[i] != R.ANSWER else R.LETTER)
        j, asked = i + 1, False
        while j < len(feats) and not closes[j] and not opens[j]:
            if j > i + 1 and max(feats[j][0]) >= R.STRONG:
                break
            questions = feats[j][7] or feats[j][6]
            if asked and not questions:
                break
            asked = asked or questions
            out[j] = R.REQUEST
            j += 1
        i = j
    return out


def reference_segment(doc: Document) -> list[Passage]:
    spans, _ = reference_paragraphs(doc.text)
    roles = reference_classify([doc.text[s:e] for s, e in spans])
    return [Passage(doc.id, i, s, e, role) for i, ((s, e), role) in enumerate(zip(spans, roles))]


def document(text: str) -> Document:
    return Document("doc", "doc.txt", text, None, None, None, None, "0")


# ---------------------------------------------------------------- random documents

LINES = [
    "Dear Sir", "Yours sincerely", "Kind regards", "James Cooper", "Water Lane", "Wilmslow", "SK9 5AF",
    "You asked:", "I note you seek access to the following information:", "Your request was:", "In response",
    "DECISION", "Please find attached our response.", "Our response",
    "Response – The force neither confirms nor denies that it holds the information.",
    "1. How many cameras are used?", "2. Whether the force holds a policy", "- item one", "(a) states",
    "• bullet", "* star", "Please provide the number of officers.", "“Is facial recognition used?”",
    "## Balance Test", "**Harm**", "Balance Test", "Overall Harm for the NCND", "Public Interest Test",
    "S24 Factors Favouring Confirmation or Denial", "Section 24(2) – National security",
    "Section 22 of the Act provides:", "LEGAL ANNEX", "(1) Information is exempt", "Copyright © Police",
    "Any disclosure under FOI is a release to the public at large. Whilst not questioning the",
    "motives of the applicant, confirming or denying that any other information relating to the",
    "covert practice of facial recognition would show criminals what the capacity, tactical",
    "and capabilities of the force are.", "No inference can be taken from this refusal.",
    "https://www.mi5.gov.uk/threat-levels", "www.ico.org.uk", "  indented line", "trailing spaces   ",
    "\t tabbed", "Tel: 01234 567 890", "foi@police.uk", "Our ref: FOI/123/19", "12th March 2020",
    "the terrorist threat level is substantial", "law enforcement tactics", "x" * 70, "Short",
]
LINE = st.one_of(st.sampled_from(LINES), st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
SEPARATORS = st.sampled_from(["\n", "\n\n", "\r\n", " \n \n", "\n\t\n", "\r", "\n\n\n"])
DOCUMENTS = st.lists(st.tuples(LINE, SEPARATORS), max_size=40).map(lambda parts: "".join(a + b for a, b in parts))
PASSAGES = st.one_of(TEXT, st.lists(LINE, min_size=1, max_size=6).map(" ".join),
                     st.lists(LINE, min_size=1, max_size=6).map("\n".join))


@SETTINGS
@given(DOCUMENTS)
def test_segment_gives_what_the_plain_version_gives(text):
    doc = document(text)
    assert S.segment(doc) == reference_segment(doc)


@SETTINGS
@given(PASSAGES)
def test_passage_features_are_those_of_the_plain_regexes(text):
    *features, question = reference_features(text)
    assert R._passage.__wrapped__(text) == tuple(features)
    assert R._question(text) == question
    assert R.score_passage(text) == dict(zip(R.RULES, features[0]))


@SETTINGS
@given(st.lists(PASSAGES, max_size=25))
def test_roles_are_those_of_the_context_passes_as_first_written(texts):
    assert R.classify_roles(texts) == reference_classify(texts)


# ---------------------------------------------------------------- corpus and seeds


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Document]:
    root = tmp_path_factory.mktemp("synth")
    generate(root, SynthSettings(documents=60, seed=3))
    docs, _ = ingest([str(root / "docs")], manifest=str(root / "manifest.csv"), jobs=1)
    seeds, _ = ingest([str(SEEDS)], jobs=1)
    assert len(docs) == 60 and seeds
    return docs + seeds


def test_segment_of_a_generated_corpus_and_the_seeds_is_the_plain_version(corpus):
    for doc in corpus:
        assert S.segment(doc) == reference_segment(doc), doc.path


# ---------------------------------------------------------------- the pieces


def met(key, tokens: list[str]) -> bool:
    """Whether the tokens of a folded text meet a key (as _regexneeds defines keys)."""
    if isinstance(key, str):
        return key in tokens
    kind, w = key
    test = {"prefix": str.startswith, "suffix": str.endswith, "infix": lambda t, x: x in t}[kind]
    return any(test(t, w) for t in tokens)


PATTERNS = [re.compile(p, re.IGNORECASE if i % 2 else 0) for i, p in enumerate(TRICKY)] + [
    re.compile(p, re.IGNORECASE) for p in TRICKY + [r"\b(?:harm|factors?)\b", r"\bterroris[mt]", r"(?:x|y)\b",
                                                    r"\b(?:a|\w+)b", r"transparen|x\w", r"(?:ab)?cd\b", r"\bab?\b"]]
WORDY = st.lists(st.sampled_from(PIECES + ["ab", "cd", "AB", "x", "y", "b", "foo", "BAR", "harm", "Factors",
                                           "terrorism", "ſt", "ık", "transparency", "ac", "abcd"]),
                 max_size=30).map("".join)


@SETTINGS
@given(WORDY)
def test_a_sufficient_key_met_is_a_match(text):
    tokens = re.findall(r"\w+", fold(text))
    for pattern in PATTERNS + R._GATE._patterns:
        for key in sufficient(pattern):
            if met(key, tokens):
                assert pattern.search(text), (pattern.pattern, key)


def test_sufficient_keys_of_simple_rules():
    assert sufficient(re.compile(r"\bharm\b", re.I)) == {"harm"}
    assert sufficient(re.compile(r"\bexemptions?\b", re.I)) == {"exemption", "exemptions"}
    assert sufficient(re.compile(r"\bterroris[mt]", re.I)) == {("prefix", "terrorism"), ("prefix", "terrorist")}
    assert sufficient(re.compile(r"transparen|public debate", re.I)) == {("infix", "transparen")}
    assert sufficient(re.compile(r"\b(?:law enforcement|covert)\b|^x", re.I)) == {"covert"}
    # Case matters, a class cannot be spelt, a flag changes: nothing proven.
    assert not sufficient(re.compile(r"\bharm\b")) and not sufficient(re.compile(r"(?-i:\bNCND\b)", re.I))
    assert not sufficient(re.compile(r"\bha\wm\b", re.I)) and not sufficient(re.compile(r"a\bb", re.I))


def test_anchored_patterns():
    assert anchored(re.compile(r"^dear\b")) and anchored(re.compile(r"\Aa", re.M)) and anchored(re.compile(r"(^a)"))
    assert anchored(re.compile(r"^(?:a|b)|^c")) and anchored(re.compile(r"(?-m:^a)", re.M))
    assert not anchored(re.compile(r"^a", re.M)) and not anchored(re.compile(r"(?m:^a)"))
    assert not anchored(re.compile(r"a|^b")) and not anchored(re.compile(r"(?:^a)?b"))


@SETTINGS
@given(WORDY)
def test_a_gate_proves_only_matches_and_hides_none(text):
    gate = Gate(PATTERNS, common=["or", "is"])
    found, proven = gate.hits(text)
    scan = gate.scan(text)
    for i, pattern in enumerate(PATTERNS):
        want = pattern.search(text)
        assert not (proven >> i & 1) or want, pattern.pattern
        assert scan.matches(i) == bool(want) and (want and want.span()) == (scan.search(i) and scan.search(i).span())
        groups = gate.groups(found).get(i, ())
        assert any(regex.search(text) for regex, _, _ in groups) == bool(want), pattern.pattern


@SETTINGS
@given(WORDY, st.integers(0, 12))
def test_a_scorer_sums_the_weights_of_the_rules_that_match(text, words):
    rules = [(p, 1 << i, (i * 5) % 13, i % 3) for i, p in enumerate(PATTERNS)]
    scores, scan = Scorer(rules, 3, [PATTERNS[0]], common=["or"]).score(text, text.split(), words)
    assert scores == [sum(w for p, w, most, s in rules if s == slot and words <= most and p.search(text))
                      for slot in range(3)]
    assert bool(PATTERNS[0].search(text)) == bool(scan and scan.matches(len(rules)))


MATCHERS = [(p, matcher(p)) for p in PATTERNS + [R._QUESTION]]


@SETTINGS
@given(WORDY)
def test_a_matcher_answers_as_a_search(text):
    for pattern, matches in MATCHERS:
        assert matches(text) == bool(pattern.search(text)), pattern.pattern


def test_memory_remembers_two_generations_and_shares_equal_values():
    made = []
    memory = Memory(lambda k: made.append(k) or len(k) * 1000, 2, share=True)
    assert [memory[k] for k in ["a", "bb", "a", "ccc", "bb", "dddd", "a"]] == [1000, 2000, 1000, 3000, 2000, 4000, 1000]
    assert made == ["a", "bb", "ccc", "dddd", "a"]  # "a" was two generations back
    shared = Memory(lambda k: len(k) * 1000, 10, share=True)
    assert shared["ee"] is shared["ff"] and Memory(lambda k: len(k) * 1000, 10)["gg"] is not shared["hh"]


def test_passages_made_without_init_are_passages(monkeypatch):
    spans, roles = [(0, 3), (5, 9)], ["answer", "letter"]
    fast = S._passages("d", spans, roles)
    monkeypatch.setattr(S, "_SLOTS", None)
    assert fast == S._passages("d", spans, roles) == [Passage("d", 0, 0, 3, "answer"), Passage("d", 1, 5, 9, "letter")]
    assert [type(p) for p in fast] == [Passage, Passage] and hash(fast[0]) == hash(Passage("d", 0, 0, 3, "answer"))
