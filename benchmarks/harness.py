"""Shared pieces of the benchmarks: the machine line, repeated measured runs,
peak memory, generated workloads and one print format.

Every measured call runs in a forked child process (where ``os.fork`` exists),
so its peak resident memory is its own: ``ru_maxrss`` of a forked child starts
near the parent's current size, not at the parent's earlier peak, and one
measurement never inflates the next. The child sends back its time, its peak,
its size when the call started and whatever ``keep`` extracts from the result.

Lines look like::

    machine: x86_64 (…), 2 cores, Python 3.11.7, numpy 2.4.6, datasketch 2.0.0, …
    workload: 1000 documents (seed 7), 42,938 passages, …; 3 runs each: median [min, max]
    time: nccd sketch        0.0034 s [0.0030, 0.0036] 1,491,432 passages/s  peak RSS 150 MB (+20 MB)
    ratio: nccd sketch is 30.3x as fast as datasketch bulk
    quality: template-span F1 0.9647, granularity 1.0177, plagdet 0.9526
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import multiprocessing
import os
import pickle
import platform
import resource
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PACKAGES = ("numpy", "datasketch", "rapidfuzz", "scikit-learn")
_KB = 1024.0  # ru_maxrss is in kilobytes on Linux (bytes on macOS: see _rss_mb)


def cpu_model() -> str:
    """The processor's model name where the system tells it, else its architecture."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for row in f:
                if row.startswith("model name"):
                    return f"{platform.machine()} ({row.split(':', 1)[1].strip()})"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def parser(doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's command line: ``--documents``, ``--seed`` and ``--repeat``, with the
    script's docstring as its help; the script adds its own options."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    return ap


def machine_line() -> str:
    """``machine: …``: processor, cores, Python and the versions of the packages compared."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return (f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            + ", ".join(versions))


@dataclass(frozen=True)
class Measure:
    """Times of repeated runs of one call and the memory the runs reached.

    ``peak_mb`` is the largest peak RSS of the process running the call (the
    interpreter, its inputs and the call); ``grown_mb`` the largest growth over
    the size the process had when the call started; ``workers_mb`` the largest
    peak of a worker process the call started, if any.
    """

    seconds: tuple[float, ...]
    peak_mb: float | None = None
    grown_mb: float | None = None
    workers_mb: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)

    def scaled(self, factor: float) -> "Measure":
        """The same runs with every time multiplied by ``factor`` (an extrapolation)."""
        return Measure(tuple(s * factor for s in self.seconds), self.peak_mb, self.grown_mb, self.workers_mb)


def _rss_mb(value: float) -> float:
    return value / (_KB * _KB) if sys.platform == "darwin" else value / _KB


def _current_rss_mb() -> float:
    """Resident size now (Linux ``/proc``), else the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _one_run(fn: Callable[[], Any], keep: Callable[[Any], Any]) -> tuple:
    """Run ``fn`` once, here: ``(seconds, peak MB, start MB, workers MB, keep(result))``."""
    start = _current_rss_mb()
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    peak = _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    workers = _rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak, start, workers, keep(out)


def _forked_run(fn: Callable[[], Any], keep: Callable[[Any], Any]) -> tuple:
    """:func:`_one_run` in a forked child; its answer comes back pickled through a pipe."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        os.close(read_end)
        code = 0
        try:
            payload = pickle.dumps(("ok", _one_run(fn, keep)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - reported by the parent
            payload, code = pickle.dumps(("error", traceback.format_exc())), 1
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as src:
        data = src.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the measured child process died without an answer")
    status, value = pickle.loads(data)
    if status != "ok":
        raise RuntimeError(f"the measured call failed in its child process:\n{value}")
    return value


def warm_up() -> None:
    """Load nccd's compiled kernels in this process, so forked runs time the work,
    not numba loading its cache (a one-off cost of every new process)."""
    import numpy as np

    from nccd.align import align_words
    from nccd.shingle import Shingles
    from nccd.sketch import sketch

    sketch(Shingles(np.array([1, 2], dtype=np.uint32), np.array([0, 2], dtype=np.int64)), 4, 1)
    align_words([1, 2, 3, 4], [1, 2, 3, 4], min_words=2)


def measure(fn: Callable[[], Any], repeat: int = 1, keep: Callable[[Any], Any] | None = None,
            fork: bool = True) -> tuple[Measure, Any]:
    """Time ``repeat`` runs of ``fn()``, each in its own child process where possible.

    Parameters
    ----------
    fn:
        The call to measure; it reads its inputs from the enclosing scope (a
        forked child sees the parent's memory as it stood).
    repeat:
        Number of runs; at least one.
    keep:
        What to send back from the result of the last run (it must pickle);
        ``None`` keeps the whole result.
    fork:
        Run in a forked child (the default where ``os.fork`` exists); else in
        this process, where the peak reported is this process's peak so far.

    Returns
    -------
    (Measure, kept)
    """
    keep = keep or (lambda out: out)
    warm_up()
    runner = _forked_run if fork and hasattr(os, "fork") else _one_run
    runs = [runner(fn, keep) for _ in range(max(1, repeat))]
    return Measure(
        seconds=tuple(r[0] for r in runs),
        peak_mb=max(r[1] for r in runs),
        grown_mb=max(r[1] - r[2] for r in runs),
        workers_mb=max(r[3] for r in runs) or None,
    ), runs[-1][4]


def memory(m: Measure) -> str:
    """``peak RSS 150 MB (+20 MB)``: the process's peak and its growth during the call."""
    if m.peak_mb is None:
        return "peak RSS n/a"
    out = f"peak RSS {m.peak_mb:,.0f} MB (+{max(m.grown_mb or 0.0, 0.0):,.0f} MB)"
    if m.workers_mb:
        out += f", workers {m.workers_mb:,.0f} MB each at most"
    return out


def time_line(label: str, m: Measure, count: float | None = None, unit: str = "",
              extra: str = "") -> str:
    """``time: LABEL  median s [min, max]  rate unit/s  peak RSS …``."""
    rate = ""
    if count is not None and m.median > 0:
        r = count / m.median
        rate = f"{r:>12,.0f} {unit}/s" if r >= 100 else f"{r:>12,.2f} {unit}/s"
    tail = f"  {extra}" if extra else ""
    return f"time: {label:<30} {seconds(m.median):>9} s [{seconds(m.low)}, {seconds(m.high)}] {rate}  {memory(m)}{tail}"


def seconds(x: float) -> str:
    """Seconds to three decimals, or three significant digits below 0.1 s."""
    return f"{x:.3f}" if x >= 0.1 else f"{x:.3g}"


def times(x: float) -> str:
    """A ratio with as many decimals as it needs: ``12.3``, ``1.18``, ``0.0432``."""
    return f"{x:,.1f}" if x >= 10 else f"{x:.2f}" if x >= 0.1 else f"{x:.3g}"


def ratio_line(ours: str, ours_seconds: float, base: str, base_seconds: float, note: str = "") -> str:
    """``ratio: OURS is 2.50x as fast as BASE`` (time of BASE over time of OURS)."""
    r = base_seconds / ours_seconds if ours_seconds > 0 else float("inf")
    return f"ratio: {ours} is {times(r)}x as fast as {base}" + (f" ({note})" if note else "")


def runs_note(repeat: int) -> str:
    """How the times are summarised, for the workload line."""
    return f"{max(1, repeat)} run(s) each: median [min, max]"


@contextlib.contextmanager
def generated_corpus(documents: int, seed: int, workers: int | None = None) -> Iterator[Path]:
    """A labelled corpus from :func:`nccd.synth.generate` in a temporary folder,
    removed afterwards: ``root/docs/*.txt``, ``root/manifest.csv``, ``root/labels``."""
    from nccd.synth import SynthSettings, generate

    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    with tempfile.TemporaryDirectory(prefix="nccd-bench-") as tmp:
        root = Path(tmp)
        settings = SynthSettings(documents=documents, seed=seed, workers=workers)
        if hasattr(os, "fork"):
            # In a child of its own: the memory the generator held would otherwise stay
            # in this process, and in every measured child forked from it.
            child = multiprocessing.get_context("fork").Process(target=generate, args=(root, settings))
            child.start()
            child.join()
            if child.exitcode != 0:
                raise RuntimeError(f"generating the corpus failed (exit code {child.exitcode})")
        else:
            generate(root, settings)
        yield root


def corpus_bytes(root: Path) -> int:
    """Total size of the generated documents."""
    return sum(p.stat().st_size for p in (root / "docs").glob("*.txt"))


def megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


@dataclass
class Inputs:
    """The pipeline's data up to the sketch stage, as :func:`nccd.pipeline.run` builds it."""

    documents: list
    words: list
    passages: list
    layout: Any
    shingles: Any
    signatures: Any
    settings: Any

    @property
    def long_rows(self) -> list[int]:
        """Passages the LSH index holds (``min_words`` or more words)."""
        return self.layout.rows(min_words=self.settings.min_words)


def pipeline_inputs(root: Path, settings: Any = None) -> Inputs:
    """Read a generated corpus and run normalize, segment, shingle and sketch on it,
    calling the same functions in the same order as :func:`nccd.pipeline.run`."""
    import nccd
    from nccd.ingest.documents import ingest
    from nccd.layout import Layout
    from nccd.normalize import normalize
    from nccd.segment import segment
    from nccd.shingle import shingle
    from nccd.sketch import sketch

    settings = settings or nccd.Settings()
    documents, _ = ingest([root / "docs"], manifest=str(root / "manifest.csv"))
    words = [normalize(d.text, ignore=d.ignore) for d in documents]
    passages = [segment(d) for d in documents]
    layout = Layout(documents, words, passages)
    shingles = shingle(layout.passage_words(), settings.shingle_size)
    signatures = sketch(shingles, settings.num_perm, settings.seed)
    return Inputs(documents, words, passages, layout, shingles, signatures, settings)


def workload_line(documents: int, seed: int, inputs: Inputs | None, repeat: int, extra: str = "") -> str:
    """``workload: N documents (seed S), P passages, C characters; R run(s) each …``."""
    parts = [f"{documents} documents (seed {seed})"]
    if inputs is not None:
        chars = sum(len(d.text) for d in inputs.documents)
        parts.append(f"{len(inputs.layout.doc_of):,} passages ({len(inputs.long_rows):,} of "
                     f"{inputs.settings.min_words}+ words), {chars:,} characters")
    if extra:
        parts.append(extra)
    return "workload: " + ", ".join(parts) + "; " + runs_note(repeat)
