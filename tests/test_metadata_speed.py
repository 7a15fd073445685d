"""The fast paths of metadata inference give exactly what the plain regexes give.

Each fast path (names tried only where folded bytes show a first word, dates only
at digits, references only at the words they start with, markup stripped without
a regex) is held here to the reference function kept beside it, on text built
from the awkward pieces responses hold, on generated responses and on the seeds.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nccd import mentions as N
from nccd import metadata as M
from nccd.synth import SynthSettings, generate

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"

PIECES = [
    # names, near names and their parts
    "the Met", "the  Met Office", "The MET", "Met Police", "met", "MPs", "mps", "MPS", "Metropolitan", "Kentish",
    "Kent", "kent police", "Police", "police", "Constabulary", "Constabularies", "Heddlu", "Dyfed - Powys",
    "Dyfed-\nPowys", "Chiefs'", "Chiefs’", "Chiefs", "National Police Chiefs", "Council", "&", "and", "ſuffolk",
    "\u212aent", "ſuffolk Police", "LİNCS POLICE", "Lıncs Police", "GMP", "gmp", "CoLP", "colp", "pre", "Norfolk",
    "Suffolk", "Warwickshire", "West", "Mercia", "Devon", "Cornwall", "Dorset", "Bedfordshire,", "Hertfordshire",
    "Police Scotland", "NPCC", "FOI", "CRU",
    # months, ordinals, numbers and dates
    "January", "jan", "Jan.", "SEPT", "Sept.", "ſept", "sep", "May", "march", "AUG", "Auguſt", "aprıl", "of", "OF",
    "1", "5", "16", "31", "1st", "2nd", "23rd", "4TH", "ſt", "2019", "2020", "20", "07/03/2018", "13.08.2018",
    "1/2/19", "2018-08-13", "2019-13-45", "31/02/2019", "٣", "١٢", "٢٠١٩", "2018030000340", "201813", "11998/19",
    "1017A/21", "123456/19", "123456B/20", "1234567/19", "2018/19", "FOI2019/07799", "FOI 2019 / 077",
    "foı2019/07799", "/", "//",
    # labels and phrases
    "Date:", "Date Responded", "Response date", "received", "Received on", "dated", "made on", "your email of",
    "e-mail of", "letter of", "request of", "Our Ref:", "our  ref", "OUR\nREF", "Your ref:", "your reference",
    "Reference No.", "Ref:", "ref", "REF #", "Subject:", "Re:", "Title:", "Facial Recognition (11998/19)",
    "held by", "received by the", "neither confirm nor deny", "can neither confirm nor deny", "Dear Sir",
    "foi@kent.police.uk", "Whether", "how many?",
    # punctuation, space and awkward characters
    " ", " ", " ", "  ", "\n", "\n", "\n\n", "\r\n", "\t", "\xa0", "\u2003", "\x1c", "\x85", ".", ",", "-", "–",
    "'", "’", "(", ")", ":", "#", "*", "_", ">", "?", "•", "\x00", "é", "İ", "ı", "ſ", "\u212a", "x", "a", "9",
]
NAMES = sorted(N._NAMES)
GAPS = [" ", "  ", "\n", ", ", " - ", "-", "\t", "\xa0", " \n "]


def _spelt(name: str, case: str, gap: str) -> str:
    """``name`` in another case and with other gaps between its words."""
    spelt = {"as is": name, "upper": name.upper(), "lower": name.lower(), "swap": name.swapcase()}[case]
    return gap.join(spelt.split(" "))


NAME = st.builds(_spelt, st.sampled_from(NAMES), st.sampled_from(["as is", "as is", "upper", "lower", "swap"]),
                 st.sampled_from(GAPS))
PIECE = st.one_of(st.sampled_from(PIECES), NAME)
TEXT = st.one_of(
    st.lists(PIECE, max_size=40).map("".join),
    st.lists(PIECE, max_size=40).map(" ".join),
    st.lists(st.one_of(PIECE, st.text(max_size=4)), max_size=30).map(" ".join),
)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_metadata(text: str):
    """``infer_metadata`` with every fast path replaced by its reference."""
    with mock.patch.multiple(M, mentions=N.mentions_reference, find_dates=M.find_dates_reference,
                             find_reference=M.find_reference_reference, _clean_lines=M._clean_lines_reference):
        return M.infer_metadata(text)


def date_matches(matches):
    """Each date match's span and parts."""
    return [(m.span(), m.groupdict()) for m in matches]


def outcome(function, *args):
    """What ``function(*args)`` returns, or the KeyError it raises, in either path: a
    name or month re reads in another case ("LİNCS", "ſept") is no key of _BY_ALIAS
    or _MONTHS."""
    try:
        return function(*args)
    except KeyError as error:
        return KeyError, str(error)


# --- what the fast paths take from Python and re ---------------------------------------------------------


def test_unicode_facts_the_fast_paths_rely_on() -> None:
    every = "".join(map(chr, range(0x110000)))
    # The only non-ASCII characters re matches for an ASCII letter in any case; guarded against in full.
    assert set(re.findall("[a-z]", every, re.IGNORECASE)) - set(string.ascii_letters) == set(N._OTHER_CASES)
    # Lower case keeps a text's length, but for one of them.
    assert [c for c in every if len(c.lower()) != 1] == ["\u0130"]
    # re's \s, \d and \w are the str tests the backward walks use; _WHITESPACE is \s.
    assert set(re.findall(r"\s", every)) == {c for c in every if c.isspace()} == set(M._WHITESPACE)
    assert set(re.findall(r"\d", every)) == {c for c in every if c.isdecimal()}
    assert set(re.findall(r"\w", every)) == {c for c in every if c.isalnum() or c == "_"}


