"""Metadata inferred from response text: force, date, year, reference, title."""

from __future__ import annotations

import dataclasses
import pathlib

import pytest

from nccd.metadata import FORCES, find_dates, find_force, find_reference, infer_metadata, reference_year
from nccd.model import Metadata

SEEDS = pathlib.Path(__file__).parent.parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "prefix, force, date, year, reference",
    [
        ("000", "West Midlands Police", None, 2019, "11998/19"),
        ("001", "West Midlands Police", None, 2021, "1017A/21"),
        ("002", "Northumbria Police", "2018-08-13", 2018, None),
        ("003", "Metropolitan Police Service", None, 2018, "2018030000340"),
        ("004", "Bedfordshire Police and Hertfordshire Constabulary", "2020-01-14", 2020, "FOI2019/07799"),
    ],
)
def test_seed_metadata(prefix: str, force: str, date: str | None, year: int, reference: str | None) -> None:
    meta = infer_metadata(seed(prefix))
    assert isinstance(meta, Metadata)
    assert (meta.force, meta.date, meta.year, meta.reference) == (force, date, year, reference)


def test_seed_title_and_inferred_fields() -> None:
    meta = infer_metadata(seed("000"))
    assert meta.title == "Facial Recognition"
    assert meta.inferred == ("force", "year", "reference", "title")
    assert infer_metadata(seed("002")).inferred == ("force", "date", "year")


def test_forces_named_in_the_request_are_not_the_author() -> None:
    # Seed 000 quotes a request naming Kent Police, South Wales Police and the Met.
    text = seed("000")
    assert "Kent Police" in text and "South Wales Police" in text and "the Met" in text
    assert find_force(text) == "West Midlands Police"


def test_force_voice_beats_mentions() -> None:
    text = (
        "You asked:\n\nDoes your force work with Kent Police or South Wales Police? "
        "Kent Police told me they do.\n\n"
        "In Response:\n\nThe information requested is held by Essex Police and is attached.\n"
    )
    assert find_force(text) == "Essex Police"


def test_alias_resolves_to_canonical_name() -> None:
    assert find_force("Dear Sir\n\nThe Met can neither confirm nor deny that it holds the information.") == (
        "Metropolitan Police Service"
    )
    # A member of a joint unit named alone is the member; the joint names are the joint unit.
    assert find_force("Hertfordshire Constabulary neither confirms nor denies that it holds it.") == (
        "Hertfordshire Constabulary"
    )
    assert find_force("Hertfordshire Constabulary and Bedfordshire Police neither confirms nor denies it.") == (
        "Bedfordshire Police and Hertfordshire Constabulary"
    )


def test_met_alias_is_case_sensitive() -> None:
    # "met" is a verb; only "the Met" names the force.
    assert find_force("The criteria were met by the applicant. Nothing is held.") is None


def test_no_force_gives_none() -> None:
    assert infer_metadata("Thank you for your email. The information is attached.").force is None


def test_gazetteer_aliases_are_unambiguous() -> None:
    owners: dict[str, str] = {}
    for force in FORCES:
        assert dataclasses.is_dataclass(force)
        for alias in (force.name, *force.aliases):
            assert owners.setdefault(alias.lower(), force.name) == force.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        FORCES[0].name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Date Responded 13 August 2018", "2018-08-13"),
        ("14th January 2020", "2020-01-14"),
        ("07/03/2018", "2018-03-07"),  # UK order: day/month
        ("13/08/2018", "2018-08-13"),
        ("2018-08-13", "2018-08-13"),
        ("Date: 1 Sept 2019", "2019-09-01"),
    ],
)
def test_response_date_forms(line: str, iso: str) -> None:
    assert find_dates([line]) == (iso, None)


def test_received_date_is_not_the_response_date() -> None:
    text = (
        "Dear Ms Carlo\n\nI write in connection with your request for information which was received "
        "by the Metropolitan Police Service (MPS) on 07/03/2018.\n"
    )
    meta = infer_metadata(text)
    assert meta.date is None
    assert meta.year == 2018  # from the received date, nothing better being known
    assert find_dates(["Date received: 12 December 2019"]) == (None, "2019-12-12")


def test_date_in_running_prose_is_not_the_response_date() -> None:
    text = "The Commissioner gave evidence to the Committee on 19 March 2019. Please confirm the following:"
    assert infer_metadata(text).date is None


def test_response_year_wins_over_reference_year() -> None:
    text = "14th January 2020\n\nOur Ref: FOI2019/07799\n\nReceived on 3 December 2019."
    meta = infer_metadata(text)
    assert (meta.date, meta.year, meta.reference) == ("2020-01-14", 2020, "FOI2019/07799")


def test_invalid_date_is_ignored() -> None:
    assert find_dates(["31/02/2019"]) == (None, None)


@pytest.mark.parametrize(
    "reference, year",
    [("11998/19", 2019), ("1017A/21", 2021), ("2018030000340", 2018), ("FOI2019/07799", 2019), ("ABC", None)],
)
def test_reference_year(reference: str, year: int | None) -> None:
    assert reference_year(reference) == year


def test_reference_two_given_returns_first() -> None:
    assert find_reference("Our Ref: FOI2019/07799 & FOI2019/07795") == "FOI2019/07799"


def test_requesters_reference_and_financial_years_are_not_taken() -> None:
    assert find_reference("Your ref: ABC123/45\n\nFigures for 2018/19 are attached.") is None


def test_reference_year_used_when_no_date() -> None:
    meta = infer_metadata("Facial Recognition (11998/19)\n\nPlease find attached our response.")
    assert (meta.date, meta.year, meta.reference, meta.title) == (None, 2019, "11998/19", "Facial Recognition")


def test_letters_a_case_blind_pattern_takes_for_ascii_are_read_as_those():
    """``re`` ignoring case matches "ſ", "ı", "İ" and the Kelvin sign as s, i and k: a
    name or month so written is the one it spells, never a crash of the whole batch."""
    from nccd.metadata import infer_metadata, mentions

    assert mentions("Response from LİNCS POLICE today") == [("Lincolnshire Police", 14, 26)]
    text = "Our ref: FOI2020/123\n\n1 ſeptember 2020\n\nLİNCS POLICE can neither confirm nor deny that it holds it."
    got = infer_metadata(text)
    assert (got.force, got.date, got.reference) == ("Lincolnshire Police", "2020-09-01", "FOI2020/123")
    assert infer_metadata("3 aprıl 2019\n\n\u212aent Police can neither confirm nor deny.").date == "2019-04-03"
