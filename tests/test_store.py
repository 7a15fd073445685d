"""The persistent corpus: real SQLite files, compared with a scan of the same files."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import nccd
from nccd.layout import Layout
from nccd.normalize import normalize
from nccd.report import to_json
from nccd.segment import segment
from nccd.settings import Settings
from nccd.shingle import shingle
from nccd.sketch import sketch
from nccd.store import SCHEMA_VERSION, AddSummary, Store, StoreError
from nccd.store import core, schema

from .conftest import ROOT, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A copy of the seed responses (and their manifest) that tests may touch."""
    out = tmp_path / "seeds"
    shutil.copytree(SEEDS, out)
    return out


def make_corpus(directory: Path, n: int = 40) -> Path:
    """``n`` responses: the seeds over and over, each with a small edit that makes it unique."""
    directory.mkdir(parents=True)
    for i in range(n):
        text = SEED_FILES[i % len(SEED_FILES)].read_text(encoding="utf-8")
        text = text.replace(" the ", " this ", 1 + i // len(SEED_FILES))
        (directory / f"{i:03d}_copy.txt").write_text(f"Our reference: FOI/{i:04d}/24\n\n{text}", encoding="utf-8")
    return directory


def stored(db: Path) -> nccd.Result:
    with Store(db) as store:
        return store.result()


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def meta(db: Path, key: str) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]


def set_meta(db: Path, key: str, value: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    conn.close()


# -- the results equal a scan ---------------------------------------------------------------


def test_store_result_equals_scan(seeds, tmp_path):
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        summary = store.add([seeds])
        result = store.result()
    assert summary == AddSummary(added=5, unchanged=0, skipped=(), documents=5)
    scanned = nccd.scan([seeds])
    assert result.documents == scanned.documents
    assert result.passages == scanned.passages
    assert result.spans == scanned.spans
    assert result.templates == scanned.templates
    assert result.scores == scanned.scores
    assert result == scanned
    assert to_json(result) == to_json(scanned)
    assert to_json(stored(db)) == to_json(scanned)  # read back by a new connection


def test_manifest_applies_as_in_a_scan(seeds, tmp_path):
    manifest = str(seeds / "manifest.csv")
    with Store(tmp_path / "corpus.db") as store:
        store.add([seeds], manifest=manifest)
        result = store.result()
    assert result == nccd.scan([seeds], manifest=manifest)
    assert {d.force for d in result.documents} >= {"Northumbria Police", "Metropolitan Police Service"}


def test_documents_are_stored_verbatim_sorted_by_path(seeds, tmp_path):
    with Store(tmp_path / "corpus.db") as store:
        store.add([seeds])
        documents = store.documents()
    assert [d.path for d in documents] == sorted(d.path for d in documents)
    for doc in documents:
        assert doc.text == Path(doc.path).read_text(encoding="utf-8")
    assert documents == list(nccd.scan([seeds]).documents)


def test_adding_in_two_batches_equals_adding_all_at_once(seeds, tmp_path):
    files = sorted(seeds.glob("*.txt"))
    with Store(tmp_path / "twice.db") as store:
        first = store.add(files[:3])
        second = store.add(files[3:])
        twice = store.result()
    with Store(tmp_path / "once.db") as store:
        store.add(files)
        once = store.result()
    assert (first.added, first.documents, second.added, second.documents) == (3, 3, 2, 5)
    assert twice == once == nccd.scan(files)


def test_signatures_are_the_pipelines_minhashes_as_raw_bytes(seeds, tmp_path):
    settings = Settings(num_perm=64, seed=7)
    db = tmp_path / "corpus.db"
    with Store(db, settings) as store:
        store.add([seeds])
        documents = store.documents()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT p.doc_id, p.idx, s.minhash FROM passages p JOIN signatures s "
                            "ON s.doc_id = p.doc_id AND s.idx = p.idx ORDER BY p.rowid").fetchall()
        assert conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0] == len(rows)
    assert rows and all(isinstance(blob, bytes) and len(blob) == 64 * 4 for *_, blob in rows)
    layout = Layout(documents, [normalize(d.text, ignore=d.ignore) for d in documents],
                    [segment(d) for d in documents])
    expected = sketch(shingle(layout.passage_words(), settings.shingle_size), 64, 7)
    got = np.stack([np.frombuffer(blob, dtype="<u4") for *_, blob in rows])
    assert np.array_equal(got, expected)


# -- re-adding ------------------------------------------------------------------------------


