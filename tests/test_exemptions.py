"""FOIA exemptions cited, and NCND detection."""

from __future__ import annotations

import pathlib

import pytest

from nccd.exemptions import find_exemptions, is_ncnd

SEEDS = pathlib.Path(__file__).parent.parent / "fixtures" / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))

DISCLOSURE_LETTER = """Dear Mr Smith

Freedom of Information Request Reference No: 2019040000123

I write in connection with your request for information received on 2 April 2019.

You asked: How many police vehicles did the force own on 1 January 2019?

In Response:

I can confirm that the information you requested is held. The force owned 412 vehicles on
1 January 2019. A breakdown by vehicle type is attached.

Section 17 of the Act requires us to explain any refusal; no exemption has been applied.

If you are dissatisfied with this response you may ask for an internal review, and then complain
to the Information Commissioner, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.

Yours sincerely

Jane Smith
Disclosure Officer
"""


def test_seed_paths_exist() -> None:
    assert len(SEED_PATHS) == 5


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.name[:3])
def test_every_seed_cites_s24_and_s31(path: pathlib.Path) -> None:
    found = find_exemptions(path.read_text(encoding="utf-8"))
    assert "s24(2)" in found and "s31(3)" in found


def test_seed_003_exact() -> None:
    (path,) = SEEDS.glob("003_*.txt")
    assert find_exemptions(path.read_text(encoding="utf-8")) == ("s22(1)", "s24(2)", "s31(3)")


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.name[:3])
def test_every_seed_is_ncnd(path: pathlib.Path) -> None:
    assert is_ncnd(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("by virtue of Section 24(2) – National security", ("s24(2)",)),
        ("Section 31 (3) Law Enforcement", ("s31(3)",)),
        ("S31(3) Law Enforcement", ("s31(3)",)),
        ("exempt under section 24(2) of the Act", ("s24(2)",)),
        ("Sections 23(5) and 24(2) apply", ("s23(5)", "s24(2)")),
        ("relying on s.24(2) and s.40(5)(b)(i)", ("s24(2)", "s40(5)")),
        ("ss. 30(3), 38(2) & 44(2)", ("s30(3)", "s38(2)", "s44(2)")),
        ("Section 22(1) (a) information intended for future publication", ("s22(1)",)),
    ],
)
def test_citation_forms(text: str, expected: tuple[str, ...]) -> None:
    assert find_exemptions(text) == expected


def test_sorted_by_section_then_subsection_and_unique() -> None:
    text = "Section 40(5) applies. Section 23(5) applies. Section 40(2) and Section 23(5). S30(3)."
    assert find_exemptions(text) == ("s23(5)", "s30(3)", "s40(2)", "s40(5)")


def test_procedural_sections_other_acts_and_bare_sections_are_not_listed() -> None:
    text = (
        "The duty in section 1(1)(a) does not apply. Section 17(1) of the Act provides a notice. "
        "Section 24 is mentioned in passing. Section 29(1) of the Data Protection Act 2018 is not FOIA."
    )
    assert find_exemptions(text) == ()


def test_bare_section_in_ncnd_reasoning_stands_for_its_ncnd_clause() -> None:
    # Seed 001 (a public interest annex) only says "S24 Factors …" and "S31 Factors …".
    annex = (
        "Overall Harm for the NCND\n\nS24 Factors Favouring Confirmation or Denial\n\n"
        "S31 Factors against Confirming or Denying\n"
    )
    assert find_exemptions(annex) == ("s24(2)", "s31(3)")
    # The same headings in a response that makes no NCND refusal imply nothing.
    assert find_exemptions("S24 factors for confirmation and denial were weighed") == ()


def test_disclosure_letter_cites_nothing_and_is_not_ncnd() -> None:
    assert find_exemptions(DISCLOSURE_LETTER) == ()
    assert not is_ncnd(DISCLOSURE_LETTER)


@pytest.mark.parametrize(
    "text",
    [
        "Kent Police can neither confirm nor deny that it holds the information.",
        "The force neither confirms nor denies that any information is held.",
        "The public interest favours neither confirming nor denying that information is held.",
        "Overall Harm for the NCND",
        "The duty to confirm or deny does not apply by virtue of section 24(2).",
        "the duty in Section 1(1)(a) of the Freedom of Information Act 2000 does not apply by virtue of the following",
        "We are unable to confirm or deny whether the information is held.",
    ],
)
def test_ncnd_phrases(text: str) -> None:
    assert is_ncnd(text)


@pytest.mark.parametrize(
    "text",
    [
        # The Act's own words, quoted in an annex, are not a refusal.
        "The duty to confirm or deny does not arise if, or to the extent that, exemption is required.",
        # A requester anticipating a refusal is not one either.
        "If you neither confirm nor deny holding this, please say which exemption you rely on.",
        "I can confirm that the information is held and is attached.",
        "Our ncnd team",
    ],
)
def test_not_ncnd(text: str) -> None:
    assert not is_ncnd(text)
