"""The fast paths of normalize, segment and roles give exactly what the plain regexes give.

Each fast path (array word scan, "@"-driven address search, word-gated rule
search, string tests instead of line regexes) is held here to a direct
implementation with the original regexes, on text built from the awkward
pieces responses hold.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nccd import normalize as N
from nccd import roles as R
from nccd import segment as S
from nccd._regexneeds import alternatives, leads, needs
from nccd._rulegate import Gate, fold
from nccd._wordscan import words

PIECES = [
    "a", "Z", "harm", "Harm", "HARM", "public interest", "neither confirm nor deny", "NCND", "Ncnd", "PIT",
    "exemptions", "Section 24(2)", "s.31 (3)", "Dear Sir", "Yours sincerely", "You asked:", "In response",
    "Response –", "DECISION", "how many", "Please provide", "?", "1. ", "(a) ", "(ii) ", "- ", "• ", "* ",
    "**Bold**", "# Head", "> quote", "[link](http://x.org)", "<https://q.r/s>", "__u__", "_", "SW1A 1AA",
    "PO Box 5", "01234 567 890", "ref no", "(AB123/19)", "12th March 2020", "Date responded", "copyright",
    "legal annex", "provides:", "information commissioner", "ico.org.uk", "isn't", "isnt", "on-going",
    "infra-\nstructure", "infra- \r\n\tstructure", "word-\n\nnext", "word-\n\n\nnext", "A-\nB", "7-\nx",
    "’", "‘", "“", "”", "\u00a0", "\u2010", "\u2011", "-", "'", " ", "  ", "\n", "\n\n", "\r\n", "\t", ".", ",",
    ";", ":", "!", "(", ")", "[", "]", "@", "foi@police.uk", "a.b+c@d-e.f.g", "x@y", "@z.com", "http://a.b/c",
    "www.e.org", "https://", "[email address]", "[name removed]", "[FOI #12 email]", "[x]", "é", "ß", "İ", "ı",
    "ſ", "\u212a", "ﬁ", "Ⅻ", "½", "١٢", "ǅ", "Σ", "e\u0301", "𝐀", "😀", "\x00", "\x0c", "\u2028", "\x85",
    "practise", "Whilst", "terrorism", "terrorist", "criminals", "tactics", "transparency", "0800 123 456",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_word_scan_finds_the_regex_words(text):
    found = words(text)
    assert found is not None
    texts, starts, ends = found
    expected = [(m.group(), m.start(), m.end()) for m in N._WORD.finditer(text)]
    assert list(zip(texts, starts.tolist(), ends.tolist())) == expected


def test_word_scan_on_lone_surrogates_and_astral_letters():
    text = "ab\ud800cd 𝐀𝐁-𝐂 😀x"
    texts, starts, ends = words(text)
    assert list(zip(texts, starts.tolist(), ends.tolist())) == [
        (m.group(), m.start(), m.end()) for m in N._WORD.finditer(text)
    ]


ADDRESSES = st.lists(st.sampled_from(["@", "a", "b.", "+", "-", "_", " ", "é", "x.y", ".", "http://", "www.",
                                     "/", "@c.d", "\n", "(", "@@", "1"]), max_size=30).map("".join)


@SETTINGS
@given(st.one_of(TEXT, ADDRESSES), st.integers(-5, 60), st.integers(-5, 400))
def test_skipped_spans_are_the_skip_regex_spans(text, start, end):
    lo, hi = min(max(start, 0), len(text)), min(max(end, 0), len(text))
    assert N._skipped(text, lo, hi) == [m.span() for m in N._SKIP.finditer(text, start, end)]


def test_skipped_addresses_next_to_urls_and_each_other():
    for text in [" @z.com", "x @a.b", "a@b.c@d.e", "http://a@b.cd e@f.g", "a@b .c@d.e", "é.x@y.z", "@a.b",
                 "www.x.org/a@b.c", "mail a@b.c, b@c.d;www.e.f", "a@b", "a@b.", ".@x.y", "a@@b.c"]:
        for lo in range(len(text) + 1):
            assert N._skipped(text, lo, len(text)) == [m.span() for m in N._SKIP.finditer(text, lo)], (text, lo)


def reference_normalize(text, start=0, end=None, *, ignore=()):
    """normalize as it was written first: one regex scan, word by word."""
    end = len(text) if end is None else end
    held = [(m.start(), m.end()) for m in N._PLACEHOLDER.finditer(text, start, end)]
    skip = sorted([(m.start(), m.end()) for m in N._SKIP.finditer(text, start, end)] + list(ignore) + held)
    tokens = [(a, b, N.PLACEHOLDER) for a, b in held if not any(x <= a < y for x, y in ignore)]
    k = 0
    for m in N._WORD.finditer(text, start, end):
        while k < len(skip) and skip[k][1] <= m.start():
            k += 1
        if k < len(skip) and skip[k][0] <= m.start() < skip[k][1]:
            continue
        tokens.extend((m.start(), m.end(), part) for part in N.canonical(m.group()).split())
    tokens.sort(key=lambda t: t[0])
    return tuple(t[2] for t in tokens), [t[0] for t in tokens], [t[1] for t in tokens]


@SETTINGS
@given(TEXT, st.integers(-5, 80), st.one_of(st.none(), st.integers(-5, 80)),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=3))
def test_normalize_gives_what_the_word_by_word_scan_gives(text, start, end, ignore):
    got = N.normalize(text, start, end, ignore=ignore)
    assert (got.words, got.starts.tolist(), got.ends.tolist()) == reference_normalize(text, start, end, ignore=ignore)
    assert got.starts.dtype == np.int32 and got.ends.dtype == np.int32 and got.original is text


def test_a_word_with_two_comparison_words_keeps_its_offsets_for_both():
    got = N.normalize("It isnt [name removed] held")
    assert got.words == ("it", "is", "not", N.PLACEHOLDER, "held")
    assert got.starts.tolist() == [0, 3, 3, 8, 23] and got.ends.tolist() == [2, 7, 7, 22, 27]


def test_fold_keeps_every_offset_and_meets_ignorecase():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold(every)) == len(every)
    # Whatever IGNORECASE matches to an ASCII letter folds to that letter.
    for ch in re.findall(r"[a-z]", every, re.IGNORECASE):
        assert re.fullmatch(fold(ch), ch, re.IGNORECASE) and fold(ch).isascii(), repr(ch)
    odd = [c for c in every if c.isascii() != fold(c).isascii() and re.fullmatch(r"\w", c)]
    assert odd == ["İ", "ı", "ſ", "\u212a"]


def test_alternatives_split_only_at_top_level_bars():
    split = [p.pattern for p in alternatives(re.compile(r"a[|]b|c\|d|(e|f)|[]|]x|[^]|]y|z"))]
    assert split == ["a[|]b", r"c\|d", "(e|f)", "[]|]x", "[^]|]y", "z"]
    assert [p.pattern for p in alternatives(re.compile(r"(a|b)"))] == ["(a|b)"]


def test_needs_and_leads_of_simple_rules():
    harm = re.compile(r"\bharm\b", re.IGNORECASE)
    assert needs(harm) == {frozenset({"harm"})} and leads(harm) == {"harm"}
    threat = re.compile(r"\bthreat (?:level|from terrorism)|\bterroris[mt]", re.IGNORECASE)
    assert leads(threat) == {"threat level", "threat from terrorism", "terroris"}
    assert needs(re.compile(r"[\w.-]+@[\w-]+\.[\w.]+")) == {frozenset({("text", "@"), ("text", ".")})}
    assert needs(re.compile(r"\d+")) is None and leads(re.compile(r"(?:ab)?c")) is None
    assert needs(re.compile(r"(?a:\bx\b)")) is None  # an ASCII \b is not the tokens' edge


TRICKY = [
    r"(?-i:\bAB\b)|cd", r"x(?:ab|cd)+y", r"\bt(?:hreat|erroris)", r"(?i)foo|bar", r"(?<=a)bc|(?=d)de",
    r"\bneither\s+confirm\w*", r"^dear\b", r"provides:$", r"e-?mail", r"\bis or isn't\b", r"(?:to |as )+x",
    r"\bharm\b", r"ico\.org\.uk", r"[\w.-]+@[\w-]+\.[\w.]+", r"\b0\d{3,4} ?\d{3}", r"\bterroris[mt]",
    r"\bi(?:n|s) \w+", r"(ab|a)(?:c|bc)", r"ſt|\u212a|ı", r"(?s:a.b)|c\Z", r"(?>ab|a)c",
]


@SETTINGS
@given(st.lists(st.sampled_from(PIECES + ["ab", "cd", "AB", "x", "y", "foo", "BAR", "de", "bc", "ſt", "ık"]),
                max_size=30).map("".join))
def test_a_gate_never_hides_a_match(text):
    patterns = [re.compile(p, re.IGNORECASE if i % 2 else 0) for i, p in enumerate(TRICKY)]
    scan = Gate(patterns, common=["or", "is"]).scan(text)
    for i, pattern in enumerate(patterns):
        want, got = pattern.search(text), scan.search(i)
        assert (want and want.span()) == (got and got.span()), pattern.pattern


ROLE_PATTERNS = [p for p, *_ in R._RULE_LIST] + [R._CLOSE, R._OPEN, R._NCND_HEADING]


@SETTINGS
@given(TEXT)
def test_the_role_gate_finds_every_rule_match(text):
    plain = R._plain(R._clean(text))
    scan = R._GATE.scan(plain, R._chunks(text))
    for i, pattern in enumerate(ROLE_PATTERNS):
        want, got = pattern.search(plain), scan.search(i)
        assert (want and want.span()) == (got and got.span()), pattern.pattern


_REF_MARKUP = re.compile(r"\*\*|__|^\s*#{1,6}\s*|^\s*>\s*|\[([^\]]*)\]\([^)]*\)|<(https?://[^>]*)>")
_REF_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def reference_scores(text):
    """score_passage as first written: every rule searched on the cleaned passage."""
    def clean(t):
        return " ".join(_REF_MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", t.translate(_REF_QUOTES)).split())

    plain = re.sub(r"^[-•*]\s+", "", clean(text))
    words = len(plain.split())
    scores = {role: sum(w for p, w, most in rules if words <= most and p.search(plain))
              for role, rules in R.RULES.items()}
    raw = text.strip()
    c = clean(raw)
    heading = bool(R._MD_HEADING.match(raw) or (raw.startswith("**") and raw.endswith("**") and raw.count("**") == 2)
                   or (0 < len(c.split()) <= 12 and not re.search(r"[.!?;,]$", c) and not R._LIST_ITEM.match(c)
                       and "://" not in c))
    if heading and R._NCND_HEADING.search(plain):
        scores[R.NCND] += R._HEADING_BONUS
    return scores, heading


@SETTINGS
@given(TEXT)
def test_score_passage_is_the_sum_of_matching_rules(text):
    scores, heading = reference_scores(text)
    assert R.score_passage(text) == scores
    assert R.is_heading(text) == heading


def test_scores_handed_out_are_the_callers_to_change():
    text = "The public interest test favours neither confirming nor denying."
    first = R.score_passage(text)
    first[R.NCND] = -1
    assert R.score_passage(text)[R.NCND] != -1


_REF_TERMINAL = re.compile(r"[.!?:;]['\"’”)\]*_]*$")


def reference_paragraphs(text):
    """segment.paragraphs as first written: a regex per line and per test."""
    lines = []
    for m in re.finditer(r"[^\r\n]+", text):
        stripped = m.group().strip()
        if stripped:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            lines.append((start, start + len(stripped), stripped))
    wrap = None
    if len(lines) >= 8:
        width = int(np.percentile(np.array([e - s for s, e, _ in lines]), 90))
        open_ended = sum(1 for *_, c in lines if not _REF_TERMINAL.search(c))
        wrap = width if width <= 130 and open_ended / len(lines) >= 0.5 else None
    counts = {}
    for *_, c in lines:
        counts[c] = counts.get(c, 0) + 1
    furniture = {i for i, (*_, c) in enumerate(lines)
                 if S._URL_LINE.match(c) or (wrap is not None and counts[c] > 1 and len(c) < 80)}
    bounds, prev = [], None
    for i, (start, end, c) in enumerate(lines):
        if i in furniture:
            if bounds and S._URL_LINE.match(c):
                bounds[-1][1] = end
            continue
        if prev is not None and bounds and not (
            _REF_TERMINAL.search(prev[2]) or S._LIST_ITEM.match(c) or S._HEADING.match(c) or S._HEADING.match(prev[2])
        ) and (S._LOWER_START.match(c) or (wrap is not None and prev[1] - prev[0] >= 0.7 * wrap)):
            bounds[-1][1] = end
        else:
            bounds.append([start, end])
        prev = (start, end, c)
    return [tuple(b) for b in bounds], lines


LINES = st.lists(st.sampled_from(PIECES + ["\n", "\n", "the line goes on", "Short", "x" * 70, "http://u.rl/p"]),
                 max_size=60).map("".join)


@SETTINGS
@given(LINES)
def test_paragraphs_are_those_of_a_regex_per_line(text):
    bounds, lines = reference_paragraphs(text)
    assert S.paragraphs(text) == bounds
    assert [(ln.start, ln.end, ln.content) for ln in S.lines_of(text)] == lines


def test_canonical_words_are_remembered_not_recomputed():
    assert N._CANONICAL["Practise"] == "practice" == N.canonical("Practise")
    assert unicodedata.normalize("NFKC", "ﬁ") == "fi" and N.normalize("ﬁne").words == ("fine",)
