"""Rule-based passage roles on the real seeds and on small synthetic letters."""

from __future__ import annotations

import pathlib
import re

import pytest

from nccd.model import ROLES
from nccd.roles import classify_roles, is_heading, score_passage

SEEDS = pathlib.Path(__file__).parent.parent / "fixtures" / "seeds"
_LIST = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s")


def split_paragraphs(text: str, hard_wrapped: bool = False) -> list[str]:
    """Passages for the tests: blank-line blocks, list items on their own.

    ``hard_wrapped`` (seed 001, PDF text with a blank line after every printed
    line, and sometimes none) takes each line as a block and joins it to the
    one before when that one ran to the wrap width without ending a sentence.
    """
    out: list[str] = []
    blocks = text.splitlines() if hard_wrapped else re.split(r"\n\s*\n", text)
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if hard_wrapped and out and len(out[-1].splitlines()[-1]) >= 60 and not re.search(r"[.:?!]\s*$", out[-1]):
            out[-1] += "\n" + "\n".join(lines)
            continue
        current: list[str] = []
        for line in lines:
            if _LIST.match(line) and current:
                out.append("\n".join(current))
                current = []
            current.append(line)
        out.append("\n".join(current))
    return out


def _key(text: str) -> str:
    return " ".join(re.sub(r"\*\*|^#+\s*", "", text.strip()).split())


def roles_of(prefix: str) -> list[tuple[str, str]]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    passages = split_paragraphs(path.read_text(encoding="utf-8"), hard_wrapped=prefix == "001")
    roles = classify_roles(passages)
    assert len(roles) == len(passages)
    return [(_key(p), r) for p, r in zip(passages, roles)]


def role_of(labelled: list[tuple[str, str]], start: str) -> str:
    hits = [r for text, r in labelled if text.startswith(start)]
    assert hits, f"no passage starts with {start!r}"
    return hits[0]


