"""segment: text → re-flowed paragraphs with original offsets (``nccd.segment.paragraphs``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from nccd.segment import paragraphs

FAST = settings(max_examples=50, deadline=None)
SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
URL_LINE = re.compile(r"(?:https?://|www\.)\S+")


def read(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in paragraphs(text)]


def flat(s: str) -> str:
    """Paragraph text with its hard wraps collapsed, for readable assertions."""
    return " ".join(s.split())


def find(paras: list[str], start: str) -> str:
    hits = [p for p in paras if p.startswith(start)]
    assert len(hits) == 1, (start, [flat(p)[:60] for p in paras])
    return hits[0]


def check_invariants(text: str) -> None:
    """Ordered, non-overlapping, inside the text, stripped; nothing but whitespace
    and furniture (bare URL lines, repeated lines) left out."""
    spans = paragraphs(text)
    prev_end = 0
    for s, e in spans:
        assert isinstance(s, int) and isinstance(e, int)
        assert prev_end <= s < e <= len(text), (prev_end, s, e)
        assert text[s:e] == text[s:e].strip(), repr(text[s:e])
        prev_end = e
    covered = [False] * len(text)
    for s, e in spans:
        covered[s:e] = [True] * (e - s)
    line_counts: dict[str, int] = {}
    for line in re.split(r"[\r\n]", text):
        line_counts[line.strip()] = line_counts.get(line.strip(), 0) + 1
    for m in re.finditer(r"[^\r\n]+", text):
        content = m.group().strip()
        furniture = bool(URL_LINE.fullmatch(content)) or line_counts[content] > 1
        if furniture:
            continue
        for i in range(m.start(), m.end()):
            assert covered[i] or text[i].isspace(), (repr(text[i]), repr(m.group()))


# ---------------------------------------------------------------- seed 001: hard-wrapped PDF text


@pytest.fixture(scope="module")
def pdf() -> tuple[str, list[str]]:
    text = read("001_2d59c344b19b8a02.txt")
    return text, texts(text)


def test_pdf_invariants(pdf):
    check_invariants(pdf[0])


def test_pdf_lines_are_reflowed_into_paragraphs(pdf):
    text, paras = pdf
    assert text.count("\n") > 150
    # far fewer paragraphs than printed lines
    assert 15 <= len(paras) <= 30
    p = find(paras, "Any disclosure under FOI is a release")
    assert p.endswith("criminal/terrorist activities.")
    assert flat(p) == (
        "Any disclosure under FOI is a release to the public at large. Whilst not questioning the "
        "motives of the applicant, confirming or denying that any other information relating to the "
        "covert practice of facial recognition would show criminals what the capacity, tactical abilities "
        "and capabilities of the force are, thus allowing them to target specific areas of the UK to "
        "conduct their criminal/terrorist activities."
    )


def test_pdf_paragraph_continues_through_dropped_url(pdf):
    _, paras = pdf
    hits = [p for p in paras if "are or are not" in p]
    assert len(hits) == 1
    p = hits[0]
    assert p.startswith("By confirming or denying whether any other information is held regarding the covert use of")
    assert "https://www.mi5.gov.uk/threat-levels" in p
    assert "are or are not \n\nhttps://www.mi5.gov.uk/threat-levels\n deployed. It could result" in p
    assert p.endswith("of harm to the public.")


@pytest.mark.parametrize(
    "heading",
    [
        "Overall Harm for the NCND",
        "S24 Factors Favouring Confirmation or Denial",
        "S24 Factors Against Confirming or Denying",
        "S31 Factors Favouring Confirmation or Denial",
        "S31 Factors against Confirming or Denying",
        "Balance Test",
    ],
)
def test_pdf_headings_are_their_own_paragraphs(pdf, heading):
    _, paras = pdf
    assert paras.count(heading) == 1


def test_pdf_no_inference_paragraph(pdf):
    _, paras = pdf
    p = find(paras, "No inference can be taken")
    assert flat(p) == ("No inference can be taken from this refusal that any further information "
                       "relevant to your request does or does not exist.")
    assert p == paras[-1]
    # the paragraph before it ends where its sentence ends
    assert paras[-2].endswith("undermine National Security.")


def test_pdf_paragraph_starting_lower_case_line_is_joined(pdf):
    _, paras = pdf
    p = find(paras, "Confirming or denying the specific circumstances")
    assert p.endswith("members of the \n\npublic.")
    assert not any(q.startswith("public.") for q in paras)


def test_pdf_sentence_end_splits_paragraphs(pdf):
    _, paras = pdf
    # two paragraphs with no blank-line difference from wrapped lines, split on the full stop
    assert find(paras, "By confirming or denying whether any other information is held would hinder").endswith(
        "placing individuals at risk."
    )
    assert find(paras, "It has been recorded that FOIA releases").endswith("conduct similar investigations.")


# ---------------------------------------------------------------- seed 000: web text


@pytest.fixture(scope="module")
def web() -> tuple[str, list[str]]:
    text = read("000_b9307369c2648074.txt")
    return text, texts(text)


def test_web_invariants(web):
    check_invariants(web[0])


def test_web_list_items_are_separate_paragraphs(web):
    _, paras = web
    items = [p for p in paras if re.match(r"\d{1,2}\. ", p)]
    assert [int(p.split(".")[0]) for p in items] == list(range(1, 16))
    assert items[0] == "1. Whether West Midlands Police are intending to trial a program as described above"
    assert items[3] == "4. When the trial will start and end"
    assert all("\n" not in p for p in items)


def test_web_paragraphs_are_the_blank_line_blocks(web):
    text, paras = web
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    # every non-list block is exactly one paragraph
    for b in blocks:
        if not re.match(r"\d+\.", b):
            assert b in paras, b[:60]
    assert find(paras, "Any disclosure under FOI").endswith("criminal/terrorist activities.")
    assert "Balance Test" in paras
    assert paras[-1].startswith("No inference can be taken")


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_every_seed_invariants(name):
    check_invariants(read(name))


# ---------------------------------------------------------------- synthetic


def test_empty_and_blank():
    assert paragraphs("") == []
    assert paragraphs("  \n\n \t\n") == []


def test_single_line_offsets():
    text = "   Dear Sir,   \n"
    assert paragraphs(text) == [(3, 12)]


def test_blank_line_separated_sentences():
    text = "First paragraph ends here.\n\nSecond one here.\r\n\r\nThird."
    assert texts(text) == ["First paragraph ends here.", "Second one here.", "Third."]


def test_lower_case_line_continues_unfinished_sentence():
    text = "The force will not confirm\nor deny that it holds the information.\n\nNext paragraph."
    assert texts(text) == ["The force will not confirm\nor deny that it holds the information.",
                           "Next paragraph."]


def test_capitalised_line_after_short_unfinished_line_is_new_paragraph():
    # not hard-wrapped text: a short heading without a full stop stands alone
    text = "Balance Test\n\nThe Police Service is charged with enforcing the law."
    assert texts(text) == ["Balance Test", "The Police Service is charged with enforcing the law."]


def test_markdown_headings_stand_alone():
    text = "## Request\nyou asked for the following\n\n**Response**\nwe hold no information."
    assert texts(text) == ["## Request", "you asked for the following", "**Response**",
                           "we hold no information."]


def test_list_items_never_join():
    text = "Please confirm the following:\n- the policy\n- the budget\n(a) when\n2) where\n"
    assert texts(text) == ["Please confirm the following:", "- the policy", "- the budget", "(a) when",
                           "2) where"]


def wrapped(words: list[str], width: int, blank: bool = True) -> str:
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line + " ")
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return ("\n\n" if blank else "\n").join(lines)


LOREM = ("The UK continues to face a sustained threat from violent extremists and terrorists Any "
         "information identifying the focus of policing activity could be used to the advantage of "
         "these criminal Organisations Information that undermines the operational Integrity of these "
         "activities will adversely affect public safety and have a negative impact on both National "
         "Security and Law Enforcement").split()


@pytest.mark.parametrize("blank", [True, False])
def test_hard_wrapped_paragraphs_reflow(blank):
    p1 = " ".join(LOREM) + "."
    p2 = " ".join(reversed(LOREM)).capitalize() + "."
    text = wrapped(p1.split(), 70, blank) + "\n\n" + wrapped(p2.split(), 70, blank) + "\n"
    paras = texts(text)
    assert [flat(p) for p in paras] == [p1, p2]


def test_repeated_page_header_in_wrapped_text_is_furniture():
    header = "Public Interest Test - 1017A/21"
    body = " ".join(LOREM * 2) + "."
    lines = wrapped(body.split(), 70).split("\n\n")
    # a page break after a full-width line, in mid-sentence: the header repeats there
    mid = len(lines) // 2
    text = "\n\n".join([header] + lines[:mid] + [header] + lines[mid:]) + "\n"
    paras = texts(text)
    assert header not in paras
    assert len(paras) == 1
    # spans are contiguous, so the header stays inside the paragraph's range, but it
    # neither starts nor ends a paragraph
    assert flat(paras[0].replace(header, "")) == body
    check_invariants(text)


def test_bare_url_line_is_not_a_paragraph():
    text = "https://www.mi5.gov.uk/threat-levels\n\nSee the threat level.\n"
    assert texts(text) == ["See the threat level."]


# ---------------------------------------------------------------- property

line_st = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "Balance Test", "1. Whether the force holds it", "- item", "## Heading", "**Bold**",
        "https://www.mi5.gov.uk/threat-levels", "www.ico.org.uk", "   ", "",
        "continues in lower case", "Ends a sentence.", "Public Interest Test – 1017A/21",
        "the motives of the applicant, confirming or denying that any other information relating to the",
        "Any disclosure under FOI is a release to the public at large. Whilst not questioning the",
    ]),
)


@FAST
@given(st.lists(line_st, max_size=40), st.sampled_from(["\n", "\n\n", "\r\n", " \n \n", "\r"]))
def test_paragraph_invariants_property(lines, sep):
    check_invariants(sep.join(lines))


@FAST
@given(st.text())
def test_paragraph_invariants_any_text(text):
    check_invariants(text)


def test_the_passage_table_holds_what_segment_gives():
    from nccd.ingest.documents import ingest
    from nccd.segment import PassageTable, segment, segment_table

    from .conftest import SEEDS

    docs, _ = ingest([str(SEEDS)], jobs=1)
    docs = docs[:3]
    table = segment_table(docs)
    assert len(table) == len(docs)
    for d, doc in enumerate(docs):
        assert table[d] == segment(doc)
        assert table.roles(d) == tuple(p.role for p in segment(doc))
    assert table[-1] == segment(docs[-1]) and table[0:2] == [segment(docs[0]), segment(docs[1])]
    every = tuple(p for doc in docs for p in segment(doc))
    flat = table.flat()
    assert flat == every and every == flat and list(flat) == list(every) and len(flat) == len(every)
    assert [flat[k] for k in range(len(every))] == list(every) and flat[-1] == every[-1]
    assert flat[3:9] == list(every[3:9]) and flat != every[:-1]
    with pytest.raises(IndexError):
        flat[len(every)]
    assert table.counts().tolist() == [len(segment(doc)) for doc in docs]
    again = PassageTable.joined([segment_table(docs[:1]), segment_table([]), segment_table(docs[1:])])
    built = PassageTable.of(docs, [segment(doc) for doc in docs])
    for other in (again, built):
        assert other.flat() == table.flat() and other.doc_ids == table.doc_ids
        assert other.ptr.tolist() == table.ptr.tolist()
    with pytest.raises(IndexError):
        table[len(docs)]
