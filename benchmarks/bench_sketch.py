"""Benchmark the sketch stage: nccd's batch numpy MinHash against datasketch.

Baselines, measured in the same run on the same passages and permutations:
datasketch ``MinHash.update`` one shingle at a time, ``MinHash.update_batch``
per passage, and ``MinHash.bulk``. Every baseline's signatures must equal
nccd's, or the benchmark stops.

    python benchmarks/bench_sketch.py --passages 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import datasketch  # noqa: E402
from datasketch import MinHash  # noqa: E402

from nccd.normalize import normalize  # noqa: E402
from nccd.segment import paragraphs  # noqa: E402
from nccd.shingle import shingle  # noqa: E402
from nccd.sketch import sketch  # noqa: E402


def workload(n: int, seed: int = 7) -> list[tuple[str, ...]]:
    """``n`` passages: the seed responses' paragraphs with random word substitutions."""
    rng = random.Random(seed)
    base = []
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        base += [normalize(text, s, e).words for s, e in paragraphs(text)]
    base = [p for p in base if len(p) >= 8]
    vocab = sorted({w for p in base for w in p})
    out = []
    for i in range(n):
        words = list(base[i % len(base)])
        for k in range(len(words)):
            if rng.random() < 0.15:
                words[k] = rng.choice(vocab)
        out.append(tuple(words))
    return out


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle-size", type=int, default=5)
    args = ap.parse_args(argv)

    passages = workload(args.passages)
    shingles = shingle(passages, args.shingle_size)
    hashes = [[int(h) for h in shingles.of(i)] for i in range(len(passages))]
    n_shingles = len(shingles.hashes)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}, datasketch {datasketch.__version__}")
    print(f"workload: {len(passages)} passages, {n_shingles} shingles ({args.shingle_size}-word), "
          f"num_perm={args.num_perm}, {args.repeat} runs each (median [min, max])")

    def ours():
        return sketch(shingles, args.num_perm, 1)

    def update():
        out = []
        for hs in hashes:
            m = MinHash(num_perm=args.num_perm, seed=1, hashfunc=int)
            for h in hs:
                m.update(h)
            out.append(m.hashvalues)
        return np.array(out)

    def update_batch():
        out = []
        for hs in hashes:
            m = MinHash(num_perm=args.num_perm, seed=1, hashfunc=int)
            m.update_batch(hs)
            out.append(m.hashvalues)
        return np.array(out)

    def bulk():
        return np.array([m.hashvalues for m in MinHash.bulk(hashes, num_perm=args.num_perm, seed=1, hashfunc=int)])

    results: dict[str, float] = {}
    reference = None
    for name, fn in [("nccd numpy batch", ours), ("datasketch update", update),
                     ("datasketch update_batch", update_batch), ("datasketch bulk", bulk)]:
        med, lo, hi, sigs = timed(fn, args.repeat)
        results[name] = med
        if reference is None:
            reference = sigs
        elif not np.array_equal(sigs.astype(np.uint32), reference):
            print(f"{name}: signatures differ from nccd's", file=sys.stderr)
            return 1
        print(f"{name:<26} {len(passages) / med:>12,.0f} passages/s   {med:8.3f} s [{lo:.3f}, {hi:.3f}]")
    ours_t = results["nccd numpy batch"]
    for name in ("datasketch update", "datasketch update_batch", "datasketch bulk"):
        print(f"nccd is {results[name] / ours_t:6.1f}x {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
