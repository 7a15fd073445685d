"""Build one synthetic response and its ground-truth spans.

A response is composed as paragraphs of labelled pieces (see
:mod:`nccd.synth.layout`); each label is one span of the ground truth:
``(role, reused, template)``.

Labelling rules
---------------
* A copied bank passage is one span, ``reused=True``, with the passage's role
  and key as ``template``, however many paragraphs it has and whatever edits,
  slot fills (force name, topic, spelling, threat level) or hard wraps it went
  through. A page break inside it splits it into two spans with the same key,
  one each side of the page furniture.
* A template clause inside a bespoke sentence is its own span, ``reused=True``,
  with the role and key of the passage it comes from; the sentence around it is
  ``answer``, ``reused=False``.
* A round-robin request is one span, role ``request``, ``reused=True``,
  ``template="request@rrN"``; a request of the response's own is ``request``,
  ``reused=False``.
* Bespoke answers are ``answer`` spans (one per paragraph); the title line and
  letterhead are ``letter``; all ``reused=False`` with ``template=None``.
* Page headers and footer URLs of hard-wrapped responses are ``letter``,
  ``reused=False``, ``template=None``: page furniture, not copied template text.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from . import bespoke
from .bank import FACTORS, NCND_ONLY, ORDERS, Passage, clauses, passage
from .corpus import ForceProfile, Plan, RoundRobin, reference, threat_level
from .edit import edit_words
from .layout import Wrap, plain, wrapped

Label = tuple[str, bool, str | None]
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Extra exemptions an NCND refusal may cite besides s24(2) and s31(3), with their odds.
_EXTRA_EXEMPTIONS = (("s23(5)", 0.15), ("s30(3)", 0.1), ("s38(2)", 0.04), ("s40(5)", 0.06))
_REORDER_SHARE = 0.5  # with reorder on, the share of responses whose factor sections are shuffled
_NAME_SWAP = 0.03  # a copy that keeps the donor force's name in a {force} slot
# Clauses a bespoke sentence may embed, from the lineage the force copies.
_CLAUSE_SOURCES: dict[str, tuple[Passage, ...]] = {
    lineage: tuple(p for p in clauses() if p.lineage == lineage) for lineage in ORDERS}


@dataclass(frozen=True)
class Options:
    """The per-document knobs of :class:`nccd.synth.SynthSettings`."""

    seed: int
    edit_rate: float
    reorder: bool
    clause_reuse: float
    ncnd_share: float


@dataclass(frozen=True)
class Built:
    """One generated response: its text, ground-truth spans and metadata."""

    text: str
    spans: tuple[tuple[int, int, str, bool, str | None], ...]
    force: str
    date: str
    year: int
    reference: str
    title: str
    ncnd: bool
    exemptions: tuple[str, ...]
    hard_wrapped: bool
    round_robin: bool


class _Composer:
    """Collects a response's paragraphs, block ends and labels as it is written."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng = rng
        self.rate = rate
        self.paragraphs: list[list[tuple[str, int]]] = []
        self.block_ends: list[bool] = []
        self.labels: list[Label] = []

    def label(self, role: str, reused: bool, template: str | None) -> int:
        self.labels.append((role, reused, template))
        return len(self.labels) - 1

    def block(self, paragraphs: list[list[tuple[str, int]]]) -> None:
        self.paragraphs.extend(paragraphs)
        self.block_ends.extend([False] * (len(paragraphs) - 1) + [True])

    def copy(self, found: Passage, slots: dict[str, str], inline: bool = False) -> None:
        """A bank passage, slots filled and words edited: one label across its paragraphs.

        ``inline`` continues the previous paragraph (after a space) instead of starting one.
        """
        text = found.text.format_map(slots) if found.has_slots else found.text
        label = self.label(found.role, True, found.key)
        rate = self.rate if found.editable else 0.0
        paragraphs = [[(edit_words(par, self.rng, rate), label)] for par in text.split("\n\n")]
        if inline and self.paragraphs:
            first, *rest = paragraphs
            self.paragraphs[-1].extend((" " + piece, piece_label) for piece, piece_label in first)
            if rest:
                self.block_ends[-1] = False  # the passage's later paragraphs continue this block
                self.block(rest)
            return
        self.block(paragraphs)

    def own(self, role: str, paragraphs: list[str]) -> None:
        """Bespoke text of one kind (title, letterhead, own request): one span across its paragraphs."""
        label = self.label(role, False, None)
        self.block([[(par, label)] for par in paragraphs])


