"""End to end: ``nccd.scan`` on a generated corpus, documents per second and time per stage.

    python benchmarks/bench_pipeline.py --documents 1000 --repeat 1

Prints the machine, the workload (documents, passages, characters), the median
of the runs with min and max, peak memory, the time of every stage, and the
template-span F1 reached on the corpus's ground truth, so speed is never
reported without the quality it came with.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datasketch  # noqa: E402
import numpy as np  # noqa: E402
import rapidfuzz  # noqa: E402

import nccd  # noqa: E402
from nccd.eval import evaluate, load_labels  # noqa: E402
from nccd.report import result_record  # noqa: E402
from nccd.synth import SynthSettings, generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}, datasketch {datasketch.__version__}, rapidfuzz {rapidfuzz.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, SynthSettings(documents=args.documents, seed=args.seed))
        times, result = [], None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = nccd.scan([root / "docs"], manifest=str(root / "manifest.csv"))
            times.append(time.perf_counter() - t0)
        texts = {Path(d.path).name: d.text for d in result.documents}
        ev = evaluate(result_record(result), load_labels(root / "labels"), texts)
    chars = sum(len(d.text) for d in result.documents)
    med = statistics.median(times)
    print(f"workload: {len(result.documents)} documents, {len(result.passages)} passages, {chars:,} characters")
    print(f"scan: {med:.2f} s median [{min(times):.2f}, {max(times):.2f}] over {len(times)} run(s), "
          f"{len(result.documents) / med:,.1f} documents/s, peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    total = sum(result.timings.values()) or 1.0
    for stage, seconds in result.timings.items():
        print(f"  {stage:<11} {seconds:8.3f} s  {seconds / total:6.1%}")
    print(f"quality: template-span F1 {ev.reuse.f1:.4f}, granularity {ev.reuse.granularity:.4f}, "
          f"plagdet {ev.reuse.plagdet:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
