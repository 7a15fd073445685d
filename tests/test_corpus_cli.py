"""The corpus commands end to end on a real SQLite file: index add, scan --db, query, templates, report, compare."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

import nccd
from nccd.cli import app

from .conftest import ROOT, SEEDS

NO_INFERENCE = ("No inference can be taken from this refusal that any further information relevant to your "
                "request does or does not exist.")


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    (tmp_path / "seeds").mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, tmp_path / "seeds" / p.name)
    return CliRunner()


def test_index_add_is_incremental_and_idempotent(corpus):
    first = corpus.invoke(app, ["index", "add", "seeds/000_b9307369c2648074.txt", "seeds/002_c9c96f7571ac27c1.txt",
                                "--db", "c.db"])
    assert first.exit_code == 0
    assert first.stdout == "c.db: 2 added, 0 unchanged, 0 skipped; 2 documents in the corpus\n"
    second = corpus.invoke(app, ["index", "add", "seeds", "--db", "c.db"])
    assert second.stdout == "c.db: 3 added, 2 unchanged, 0 skipped; 5 documents in the corpus\n"
    again = corpus.invoke(app, ["index", "add", "seeds", "--db", "c.db"])
    assert again.stdout == "c.db: 0 added, 5 unchanged, 0 skipped; 5 documents in the corpus\n"
    stored = json.loads(corpus.invoke(app, ["scan", "seeds", "--db", "c.db", "--format", "json"]).stdout)
    fresh = json.loads(corpus.invoke(app, ["scan", "seeds", "--format", "json"]).stdout)
    assert stored["documents"] == fresh["documents"] and stored["templates"] == fresh["templates"]


def test_settings_mismatch_is_a_usage_error(corpus):
    corpus.invoke(app, ["index", "add", "seeds", "--db", "c.db"])
    out = corpus.invoke(app, ["scan", "seeds", "--db", "c.db", "--min-words", "10"])
    assert out.exit_code == 2 and "setting min_words is 8 in the store, 10 asked" in out.output


def test_query_templates_report_compare(corpus):
    corpus.invoke(app, ["index", "add", "seeds", "--db", "c.db"])
    hits = json.loads(corpus.invoke(app, ["query", NO_INFERENCE, "--db", "c.db", "--format", "json"]).stdout)
    assert sorted(h["path"].rsplit("/", 1)[-1][:3] for h in hits) == ["000", "001"]
    assert all(h["similarity"] >= 0.95 for h in hits)
    templates = corpus.invoke(app, ["templates", "--db", "c.db", "--role", "letter", "--variants"])
    assert templates.exit_code == 0 and "Yours sincerely" in templates.stdout
    rows = json.loads(corpus.invoke(app, ["report", "--db", "c.db", "--by", "force", "--format", "json"]).stdout)
    wmp = next(r for r in rows if r["force"] == "West Midlands Police")
    assert wmp["documents"] == 2 and wmp["ncnd_share"] == 1.0
    result = nccd.scan(["seeds"])
    expected = sum(s.reuse for d, s in zip(result.documents, result.scores) if d.force == "West Midlands Police") / 2
    assert abs(wmp["mean_reuse"] - round(expected, 4)) < 1e-4
    csv_out = corpus.invoke(app, ["report", "--db", "c.db", "--by", "year", "--format", "csv"]).stdout
    assert csv_out.splitlines()[0] == ("force,year,documents,ncnd_share,mean_reuse,top_template,top_variant,"
                                       "template_documents")
    html = corpus.invoke(app, ["report", "--db", "c.db", "--format", "html", "-o", "r.html"])
    assert html.exit_code == 0 and 'id="heatmap"' in open("r.html", encoding="utf-8").read()
    doc = result.documents[0]
    compared = corpus.invoke(app, ["compare", doc.id, "seeds/002_c9c96f7571ac27c1.txt", "--db", "c.db",
                                   "--format", "json"])
    assert compared.exit_code == 0 and json.loads(compared.stdout)["spans"]


def test_missing_corpus_is_a_usage_error(corpus):
    out = corpus.invoke(app, ["templates", "--db", "none.db"])
    assert out.exit_code == 2 and "none.db: no such corpus" in out.output
