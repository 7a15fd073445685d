"""normalize: original text → comparison words with offsets back into the original."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nccd.normalize import Normalized, canonical, normalize

FAST = settings(max_examples=50, deadline=None)


def groups(n: Normalized):
    """Runs of consecutive words that came from the same original characters
    (one source word can yield several comparison words: "isn't" → "is not")."""
    i = 0
    while i < len(n.words):
        j = i
        while j < len(n.words) and (n.starts[j], n.ends[j]) == (n.starts[i], n.ends[i]):
            j += 1
        yield i, j
        i = j


def check_offsets(text: str, n: Normalized) -> None:
    assert len(n.words) == len(n.starts) == len(n.ends)
    assert n.starts.dtype == np.int32 and n.ends.dtype == np.int32
    for i in range(len(n.words)):
        s, e = int(n.starts[i]), int(n.ends[i])
        assert 0 <= s < e <= len(text), (i, s, e)
    for i, j in groups(n):
        piece = text[int(n.starts[i]) : int(n.ends[i])]
        assert " ".join(n.words[i:j]) == canonical(piece), (piece, n.words[i:j])
    assert np.all(np.diff(n.starts) >= 0)
    assert np.all(np.diff(n.ends) >= 0)
    # source words never overlap one another
    for (i, _), (k, _) in zip(list(groups(n)), list(groups(n))[1:]):
        assert n.ends[i] <= n.starts[k]


# ---------------------------------------------------------------- properties


@FAST
@given(st.text())
def test_offsets_map_back_to_the_original_any_unicode(text):
    check_offsets(text, normalize(text))


words_st = st.lists(
    st.sampled_from(
        ["The", "police", "isn’t", "isn't", "on-going", "Practise", "ÉTÉ", "naïve", "2019",
         "s.24(2)", "Straße", "ﬁle", "—", "…", "“quoted”", "(a)", "co-operate", "x"]
    )
    | st.text(min_size=1, max_size=8),
    max_size=30,
)


@FAST
@given(words_st, st.sampled_from([" ", "\n", "  \n\n", "\t"]))
def test_offsets_map_back_on_wordy_text(parts, sep):
    text = sep.join(parts)
    check_offsets(text, normalize(text))


@FAST
@given(st.text(), st.data())
def test_within_returns_the_words_beginning_in_range(text, data):
    n = normalize(text)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    sub = n.within(lo, hi)
    expect = [i for i in range(len(n.words)) if lo <= n.starts[i] < hi]
    assert list(sub.words) == [n.words[i] for i in expect]
    assert sub.starts.tolist() == [int(n.starts[i]) for i in expect]
    assert sub.ends.tolist() == [int(n.ends[i]) for i in expect]


@FAST
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=20),
       st.data())
def test_range_normalize_equals_within_at_space_boundaries(parts, data):
    text = " ".join(parts)
    spaces = [0] + [i for i, c in enumerate(text) if c == " "] + [len(text)]
    lo = data.draw(st.sampled_from(spaces))
    hi = data.draw(st.sampled_from([p for p in spaces if p >= lo]))
    part = normalize(text, lo, hi)
    whole = normalize(text).within(lo, hi)
    assert part.words == whole.words
    assert part.starts.tolist() == whole.starts.tolist()
    assert part.ends.tolist() == whole.ends.tolist()
    assert all(lo <= s and e <= hi for s, e in zip(part.starts, part.ends))


url_st = st.builds(
    lambda scheme, host, path: f"{scheme}{host}.gov.uk/{path}",
    st.sampled_from(["https://", "http://", "www.", "https://www."]),
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z0-9\-/]{0,12}", fullmatch=True),
)
mail_st = st.builds(
    lambda user, dom: f"{user}@{dom}.police.uk",
    st.from_regex(r"[a-z][a-z.]{0,6}[a-z]", fullmatch=True),
    st.from_regex(r"[a-z]{1,6}", fullmatch=True),
)
plain_st = st.from_regex(r"[A-Za-z]{1,9}", fullmatch=True)


@FAST
@given(st.lists(st.tuples(st.booleans(), plain_st, url_st | mail_st), max_size=15))
def test_urls_and_emails_are_dropped(items):
    parts, kept, skipped = [], [], []
    pos = 0
    for is_link, word, link in items:
        token = link if is_link else word
        (skipped if is_link else kept).append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token) + 1
    text = " ".join(parts)
    n = normalize(text)
    assert list(n.words) == [canonical(text[s:e]) for s, e in kept]
    for s in n.starts:
        assert not any(a <= s < b for a, b in skipped)


# ---------------------------------------------------------------- examples


def test_simple_words_and_offsets():
    text = "  Any disclosure, under FOI!"
    n = normalize(text)
    assert n.words == ("any", "disclosure", "under", "foi")
    assert [text[s:e] for s, e in zip(n.starts, n.ends)] == ["Any", "disclosure", "under", "FOI"]
    assert n.text == "any disclosure under foi"
    assert len(n) == 4
    assert n.char_span(1, 3) == (text.index("disclosure"), text.index("under") + len("under"))


def test_char_span_takes_the_punctuation_around_copied_words():
    text = "will be able to ‘map’ where (the use) of tactics."
    n = normalize(text)
    i = n.words.index("map")
    assert text[slice(*n.char_span(i, i + 1))] == "‘map’"
    j = n.words.index("tactics")
    assert text[slice(*n.char_span(n.words.index("the"), j + 1))] == "(the use) of tactics."
    s, e = n.char_span(0, len(n))
    assert (s, e) == (0, len(text))


def test_empty_and_wordless_text():
    for text in ["", "   \n\n", "— … ! ? ()", "https://www.mi5.gov.uk/threat-levels"]:
        n = normalize(text)
        assert n.words == () and len(n.starts) == 0 and len(n.ends) == 0


@pytest.mark.parametrize(
    "x, y",
    [
        ("practise", "practice"),
        ("We practise this", "we PRACTICE this"),
        ("on-going", "ongoing"),
        ("on‐going operations", "ongoing operations"),  # U+2010 hyphen
        ("isn’t", "isn't"),
        ("It isn’t held", "it is not held"),
        ("Whilst", "while"),
        ("organisation", "organization"),
        ("infra-structure", "infrastructure"),
        ("JUDGEMENT", "judgment"),
        ("POLICE Force", "police force"),
        ("ﬁle", "file"),  # ligature, NFKC
        ("Straße", "STRASSE"),  # casefold, not lower
        ("“severe”", "‘severe’"),
        ("threat, ‘critical’.", "threat critical"),
    ],
)
def test_variants_compare_equal(x, y):
    assert normalize(x).words == normalize(y).words


@pytest.mark.parametrize("x, y", [("practice", "practical"), ("is", "isn't"), ("held", "hold"),
                                  ("re-cover", "re cover")])
def test_different_words_stay_different(x, y):
    assert normalize(x).words != normalize(y).words


def test_contraction_expands_with_shared_offsets():
    text = "This isn’t held."
    n = normalize(text)
    assert n.words == ("this", "is", "not", "held")
    s = text.index("isn’t")
    assert n.starts.tolist()[1:3] == [s, s]
    assert n.ends.tolist()[1:3] == [s + 5, s + 5]
    # within() keeps both halves of the expanded word together
    assert n.within(s, s + 1).words == ("is", "not")


def test_url_in_mid_sentence_is_dropped_and_offsets_stay_true():
    text = ("where the use of certain tactics are or are not \n\nhttps://www.mi5.gov.uk/threat-levels\n"
            " deployed. Email foi@west-midlands.police.uk or visit www.ico.org.uk today")
    n = normalize(text)
    assert n.words == ("where", "the", "use", "of", "certain", "tactics", "are", "or", "are", "not",
                       "deployed", "email", "or", "visit", "today")
    assert text[n.starts[10] : n.ends[10]] == "deployed"
    assert text[n.starts[-1] : n.ends[-1]] == "today"


def test_normalize_range_keeps_offsets_relative_to_whole_text():
    text = "Section 24(2) – National security. Section 31(3) – Law enforcement."
    lo = text.index("Section 31")
    n = normalize(text, lo)
    assert n.words == ("section", "31", "3", "law", "enforcement")
    assert int(n.starts[0]) == lo
    n2 = normalize(text, 0, lo)
    assert n2.words == ("section", "24", "2", "national", "security")
    assert all(e <= lo for e in n2.ends)


def test_seed_document_offsets():
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        n = normalize(text)
        assert len(n) > 100
        check_offsets(text, n)
        assert not any("http" == w or "www" == w for w in n.words)


@pytest.mark.parametrize("ch", ["\u037a", "\ufe70", "\ufc5e"])
def test_no_empty_words(ch):
    n = normalize(f"a {ch} b")
    assert all(w and not any(c.isspace() for c in w) for w in n.words), n.words
