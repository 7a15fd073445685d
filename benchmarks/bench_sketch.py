"""Benchmark the sketch stage: nccd's batch numpy MinHash against datasketch.

    python benchmarks/bench_sketch.py --passages 5000 --repeat 3
    python benchmarks/bench_sketch.py --documents 1000 --repeat 3

Baselines, measured in the same run on the same passages and permutations:
datasketch ``MinHash.update`` one shingle at a time, ``MinHash.update_batch``
per passage, and ``MinHash.bulk``. Every baseline's signatures must equal
nccd's, or the benchmark stops. The passages are the seed responses'
paragraphs with 15% of words substituted (``--passages``), or the passages of
a generated corpus (``--documents``; all of them, or the first ``--passages``).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from datasketch import MinHash  # noqa: E402

from nccd.normalize import normalize  # noqa: E402
from nccd.segment import paragraphs  # noqa: E402
from nccd.shingle import shingle  # noqa: E402
from nccd.sketch import permutations, sketch  # noqa: E402


def workload(n: int, seed: int = 7) -> list[tuple[str, ...]]:
    """``n`` passages: the seed responses' paragraphs with random word substitutions."""
    rng = random.Random(seed)
    base = []
    for path in sorted((harness.ROOT / "fixtures" / "seeds").glob("*.txt")):
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


def methods(shingles, num_perm: int) -> list[tuple[str, object]]:
    """nccd's sketch first, then the datasketch baselines, as ``(name, call)``."""
    hashes = [[int(h) for h in shingles.of(i)] for i in range(len(shingles))]

    def ours():
        return sketch(shingles, num_perm, 1)

    def update():
        out = []
        for hs in hashes:
            m = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
            for h in hs:
                m.update(h)
            out.append(m.hashvalues)
        return np.array(out).reshape(len(hashes), num_perm)

    def update_batch():
        out = []
        for hs in hashes:
            m = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
            m.update_batch(hs)
            out.append(m.hashvalues)
        return np.array(out).reshape(len(hashes), num_perm)

    def bulk():
        sigs = MinHash.bulk(hashes, num_perm=num_perm, seed=1, hashfunc=int)
        return np.array([m.hashvalues for m in sigs]).reshape(len(hashes), num_perm)

    return [("nccd sketch", ours), ("datasketch update", update),
            ("datasketch update_batch", update_batch), ("datasketch bulk", bulk)]


def passages_of(args) -> tuple[list[tuple[str, ...]], str]:
    """The passages to sketch and how the workload line names them."""
    if not args.documents:
        return workload(args.passages or 5000, args.seed), "seed paragraphs with 15% of words substituted"
    with harness.generated_corpus(args.documents, args.seed) as root:
        passages = harness.pipeline_inputs(root).layout.passage_words()
    if args.passages and args.passages < len(passages):
        return passages[:args.passages], f"the first passages of {args.documents} generated documents"
    return passages, f"every passage of {args.documents} generated documents"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=None,
                    help="passages of the default workload (5000), or at most this many of the generated corpus")
    ap.add_argument("--documents", type=int, default=0, help="take the passages from a generated corpus instead")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle-size", type=int, default=5)
    args = ap.parse_args(argv)
    passages, source = passages_of(args)
    shingles = shingle(passages, args.shingle_size)
    permutations(args.num_perm, 1)  # warm the cache the children inherit
    print(harness.machine_line())
    print(f"workload: {len(passages)} passages ({source}), {len(shingles.hashes):,} shingles "
          f"({args.shingle_size}-word), num_perm={args.num_perm}; {harness.runs_note(args.repeat)}")
    times, reference = {}, None
    for name, fn in methods(shingles, args.num_perm):
        m, sigs = harness.measure(fn, args.repeat)
        times[name] = m.median
        if reference is None:
            reference = sigs
        elif not np.array_equal(sigs.astype(np.uint32), reference):
            print(f"{name}: signatures differ from nccd's", file=sys.stderr)
            return 1
        print(harness.time_line(name, m, len(passages), "passages"))
    print("check: all signatures equal nccd's")
    for name in list(times)[1:]:
        print(harness.ratio_line("nccd sketch", times["nccd sketch"], name, times[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
