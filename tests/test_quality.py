"""Quality targets, measured by nccd eval on labelled data: a drop below them fails."""

from __future__ import annotations

from pathlib import Path

import pytest

import nccd
from nccd.eval import evaluate, load_labels
from nccd.report import result_record
from nccd.synth import SynthSettings, generate

from .conftest import ROOT


def _evaluate(result, labels_dir):
    texts = {Path(d.path).name: d.text for d in result.documents}
    return evaluate(result_record(result), load_labels(labels_dir), texts)


def test_seeds_against_hand_labels(seeds_result):
    ev = _evaluate(seeds_result, ROOT / "fixtures" / "labels")
    assert ev.documents == 5 and ev.unmatched == ()
    assert ev.reuse.f1 >= 0.9
    assert ev.role_accuracy >= 0.9
    assert ev.request_counted <= 0.01
    assert (ev.ncnd_recall, ev.exemptions_exact, ev.force_accuracy, ev.year_accuracy) == (1.0, 1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    generate(root, SynthSettings(documents=300, seed=0, edit_rate=0.15))
    return root, nccd.scan([root / "docs"], manifest=str(root / "manifest.csv"))


def test_generated_corpus_meets_the_span_targets(synthetic):
    root, result = synthetic
    ev = _evaluate(result, root / "labels")
    assert ev.documents == 300
    assert ev.reuse.f1 >= 0.95, ev.reuse
    assert ev.reuse.granularity <= 1.05, ev.reuse
    assert ev.reuse.plagdet >= 0.93, ev.reuse


def test_round_robin_requests_are_not_reuse(synthetic):
    root, result = synthetic
    ev = _evaluate(result, root / "labels")
    assert ev.request_counted <= 0.01
    assert ev.request_labelled >= 0.99