def test_re_adding_reads_nothing_and_changes_nothing(seeds, tmp_path, monkeypatch):
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        store.add([seeds])
    before = stored(db)
    generation = meta(db, "results_generation")

    def refuse(path, **_):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(core, "read_documents", refuse)
    os.utime(seeds / SEED_FILES[0].name, ns=(1, 1))  # touched, not changed: hashed, not read
    with Store(db) as store:
        summary = store.add([seeds])
        again = store.add([seeds])
    assert summary == AddSummary(added=0, unchanged=5, skipped=(), documents=5)
    assert again == summary
    assert stored(db) == before
    assert meta(db, "results_generation") == generation  # nothing recomputed
    assert count(db, "files") == 5


def test_a_changed_file_replaces_its_documents(seeds, tmp_path):
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        store.add([seeds])
        target = seeds / SEED_FILES[2].name
        target.write_text(target.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
        summary = store.add([seeds])
        result = store.result()
    assert (summary.added, summary.unchanged, summary.documents) == (1, 4, 5)
    assert result == nccd.scan([seeds])


def test_the_same_text_is_stored_once(seeds, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEED_FILES[0], other / "copy.txt")
    with Store(tmp_path / "corpus.db") as store:
        store.add([seeds])
        summary = store.add([other])
    assert (summary.added, summary.documents) == (1, 5)


def test_unreadable_files_are_skipped_and_the_rest_stored(seeds, tmp_path):
    (seeds / "empty.txt").write_bytes(b"")
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        summary = store.add([seeds, tmp_path / "missing.txt"])
    reasons = {Path(s.path).name: s.reason for s in summary.skipped}
    assert reasons == {"empty.txt": "empty file", "missing.txt": "no such file or directory"}
    assert (summary.added, summary.documents) == (5, 5)
    assert count(db, "files") == 5  # a skipped file is tried again next time


# -- opening --------------------------------------------------------------------------------


def test_other_settings_are_refused_naming_the_setting(tmp_path):
    db = tmp_path / "corpus.db"
    Store(db).close()
    with pytest.raises(StoreError) as err:
        Store(db, Settings(min_words=10))
    assert str(err.value) == (f"{db}: setting min_words is 8 in the store, 10 asked; "
                              "open it with the store's settings or use a new file")
    with Store(db, Settings()) as store:
        assert store.settings == Settings()


def test_no_settings_means_the_stores_own(tmp_path):
    db = tmp_path / "corpus.db"
    Store(db, Settings(min_words=10, lsh_threshold=0.4)).close()
    with Store(db) as store:
        assert store.settings == Settings(min_words=10, lsh_threshold=0.4)
    assert meta(db, "min_words") == "10"
    assert meta(db, "nccd_version") == nccd.__version__


def test_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "corpus.db"
    Store(db).close()
    set_meta(db, "schema_version", str(SCHEMA_VERSION + 1))
    newer = f"schema version {SCHEMA_VERSION + 1} is newer than this nccd's {SCHEMA_VERSION}"
    with pytest.raises(StoreError, match=newer):
        Store(db)


def test_an_older_schema_is_migrated(tmp_path, monkeypatch):
    db = tmp_path / "corpus.db"
    Store(db).close()
    set_meta(db, "schema_version", str(SCHEMA_VERSION - 1))
    monkeypatch.setattr(schema, "_MIGRATIONS", {SCHEMA_VERSION: ["CREATE TABLE migrated (x INTEGER)"]})
    Store(db).close()
    assert meta(db, "schema_version") == str(SCHEMA_VERSION)
    assert count(db, "migrated") == 0
    Store(db).close()  # migrated once, opened again as it is


def test_an_older_schema_without_a_migration_step_is_refused(tmp_path, monkeypatch):
    db = tmp_path / "corpus.db"
    Store(db).close()
    set_meta(db, "schema_version", str(SCHEMA_VERSION - 1))
    monkeypatch.setattr(schema, "_MIGRATIONS", {})
    with pytest.raises(StoreError, match="cannot be migrated"):
        Store(db)
    assert meta(db, "schema_version") == str(SCHEMA_VERSION - 1)


def test_files_that_are_not_stores_are_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some words " * 100)
    with pytest.raises(StoreError, match="not an nccd store"):
        Store(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(StoreError, match=r"other\.db: not an nccd store"):
        Store(other)


# -- the tables as people read them ---------------------------------------------------------


def test_tables_and_views_read_as_documented(seeds, tmp_path):
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        store.add([seeds])
    conn = sqlite3.connect(db)
    columns = {name: [r[1] for r in conn.execute(f"PRAGMA table_info({name})")] for name in (
        "files", "scores", "spans", "templates", "reuse_by_force_year", "template_use_by_force_year")}
    assert columns["files"] == ["path", "size", "mtime_ns", "sha256"]
    assert columns["scores"] == ["doc_id", "chars", "reuse", "reuse_ncnd", "reuse_legal", "reuse_request",
                                 "reuse_letter", "reuse_answer", "ncnd", "exemptions", "coverage"]
    assert columns["reuse_by_force_year"] == ["force", "year", "documents", "ncnd_share", "mean_reuse"]
    assert columns["template_use_by_force_year"] == ["template_id", "force", "year", "documents"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sum(r[0] for r in conn.execute("SELECT documents FROM reuse_by_force")) == 5
    span_text, start, end, doc_text = conn.execute(
        'SELECT s.text, s."start", s."end", d.text FROM spans s JOIN documents d ON d.id = s.doc_id').fetchone()
    assert span_text == doc_text[start:end]
    assert conn.execute("SELECT SUM(documents) FROM templates").fetchone()[0] == count(db, "template_documents")
    conn.close()


# -- interruption and concurrency -----------------------------------------------------------

_SLOW_ADD = """
import sys, time
from nccd.store import Store

def slowly(stage, done, total):
    if stage == "ingest":
        time.sleep(0.05)

with Store(sys.argv[1]) as store:
    store.add([sys.argv[2]], progress=slowly)
"""


def _wait_for_documents(db: Path, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and count(db, "documents") > 0:
                return
        except sqlite3.OperationalError:
            pass  # the tables are not made yet
        time.sleep(0.005)
    raise AssertionError("the add stored nothing in time")


def test_a_killed_add_keeps_whole_documents_and_a_re_run_completes(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_ADD, str(db), str(corpus)], env=env)
    try:
        _wait_for_documents(db, proc, time.monotonic() + 30)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        kept = store.documents()
        assert store.stale
        assert store.result().documents == ()  # no results were stored before the kill
    assert 0 < len(kept) < 40
    for doc in kept:
        assert doc.text == (corpus / Path(doc.path).name).read_text(encoding="utf-8")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(kept)
    with Store(db) as store:
        summary = store.add([corpus])
        resumed = store.result()
        assert not store.stale
    assert (summary.unchanged, summary.added, summary.documents) == (len(kept), 40 - len(kept), 40)
    with Store(tmp_path / "clean.db") as store:
        store.add([corpus])
        clean = store.result()
    assert resumed == clean
    assert to_json(resumed) == to_json(nccd.scan([corpus]))


def test_reading_while_another_connection_writes(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "corpus.db"
    Store(db).close()
    done, errors, seen = threading.Event(), [], []

    def read() -> None:
        while not done.is_set():
            try:
                with Store(db) as store:
                    seen.append(count(db, "documents"))
                    result = store.result()
                    # The results of one completed add at a time: none yet, or all 40.
                    assert len(result.documents) in (0, 40) and len(result.scores) == len(result.documents)
            except Exception as err:  # noqa: BLE001 - any failure of a reader is the finding
                errors.append(err)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        with Store(db) as store:
            summary = store.add([corpus], progress=lambda stage, n, total: time.sleep(0.002))
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert summary.documents == 40
    assert len(seen) > 3 and seen == sorted(seen)


def test_adding_documents_sketches_only_the_new_ones(tmp_path, monkeypatch):
    import nccd.pipeline as pipeline
    from nccd.store import Store

    seeds = sorted(Path(__file__).resolve().parent.parent.joinpath("fixtures", "seeds").glob("*.txt"))
    sketched: list[int] = []
    real = pipeline.sketch

    def counting(shingles, num_perm, seed, *, rows, jobs=1):
        sketched.append(len(rows))
        return real(shingles, num_perm, seed, rows=rows, jobs=jobs)

    monkeypatch.setattr(pipeline, "sketch", counting)
    db = str(tmp_path / "c.db")
    with Store(db) as store:
        store.add([str(p) for p in seeds[:3]])
        first = sum(sketched)
        sketched.clear()
        store.add([str(p) for p in seeds])
        new_passages = sum(1 for p in store.result().passages
                           if p.doc_id in {d.id for d in store.documents() if d.path in {str(s) for s in seeds[3:]}})
    assert first > 0 and sum(sketched) == new_passages
