"""The ceiling: how fast this machine reads, hashes and scans the corpus bytes, and
reduces MinHash minima with numpy, so each stage can say how far it is from the limit.

    python benchmarks/bench_ceiling.py --documents 1000 --repeat 3

On a generated corpus (its files just written, so in the page cache): reading
every file, BLAKE2b over every file's bytes, one numpy pass over all the bytes
(counting spaces), and ``np.minimum.reduceat`` over a random ``uint32`` matrix
of shape ``(shingles, num_perm)`` cut at the corpus's blank-line paragraphs
(one shingle per word after the fourth of a paragraph), in blocks of 2**22
cells as nccd's sketch takes them; then the same with the affine permutation ``a * h + b``
first. Against them, in the same run: nccd's ``normalize`` over every
document's text and nccd's ``sketch`` over the same shingle layout.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

from nccd.normalize import normalize  # noqa: E402
from nccd.shingle import Shingles  # noqa: E402
from nccd.sketch import permutations, sketch  # noqa: E402

_PARAGRAPH = re.compile(rb"\n[ \t\r]*\n")


def read_all(paths: list[Path]) -> list[bytes]:
    out = []
    for p in paths:
        with open(p, "rb") as f:
            out.append(f.read())
    return out


def shingle_counts(files: list[bytes], k: int = 5) -> np.ndarray:
    """Shingles per blank-line paragraph (paragraphs with none left out)."""
    counts = [len(p.split()) - k + 1 for data in files for p in _PARAGRAPH.split(data)]
    return np.array([c for c in counts if c > 0], dtype=np.int64)


def blocks(counts: np.ndarray, rows: int) -> list[tuple[int, np.ndarray]]:
    """Whole paragraphs packed into blocks of at most ``rows`` shingles: ``(rows used, starts)``."""
    out, starts, used = [], [], 0
    for c in counts.tolist():
        if starts and used + c > rows:
            out.append((used, np.array(starts, dtype=np.int64)))
            starts, used = [], 0
        starts.append(used)
        used += c
    if starts:
        out.append((used, np.array(starts, dtype=np.int64)))
    return out


def reduce_minima(matrix: np.ndarray, packed) -> int:
    for rows, starts in packed:
        np.minimum.reduceat(matrix[:rows], starts, axis=0)
    return len(packed)


def affine_minima(hashes: np.ndarray, a: np.ndarray, b: np.ndarray, packed) -> int:
    for rows, starts in packed:
        np.minimum.reduceat(hashes[:rows, None] * a[None, :] + b[None, :], starts, axis=0)
    return len(packed)


def calls(paths: list[Path], files: list[bytes], counts: np.ndarray, num_perm: int, seed: int) -> list[tuple]:
    """``(label, call, count, unit)`` of every measurement, inputs built beforehand."""
    rng = np.random.default_rng(seed)
    size, total = sum(len(f) for f in files) / 1e6, int(counts.sum())
    flat = np.frombuffer(b"".join(files), dtype=np.uint8)
    packed = blocks(counts, max(1, (1 << 22) // num_perm))
    widest = max((r for r, _ in packed), default=1)
    matrix = rng.integers(0, 2**32, size=(widest, num_perm), dtype=np.uint32)
    hashes = rng.integers(0, 2**32, size=widest, dtype=np.uint32)
    a, b = permutations(num_perm, 1)
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    shingles = Shingles(rng.integers(0, 2**32, size=total, dtype=np.uint32), indptr)
    texts = [f.decode("utf-8") for f in files]
    return [
        ("read every file", lambda: len(read_all(paths)), size, "MB"),
        ("blake2b every file", lambda: len([hashlib.blake2b(f).digest() for f in files]), size, "MB"),
        ("numpy pass over the bytes", lambda: int(np.count_nonzero(flat == 32)), size, "MB"),
        ("numpy minimum.reduceat", lambda: reduce_minima(matrix, packed), total, "shingles"),
        ("numpy a*h+b, minimum.reduceat", lambda: affine_minima(hashes, a, b, packed), total, "shingles"),
        ("nccd sketch (same layout)", lambda: len(sketch(shingles, num_perm, 1)), total, "shingles"),
        ("nccd normalize (every text)", lambda: len([normalize(t) for t in texts]), size, "MB"),
    ]


RATIOS = (("nccd sketch (same layout)", "numpy minimum.reduceat"),
          ("nccd sketch (same layout)", "numpy a*h+b, minimum.reduceat"),
          ("nccd normalize (every text)", "blake2b every file"))


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    ap.add_argument("--num-perm", type=int, default=128)
    args = ap.parse_args(argv)
    print(harness.machine_line())
    with harness.generated_corpus(args.documents, args.seed) as root:
        paths = sorted((root / "docs").glob("*.txt"))
        files = read_all(paths)
        counts = shingle_counts(files)
        total = int(counts.sum())
        print(f"workload: {args.documents} documents (seed {args.seed}), "
              f"{harness.megabytes(sum(len(f) for f in files))}, {len(counts):,} paragraphs, {total:,} shingles x "
              f"{args.num_perm} permutations ({harness.megabytes(total * args.num_perm * 4)} of uint32); "
              f"{harness.runs_note(args.repeat)}")
        medians = {}
        for label, fn, count, unit in calls(paths, files, counts, args.num_perm, args.seed):
            m, _ = harness.measure(fn, args.repeat)
            medians[label] = m.median
            print(harness.time_line(label, m, count, unit))
    for ours, base in RATIOS:
        print(harness.ratio_line(ours.split(" (")[0], medians[ours], base, medians[base]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
