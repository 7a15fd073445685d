"""The gazetteer of UK police bodies, and how a letter's force is found with it."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from nccd import mentions as N
from nccd import metadata
from nccd.gazetteer import FORCES, KINDS, Force
from nccd.metadata import find_force, infer_metadata, mentions

TERRITORIAL = {
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary", "Cheshire Constabulary",
    "City of London Police", "Cleveland Police", "Cumbria Constabulary", "Derbyshire Constabulary",
    "Devon and Cornwall Police", "Dorset Police", "Durham Constabulary", "Dyfed-Powys Police", "Essex Police",
    "Gloucestershire Constabulary", "Greater Manchester Police", "Gwent Police",
    "Hampshire and Isle of Wight Constabulary", "Hertfordshire Constabulary", "Humberside Police", "Kent Police",
    "Lancashire Constabulary", "Leicestershire Police", "Lincolnshire Police", "Merseyside Police",
    "Metropolitan Police Service", "Norfolk Constabulary", "North Wales Police", "North Yorkshire Police",
    "Northamptonshire Police", "Northumbria Police", "Nottinghamshire Police", "South Wales Police",
    "South Yorkshire Police", "Staffordshire Police", "Suffolk Constabulary", "Surrey Police", "Sussex Police",
    "Thames Valley Police", "Warwickshire Police", "West Mercia Police", "West Midlands Police",
    "West Yorkshire Police", "Wiltshire Police",
}
NATIONAL = {"Police Scotland", "Police Service of Northern Ireland"}
SPECIAL = {"British Transport Police", "Ministry of Defence Police", "Civil Nuclear Constabulary"}
COORDINATING = {"National Police Chiefs' Council", "ACRO Criminal Records Office", "NPCC Central Referral Unit"}
JOINT = {
    "Bedfordshire Police and Hertfordshire Constabulary",
    "Bedfordshire, Cambridgeshire and Hertfordshire Joint Protective Services",
    "Norfolk and Suffolk Constabularies",
    "Warwickshire Police and West Mercia Police",
    "Devon and Cornwall Police and Dorset Police",
}
BY_NAME = {f.name: f for f in FORCES}


def _names(force: Force) -> tuple[str, ...]:
    return (force.name, *force.aliases)


# --- the gazetteer as data ---------------------------------------------------------------------------------


def test_every_body_is_listed_once() -> None:
    names = [f.name for f in FORCES]
    assert len(names) == len(set(names)) == 56
    assert set(names) == TERRITORIAL | NATIONAL | SPECIAL | COORDINATING | JOINT
    assert len(TERRITORIAL) == 43
    for kind, expected in [("territorial", TERRITORIAL), ("national", NATIONAL), ("special", SPECIAL),
                           ("coordinating", COORDINATING), ("joint", JOINT)]:
        assert {f.name for f in FORCES if f.kind == kind} == expected
    assert {f.kind for f in FORCES} == set(KINDS)


def test_gazetteer_is_frozen_data() -> None:
    assert isinstance(FORCES, tuple)
    assert metadata.FORCES is FORCES  # one gazetteer, re-exported where it is used
    for force in FORCES:
        assert dataclasses.is_dataclass(force) and isinstance(force.aliases, tuple)
        assert isinstance(force.domains, tuple) and isinstance(force.members, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        FORCES[0].aliases = ()  # type: ignore[misc]


def test_every_alias_and_domain_belongs_to_one_body() -> None:
    owners: dict[str, str] = {}
    for force in FORCES:
        for alias in _names(force):
            assert owners.setdefault(N._key(alias), force.name) == force.name, alias
    domains: dict[str, str] = {}
    for force in FORCES:
        for domain in force.domains:
            assert domain == domain.lower() and domain.endswith(".police.uk")
            assert domains.setdefault(domain, force.name) == force.name, domain


def test_no_bare_place_name_is_an_alias() -> None:
    # "Kent", "West Midlands": letters name places far more often than forces.
    body_words = re.compile(r"\b(?:Police|Constabular(?:y|ies)|Met|Heddlu|Poileas|Services?|Council|Office|Unit)\b")
    for force in FORCES:
        for alias in _names(force):
            assert body_words.search(alias) or alias.isupper() or alias == "CoLP", alias


def test_joint_units_name_their_members() -> None:
    for name in JOINT:
        joint = BY_NAME[name]
        assert len(joint.members) >= 2 and set(joint.members) <= TERRITORIAL
    for force in FORCES:
        assert bool(force.members) == (force.kind == "joint")


def test_official_names_and_usual_aliases() -> None:
    expected = {
        "Metropolitan Police Service": {"MPS", "the Met", "Met Police", "Metropolitan Police"},
        "West Midlands Police": {"WMP"},
        "Greater Manchester Police": {"GMP"},
        "Police Service of Northern Ireland": {"PSNI"},
        "British Transport Police": {"BTP"},
        "Ministry of Defence Police": {"MDP"},
        "Civil Nuclear Constabulary": {"CNC"},
        "National Police Chiefs' Council": {"NPCC"},
        "Thames Valley Police": {"TVP"},
        "Hampshire and Isle of Wight Constabulary": {"Hampshire Constabulary"},
        "Dyfed-Powys Police": {"Heddlu Dyfed-Powys"},
        "North Wales Police": {"Heddlu Gogledd Cymru"},
        "NPCC Central Referral Unit": {"NPCC FOI CRU"},
    }
    for name, aliases in expected.items():
        assert aliases <= set(BY_NAME[name].aliases), name
    assert "met.police.uk" in BY_NAME["Metropolitan Police Service"].domains
    assert "herts.pnn.police.uk" in BY_NAME["Hertfordshire Constabulary"].domains
    assert "northumbria.police.uk" in BY_NAME["Northumbria Police"].domains


# --- finding the force ---------------------------------------------------------------------------------------

NCND = "{} can neither confirm nor deny that it holds any information relevant to your request."
ALL_ALIASES = [(f.name, alias) for f in FORCES for alias in _names(f)]


@pytest.mark.parametrize("name", sorted(TERRITORIAL))
def test_each_territorial_force_speaking_resolves_to_itself(name: str) -> None:
    for alias in _names(BY_NAME[name]):
        text = "Dear Requester\n\nFreedom of Information Request\n\n" + NCND.format(alias)
        assert find_force(text) == name, alias


@pytest.mark.parametrize("name, alias", ALL_ALIASES, ids=[a for _, a in ALL_ALIASES])
def test_every_alias_resolves_to_its_body(name: str, alias: str) -> None:
    assert find_force(NCND.format(alias)) == name
    assert find_force(f"I can confirm that the information is held by {alias} and is attached.") == name
    assert [m[0] for m in mentions(f"({alias})")] == [name]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Devon & Cornwall Police can neither confirm nor deny it.", "Devon and Cornwall Police"),
        ("Avon & Somerset Constabulary can neither confirm nor deny it.", "Avon and Somerset Constabulary"),
        ("Dyfed Powys Police can neither confirm nor deny it.", "Dyfed-Powys Police"),
        ("HEDDLU DYFED-POWYS can neither confirm nor deny it.", "Dyfed-Powys Police"),
        ("National Police Chiefs’ Council can neither confirm nor deny it.", "National Police Chiefs' Council"),
        ("Held by the Metropolitan\nPolice Service.", "Metropolitan Police Service"),
        ("The Met Police can neither confirm nor deny it.", "Metropolitan Police Service"),
        ("Bedfordshire Cambridgeshire and Hertfordshire Joint Protective Services can neither confirm nor deny it.",
         "Bedfordshire, Cambridgeshire and Hertfordshire Joint Protective Services"),
    ],
)
def test_spelling_variants(text: str, name: str) -> None:
    assert find_force(text) == name


def test_letterhead_in_capitals() -> None:
    text = "HAMPSHIRE CONSTABULARY\nFreedom of Information Unit\n\n" + "The information is attached.\n" * 3
    assert find_force(text) == "Hampshire and Isle of Wight Constabulary"


@pytest.mark.parametrize("name", sorted(f.name for f in FORCES if f.domains))
def test_mail_domain_names_the_body(name: str) -> None:
    for domain in BY_NAME[name].domains:
        text = f"Please reply to foi@{domain} or freedom.of.information@unit.{domain} quoting the reference."
        assert find_force(text) == name, domain


def test_request_quoting_several_forces_resolves_to_the_signer() -> None:
    text = (
        "Freedom of Information Request 2019/0421\n\n"
        "You asked:\n\n"
        "I understand from press reports that Greater Manchester Police, West Yorkshire Police, the Met and "
        "South Wales Police have trialled live facial recognition, and that Kent Police and WMP are planning to. "
        "Has your force done the same as GMP and the MPS?\n\n"
        "1. Does Merseyside Police hold a policy?\n"
        "2. Has Cheshire Constabulary shared data with the Met?\n\n"
        "Response:\n\nPlease see the attached document.\n\n"
        "Yours sincerely\n\nFreedom of Information Team\nLancashire Constabulary\n"
    )
    assert find_force(text) == "Lancashire Constabulary"
    # and when the signer also speaks as the author in the body of the letter
    voiced = text.replace("Please see the attached document.",
                          "Lancashire Constabulary can neither confirm nor deny that it holds the information.")
    assert find_force(voiced) == "Lancashire Constabulary"


def test_joint_unit_names_resolve_to_the_joint_body() -> None:
    for name in JOINT:
        for alias in _names(BY_NAME[name]):
            assert find_force(NCND.format(alias)) == name, alias
            assert [m[0] for m in mentions(f"A letter from {alias}.")] == [name], alias


def test_longest_name_wins_and_names_are_whole_words() -> None:
    joint = "Warwickshire Police and West Mercia Police"
    assert mentions(f"{joint} can neither confirm nor deny") == [(joint, 0, len(joint))]
    assert find_force(f"{joint} can neither confirm nor deny that it holds it.") == joint
    assert find_force("Information held by Norfolk and Suffolk Constabularies.") == "Norfolk and Suffolk Constabularies"
    assert find_force("Metropolitan Police Service can neither confirm nor deny") == "Metropolitan Police Service"
    for text in ["Kentish Police can neither confirm nor deny it.", "The Kent Policeman can neither confirm nor deny.",
                 "South-Wales Policing can neither confirm nor deny it.", "preGMP can neither confirm nor deny it."]:
        assert mentions(text) == [] and find_force(text) is None, text


def test_joint_unit_takes_the_evidence_of_its_members() -> None:
    # A joint unit writes from one member's headquarters and another's mail domain.
    text = (
        "Information Rights\nWarwickshire Police Headquarters\nEmail: foi@westmercia.police.uk\n\n"
        "West Mercia Police can neither confirm nor deny that it holds the information.\n\n"
        "Yours sincerely\n\nWarwickshire Police and West Mercia Police\n"
    )
    assert find_force(text) == "Warwickshire Police and West Mercia Police"
    # but a member writing alone is the member, whoever else it mentions
    alone = "Email: foi@westmercia.police.uk\n\nWest Mercia Police can neither confirm nor deny it.\n"
    assert find_force(alone) == "West Mercia Police"


def test_acronyms_and_the_met_only_in_their_own_capitals() -> None:
    for text in ["The MPs met the criteria; mps and gmp were not asked.",
                 "According to the Met Office the weather was fine.",
                 "The btp figures were met by tvp."]:
        assert mentions(text) == [] and find_force(text) is None, text


def test_a_cited_npcc_is_not_the_author() -> None:
    text = "We have followed NPCC guidance and consulted the NPCC Central Referral Unit on this request."
    assert find_force(text) is None
    assert find_force("The NPCC can neither confirm nor deny that it holds this information.") == (
        "National Police Chiefs' Council"
    )
    # a single force mentioned, with the NPCC cited, is still that force
    assert find_force("Durham Constabulary has followed NPCC guidance in answering.") == "Durham Constabulary"


def test_upheld_by_is_not_held_by() -> None:
    text = "The complaint was upheld by Essex Police. The information held by Kent Police is attached."
    assert find_force(text) == "Kent Police"


def test_one_regex_scans_every_name() -> None:
    assert isinstance(N._MENTION, re.Pattern)
    letter = (
        "Dear Sir\n\n" + "The Police Service is charged with enforcing the law and protecting communities. " * 60
        + "\n\nWest Midlands Police can neither confirm nor deny that it holds the information.\n"
        "Email: foi@west-midlands.police.uk\n"
    )
    start = time.perf_counter()
    for _ in range(500):
        assert infer_metadata(letter).force == "West Midlands Police"
    # ~5,000 characters a letter: about a second on a laptop; a loop of regexes per force is ten times that
    assert time.perf_counter() - start < 10
