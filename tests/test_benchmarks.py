"""Benchmarks run at a tiny size so they never rot.

No test asserts a time: only that every benchmark runs and prints its lines in
the shared shape (machine, workload, time, ratio, quality).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile

import pytest

from .conftest import ROOT

MACHINE = re.compile(r"^machine: .+, \d+ cores, Python [\w.+]+, numpy \S+, datasketch \S+, rapidfuzz \S+, "
                     r"scikit-learn \S+$", re.M)
TIME = re.compile(r"^time: .+? [\d.e-]+ s \[[\d.e-]+, [\d.e-]+\] +[\d,.]+ [\w ]+/s +peak RSS [\d,]+ MB \(\+[\d,]+ MB\)",
                  re.M)
RATIO = re.compile(r"^ratio: .+ is [\d,.e-]+x as fast as .+$", re.M)
QUALITY = re.compile(r"^quality: (\w+) template-span F1 [01]\.\d{4} \(precision [01]\.\d{4}, recall [01]\.\d{4}\), "
                     r"granularity \d+\.\d{4}, plagdet [01]\.\d{4}$", re.M)


def _load(name: str):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(capsys, name: str, *argv: str) -> str:
    assert _load(name).main(list(argv)) == 0
    out = capsys.readouterr().out
    assert MACHINE.search(out), out
    assert str(ROOT) not in out and tempfile.gettempdir() + "/" not in out  # no machine-specific paths
    return out


def test_bench_sketch_runs_and_signatures_agree(capsys):
    out = _run(capsys, "bench_sketch", "--passages", "40", "--repeat", "1", "--num-perm", "16")
    assert re.search(r"^workload: 40 passages \(seed paragraphs", out, re.M)
    assert "check: all signatures equal nccd's" in out
    assert len(TIME.findall(out)) == 4 and len(RATIO.findall(out)) == 3
    assert "as fast as datasketch bulk" in out


def test_bench_sketch_takes_passages_from_a_generated_corpus(capsys):
    out = _run(capsys, "bench_sketch", "--documents", "20", "--repeat", "2", "--num-perm", "16")
    assert re.search(r"^workload: \d+ passages \(every passage of 20 generated documents\)", out, re.M)
    assert len(TIME.findall(out)) == 4 and len(RATIO.findall(out)) == 3


def test_bench_candidates_runs(capsys):
    out = _run(capsys, "bench_candidates", "--documents", "20", "--repeat", "1", "--sample", "300")
    assert re.search(r"^workload: 20 documents \(seed 7\), [\d,]+ passages", out, re.M)
    assert len(TIME.findall(out)) == 5 and len(RATIO.findall(out)) == 2
    assert re.search(r"^candidates: [\d,]+ pairs, \d+\.\d\d per passage .* a query per passage walks", out, re.M)
    assert re.search(r"^lsh: \d+ bands x \d+ rows .* crosses 1/2 at Jaccard 0\.\d{3}$", out, re.M)
    assert re.search(r"^lsh curve: 0\.1:0\.\d{3} .* 1\.0:1\.000$", out, re.M)
    assert re.search(r"^recall: ([\d,]+ sampled pairs .* [01]\.\d{4} share an LSH bucket, the candidate stage proposes"
                     r"|no sampled pair)", out, re.M)


def test_bench_align_runs_and_says_when_it_extrapolates(capsys):
    out = _run(capsys, "bench_align", "--documents", "20", "--repeat", "1", "--cdist-sample", "150",
               "--tfidf-sample", "100000")
    assert re.search(r"^workload: 20 documents .* [\d,]+ candidate pairs", out, re.M)
    assert len(TIME.findall(out)) == 5 and len(RATIO.findall(out)) == 4
    assert re.search(r"^time: nccd align_pairs .* pairs/s .* documents/s", out, re.M)
    assert re.search(r"^time: cdist fuzz.ratio all pairs .* EXTRAPOLATED x[\d,.]+ from a random sample of 150 ", out,
                     re.M)
    assert re.search(r"^time: TF-IDF cosine all pairs .* measured on all passages$", out, re.M)


def test_bench_ceiling_runs(capsys):
    out = _run(capsys, "bench_ceiling", "--documents", "20", "--repeat", "1")
    assert re.search(r"^workload: 20 documents \(seed 7\), [\d.]+ MB, [\d,]+ paragraphs, [\d,]+ shingles", out, re.M)
    assert len(TIME.findall(out)) == 7 and len(RATIO.findall(out)) == 3
    assert re.search(r"^time: blake2b every file .* MB/s", out, re.M)


def test_pipeline_benchmark_runs_nccd_and_the_baseline(capsys):
    out = _run(capsys, "bench_pipeline", "--documents", "20", "--seed", "2", "--repeat", "1", "--jobs", "1")
    assert re.search(r"^workload: 20 documents \(seed 2\), [\d,]+ passages", out, re.M)
    assert len(TIME.findall(out)) == 2 and "documents/s" in out
    assert re.search(r"^  stage: align +[\d.]+ s", out, re.M)
    assert re.search(r"^  output: JSON written after the scan \(nccd scan -f json -o FILE\) [\d.]+ s, [\d.]+ MB$",
                     out, re.M)
    assert re.search(r"^baseline: [\d,]+ paragraphs of 8\+ words, [\d,]+ candidate pairs walked "
                     r"\(\d+\.\d\d per paragraph\)", out, re.M)
    assert re.search(r"^ratio: nccd scan is [\d,.e-]+x as fast as the baseline", out, re.M)
    assert [m.group(1) for m in QUALITY.finditer(out)] == ["nccd", "baseline"]


def test_pipeline_benchmark_without_the_baseline(capsys):
    out = _run(capsys, "bench_pipeline", "--documents", "20", "--seed", "2", "--repeat", "1", "--no-baseline")
    assert len(TIME.findall(out)) == 1 and not RATIO.findall(out)
    assert [m.group(1) for m in QUALITY.finditer(out)] == ["nccd"]
    assert re.search(r"^baseline: not run \(--no-baseline\)$", out, re.M)


def test_store_benchmark_adds_with_and_without_discovery(capsys):
    out = _run(capsys, "bench_store", "--documents", "20", "--add", "4", "--seed", "2", "--repeat", "1")
    assert re.search(r"^workload: 20 documents stored \(seed 2\), 4 added; store [\d.]+ MB", out, re.M)
    assert len(TIME.findall(out)) == 3 and len(RATIO.findall(out)) == 1
    assert re.search(r"^ratio: adding without discovery is [\d,.e-]+x as fast as discovering again", out, re.M)
    assert re.findall(r"^quality: (added, [a-z ]+) template-span F1 [01]\.\d{4} ", out, re.M) == [
        "added, no discovery", "added, discovered"]


def test_bench_store_without_baseline_compares_with_the_build(capsys):
    out = _run(capsys, "bench_store", "--documents", "20", "--add", "4", "--seed", "2", "--repeat", "1",
               "--no-baseline")
    assert len(TIME.findall(out)) == 2 and "discovering again" not in out.split("ratio:")[0]
    assert re.search(r"^ratio: adding without discovery is [\d,.e-]+x as fast as the build", out, re.M)
    assert re.findall(r"^quality: (added, [a-z ]+) template-span F1", out, re.M) == ["added, no discovery"]


def test_baseline_benchmark_runs(capsys):
    out = _run(capsys, "bench_baseline", "--documents", "20", "--seed", "3", "--repeat", "1")
    assert re.search(r"^workload: 20 documents", out, re.M)
    assert len(TIME.findall(out)) == 1 and "candidate pairs" in out
    assert [m.group(1) for m in QUALITY.finditer(out)] == ["baseline"]


def test_quality_benchmark_runs(capsys):
    bench = _load("quality")
    assert bench.main(["--documents", "20", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "corpus: 20 generated documents" in out and "plagdet" in out


def test_harness_measures_in_a_child_and_reports_its_failures():
    harness = _load("harness")
    m, kept = harness.measure(lambda: bytearray(8 << 20), repeat=2, keep=len)
    assert kept == 8 << 20 and len(m.seconds) == 2
    assert m.peak_mb is not None and m.grown_mb is not None
    m, kept = harness.measure(lambda: 7, fork=False)
    assert kept == 7 and len(m.seconds) == 1
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        harness.measure(lambda: 1 / 0)
    assert harness.ratio_line("a", 1.0, "b", 2.0) == "ratio: a is 2.00x as fast as b"
    assert harness.ratio_line("a", 100.0, "b", 1.0) == "ratio: a is 0.01x as fast as b"
