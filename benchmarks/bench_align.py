"""Benchmark the align stage against all-pairs fuzzy matching and TF-IDF cosine.

    python benchmarks/bench_align.py --documents 1000 --repeat 3

On a generated corpus, builds the stage's inputs with the pipeline's own
functions (up to ``candidate_pairs``, then ``cluster`` and ``build_templates``
for the templates) and times nccd's two alignments: ``align_pairs`` on the
candidate pairs (aligned pairs/s and documents/s) and ``align_documents``
(every document against the templates). Baselines on the same passages (their
comparison words, space-joined): rapidfuzz ``process.cdist`` with
``fuzz.ratio`` over all pairs, and scikit-learn ``TfidfVectorizer`` with the
sparse cosine of all pairs, counted above a cutoff in chunks of rows so memory
stays bounded. Both are quadratic: above ``--cdist-sample`` /
``--tfidf-sample`` passages they run on a random sample and the full all-pairs
time is extrapolated by the square of the size ratio (printed as such).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from nccd.align.corpus import align_documents, align_pairs  # noqa: E402
from nccd.candidates import candidate_pairs  # noqa: E402
from nccd.cluster import cluster  # noqa: E402
from nccd.index import build_index  # noqa: E402
from nccd.template import Corpus, build_templates  # noqa: E402

_CELLS = 1 << 23  # scores held at once by a baseline: bounds its memory


def cdist_pairs(texts: list[str], cutoff: int) -> int:
    """All-pairs ``fuzz.ratio`` (``uint8``, every core), in chunks of rows; pairs ``i < j`` at ``cutoff`` or above."""
    n, found = len(texts), 0
    step = max(1, _CELLS // max(n, 1))
    for a in range(0, n, step):
        scores = process.cdist(texts[a:a + step], texts, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
        found += int(np.triu(scores >= cutoff, k=a + 1).sum())
    return found


def tfidf_pairs(texts: list[str], cutoff: float) -> int:
    """TF-IDF vectors of the texts, then the sparse cosine of all pairs in chunks of
    rows; pairs ``i < j`` at ``cutoff`` or above."""
    x = TfidfVectorizer(dtype=np.float32).fit_transform(texts)
    xt = x.T.tocsr()
    n, found = x.shape[0], 0
    step = max(1, _CELLS // max(n, 1))
    for a in range(0, n, step):
        block = (x[a:a + step] @ xt).tocoo()
        found += int(((block.data >= cutoff) & (block.col > block.row + a)).sum())
    return found


def baseline(name: str, fn, texts: list[str], sample: int, seed: int, repeat: int):
    """Time ``fn`` on all texts, or on a sample and extrapolate by ``(n / sample) ** 2``."""
    n = len(texts)
    used = texts if n <= sample else random.Random(seed).sample(texts, sample)
    m, pairs = harness.measure(lambda: fn(used), repeat)
    factor = (n / len(used)) ** 2
    how = "measured on all passages" if factor == 1 else (
        f"EXTRAPOLATED x{factor:,.1f} from a random sample of {len(used):,} of {n:,} passages; memory is the sample's")
    return m.scaled(factor), pairs, how, len(used)


def prepare(inputs: harness.Inputs):
    """Candidate pairs, as the pipeline makes them before its align stage."""
    s, rows = inputs.settings, inputs.long_rows
    lsh = build_index(inputs.signatures[rows], rows, threshold=s.lsh_threshold, seed=s.seed)
    return candidate_pairs(lsh, inputs.shingles, inputs.layout, s)


def templates_of(inputs: harness.Inputs, links) -> list:
    """Templates from the links, as the pipeline builds them (``cluster`` + ``build_templates``)."""
    s = inputs.settings
    families = cluster(links, min_documents=s.min_documents)
    corpus = Corpus(inputs.documents, inputs.words, inputs.layout.word_roles())
    return sorted(build_templates(families, corpus, s.max_variants), key=lambda t: t.id)


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    ap.add_argument("--cdist-sample", type=int, default=5000, help="largest passage count cdist runs on in full")
    ap.add_argument("--tfidf-sample", type=int, default=50000, help="largest passage count TF-IDF runs on in full")
    ap.add_argument("--ratio-cutoff", type=int, default=75, help="fuzz.ratio score counted as a match")
    ap.add_argument("--cosine-cutoff", type=float, default=0.5, help="TF-IDF cosine counted as a match")
    args = ap.parse_args(argv)
    with harness.generated_corpus(args.documents, args.seed) as root:
        inputs = harness.pipeline_inputs(root)
    s, layout, docs = inputs.settings, inputs.layout, len(inputs.documents)
    pairs = prepare(inputs)
    print(harness.machine_line())
    print(harness.workload_line(args.documents, args.seed, inputs, args.repeat, f"{len(pairs):,} candidate pairs"))
    m_pairs, links = harness.measure(lambda: align_pairs(pairs, layout, s), args.repeat)
    templates = templates_of(inputs, links)
    m_docs, spans = harness.measure(lambda: align_documents(layout, inputs.shingles, templates, s), args.repeat,
                                    keep=len)
    print(harness.time_line("nccd align_pairs", m_pairs, len(pairs), "pairs",
                            f"{docs / m_pairs.median:,.1f} documents/s, {len(links):,} links"))
    print(harness.time_line("nccd align_documents", m_docs, docs, "documents",
                            f"{len(templates):,} templates, {spans:,} spans"))
    both = harness.Measure(tuple(a + b for a, b in zip(m_pairs.seconds, m_docs.seconds)),
                           max(m_pairs.peak_mb or 0, m_docs.peak_mb or 0) or None,
                           max(m_pairs.grown_mb or 0, m_docs.grown_mb or 0) or None)
    print(harness.time_line("nccd align (both)", both, docs, "documents"))
    texts = [" ".join(w) for w in layout.passage_words()]
    n = len(texts)
    for name, fn, cap in (
        ("cdist fuzz.ratio all pairs", lambda t: cdist_pairs(t, args.ratio_cutoff), args.cdist_sample),
        ("TF-IDF cosine all pairs", lambda t: tfidf_pairs(t, args.cosine_cutoff), args.tfidf_sample),
    ):
        m, found, how, used = baseline(name, fn, texts, cap, args.seed, args.repeat)
        print(harness.time_line(name, m, n * (n - 1) / 2, "pairs", f"{docs / m.median:,.2f} documents/s; {how}"))
        print(f"  {found:,} pairs at or above the cutoff among the {used:,} passages compared")
        note = "extrapolated" if used < n else ""
        print(harness.ratio_line("nccd align_pairs", m_pairs.median, name, m.median, note))
        print(harness.ratio_line("nccd align (both)", both.median, name, m.median, note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
