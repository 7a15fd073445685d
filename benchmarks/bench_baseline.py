"""The straightforward pipeline a user would write, alone: time, memory and quality.

    python benchmarks/bench_baseline.py --documents 1000 --repeat 3

Baseline: files read, paragraphs split on blank lines (8+ words kept),
datasketch ``MinHash.bulk`` over word 5-gram shingles, ``MinHashLSH`` at 0.5,
every candidate pair (from different documents) verified with rapidfuzz
``fuzz.ratio`` (``score_cutoff`` 75), families by union-find. Every paragraph
in a family spanning two or more documents is reported as reused, which gives
the F1 of the corpus's ground truth. ``bench_pipeline.py`` runs it beside
``nccd.scan`` in the same run; this script runs it alone (for sizes where the
scan takes too long).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from nccd.cluster import UnionFind  # noqa: E402
from nccd.eval import evaluate, load_labels  # noqa: E402

MIN_WORDS, SHINGLE, THRESHOLD, CUTOFF, NUM_PERM = 8, 5, 0.5, 75, 128


def split_paragraphs(texts: list[str]) -> list[tuple[int, int, int, str]]:
    """``(document, start, end, text)`` of every blank-line paragraph of 8+ words."""
    out = []
    for d, text in enumerate(texts):
        start = 0
        for part in text.split("\n\n"):
            if len(part.split()) >= MIN_WORDS:
                out.append((d, start, start + len(part), part))
            start += len(part) + 2
    return out


def baseline(paths: list[Path]) -> dict:
    """Run the plain pipeline on the files: paragraphs, candidate pairs walked,
    families of two or more documents, and the reused paragraphs of each file."""
    texts = [p.read_text(encoding="utf-8") for p in paths]
    paragraphs = split_paragraphs(texts)
    shingles = []
    for *_, p in paragraphs:
        words = p.lower().split()
        shingles.append([" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)])
    sketches = MinHash.bulk(shingles, num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, m in enumerate(sketches):
            session.insert(i, m, check_duplication=False)
    uf, pairs = UnionFind(), 0
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j > i and paragraphs[i][0] != paragraphs[j][0]:
                pairs += 1
                if fuzz.ratio(paragraphs[i][3], paragraphs[j][3], score_cutoff=CUTOFF):
                    uf.union(i, j)
    families = [g for g in uf.groups() if len({paragraphs[k][0] for k in g}) >= 2]
    reused: dict[str, list[tuple[int, int]]] = {p.name: [] for p in paths}
    for g in families:
        for k in g:
            d, start, end, _ = paragraphs[k]
            reused[paths[d].name].append((start, end))
    return {"paragraphs": len(paragraphs), "pairs": pairs, "families": len(families), "reused": reused}


def quality(root: Path, reused: dict[str, list[tuple[int, int]]], max_gap: int = 9):
    """nccd's evaluation of the baseline's reused paragraphs against the corpus labels."""
    docs = sorted((root / "docs").glob("*.txt"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in docs}
    predictions = {"settings": {"max_gap": max_gap}, "documents": [
        {"path": name, "spans": [{"start": a, "end": b, "role": "ncnd"} for a, b in reused.get(name, [])]}
        for name in texts]}
    return evaluate(predictions, load_labels(root / "labels"), texts)


def quality_line(who: str, ev) -> str:
    r = ev.reuse
    return (f"quality: {who} template-span F1 {r.f1:.4f} (precision {r.precision:.4f}, recall {r.recall:.4f}), "
            f"granularity {r.granularity:.4f}, plagdet {r.plagdet:.4f}")


def run_baseline(root: Path, repeat: int):
    """Measure the baseline on a generated corpus: ``(Measure, summary)``."""
    paths = sorted((root / "docs").glob("*.txt"))
    return harness.measure(lambda: baseline(paths), repeat)


def report(m: harness.Measure, out: dict, documents: int) -> None:
    print(harness.time_line("baseline", m, documents, "documents"))
    print(f"baseline: {out['paragraphs']:,} paragraphs of {MIN_WORDS}+ words, {out['pairs']:,} candidate pairs "
          f"walked ({out['pairs'] / max(out['paragraphs'], 1):.2f} per paragraph), {out['families']:,} families")


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    args = ap.parse_args(argv)
    print(harness.machine_line())
    with harness.generated_corpus(args.documents, args.seed) as root:
        size = harness.corpus_bytes(root)
        m, out = run_baseline(root, args.repeat)
        ev = quality(root, out["reused"])
    print(f"workload: {args.documents} documents (seed {args.seed}), {harness.megabytes(size)}; "
          f"{harness.runs_note(args.repeat)}")
    report(m, out, args.documents)
    print(quality_line("baseline", ev))
    return 0


if __name__ == "__main__":
    sys.exit(main())
