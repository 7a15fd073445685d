"""Benchmarks run at a tiny size so they never rot (no time is asserted)."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_sketch_runs_and_signatures_agree(capsys):
    bench = _load("bench_sketch")
    assert bench.main(["--passages", "40", "--repeat", "1", "--num-perm", "16"]) == 0
    out = capsys.readouterr().out
    assert "workload: 40 passages" in out and "x datasketch bulk" in out


def test_quality_benchmark_runs(capsys):
    bench = _load("quality")
    assert bench.main(["--documents", "20", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "corpus: 20 generated documents" in out and "plagdet" in out


def test_pipeline_benchmark_runs(capsys):
    bench = _load("bench_pipeline")
    assert bench.main(["--documents", "20", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "workload: 20 documents" in out and "documents/s" in out and "F1" in out


def test_baseline_benchmark_runs(capsys):
    bench = _load("bench_baseline")
    assert bench.main(["--documents", "20", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "workload: 20 documents" in out and "candidate pairs" in out and "x the baseline" in out
