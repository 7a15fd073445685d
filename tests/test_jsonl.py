"""JSONL input and ``-`` for standard input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import nccd
from nccd.cli import app
from nccd.ingest import IngestError
from nccd.ingest.jsonl import extract

from .conftest import ROOT, SEEDS

TEXT = (SEEDS / "002_c9c96f7571ac27c1.txt").read_text(encoding="utf-8")


def _jsonl(*records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_records_become_documents_with_their_metadata(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(_jsonl({"id": "x1", "text": TEXT, "force": "Kent Police", "date": "2019-05-01"},
                            {"id": "x2", "text": TEXT}))
    result = nccd.scan([path])
    first, second = result.documents
    assert first.path.endswith("in.jsonl#x1") and (first.force, first.date, first.year) == ("Kent Police",
                                                                                             "2019-05-01", 2019)
    assert "force" not in first.inferred
    assert second.force == "Northumbria Police" and "force" in second.inferred
    assert result.score(first.id).reuse > 0.9  # the same text twice


@pytest.mark.parametrize("data, reason", [
    (b'{"id": 1, "text": "x"}\nnot json\n', "line 2: not JSON"),
    (b'{"id": 1}\n', 'line 1: needs an object with a non-empty "text"'),
    (b'{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', "line 2: id '1' repeats an earlier line"),
    (b"\n\n", "no records"),
])
def test_bad_jsonl_names_the_line(data, reason):
    with pytest.raises(IngestError) as err:
        extract(data, "in.jsonl")
    assert err.value.reason.startswith(reason)


def test_stdin_jsonl_and_stdin_paths(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    out = runner.invoke(app, ["scan", "-", "--format", "json"], input=_jsonl({"id": "a", "text": TEXT}))
    assert out.exit_code == 0 and json.loads(out.stdout)["documents"][0]["path"] == "-#a"
    listed = "fixtures/seeds/000_b9307369c2648074.txt\nfixtures/seeds/002_c9c96f7571ac27c1.txt\n"
    out = runner.invoke(app, ["scan", "-", "--format", "json"], input=listed)
    assert [d["path"] for d in json.loads(out.stdout)["documents"]] == listed.split()