EXPECTED = {
    "000": [
        ("Skip to content", "letter"),
        ("Facial Recognition (11998/19)", "letter"),
        ("The Biometrics Commissioner gave evidence", "request"),
        ("“The Home Office Police Digital Service", "request"),
        ("Please confirm the following:", "request"),
        ("1. Whether West Midlands Police are intending", "request"),
        ("13. What assessment has been done of potential bias", "request"),
        ("15. Whether Kent Police are currently using", "request"),
        ("Please find attached our response.", "letter"),
        ("In addition to the attached response, West Midlands Police can neither confirm", "ncnd"),
        ("Section 24(2) – National security", "legal"),
        ("Section 31(3) – Law enforcement", "legal"),
        ("Overall Harm for the NCND", "ncnd"),
        ("Any disclosure under FOI is a release", "ncnd"),
        ("Public Interest Test", "ncnd"),
        ("S24 Factors Favouring Confirmation or Denial", "ncnd"),
        ("It is well established that police forces use covert tactics", "ncnd"),
        ("S31 Factors against Confirming or Denying", "ncnd"),
        ("The threat from terrorism cannot be ignored", "ncnd"),
        ("Balance Test", "ncnd"),
        ("There is also no requirement to satisfy any public concern", "ncnd"),
        ("No inference can be taken from this refusal", "ncnd"),
    ],
    "001": [
        ("Overall Harm for the NCND", "ncnd"),
        ("Any disclosure under FOI is a release", "ncnd"),
        ("S24 Factors Against Confirming or Denying", "ncnd"),
        ("The public are entitled to know how public funds are spent", "ncnd"),
        ("By confirming or denying whether any other information is held regarding the covert use", "ncnd"),
        ("Balance Test", "ncnd"),
        ("Though there is a public interest in knowing", "ncnd"),
        ("No inference can be taken from this refusal", "ncnd"),
    ],
    "002": [
        ("Please be aware we’re making some improvements", "letter"),
        ("Date Responded 13 August 2018", "letter"),
        ("Provision of information held by Northumbria Police", "legal"),
        ("As you may be aware the purpose of the Act", "legal"),
        ("You asked:", "letter"),
        ("1.In the 2017 calendar year how many events", "request"),
        ("4.When using the software to scan recordings", "request"),
        ("In Response:", "letter"),
        ("I can confirm that the information you have requested is not held", "answer"),
        ("Additionally, Northumbria Police can neither confirm nor deny", "ncnd"),
        ("Section 24(2) National Security and S31(3) Law Enforcement.", "legal"),
        ("Section 24 and Section 31 are qualified exemptions", "legal"),
        ("Evidence of harm", "ncnd"),
        ("Factors favouring confirmation or denial", "ncnd"),
        ("Factors against neither confirming or denying", "ncnd"),
        ("The disclosure whether this information is or is not held", "ncnd"),
        ("Balancing test", "ncnd"),
        ("The security of the country is of paramount importance", "ncnd"),
        ("back to top", "letter"),
    ],
    "003": [
        ("Dear Ms Carlo", "letter"),
        ("Freedom of Information Request Reference No: 2018030000340", "letter"),
        ("I write in connection with your request for information which was received", "letter"),
        ("I write to request information and records under the FOIA", "request"),
        ("1. Does your force have any policy guidance", "request"),
        ("a. If yes, when were the policies created?", "request"),
        ("5. What is the retention period", "request"),
        ("b. False positive matches.", "request"),
        ("SEARCHES TO LOCATE INFORMATION", "letter"),
        ("DECISION", "letter"),
        ("In addition to this The Metropolitan Police can neither confirm nor deny", "ncnd"),
        ("Confirming or denying that any other information is held in relation to the covert use", "ncnd"),
        ("Please see the legal annex", "letter"),
        ("1. The policy the MPS is working to", "answer"),
        ("2. Yes, the PIA was written in April 2017.", "answer"),
        ("4. A total of 104 alerts have been generated by the FR system.", "answer"),
        ("2 of these are confirmed positive identifications", "answer"),
        ("102 of these are incorrect system alerts.", "answer"),
        ("5. 30 days", "answer"),
        ("Should you have any further enquiries", "letter"),
        ("Yours sincerely", "letter"),
        ("Jennifer Powell", "letter"),
        ("LEGAL ANNEX", "legal"),
        ("Section 17(1) of the Act provides:", "legal"),
        ("(1) A public authority which", "legal"),
        ("- (b) specifies the exemption in question", "legal"),
        ("Section 24(2) of the Act provides:", "legal"),
        ("The duty to confirm or deny does not arise if", "legal"),
        ("Section 31(3) of the Act provides:", "legal"),
        ("Evidence of Harm Section 24 and Section 31", "ncnd"),
        ("In considering whether or not the MPS can confirm (or deny)", "ncnd"),
        ("Public interest considerations favouring neither confirming nor denying", "ncnd"),
        ("The confirmation or denial that the MPS holds information", "ncnd"),
        ("To confirm or deny information is held would increase public knowledge", "ncnd"),
        ("Balance test", "ncnd"),
        ("After weighing up the competing interests I have determined that the Public Interest favours", "ncnd"),
        ("Section 22 of the Act provides:", "legal"),
        ("(1) Information is exempt information if-", "legal"),
        ("In complying with their statutory duty", "letter"),
        ("COMPLAINT RIGHTS", "letter"),
        ("You have the right to require the Metropolitan Police Service", "letter"),
        ("If you are dissatisfied with the handling procedures", "letter"),
        ("FOI Complaint", "letter"),
        ("The Information Commissioner", "letter"),
        ("After lodging a complaint with the MPS", "letter"),
        ("Information Commissioner's Office", "letter"),
        ("NOTICE - This email and any attachments", "letter"),
        ("Find us at:", "letter"),
        ("Twitter: @metpoliceuk", "letter"),
    ],
    "004": [
        ("Information Rights", "letter"),
        ("Telephone: 01234 842547", "letter"),
        ("14th January 2020", "letter"),
        ("Our Ref: FOI2019/07799", "letter"),
        ("I write in connection with your request for information received on 12th December", "letter"),
        ("I would like to know the following", "request"),
        ("- When did your police force introduce facial recognition technology?", "request"),
        ("- If your police force does not use facial recognition technology", "request"),
        ("I am required by the Freedom of Information Act 2000 (The Act) to handle", "letter"),
        ("Response – Bedfordshire Police and Hertfordshire Constabulary neither confirms nor denies", "ncnd"),
        ("Section 24(2) National Security Section 31(3) Law Enforcement", "legal"),
        ("Section 24 and Section 31 are both qualified exemptions", "legal"),
        ("Harm in confirming that Information is held", "ncnd"),
        ("The definition of national security encompasses", "ncnd"),
        ("Factors against confirmation or denying that any other information is held – Section 24", "ncnd"),
        ("Confirming or denying whether any further information is held would allow the public", "ncnd"),
        ("Balancing Test", "ncnd"),
        ("It is therefore our opinion that for these issues the balancing test", "ncnd"),
        ("Should you have any further enquiries", "letter"),
        ("Yours sincerely", "letter"),
        ("Hertfordshire Constabulary and Bedfordshire Police provides you the right", "letter"),
    ],
}


