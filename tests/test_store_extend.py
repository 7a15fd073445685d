"""Adding to a store without discovery: the new documents are aligned against the stored templates only."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import nccd
from nccd.cli import app
from nccd.normalize import normalize
from nccd.store import Store

from .test_store import count, make_corpus, meta, stored


@pytest.fixture
def corpus(tmp_path):
    return sorted(make_corpus(tmp_path / "corpus", 12).glob("*.txt"))


def of(items, ids):
    return [x for x in items if x.doc_id in ids]


def test_new_documents_are_aligned_against_the_stored_templates(corpus, tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:9])
        before = store.result()
        summary = store.add(corpus[9:], discover=False)
        after = store.result()
    assert (summary.added, summary.unchanged, summary.documents, summary.aligned_only) == (3, 0, 12, True)
    old = {d.id for d in before.documents}
    new_docs = [d for d in after.documents if d.id not in old]
    assert len(new_docs) == 3 and after.documents == tuple(sorted(after.documents, key=lambda d: d.path))
    assert after.templates == before.templates  # no discovery: the templates stay as they were
    for name in ("passages", "spans", "scores"):
        assert of(getattr(after, name), old) == list(getattr(before, name))
    aligned = nccd.run(new_docs, before.settings, templates=before.templates, discover=False)
    new = {d.id for d in new_docs}
    assert of(after.spans, new) == list(aligned.spans) and len(aligned.spans) > 20
    assert of(after.scores, new) == list(aligned.scores) and of(after.passages, new) == list(aligned.passages)
    # Copies of seeds stored twice reuse their templates; the copy of the seed stored
    # once (004: its text is in no family yet) reuses far less until a discovery.
    reuse = sorted(s.reuse for s in aligned.scores)
    assert reuse[0] < 0.5 < 0.7 < reuse[1]
    place = {d.id: k for k, d in enumerate(after.documents)}
    assert [place[s.doc_id] for s in after.spans] == sorted(place[s.doc_id] for s in after.spans)
    assert count(db, "signatures") == len(after.passages)
    assert int(meta(db, "families_generation")) < int(meta(db, "documents_generation"))


def test_an_add_with_discovery_then_equals_a_scan_even_with_no_new_file(corpus, tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:9])
        store.add(corpus[9:], discover=False)
        summary = store.add(corpus)
        result = store.result()
    assert (summary.added, summary.unchanged) == (0, 12)
    assert result == nccd.scan(corpus)
    assert meta(db, "families_generation") == meta(db, "documents_generation") == meta(db, "results_generation")


def test_without_discovery_everything_is_recomputed_when_a_file_replaced_documents(corpus, tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:9])
        text = corpus[0].read_text(encoding="utf-8")
        corpus[0].write_text(text.replace("Our reference", "Your reference"), encoding="utf-8")
        summary = store.add([corpus[0], *corpus[9:]], discover=False)
        result = store.result()
    assert result == nccd.scan(corpus)  # the replaced document's old results could not stand
    assert not summary.aligned_only


def test_without_discovery_an_interrupted_add_is_completed(corpus, tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:6])
    # Documents stored by an add that stopped before its results: they lack scores.
    with Store(db) as store:
        store._refresh = lambda progress: None
        store.add(corpus[6:9])
    assert stored(db).documents != nccd.scan(corpus[:9]).documents
    with Store(db) as store:
        store.add(corpus[9:], discover=False)
        result = store.result()
    assert result == nccd.scan(corpus)


def test_index_add_no_discover(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(corpus[0].parent, "docs")
    runner = CliRunner()
    first = runner.invoke(app, ["index", "add", *(f"docs/{p.name}" for p in corpus[:9]), "--db", "c.db"])
    assert first.exit_code == 0
    out = runner.invoke(app, ["index", "add", "docs", "--no-discover", "--db", "c.db"])
    assert out.exit_code == 0
    assert out.stdout == ("c.db: 3 added, 9 unchanged, 0 skipped; 12 documents in the corpus\n"
                          "new responses aligned against the stored templates; families not rediscovered\n")
    again = runner.invoke(app, ["index", "add", "docs", "--no-discover", "--db", "c.db"])
    assert again.stdout == "c.db: 0 added, 12 unchanged, 0 skipped; 12 documents in the corpus\n"
    assert len(stored(tmp_path / "c.db").documents) == 12


def test_a_store_made_before_this_key_existed_has_no_discovery_due(corpus, tmp_path, monkeypatch):
    import sqlite3

    from nccd.store import core

    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:3])
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'families_generation'")
    runs = []
    monkeypatch.setattr(core, "run", lambda *a, **k: runs.append(k) or nccd.run(*a, **k))
    with Store(db) as store:
        store.add(corpus[:3])  # nothing new, nothing due: nothing is computed
        assert runs == []
        store.add(corpus[3:5], discover=False)
        assert [k["discover"] for k in runs] == [False]
        store.add(corpus[:5])  # discovery is now due
    assert [k.get("discover", True) for k in runs] == [False, True]
    assert meta(db, "families_generation") == meta(db, "documents_generation")


def test_the_keys_of_the_templates_are_stored_and_only_the_templates_met_are_read(corpus, tmp_path, monkeypatch):
    from nccd.store import core

    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:9])
        before = store.result()
        read = []
        monkeypatch.setattr(core, "run", lambda *a, **k: read.append(k) or nccd.run(*a, **k))
        store.add(corpus[9:], discover=False)
        after = store.result()
    assert count(db, "template_keys") > count(db, "templates") > 0
    (call,) = read
    met = call["templates"]
    assert 0 < len(met) <= len(before.templates) and [t.id for t in met] == sorted(t.id for t in met)
    # The wordings come normalised from the store, as normalize() gives them.
    texts = {v.text for t in met for v in t.variants}
    assert set(call["wordings"]) == texts
    for text, words in call["wordings"].items():
        again = normalize(text)
        assert words.words == again.words and words.original == text
        assert words.starts.tolist() == again.starts.tolist() and words.ends.tolist() == again.ends.tolist()
    new = [d for d in after.documents if d not in before.documents]
    every = nccd.run(new, before.settings, templates=before.templates, discover=False)
    assert of(after.spans, {d.id for d in new}) == list(every.spans)


def test_a_store_without_template_keys_discovers_again_on_an_add_without_discovery(corpus, tmp_path, monkeypatch):
    import sqlite3

    from nccd.store import SCHEMA_VERSION, core

    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(corpus[:9])
    with sqlite3.connect(db) as conn:  # as a store of schema version 1 was
        conn.execute("DROP TABLE template_keys")
        conn.execute("ALTER TABLE template_variants DROP COLUMN words")
        conn.execute("ALTER TABLE template_variants DROP COLUMN offsets")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    runs = []
    monkeypatch.setattr(core, "run", lambda *a, **k: runs.append(k.get("discover", True)) or nccd.run(*a, **k))
    with Store(db) as store:
        summary = store.add(corpus[9:], discover=False)
        assert not summary.aligned_only and runs == [True]
        assert stored(db) == nccd.scan(corpus)
        extra = tmp_path / "extra.txt"
        extra.write_text(corpus[0].read_text(encoding="utf-8").replace("Our reference", "Ref"), encoding="utf-8")
        assert store.add([extra], discover=False).aligned_only  # the keys are stored now
    assert runs == [True, False]
    assert meta(db, "schema_version") == str(SCHEMA_VERSION) and count(db, "template_keys") > 0