# --- each fast path against its reference -----------------------------------------------------------------


@SETTINGS
@given(TEXT)
def test_mentions_are_the_reference_mentions(text):
    assert outcome(N.mentions, text) == outcome(N.mentions_reference, text)


@SETTINGS
@given(TEXT)
def test_dates_are_the_date_regex_matches(text):
    assert date_matches(M._dates(text)) == date_matches(M._DATE.finditer(text))


@SETTINGS
@given(TEXT)
def test_found_dates_are_the_reference_dates(text):
    for lines in (M._clean_lines_reference(text), text.split("\n"), text.split(" ")):
        assert outcome(M.find_dates, lines) == outcome(M.find_dates_reference, lines)


@SETTINGS
@given(TEXT)
def test_references_are_the_reference_references(text):
    assert M.find_reference(text) == M.find_reference_reference(text)
    # without a title line, the unlabelled forms are reached
    assert M.find_reference(text, []) == M.find_reference_reference(text, [])


def reference_spans(text: str):
    """The spans each reference pattern matches, found fast and with ``finditer``."""
    low = None if N._has_other_cases(text) else text.lower()
    for pattern, starts in [
        (M._REF_LABELLED, low and M._labelled_starts(low)), (M._YOUR_REF, low and M._occurrences(low, "your")),
        (M._REF_FORMS[0], low and M._occurrences(low, "foi")), (M._REF_FORMS[1], M._occurrences(text, "20")),
        (M._REF_FORMS[2], M._serial_starts(text)),
    ]:
        yield [m.span() for m in M._find(pattern, text, starts)], [m.span() for m in pattern.finditer(text)]


@SETTINGS
@given(TEXT)
def test_reference_patterns_match_where_their_starts_say(text):
    # Each match itself, not only the reference picked from them.
    for fast, plain in reference_spans(text):
        assert fast == plain


@SETTINGS
@given(TEXT)
def test_clean_lines_are_the_markup_regex_lines(text):
    assert M._clean_lines(text) == M._clean_lines_reference(text)


@SETTINGS
@given(TEXT)
def test_metadata_is_the_reference_metadata(text):
    assert outcome(M.infer_metadata, text) == outcome(reference_metadata, text)


@pytest.mark.parametrize("text", [
    "ſuffolk Police", "\u212aent Police", "LİNCS POLICE", "x Lıncs Police", "the Met office", "the Met \n Office",
    "THE MET", "x-Kent Police", "é Kent Police", "Kent Police’s", "Dyfed - Powys Police", "Dyfed-\nPowys Police",
    "National Police Chiefs’ Council", "Avon & Somerset Police", "Kent\nPolice", "kent police", "preGMP", "GMP-",
    "Bedfordshire, Cambridgeshire and Hertfordshire Police", "\x00Kent Police\x00", "Kent Police", "",
])
def test_mentions_of_awkward_names(text):
    assert outcome(N.mentions, text) == outcome(N.mentions_reference, text)


@pytest.mark.parametrize("text", [
    "14 January 2020\nreceived on 3 Dec 2019\nſept 1 2020", "14 January 2020\nreceived on 3 Dec 2019\nSept 1 2020",
    "May 5 2019-01-01 May 2020", "Foo 5 2019-01-01 May 2020", "x.May. 5th, 2019", "Mayday 5, 2019",
    "3May 5, 2019", "_May 5, 2019", "May 5 5 May 2019", "ſept 1 2020", "Date: 1 Sept 2019", "\x005 May 2019",
])
def test_month_led_dates_next_to_digit_led_ones(text):
    assert date_matches(M._dates(text)) == date_matches(M._DATE.finditer(text))
    assert outcome(M.find_dates, text.split("\n")) == outcome(M.find_dates_reference, text.split("\n"))


@pytest.mark.parametrize("text", [
    "our ref: 12345/19", "Our Ref 2018030000340 and our ref ABC1234", "your ref 1234/19 our  ref 99999/19",
    "ref", "our ref", "x our ref: 1", "FOI2019/07799 & FOI 2019/0779", "1017A/21 11998/19 1234567/19 2018/19",
    "Facial (2020012345678)", "foı2019/07799 and 2019010000001", "20202001123456", "123456/19", "a123456B/20",
])
def test_reference_forms_next_to_each_other(text):
    for fast, plain in reference_spans(text):
        assert fast == plain
    assert M.find_reference(text, []) == M.find_reference_reference(text, [])
    assert M.find_reference(text) == M.find_reference_reference(text)


# --- whole responses -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def responses(tmp_path_factory) -> list[str]:
    """Sixty generated responses and the five real ones."""
    root = tmp_path_factory.mktemp("synth")
    generate(root, SynthSettings(documents=60, seed=3))
    paths = sorted((root / "docs").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 65
    return [path.read_text(encoding="utf-8") for path in paths]


def test_responses_metadata_is_the_reference_metadata(responses):
    for text in responses:
        assert outcome(M.infer_metadata, text) == outcome(reference_metadata, text)


def test_responses_parts_are_the_reference_parts(responses):
    for text in responses:
        lines = M._clean_lines_reference(text)
        assert M._clean_lines(text) == lines
        assert outcome(N.mentions, text) == outcome(N.mentions_reference, text)
        joined = "\0".join(lines)
        assert date_matches(M._dates(joined)) == date_matches(M._DATE.finditer(joined))
        assert outcome(M.find_dates, lines) == outcome(M.find_dates_reference, lines)
        assert M.find_reference(text, lines) == M.find_reference_reference(text, lines)
        assert M.find_reference(text, []) == M.find_reference_reference(text, [])
