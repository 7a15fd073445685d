"""score: spans → reuse figures."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nccd.model import Document, Span, Template, Variant
from nccd.score import solid_counts, covered, score_document

TEXT = "Dear Sir\n\nNCND text here.\n\nYou asked: how many?\n\nOur answer."
TEMPLATE = Template("t1", "NCND text here.", "ncnd", (), (), None, None, (Variant("NCND text here.", ()),))
ASKED = Template("t2", "You asked: how many?", "request", (), (), None, None, (Variant("You asked: how many?", ()),))


def _doc(text=TEXT):
    return Document(id="d", path="d.txt", text=text, force=None, date=None, reference=None, title=None,
                    sha256="x")


def _span(text, part, role, tid="t1", t_start=0, t_end=None):
    start = text.index(part)
    return Span("d", start, start + len(part), tid, t_start, t_end or len(part), 1.0, role)


def test_reuse_counts_non_whitespace_and_never_request():
    spans = [_span(TEXT, "NCND text here.", "ncnd"), _span(TEXT, "You asked: how many?", "request", "t2")]
    s = score_document(_doc(), spans, {"t1": TEMPLATE, "t2": ASKED})
    solid = sum(1 for c in TEXT if not c.isspace())
    assert s.chars == solid
    assert s.reuse == round(len("NCNDtexthere.") / solid, 4)
    assert s.reuse_by_role["request"] == round(len("Youasked:howmany?") / solid, 4)
    assert s.reuse_by_role["answer"] == 0.0 and set(s.reuse_by_role) == {"ncnd", "legal", "request", "letter", "answer"}
    assert s.coverage == {"t1": 1.0, "t2": 1.0}


def test_coverage_is_the_share_of_the_template_reproduced():
    span = _span(TEXT, "NCND text", "ncnd", t_start=0, t_end=9)
    s = score_document(_doc(), [span], {"t1": TEMPLATE})
    assert s.coverage == {"t1": round(8 / 13, 4)}


def test_ncnd_and_exemptions_come_from_the_text():
    text = "West Midlands Police can neither confirm nor deny that it holds information: Section 24(2) and Section 31(3)."
    s = score_document(_doc(text), [], {})
    assert s.ncnd and s.exemptions == ("s24(2)", "s31(3)") and s.reuse == 0.0


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6))
def test_covered_equals_a_character_mask(text, raw):
    intervals = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in raw]
    mask = np.zeros(len(text), dtype=bool)
    for a, b in intervals:
        mask[a:b] = True
    expected = sum(1 for i, c in enumerate(text) if mask[i] and not c.isspace())
    assert covered(intervals, solid_counts(text)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=60))
def test_solid_counts_exactly_what_str_isspace_leaves(text):
    from nccd.score import solid_counts

    expect = [0]
    for ch in text:
        expect.append(expect[-1] + (not ch.isspace()))
    assert solid_counts(text).tolist() == expect