def build(index: int, options: Options, plan: Plan) -> Built:
    """Generate response number ``index`` of the corpus; depends only on its arguments."""
    rng = random.Random(f"{options.seed}/{index}")
    profile = rng.choices(plan.profiles, cum_weights=plan.cum_weights)[0]
    request = rng.choice(plan.pool) if index in plan.round_robin else None
    if request is not None:
        day = dt.date.fromordinal(min(plan.last_day, request.sent + rng.randint(10, 45)))
        topic, title = request.topic, request.title
    else:
        day = dt.date.fromordinal(rng.randint(plan.first_day, plan.last_day))
        topic, title = rng.choice(bespoke.TOPICS)
    ncnd = rng.random() < options.ncnd_share
    exemptions = ("s24(2)", "s31(3)") if ncnd else ()
    if ncnd:
        exemptions += tuple(code for code, odds in _EXTRA_EXEMPTIONS if rng.random() < odds)
        exemptions = tuple(sorted(exemptions, key=lambda code: int(code[1:3])))
    ref = reference(profile.ref_style, rng.randint(100, 19999), day)
    composer = _Composer(rng, options.edit_rate)
    slots = _slots(rng, profile, day, topic)
    parts = _Parts(composer, rng, profile, day, options, slots, ref, title, request, exemptions)
    for token in ORDERS[profile.lineage]:
        if ncnd or token not in NCND_ONLY:
            parts.add(token)
    labels = composer.labels
    if index in plan.hard_wrap:
        wrap = Wrap(rng.randint(80, 95), rng.randint(24, 32), profile.header(ref), profile.footer,
                    composer.label("letter", False, None), composer.label("letter", False, None))
        text, segments = wrapped(composer.paragraphs, composer.block_ends, wrap)
    else:
        text, segments = plain(composer.paragraphs)
    spans = tuple((start, end) + labels[label] for start, end, label in segments)
    return Built(text, spans, profile.name, day.isoformat(), day.year, ref, title, ncnd, exemptions,
                 index in plan.hard_wrap, request is not None)


def _slots(rng: random.Random, profile: ForceProfile, day: dt.date, topic: str) -> dict[str, str]:
    received = dt.date.fromordinal(day.toordinal() - rng.randint(5, 30))
    if day.year <= 2017:
        when = "this year"
    else:
        when = "last year" if day.year == 2018 or profile.stale_when else "2017"
    return {
        "force": profile.donor if rng.random() < _NAME_SWAP else profile.name,
        "topic": topic,
        "practice": "practise" if day.year < profile.practise_until else "practice",
        "threat": "severe" if profile.stale_threat else threat_level(day),
        "when": when,
        "received": f"{received.day} {_MONTHS[received.month - 1]} {received.year}",
        "officer": rng.choice(profile.officers),
        "salutation": bespoke.salutation(rng),
        "ongoing": "on-going" if profile.hyphen else "ongoing",
    }


@dataclass(frozen=True)
class _Parts:
    """Writes each token of a lineage's order into the composer."""

    composer: _Composer
    rng: random.Random
    profile: ForceProfile
    day: dt.date
    options: Options
    slots: dict[str, str]
    ref: str
    title: str
    request: RoundRobin | None
    exemptions: tuple[str, ...]

    def add(self, token: str) -> None:
        if token.startswith("+"):
            self._copy(token[1:], inline=True)
        elif not token.startswith("@"):
            self._copy(token)
        elif token == "@title":
            self.composer.own("letter", [f"{self.title} ({self.ref})"])
        elif token == "@letterhead":
            # The reference sits between name and date so that no 8-word run of a
            # letterhead repeats between two letters of one force on one day.
            lines = [self.profile.name, f"Our Ref: {self.ref}",
                     f"{self.day.day} {_MONTHS[self.day.month - 1]} {self.day.year}"]
            self.composer.own("letter", lines)
        elif token == "@request":
            self._request()
        elif token == "@answer":
            self._answer()
        elif token == "@exemptions":
            for code in self.exemptions:
                self._copy(f"exemption-{code}")
        elif token == "@factors":
            names = list(FACTORS[self.profile.lineage])
            if self.options.reorder and self.rng.random() < _REORDER_SHARE:
                self.rng.shuffle(names)
            for name in names:
                self._copy(name)
        elif token == "@annex":
            for code in ("s17(1)",) + self.exemptions:
                self._copy(f"annex-{code}")
        else:
            raise ValueError(f"unknown order token {token!r} in {self.profile.lineage}")

    def _copy(self, name: str, inline: bool = False) -> None:
        lineage = self.profile.lineage_of(name, self.day.year)
        self.composer.copy(passage(name, lineage), self.slots, inline)

    def _request(self) -> None:
        if self.request is None:
            self.composer.own("request", bespoke.request(self.rng, self.day.year, self.slots["topic"]))
            return
        label = self.composer.label("request", True, self.request.key)
        self.composer.block([[(par, label)] for par in self.request.paragraphs])

    def _answer(self) -> None:
        composer, rng = self.composer, self.rng
        donors = _CLAUSE_SOURCES[self.profile.lineage]

        def clause_of() -> tuple[str, object]:
            source = donors[int(rng.random() * len(donors))]
            clause = source.clauses[int(rng.random() * len(source.clauses))]
            return edit_words(clause, rng, self.options.edit_rate), source

        paragraphs = bespoke.answer(rng, self.day.year, self.options.clause_reuse, clause_of)
        block = []
        for pieces in paragraphs:
            answer = composer.label("answer", False, None)
            out = []
            for text, tag in pieces:
                if tag is None:
                    out.append((text, answer))
                else:
                    out.append((text, composer.label(tag.role, True, tag.key)))
                    answer = composer.label("answer", False, None)  # the sentence's rest is a new span
            block.append(out)
        composer.block(block)
