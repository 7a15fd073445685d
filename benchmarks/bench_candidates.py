"""Benchmark the index and candidates stages, and the recall of the candidates.

    python benchmarks/bench_candidates.py --documents 1000 --repeat 3

On a generated corpus, builds the stages' inputs with the pipeline's own
functions (normalize, segment, ``Layout``, shingle, sketch), then times
``build_index`` (the numpy band index), the LSH pairs alone (``lsh_pairs``) and
the whole ``candidate_pairs`` stage, against datasketch's ``MinHashLSH`` insert
and a query per passage (the obvious way) on the same signatures. Prints the
banding curve of the chosen bands and rows, the candidate pairs per passage, and
the recall against brute-force Jaccard on a random sample of passages: of the
pairs (from different documents) whose exact Jaccard similarity of shingle sets
is at least the LSH threshold, the share that share an LSH bucket, the share the candidate stage
proposes (it keeps ``max_partners`` partners per passage), and the share it
joins within two links (both passages paired with one common passage, as copies
of boilerplate meet through its hub passages).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from sklearn.preprocessing import MultiLabelBinarizer  # noqa: E402

from nccd.candidates import candidate_pairs, lsh_pairs  # noqa: E402
from nccd.cluster import UnionFind  # noqa: E402
from nccd.candidates import passage_ranks  # noqa: E402
from nccd.index import build_index, datasketch_index, lsh_probability, lsh_threshold  # noqa: E402
from nccd.sketch import to_minhash  # noqa: E402

BINS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def exact_jaccard(inputs: harness.Inputs, sample: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, jaccard)`` of every pair of sampled passages from different documents
    sharing a shingle, ``i < j``, from their exact shingle sets (a sparse product)."""
    sets = [np.unique(inputs.shingles.of(i)).tolist() for i in sample]
    x = MultiLabelBinarizer(sparse_output=True).fit_transform(sets).tocsr()
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    keep = inter.row < inter.col
    a, b, n = inter.row[keep], inter.col[keep], inter.data[keep].astype(float)
    rows = np.asarray(sample)
    docs = np.asarray(inputs.layout.doc_of)[rows]
    cross = docs[a] != docs[b]
    a, b, n = a[cross], b[cross], n[cross]
    jac = n / (sizes[a] + sizes[b] - n)
    i, j = rows[a], rows[b]
    return np.minimum(i, j), np.maximum(i, j), jac


