"""The corpus plan: forces and their habits, the round-robin requests, which documents are which.

Everything here is drawn from one ``random.Random(seed)`` before any document is
written, so a worker process rebuilds the same plan from the settings alone and
each document depends only on the plan and its own index.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from . import bespoke
from .bank import BANK, DRIFTABLE, FACTORS, LINEAGES, ORDERS

#: The 43 territorial forces of England and Wales, and three others that answer FOI requests.
FORCES: tuple[str, ...] = (
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police", "Cumbria Constabulary",
    "Derbyshire Constabulary", "Devon and Cornwall Police", "Dorset Police", "Durham Constabulary",
    "Dyfed-Powys Police", "Essex Police", "Gloucestershire Constabulary", "Greater Manchester Police",
    "Gwent Police", "Hampshire Constabulary", "Hertfordshire Constabulary", "Humberside Police", "Kent Police",
    "Lancashire Constabulary", "Leicestershire Police", "Lincolnshire Police", "Merseyside Police",
    "Metropolitan Police Service", "Norfolk Constabulary", "North Wales Police", "North Yorkshire Police",
    "Northamptonshire Police", "Northumbria Police", "Nottinghamshire Police", "South Wales Police",
    "South Yorkshire Police", "Staffordshire Police", "Suffolk Constabulary", "Surrey Police", "Sussex Police",
    "Thames Valley Police", "Warwickshire Police", "West Mercia Police", "West Midlands Police",
    "West Yorkshire Police", "Wiltshire Police", "British Transport Police", "Police Scotland",
    "Police Service of Northern Ireland",
)
_LINEAGE_WEIGHTS = (0.45, 0.3, 0.25)
_HEADERS = {"lineageA": "Public Interest Test – {ref}", "lineageB": "Freedom of Information Response – {ref}",
            "lineageC": "Our Ref: {ref} – Response"}


@dataclass(frozen=True)
class ForceProfile:
    """How one force writes its responses.

    Attributes
    ----------
    name:
        The force.
    lineage:
        The template lineage it mostly copies.
    drift:
        ``(passage name, from year, lineage)``: from that year the force copies that
        passage from another lineage.
    practise_until:
        Before this year it writes "practise" where the template has "practice".
    hyphen:
        Writes "on-going" rather than "ongoing".
    stale_threat:
        Never updates the threat level ("severe").
    stale_when:
        Keeps "last year" after 2018 rather than writing "in 2017".
    ref_style:
        Which of the reference formats it uses (:func:`reference`).
    footer:
        The URL its PDFs print at the foot of each page.
    officers:
        Who signs its letters.
    donor:
        The force whose name a careless copy leaves in a ``{force}`` slot.
    """

    name: str
    lineage: str
    drift: tuple[tuple[str, int, str], ...]
    practise_until: int
    hyphen: bool
    stale_threat: bool
    stale_when: bool
    ref_style: int
    footer: str
    officers: tuple[str, ...]
    donor: str

    def lineage_of(self, name: str, year: int) -> str:
        """The lineage this force copies passage ``name`` from in ``year``."""
        for drifted, since, lineage in self.drift:
            if drifted == name and year >= since:
                return lineage
        return self.lineage

    def header(self, ref: str) -> str:
        """The page header of its hard-wrapped responses."""
        return _HEADERS[self.lineage].format(ref=ref)


@dataclass(frozen=True)
class RoundRobin:
    """A request sent to many forces at once, quoted verbatim in every answer."""

    key: str
    topic: str
    title: str
    paragraphs: tuple[str, ...]
    sent: int  # proleptic ordinal of the day it was sent


@dataclass(frozen=True)
class Plan:
    """Everything shared by the documents of one corpus."""

    profiles: tuple[ForceProfile, ...]
    cum_weights: tuple[float, ...]
    pool: tuple[RoundRobin, ...]
    round_robin: frozenset[int]
    hard_wrap: frozenset[int]
    first_day: int
    last_day: int


def make_plan(seed: int, documents: int, forces: tuple[str, ...], years: tuple[int, int], round_robin: float,
              hard_wrap: float, pool_size: int) -> Plan:
    """Draw the corpus plan; the same arguments always give the same plan."""
    rng = random.Random(seed)
    profiles = tuple(_profile(rng, name, forces, years) for name in forces)
    weights, total = [], 0.0
    for _ in profiles:
        total += 0.3 + 1.7 * rng.random()  # some forces answer many more requests than others
        weights.append(total)
    first = dt.date(years[0], 1, 1).toordinal()
    last = dt.date(years[1], 12, 31).toordinal()
    pool = tuple(_round_robin(rng, index, first, last) for index in range(pool_size))
    order = list(range(documents))
    rr = frozenset(rng.sample(order, round(round_robin * documents)))
    wrap = frozenset(rng.sample(order, round(hard_wrap * documents)))
    return Plan(profiles, tuple(weights), pool, rr, wrap, first, last)


def _profile(rng: random.Random, name: str, forces: tuple[str, ...], years: tuple[int, int]) -> ForceProfile:
    lineage = rng.choices(LINEAGES, weights=_LINEAGE_WEIGHTS)[0]
    drift = []
    if years[1] > years[0] and rng.random() < 0.5:
        used = set(ORDERS[lineage]) | set(FACTORS[lineage])
        other = rng.choice([lin for lin in LINEAGES if lin != lineage])
        names = [n for n in DRIFTABLE if n in used and f"{n}@{other}" in BANK]
        for drifted in rng.sample(names, min(len(names), rng.randint(1, 2))):
            drift.append((drifted, rng.randint(years[0] + 1, years[1]), other))
    slug = re.sub(r"[^a-z]", "", name.lower().replace("constabulary", "").replace("police", ""))
    return ForceProfile(
        name=name, lineage=lineage, drift=tuple(drift),
        practise_until=rng.randint(years[0], years[1] + 1) if rng.random() < 0.3 else years[0],
        hyphen=rng.random() < 0.3, stale_threat=rng.random() < 0.2, stale_when=rng.random() < 0.5,
        ref_style=rng.randint(0, 4), footer=f"https://www.{slug or 'force'}.police.uk/foi-ai/disclosure-log",
        officers=tuple(bespoke.person(rng) for _ in range(rng.randint(1, 3))),
        donor=rng.choice([other for other in forces if other != name] or [name]))


def _round_robin(rng: random.Random, index: int, first: int, last: int) -> RoundRobin:
    # Sent early enough that every answer (up to 45 days later) still falls in the range.
    sent = rng.randint(first, max(first, last - 45))
    topic, title = rng.choice(bespoke.TOPICS)
    year = dt.date.fromordinal(sent).year
    paragraphs = bespoke.request(rng, year, topic, questions=(3, 7))
    return RoundRobin(f"request@rr{index + 1}", topic, title, tuple(paragraphs), sent)


def reference(style: int, serial: int, day: dt.date) -> str:
    """A force's reference number for a request, in one of five house styles."""
    if style == 0:
        return f"{serial}/{day.year % 100:02d}"
    if style == 1:
        return f"FOI{day.year}/{serial:05d}"
    if style == 2:
        return f"{day.year}{day.month:02d}{serial:07d}"
    if style == 3:
        return f"FOI-{serial:04d}-{day.year % 100:02d}"
    return f"{serial:03d}/{day.year}"


def threat_level(day: dt.date) -> str:
    """The UK national terrorism threat level on ``day``."""
    changes = ((dt.date(2019, 11, 4), "substantial"), (dt.date(2020, 11, 3), "severe"),
               (dt.date(2021, 2, 9), "substantial"), (dt.date(2021, 11, 15), "severe"),
               (dt.date(2022, 2, 9), "substantial"))
    level = "severe"
    for since, value in changes:
        if day >= since:
            level = value
    return level
