"""Adding a batch to a stored corpus: ``Store.add`` without discovery against a full
re-discovery, in the same run.

    python benchmarks/bench_store.py --documents 10000 --add 100 --repeat 3

Generates ``--documents`` + ``--add`` documents, stores the first ``--documents``
(one full ``add``, timed once), then adds the last ``--add`` to a fresh copy of
that store in each run: without discovery (``discover=False``: aligned against
the stored templates) and with it (every family discovered again over the whole
corpus, what an ``add`` did before). Prints the time of each, their ratio, and
the template-span F1 of the added documents under each, on the corpus's ground truth.

With ``--no-baseline`` (for 100,000 documents, where discovering again takes
as long as the build) the adds with discovery are left out, and the ratio is
taken against the build, the one full discovery the same run measured.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_baseline  # noqa: E402
import harness  # noqa: E402

from nccd.eval import evaluate, load_labels  # noqa: E402
from nccd.report import result_record  # noqa: E402
from nccd.store import Store  # noqa: E402


def build(db: Path, files: list[Path]) -> None:
    """The stored corpus: one ``add`` of every file."""
    with Store(db) as store:
        store.add(files)


def add_runs(db: Path, files: list[Path], *, discover: bool, repeat: int, keep) -> tuple[harness.Measure, dict]:
    """``repeat`` adds of ``files``, each to its own copy of ``db`` (the copy is not timed)."""
    runs, kept = [], {}
    with tempfile.TemporaryDirectory(prefix="nccd-bench-store-") as tmp:
        for r in range(max(1, repeat)):
            copy = Path(tmp) / f"run{r}.db"
            shutil.copyfile(db, copy)

            def add(path=copy):
                with Store(path) as store:
                    store.add(files, discover=discover)
                return path

            m, kept = harness.measure(add, 1, keep=keep)  # keep reads the result back, after the timing
            runs.append(m)
            copy.unlink()
    return harness.Measure(tuple(m.seconds[0] for m in runs), max(m.peak_mb or 0 for m in runs),
                           max(m.grown_mb or 0 for m in runs), max(m.workers_mb or 0 for m in runs) or None), kept


def added_quality(root: Path, added: list[Path]):
    """What to keep of a run: the template-span quality of the added documents, read from its store
    (and the labels read there, in the measured child after the measurement, not in the parent)."""
    names = {p.name for p in added}

    def keep(db: Path):
        labels = {k: v for k, v in load_labels(root / "labels").items() if k in names}
        with Store(db) as store:
            result = store.result()
        texts = {Path(d.path).name: d.text for d in result.documents if Path(d.path).name in names}
        return evaluate(result_record(result), labels, texts)

    return keep


def main(argv: list[str] | None = None) -> int:
    ap = harness.parser(__doc__)
    ap.add_argument("--add", type=int, default=100, help="documents added to the stored corpus")
    ap.add_argument("--no-baseline", action="store_true",
                    help="leave out the adds that discover again; compare with the build")
    args = ap.parse_args(argv)
    print(harness.machine_line())
    with harness.generated_corpus(args.documents + args.add, args.seed) as root, \
            tempfile.TemporaryDirectory(prefix="nccd-bench-store-") as tmp:
        files = sorted((root / "docs").glob("*.txt"))
        stored, added = files[:args.documents], files[args.documents:]
        db = Path(tmp) / "corpus.db"
        m_build, _ = harness.measure(lambda: build(db, stored), 1, keep=lambda out: None)
        keep = added_quality(root, added)
        m_quick, quick = add_runs(db, added, discover=False, repeat=args.repeat, keep=keep)
        if not args.no_baseline:
            m_full, full = add_runs(db, added, discover=True, repeat=args.repeat, keep=keep)
        size = db.stat().st_size
    print(f"workload: {args.documents} documents stored (seed {args.seed}), {len(added)} added; "
          f"store {harness.megabytes(size)}; {harness.runs_note(args.repeat)}")
    print(harness.time_line("store: add all (build)", m_build, args.documents, "documents"))
    print(harness.time_line("add without discovery", m_quick, len(added), "documents"))
    if args.no_baseline:
        print(harness.ratio_line("adding without discovery", m_quick.median, "the build", m_build.median,
                                 "discovering again was not run: the build is the full discovery measured"))
        print(bench_baseline.quality_line("added, no discovery", quick))
        return 0
    print(harness.time_line("add, discovering again", m_full, len(added), "documents"))
    print(harness.ratio_line("adding without discovery", m_quick.median, "discovering again", m_full.median,
                             "the added documents are aligned against the stored templates only"))
    print(bench_baseline.quality_line("added, no discovery", quick))
    print(bench_baseline.quality_line("added, discovered", full))
    return 0


if __name__ == "__main__":
    sys.exit(main())