def two_links(pairs, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether each ``(i, j)`` is a candidate pair or both pair with one common passage
    (how copies of boilerplate meet through the hub passages)."""
    near: dict[int, set[int]] = {}
    for a, b in np.asarray(pairs).tolist():
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    empty: set[int] = set()
    return np.array([b in near.get(a, empty) or not near.get(a, empty).isdisjoint(near.get(b, empty))
                     for a, b in zip(i.tolist(), j.tolist())], dtype=bool)


def largest_group(pairs, n: int) -> float:
    """Share of all passages in the largest group joined by chains of candidate pairs."""
    uf = UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    return max((len(g) for g in uf.groups()), default=0) / max(n, 1)


def found(pairs: set, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.array([(a, b) in pairs for a, b in zip(i.tolist(), j.tolist())], dtype=bool)


def print_curve(bands: int, rows: int, threshold: float) -> None:
    """The banding curve: probability that a pair of each Jaccard similarity becomes a candidate."""
    grid = [round(s, 1) for s in np.arange(0.1, 1.01, 0.1)]
    print(f"lsh: {bands} bands x {rows} rows (num_perm {bands * rows}), asked threshold {threshold}, "
          f"curve crosses 1/2 at Jaccard {lsh_threshold(bands, rows):.3f}")
    print("lsh curve: " + "  ".join(f"{s:.1f}:{lsh_probability(s, bands, rows):.3f}" for s in grid))


def same_bucket(lsh, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether passages ``i`` and ``j`` share a bucket in some band."""
    at_i, at_j = np.searchsorted(lsh.keys, i), np.searchsorted(lsh.keys, j)
    return (lsh.band_keys[at_i] == lsh.band_keys[at_j]).any(axis=1)


def datasketch_pairs(lsh, signatures: np.ndarray, rows: list[int], docs, seed: int) -> set[tuple[int, int]]:
    """The obvious way: query ``MinHashLSH`` with every passage, walking whole buckets."""
    pairs: set[tuple[int, int]] = set()
    for i in rows:
        for j in lsh.query(to_minhash(signatures[i], seed)):
            if j != i and docs[i] != docs[j]:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def print_recall(inputs, sample, lsh_found: set, pairs: np.ndarray, lsh) -> None:
    """Recall of LSH and of the candidate stage on the exact pairs of the sample."""
    i, j, jac = exact_jaccard(inputs, sample)
    by_lsh, by_stage = same_bucket(lsh, i, j), found({(int(a), int(b)) for a, b in pairs.tolist()}, i, j)
    linked = two_links(pairs, i, j)
    print("recall by Jaccard bin (sampled pairs from different documents): "
          "bin pairs lsh-found curve-expects stage-proposes within-two-links")
    for lo, hi in zip(BINS, BINS[1:]):
        m = (jac >= lo) & (jac < hi)
        if m.any():
            expect = float(np.mean(lsh_probability(jac[m], lsh.bands, lsh.rows)))
            print(f"  [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'} {int(m.sum()):>9,} {by_lsh[m].mean():8.4f} "
                  f"{expect:8.4f} {by_stage[m].mean():8.4f} {linked[m].mean():8.4f}")
    true = jac >= inputs.settings.lsh_threshold
    n = int(true.sum())
    if not n:
        print(f"recall: no sampled pair reaches Jaccard {inputs.settings.lsh_threshold}")
        return
    print(f"recall: {n:,} sampled pairs with Jaccard >= {inputs.settings.lsh_threshold} among {len(sample):,} "
          f"passages: {by_lsh[true].mean():.4f} share an LSH bucket, the candidate stage proposes {by_stage[true].mean():.4f}, "
          f"{linked[true].mean():.4f} within two links; the largest group joined by candidate pairs holds "
          f"{largest_group(pairs, len(inputs.layout.doc_of)):.1%} of the passages")


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    ap.add_argument("--sample", type=int, default=2000, help="passages sampled for the exact Jaccard recall")
    args = ap.parse_args(argv)
    with harness.generated_corpus(args.documents, args.seed) as root:
        inputs = harness.pipeline_inputs(root)
    s, sig, rows = inputs.settings, inputs.signatures, inputs.long_rows
    print(harness.machine_line())
    print(harness.workload_line(args.documents, args.seed, inputs, args.repeat))
    docs = inputs.layout.doc_of
    rank = passage_ranks([d.id for d in inputs.layout.documents], inputs.layout.local, docs)
    m_index, shape = harness.measure(lambda: build_index(sig[rows], rows, threshold=s.lsh_threshold, seed=s.seed),
                                     args.repeat, keep=lambda lsh: (lsh.bands, lsh.rows))
    lsh = build_index(sig[rows], rows, threshold=s.lsh_threshold, seed=s.seed)
    m_query, lsh_found = harness.measure(lambda: lsh_pairs(lsh, docs, rank=rank, clique=s.max_partners),
                                        args.repeat, keep=lambda p: {tuple(x) for x in p.tolist()})
    m_cand, pairs = harness.measure(lambda: candidate_pairs(lsh, inputs.shingles, inputs.layout, s), args.repeat)
    m_ds_index, _ = harness.measure(
        lambda: datasketch_index(sig[rows], rows, threshold=s.lsh_threshold, seed=s.seed), args.repeat,
        keep=lambda lsh: None)
    theirs = datasketch_index(sig[rows], rows, threshold=s.lsh_threshold, seed=s.seed)
    m_ds_query, ds_pairs = harness.measure(lambda: datasketch_pairs(theirs, sig, rows, docs, s.seed),
                                           args.repeat, keep=len)
    n_all = len(docs)
    print(harness.time_line("index: nccd band index", m_index, len(rows), "passages"))
    print(harness.time_line("index: datasketch MinHashLSH insert", m_ds_index, len(rows), "passages"))
    print(harness.time_line("pairs: nccd lsh_pairs (buckets, hubs)", m_query, len(rows), "passages"))
    print(harness.time_line("pairs: datasketch query per passage", m_ds_query, len(rows), "passages"))
    print(harness.time_line("candidates: candidate_pairs", m_cand, n_all, "passages"))
    print(harness.ratio_line("nccd band index", m_index.median, "datasketch MinHashLSH insert", m_ds_index.median))
    print(harness.ratio_line("nccd lsh_pairs", m_query.median, "datasketch query per passage", m_ds_query.median))
    print(f"candidates: {len(pairs):,} pairs, {len(pairs) / max(n_all, 1):.2f} per passage "
          f"({len(lsh_found):,} LSH pairs before the {s.max_partners}-partner limit, "
          f"{len(lsh_found) / max(len(rows), 1):.2f} per indexed passage; a query per passage walks "
          f"{ds_pairs:,} pairs, {ds_pairs / max(len(rows), 1):.2f} per indexed passage)")
    print_curve(*shape, s.lsh_threshold)
    sample = sorted(random.Random(args.seed).sample(rows.tolist(), min(args.sample, len(rows))))
    print_recall(inputs, sample, lsh_found, pairs, lsh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