@pytest.mark.parametrize(
    "prefix, start, role",
    [(prefix, start, role) for prefix, rows in EXPECTED.items() for start, role in rows],
    ids=lambda v: v[:40] if isinstance(v, str) else v,
)
def test_seed_passage_roles(prefix: str, start: str, role: str) -> None:
    assert role_of(roles_of(prefix), start) == role


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_roles_are_valid_and_mostly_not_answer(prefix: str) -> None:
    roles = [r for _, r in roles_of(prefix)]
    assert set(roles) <= set(ROLES)
    # All five seeds are NCND refusals: the reasoning is the largest part.
    assert roles.count("ncnd") >= 8


def test_request_region_is_contiguous_in_seed_003() -> None:
    labelled = roles_of("003")
    idx = [i for i, (_, r) in enumerate(labelled) if r == "request"]
    assert idx == list(range(idx[0], idx[-1] + 1))
    assert len(idx) == 16  # the intro sentence and 15 question lines


def test_signature_and_address_lines_are_letter() -> None:
    # Seed 004's letterhead and sign-off, one line per passage (as a segmenter
    # splitting on line breaks gives them): the name and "Woburn Road" carry no
    # telltale phrase of their own.
    (path,) = SEEDS.glob("004_*.txt")
    text = path.read_text(encoding="utf-8")
    head = [ln.strip() for ln in text[: text.index("I write in connection")].splitlines() if ln.strip()]
    tail = [ln.strip() for ln in text[text.index("Yours sincerely"):].splitlines() if ln.strip()]
    assert "Woburn Road, Kempston," in head and "James Cooper" in tail
    roles = classify_roles(head + tail)
    assert roles == ["letter"] * len(roles)
    # Without the furniture around it, a bare name is not letter furniture.
    assert classify_roles(["James Cooper"]) == ["answer"]


def test_synthetic_letter() -> None:
    passages = [
        "Dear Mr Jones",
        "Thank you for your request for information.",
        "You asked:",
        "1. How many drones does the force own?",
        "2. Please provide the purchase cost of each.",
        "Our response:",
        "The force owns 4 drones, bought for £12,000 each.",
        "Yours sincerely",
        "Jane Smith",
        "Disclosure Officer",
    ]
    assert classify_roles(passages) == [
        "letter", "letter", "letter", "request", "request", "letter", "answer", "letter", "letter", "letter",
    ]


def test_request_region_without_closing_marker_ends_at_ncnd_sentence() -> None:
    passages = [
        "Your request:",
        "Do you use covert cameras in Leeds?",
        "West Yorkshire Police can neither confirm nor deny that it holds any information, by virtue of S24(2).",
        "No inference can be taken from this refusal that information does or does not exist.",
    ]
    assert classify_roles(passages) == ["letter", "request", "ncnd", "ncnd"]


def test_opener_with_question_in_same_passage_is_request() -> None:
    roles = classify_roles(["You asked: how many officers were trained to use Tasers in 2019?", "Response: 40."])
    assert roles[0] == "request"


def test_unannounced_request_before_first_response_marker() -> None:
    passages = [
        "Skip to content",
        "Drones (1234/20)",
        "I am researching police aviation.",
        "1. How many drones do you own?",
        "Please find attached our response.",
        "We own 3 drones.",
    ]
    assert classify_roles(passages) == ["letter", "letter", "request", "request", "letter", "answer"]


def test_no_request_without_questions() -> None:
    passages = ["Dear Sir", "Further to our telephone call last week.", "Please find attached our response."]
    assert "request" not in classify_roles(passages)


def test_ncnd_heading_passes_role_to_plain_body_but_decision_heading_does_not() -> None:
    passages = [
        "Balance Test",
        "Having weighed the matter the scales tip one way.",
        "Decision",
        "We have located three documents and enclose them.",
    ]
    assert classify_roles(passages) == ["ncnd", "ncnd", "letter", "answer"]


def test_legal_quotation_block() -> None:
    passages = [
        "Section 40(5) of the Act provides:",
        "(5) The duty to confirm or deny does not arise in relation to information which is exempt.",
        "- (a) personal data of which the applicant is the data subject,",
    ]
    assert classify_roles(passages) == ["legal", "legal", "legal"]


def test_numbered_answer_next_to_furniture_stays_answer() -> None:
    roles = classify_roles(["1. 30 days", "Should you have any further enquiries, please contact me."])
    assert roles == ["answer", "letter"]


def test_empty_input() -> None:
    assert classify_roles([]) == []


def test_score_passage_and_headings() -> None:
    assert score_passage("No inference can be taken from this refusal.")["ncnd"] >= 8
    assert score_passage("Section 17(1) of the Act provides:")["legal"] > score_passage(
        "Section 17(1) of the Act provides:"
    )["ncnd"]
    assert is_heading("### **Balancing Test**") and is_heading("Balance Test")
    assert not is_heading("The force owns 4 drones, bought for £12,000 each.")
    assert not is_heading("5. 30 days")
