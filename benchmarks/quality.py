"""Quality on a generated corpus: nccd eval's figures, and a sweep of thresholds.

    python benchmarks/quality.py --documents 1000 --seed 7
    python benchmarks/quality.py --documents 200 --sweep

Generates the corpus into a temporary folder (never committed), scans it with
the default settings (or each setting of the sweep) and prints character-level
precision, recall, F1, granularity and plagdet against the ground truth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nccd  # noqa: E402
from nccd.eval import evaluate, load_labels  # noqa: E402
from nccd.report import result_record  # noqa: E402
from nccd.synth import SynthSettings, generate  # noqa: E402

SWEEP = [(s, w) for s in (0.65, 0.7, 0.75, 0.8, 0.85) for w in (6, 8, 12)]


def run(root: Path, settings: nccd.Settings):
    t0 = time.perf_counter()
    result = nccd.scan([root / "docs"], settings, manifest=str(root / "manifest.csv"))
    seconds = time.perf_counter() - t0
    texts = {Path(d.path).name: d.text for d in result.documents}
    return evaluate(result_record(result), load_labels(root / "labels"), texts), seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--edit-rate", type=float, default=0.15)
    ap.add_argument("--sweep", action="store_true", help="also sweep --min-similarity and --min-words")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, SynthSettings(documents=args.documents, seed=args.seed, edit_rate=args.edit_rate))
        print(f"corpus: {args.documents} generated documents, seed {args.seed}, edit rate {args.edit_rate}")
        ev, seconds = run(root, nccd.Settings())
        r = ev.reuse
        print(f"defaults: precision {r.precision:.4f} recall {r.recall:.4f} F1 {r.f1:.4f} "
              f"granularity {r.granularity:.4f} plagdet {r.plagdet:.4f} ({seconds:.1f} s)")
        for role, s in ev.by_role.items():
            print(f"  {role:<7} precision {s.precision:.4f} recall {s.recall:.4f} F1 {s.f1:.4f}")
        print(f"request counted as reuse {ev.request_counted:.2%}, labelled request {ev.request_labelled:.2%}; "
              f"roles right {ev.role_accuracy:.2%}; NCND P/R {ev.ncnd_precision:.4f}/{ev.ncnd_recall:.4f}; "
              f"exemptions exact {ev.exemptions_exact:.2%}; force {ev.force_accuracy:.2%}; year {ev.year_accuracy:.2%}")
        if args.sweep:
            print("| min_similarity | min_words | precision | recall | F1 | granularity |")
            print("|---|---|---|---|---|---|")
            for sim, words in SWEEP:
                r = run(root, nccd.Settings(min_similarity=sim, min_words=words))[0].reuse
                print(f"| {sim} | {words} | {r.precision:.4f} | {r.recall:.4f} | {r.f1:.4f} | {r.granularity:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
