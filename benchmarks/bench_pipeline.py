"""End to end: ``nccd.scan`` against the straightforward pipeline, in the same run.

    python benchmarks/bench_pipeline.py --documents 1000 --repeat 3 [--jobs N]

On a generated corpus: documents/s and peak RSS of ``nccd.scan`` and of the
baseline of ``bench_baseline.py`` (datasketch ``MinHash.bulk`` + ``MinHashLSH``
+ rapidfuzz verification + union-find), each run in its own child process so
their memory never mixes; the ratio of their times; nccd's time per stage; the
candidate pairs the baseline walked; and the template-span F1, granularity and
plagdet each reaches on the corpus's ground truth, so speed is never reported
without the quality it came with. ``--jobs`` is passed to ``nccd.scan`` when
it takes a ``jobs`` argument.
"""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_baseline  # noqa: E402
import harness  # noqa: E402

import nccd  # noqa: E402
from nccd.eval import evaluate, load_labels  # noqa: E402
from nccd.report import result_record, write_json  # noqa: E402


def scan_options(root: Path, jobs: int | None) -> tuple[dict, str]:
    """Keyword arguments for ``nccd.scan`` and how the workload line names them."""
    options: dict = {"manifest": str(root / "manifest.csv")}
    takes_jobs = "jobs" in inspect.signature(nccd.scan).parameters
    if jobs is None:
        return options, "nccd.scan with its default jobs" if takes_jobs else "nccd.scan in one process"
    if not takes_jobs:
        return options, f"--jobs {jobs} ignored: this nccd.scan takes no jobs argument"
    options["jobs"] = jobs
    return options, f"nccd.scan jobs={jobs}"


def summary(root: Path):
    """What the parent needs from a scan, computed in the child after the measurement
    (the labels too: read in the parent, they would sit in every measured child)."""

    def keep(result) -> dict:
        labels = load_labels(root / "labels")
        texts = {Path(d.path).name: d.text for d in result.documents}
        return {
            "documents": len(result.documents), "passages": len(result.passages),
            "chars": sum(len(d.text) for d in result.documents), "templates": len(result.templates),
            "timings": dict(result.timings), "eval": evaluate(result_record(result), labels, texts),
            "json": json_output(result),
        }

    return keep


def json_output(result) -> tuple[float, int]:
    """Seconds and bytes of writing the scan as ``nccd scan -f json -o FILE`` does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scan.json")
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8", newline="") as fh:
            write_json(result, fh)
        return time.perf_counter() - t0, os.path.getsize(path)


def print_stages(timings: dict) -> None:
    total = sum(timings.values()) or 1.0
    for stage, secs in timings.items():
        print(f"  stage: {stage:<11} {secs:9.3f} s  {secs / total:6.1%}")


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    ap.add_argument("--jobs", type=int, default=None, help="worker processes of nccd.scan (default: its own)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="measure nccd only (the baseline's candidate pairs grow with the square of the corpus)")
    args = ap.parse_args(argv)
    print(harness.machine_line())
    with harness.generated_corpus(args.documents, args.seed) as root:
        options, how = scan_options(root, args.jobs)
        m_scan, got = harness.measure(lambda: nccd.scan([root / "docs"], **options), args.repeat,
                                      keep=summary(root))
        if not args.no_baseline:
            m_base, base = bench_baseline.run_baseline(root, args.repeat)
            base_eval = bench_baseline.quality(root, base["reused"])
        size = harness.corpus_bytes(root)
    print(f"workload: {got['documents']} documents (seed {args.seed}), {got['passages']:,} passages, "
          f"{got['chars']:,} characters, {harness.megabytes(size)}; {how}; {harness.runs_note(args.repeat)}")
    print(harness.time_line("nccd scan", m_scan, got["documents"], "documents", f"{got['templates']:,} templates"))
    print_stages(got["timings"])
    seconds, size = got["json"]
    print(f"  output: JSON written after the scan (nccd scan -f json -o FILE) {seconds:.3f} s, "
          f"{harness.megabytes(size)}")
    print(bench_baseline.quality_line("nccd", got["eval"]))
    if args.no_baseline:
        print("baseline: not run (--no-baseline)")
        return 0
    bench_baseline.report(m_base, base, got["documents"])
    print(harness.ratio_line("nccd scan", m_scan.median, "the baseline", m_base.median,
                             "the baseline groups paragraphs only: no spans, no clause-level reuse, no templates"))
    print(bench_baseline.quality_line("baseline", base_eval))
    return 0


if __name__ == "__main__":
    sys.exit(main())
