"""Acceptance on the five real seed responses, scanned as they are (no manifest)."""

from __future__ import annotations

import itertools

import pytest

from nccd.normalize import normalize
from nccd.report import to_json

from .conftest import check_golden

EXPECTED = {
    "000": ("West Midlands Police", 2019),
    "001": ("West Midlands Police", 2021),
    "002": ("Northumbria Police", 2018),
    "003": ("Metropolitan Police Service", 2018),
    "004": ("Bedfordshire Police and Hertfordshire Constabulary", 2020),
}


def _doc(result, prefix):
    return next(d for d in result.documents if d.path.rsplit("/", 1)[-1].startswith(prefix))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_seed_is_an_ncnd_refusal_under_s24_and_s31(seeds_result, prefix):
    score = seeds_result.score(_doc(seeds_result, prefix).id)
    assert score.ncnd is True
    assert {"s24(2)", "s31(3)"} <= set(score.exemptions)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_force_and_year_are_inferred(seeds_result, prefix):
    doc = _doc(seeds_result, prefix)
    assert (doc.force, doc.year) == EXPECTED[prefix]
    assert "force" in doc.inferred


def test_wmp_northumbria_and_met_share_template_families(seeds_result):
    forces_of = {d.id: d.force for d in seeds_result.documents}
    shared = set()
    for t in seeds_result.templates:
        forces = {forces_of[d] for d in t.documents}
        shared.update(itertools.combinations(sorted(forces), 2))
    for pair in [("Metropolitan Police Service", "Northumbria Police"),
                 ("Metropolitan Police Service", "West Midlands Police"),
                 ("Northumbria Police", "West Midlands Police")]:
        assert pair in shared


def _oracle(result, doc) -> float:
    """Share of a document's words lying in a word 8-gram found verbatim in another seed."""

    def grams(words):
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    words = normalize(doc.text).words
    others = set().union(*(grams(normalize(o.text).words) for o in result.documents if o.id != doc.id))
    inside = [False] * len(words)
    for i in range(len(words) - 7):
        if tuple(words[i : i + 8]) in others:
            inside[i : i + 8] = [True] * 8
    return sum(inside) / len(words)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_reuse_is_at_least_the_verbatim_8gram_oracle(seeds_result, prefix):
    doc = _doc(seeds_result, prefix)
    oracle = _oracle(seeds_result, doc)
    assert oracle > 0.2  # the seeds do share a lot: the oracle itself is not vacuous
    assert seeds_result.score(doc.id).reuse >= oracle


def test_met_bespoke_answers_are_not_reuse(seeds_result):
    doc = _doc(seeds_result, "003")
    for phrase in ("A total of 104 alerts have been generated", "2 of these are confirmed positive",
                   "Yes, the PIA was written in April 2017."):
        at = doc.text.index(phrase)
        for span in seeds_result.spans_of(doc.id):
            assert not (span.start < at + len(phrase) and at < span.end), (phrase, span)


def test_clause_level_reuse_inside_a_force_sentence(seeds_result):
    """Bedfordshire/Hertfordshire reuse one clause of the national text inside their own sentence."""
    doc = _doc(seeds_result, "004")
    clause = "compromise of ongoing or future operations to protect the security"
    at = doc.text.index(clause)
    spans = [s for s in seeds_result.spans_of(doc.id) if s.start <= at and at + len(clause) <= s.end]
    assert spans, "the shared clause is not inside a span"
    # the span is the clause, not the whole paragraph around it
    assert all(s.end - s.start < 400 for s in spans)


def test_spans_quote_the_file_and_the_template(seeds_result):
    templates = {t.id: t for t in seeds_result.templates}
    for span in seeds_result.spans:
        doc = seeds_result.document(span.doc_id)
        assert 0 <= span.start < span.end <= len(doc.text)
        reused = doc.text[span.start : span.end]
        assert reused == reused.strip() and normalize(reused).words
        variant = templates[span.template_id].variants[span.variant]
        assert 0 <= span.template_start < span.template_end <= len(variant.text)
        assert span.doc_id not in variant.documents or len(variant.documents) > 1
        assert span.similarity >= seeds_result.settings.min_similarity


def test_template_ids_do_not_depend_on_reading_order(seeds_result):
    from nccd.pipeline import run

    reordered = run(list(reversed(seeds_result.documents)))
    assert sorted(t.id for t in reordered.templates) == sorted(t.id for t in seeds_result.templates)


def test_json_is_byte_identical_across_runs(seeds_result):
    import os

    import nccd

    from .conftest import ROOT

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        again = nccd.scan(["fixtures/seeds"])
    finally:
        os.chdir(here)
    assert to_json(again) == to_json(seeds_result)


def test_golden_json(seeds_result):
    check_golden("seeds.json", to_json(seeds_result))
