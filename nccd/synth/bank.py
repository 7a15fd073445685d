"""The template bank: every passage a synthetic response may copy, keyed ``name@lineage``.

A passage's key is the ground-truth ``template`` of the spans that copy it
(``"harm@lineageB"``, ``"exemption-s24(2)@lineageA"``, ``"annex-s17(1)@lineageC"``).
Passages hold ``{slot}`` fields (:data:`SLOTS`) that each document fills: the
force's name, the subject of the request, spelling and threat-level variants.

Lineages
--------
``lineageA``
    The national Public Interest Test model: "Overall Harm for the NCND", one
    section per exemption and direction ("S24 Factors Favouring …"), a threat
    paragraph, a four-paragraph balance test and a legal annex.
``lineageB``
    A force's adaptation of A: a different opening, the harm statement merged
    with A's circumstances paragraph, s24/s31 factors merged into "favour" and
    "against", A's "covert tactics" paragraph split off without a heading, a
    shorter balance test; several sentences copied from A word for word.
``lineageC``
    A regional model: "I note you seek access to the following information:",
    a "blind to the requester" paragraph, "Harm in Confirming or Denying …",
    factor headings naming the section, a "Balancing Test", no threat paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .lineages import LINEAGE_A, LINEAGE_B, LINEAGE_C, Entry

LINEAGES: tuple[str, ...] = ("lineageA", "lineageB", "lineageC")

#: Slots a passage may hold, filled per document; ``canonical`` uses these defaults.
SLOTS: Mapping[str, str] = MappingProxyType({
    "force": "the force", "topic": "the technology", "practice": "practice", "threat": "substantial",
    "when": "last year", "received": "1 January 2020", "officer": "the officer", "salutation": "Sir or Madam",
    "ongoing": "ongoing",
})

#: Role of each passage name (exemption lines and annex entries are ``legal``).
ROLE_OF: Mapping[str, str] = MappingProxyType({
    "opening": "letter", "asked": "letter", "answer-lead": "letter", "blind": "letter", "complaint": "letter",
    "signoff": "letter", "enquiries": "letter",
    "ncnd": "ncnd", "harm": "ncnd", "pit": "ncnd", "s24-for": "ncnd", "s31-for": "ncnd",
    "s24-against": "ncnd", "s31-against": "ncnd", "threat": "ncnd", "covert": "ncnd", "favour": "ncnd",
    "against": "ncnd", "balance": "ncnd", "no-inference": "ncnd",
    "pit-intro": "legal", "qualified": "legal",
})

#: Exemptions a response may cite: normalised code -> (subsection as written, title).
EXEMPTIONS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "s23(5)": ("23(5)", "Information supplied by, or concerning, certain Security Bodies"),
    "s24(2)": ("24(2)", "National Security"),
    "s30(3)": ("30(3)", "Investigations and Proceedings"),
    "s31(3)": ("31(3)", "Law Enforcement"),
    "s38(2)": ("38(2)", "Health and Safety"),
    "s40(5)": ("40(5)", "Personal Information"),
})

#: The Act's own words, quoted by every lineage's legal annex.
STATUTE: Mapping[str, str] = MappingProxyType({
    "s17(1)": (
        "A public authority which, in relation to any request for information, is to any extent relying on a "
        "claim that any provision of Part II relating to the duty to confirm or deny is relevant to the request "
        "or on a claim that information is exempt information must, within the time for complying with section "
        "1(1), give the applicant a notice which (a) states that fact, (b) specifies the exemption in question, "
        "and (c) states (if that would not otherwise be apparent) why the exemption applies."),
    "s23(5)": (
        "The duty to confirm or deny does not arise if, or to the extent that, compliance with section 1(1)(a) "
        "would involve the disclosure of any information (whether or not already recorded) which was directly "
        "or indirectly supplied to the public authority by, or relates to, any of the bodies specified in "
        "subsection (3)."),
    "s24(2)": (
        "The duty to confirm or deny does not arise if, or to the extent that, exemption from section 1(1)(a) "
        "is required for the purpose of safeguarding national security."),
    "s30(3)": (
        "The duty to confirm or deny does not arise in relation to information which is (or if it were held by "
        "the public authority would be) exempt information by virtue of subsection (1) or (2)."),
    "s31(3)": (
        "The duty to confirm or deny does not arise if, or to the extent that, compliance with section 1(1)(a) "
        "would, or would be likely to, prejudice any of the matters mentioned in subsection (1)."),
    "s38(2)": (
        "The duty to confirm or deny does not arise if, or to the extent that, compliance with section 1(1)(a) "
        "would, or would be likely to, have either of the effects mentioned in subsection (1)."),
    "s40(5)": (
        "The duty to confirm or deny does not arise in relation to information which is (or if it were held by "
        "the public authority would be) exempt information by virtue of subsection (1)."),
})

# How each lineage writes an exemption line and introduces an annex quotation:
# the same statute, three house styles.
_EXEMPTION_LINE = {"lineageA": "Section {n} – {title}", "lineageB": "Section {n} {title}",
                   "lineageC": "S.{n} – {title}"}
_ANNEX_INTRO = {"lineageA": "Section {n} – {title}\n\n", "lineageB": "Section {n} of the Act states: ",
                "lineageC": "Section {n} provides that:\n\n"}
_S17_INTRO = {"lineageA": "Legal Annex\n\nSection 17(1) of the Act provides:\n\n",
              "lineageB": "Section 17(1) of the Freedom of Information Act 2000 states: ",
              "lineageC": "Section 17(1) provides that:\n\n"}

#: Each lineage's letter, in order. A ``+`` passage continues the paragraph
#: before it. ``@`` tokens are filled by the generator:
#: ``@title``/``@letterhead`` (bespoke letter text), ``@request``, ``@answer``,
#: ``@exemptions`` (one line per exemption cited), ``@factors`` (the public
#: interest sections, which ``reorder`` shuffles) and ``@annex``.
ORDERS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "lineageA": ("@title", "opening", "asked", "@request", "@answer", "ncnd", "@exemptions", "pit-intro", "harm",
                 "@factors", "balance", "no-inference", "@annex", "complaint", "signoff"),
    "lineageB": ("@letterhead", "opening", "asked", "@request", "answer-lead", "@answer", "ncnd", "@exemptions",
                 "qualified", "harm", "@factors", "balance", "no-inference", "@annex", "complaint", "signoff"),
    "lineageC": ("@letterhead", "opening", "+asked", "@request", "blind", "@answer", "ncnd", "@exemptions", "qualified",
                 "harm", "pit", "@factors", "balance", "@annex", "enquiries", "signoff", "complaint"),
})
FACTORS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "lineageA": ("s24-for", "s31-for", "s24-against", "s31-against", "threat"),
    "lineageB": ("threat", "covert", "favour", "against"),
    "lineageC": ("s24-for", "s24-against", "s31-for", "s31-against"),
})
#: Order tokens that only an NCND refusal has.
NCND_ONLY: frozenset[str] = frozenset({"ncnd", "@exemptions", "pit-intro", "qualified", "harm", "pit",
                                       "@factors", "balance", "no-inference", "@annex"})
#: Passages a force may take from another lineage as its letters drift over the years.
DRIFTABLE: tuple[str, ...] = ("harm", "threat", "balance", "no-inference", "complaint", "signoff", "s24-for",
                              "s24-against", "s31-for", "s31-against")


@dataclass(frozen=True)
class Passage:
    """One template passage.

    Attributes
    ----------
    key:
        ``name@lineage``: the ground-truth template key of spans copying it.
    name, lineage:
        The two halves of the key.
    role:
        ``ncnd``, ``legal`` or ``letter``.
    text:
        The wording, with ``{slot}`` fields; paragraphs separated by ``"\\n\\n"``.
    clauses:
        Slot-free substrings of ``text`` that bespoke sentences may embed.
    editable:
        Whether copies get word edits. The NCND sentence, the exemption lines
        and the line introducing the request are copied exactly: they carry the
        refusal and citations that a response's ``ncnd`` and ``exemptions``
        labels rest on, and mark where the quoted request begins.
    """

    key: str
    name: str
    lineage: str
    role: str
    text: str
    clauses: tuple[str, ...] = ()
    editable: bool = True

    @property
    def has_slots(self) -> bool:
        """Whether ``text`` needs ``str.format_map`` before use."""
        return "{" in self.text


# Passages copied without edits (see ``Passage.editable``).
_EXACT = frozenset({"ncnd", "asked"})


def _build() -> dict[str, Passage]:
    bank: dict[str, Passage] = {}
    texts: dict[str, dict[str, Entry]] = {"lineageA": LINEAGE_A, "lineageB": LINEAGE_B, "lineageC": LINEAGE_C}
    for lineage, entries in texts.items():
        for name, (text, clauses) in entries.items():
            bank[f"{name}@{lineage}"] = Passage(f"{name}@{lineage}", name, lineage, ROLE_OF[name], text, clauses,
                                                editable=name not in _EXACT)
        bank[f"annex-s17(1)@{lineage}"] = Passage(
            f"annex-s17(1)@{lineage}", "annex-s17(1)", lineage, "legal",
            _S17_INTRO[lineage] + STATUTE["s17(1)"])
        for code, (number, title) in EXEMPTIONS.items():
            line = _EXEMPTION_LINE[lineage].format(n=number, title=title)
            annex = _ANNEX_INTRO[lineage].format(n=number, title=title) + STATUTE[code]
            bank[f"exemption-{code}@{lineage}"] = Passage(
                f"exemption-{code}@{lineage}", f"exemption-{code}", lineage, "legal", line, editable=False)
            bank[f"annex-{code}@{lineage}"] = Passage(f"annex-{code}@{lineage}", f"annex-{code}", lineage, "legal",
                                                      annex)
    return bank


#: Every passage, by key.
BANK: Mapping[str, Passage] = MappingProxyType(_build())


def passage(name: str, lineage: str) -> Passage:
    """The passage ``name`` as ``lineage`` words it.

    Raises
    ------
    KeyError
        When that lineage has no such passage; the message lists the ones it has.
    """
    try:
        return BANK[f"{name}@{lineage}"]
    except KeyError:
        names = sorted(p.name for p in BANK.values() if p.lineage == lineage)
        raise KeyError(f"no passage {name!r} in {lineage!r}; it has {names}") from None


def canonical(key: str) -> str:
    """The wording of passage ``key`` with every slot at its default (:data:`SLOTS`)."""
    found = BANK[key]
    return found.text.format_map(SLOTS) if found.has_slots else found.text


def clauses() -> tuple[Passage, ...]:
    """The passages that offer clauses for clause-level reuse, in key order."""
    return tuple(p for _, p in sorted(BANK.items()) if p.clauses)
