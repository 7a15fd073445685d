"""Worker processes change how fast a scan runs, never what it finds."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest

import nccd
from nccd.parallel import check_jobs, chunked, threaded, threaded_blocks
from nccd.report import write
from nccd.synth import SynthSettings, generate


def _squares(state, lo, hi):
    return [state[i] ** 2 for i in range(lo, hi)]


def test_chunks_come_back_in_order_whatever_the_workers():
    items = list(range(1000))
    ticks = []
    forked = chunked(_squares, items, len(items), jobs=2, min_chunk=10, progress=lambda d, n: ticks.append(d))
    assert forked == chunked(_squares, items, len(items), jobs=1) == [i * i for i in items]
    assert ticks[-1] == 1000 and ticks == sorted(ticks)


@pytest.mark.parametrize("jobs", [1, 2, 3, 7])
def test_threaded_slices_come_back_in_order_and_no_thread_stays(jobs):
    import threading

    parts = threaded(lambda lo, hi: list(range(lo, hi)), 20, jobs=jobs)
    assert len(parts) == jobs and [x for p in parts for x in p] == list(range(20))
    assert threading.active_count() == 1  # a fork may follow


def test_jobs_are_checked():
    assert check_jobs(3) == 3 and check_jobs(None) >= 1 and check_jobs(0) >= 1
    with pytest.raises(ValueError, match="jobs must be >= 0"):
        check_jobs(-1)


def _rendered(result, fmt: str) -> str:
    out = io.StringIO()
    write(result, fmt, out, None)
    return out.getvalue()


def test_scan_output_is_byte_identical_with_one_and_two_workers(tmp_path, monkeypatch):
    import nccd.template

    generate(tmp_path, SynthSettings(documents=140, seed=5))
    monkeypatch.setattr(nccd.template, "_CHUNK", 16)  # families built in chunks small enough to fork for
    outs = []
    for jobs in (1, 2):
        result = nccd.scan([tmp_path / "docs"], manifest=str(tmp_path / "manifest.csv"), jobs=jobs)
        outs.append(tuple(_rendered(result, fmt) for fmt in ("json", "csv")))
    assert outs[0] == outs[1]
    assert '"spans"' in outs[0][0]


def _pids(state, lo, hi):
    import os

    return [os.getpid()] * (hi - lo)


def test_no_fork_while_other_threads_run():
    import os
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # a fork now could copy a lock another thread holds, and the child would wait forever
        assert set(chunked(_pids, None, 500, jobs=2, min_chunk=10)) == {os.getpid()}
    finally:
        stop.set()
        other.join()
    assert os.getpid() not in set(chunked(_pids, None, 500, jobs=2, min_chunk=10))


def test_parallel_ingest_skips_bad_files_in_order_and_strict_stops_at_the_first(tmp_path):
    from nccd.ingest import IngestError
    from nccd.ingest.documents import ingest

    for k in range(150):
        (tmp_path / f"{k:03d}.txt").write_text(f"Response number {k} about drones.\n", encoding="utf-8")
    (tmp_path / "050_broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "120_broken.pdf").write_bytes(b"%PDF-1.4 nor this")
    docs, skipped = ingest([tmp_path], jobs=2)
    assert len(docs) == 150 and [s.path.rsplit("/", 1)[1] for s in skipped] == ["050_broken.pdf", "120_broken.pdf"]
    assert (docs, skipped) == ingest([tmp_path], jobs=1)
    with pytest.raises(IngestError, match="050_broken.pdf"):
        ingest([tmp_path], jobs=2, strict=True)


def test_joined_columns_equal_concatenation_and_empty_the_parts():
    from nccd.align.corpus import joined

    parts = [(np.arange(6, dtype=np.int32).reshape(3, 2), np.array([0.5, 1.5, 2.5])),
             (np.zeros((0, 2), dtype=np.int32), np.zeros(0)),
             (np.full((1, 2), 9, dtype=np.int32), np.array([3.5]))]
    expect = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
    got = joined(parts, (np.zeros((0, 2), dtype=np.int32), np.zeros(0)))
    assert parts == [] and all(np.array_equal(g, e) and g.dtype == e.dtype for g, e in zip(got, expect))
    empty = joined([], (np.zeros((0, 8), dtype=np.int32), np.zeros(0)))
    assert empty[0].shape == (0, 8) and empty[1].shape == (0,)


@pytest.mark.parametrize("n, block, jobs", [(0, 4, 2), (1, 4, 2), (10, 3, 2), (10, 3, 1), (64, 1, 3), (7, 100, 2)])
def test_threaded_blocks_calls_each_block_once(n, block, jobs):
    seen, lock = [], threading.Lock()

    def kernel(lo, hi):
        with lock:
            seen.append((lo, hi))

    threaded_blocks(kernel, n, block, jobs=jobs)
    assert sorted(seen) == [(lo, min(lo + block, n)) for lo in range(0, n, block)]
