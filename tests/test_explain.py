"""--explain: the template text each span matched and the word-level edits."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nccd.cli import app
from nccd.explain import Edit, explain
from nccd.model import Span, Template, Variant

from .conftest import ROOT

TEMPLATE_TEXT = "The current threat level is set at substantial, as published by the UK Government."
DOC_TEXT = "Dear Sir. The current threat level is set at ‘severe’, as published by the Government."


def test_edits_are_word_level_from_template_to_document():
    t = Template("t1", TEMPLATE_TEXT, "ncnd", (), (), None, None, (Variant(TEMPLATE_TEXT, ()),))
    start = DOC_TEXT.index("The current")
    span = Span("d", start, len(DOC_TEXT), "t1", 0, len(TEMPLATE_TEXT), 0.9, "ncnd")
    why = explain(DOC_TEXT, span, t)
    assert why.template_text == TEMPLATE_TEXT
    assert why.edits == (Edit("replace", "severe", "substantial"), Edit("delete", "", "UK"))


def test_identical_text_has_no_edits():
    t = Template("t1", TEMPLATE_TEXT, "ncnd", (), (), None, None, (Variant(TEMPLATE_TEXT, ()),))
    span = Span("d", 0, len(TEMPLATE_TEXT), "t1", 0, len(TEMPLATE_TEXT), 1.0, "ncnd")
    assert explain(TEMPLATE_TEXT.upper(), span, t).edits == ()


def test_scan_explain_json(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = CliRunner().invoke(app, ["scan", "fixtures/seeds", "--format", "json", "--explain"])
    record = json.loads(out.stdout)
    templates = {t["id"]: t for t in record["templates"]}
    spans = [s for d in record["documents"] for s in d["spans"]]
    assert spans and all("template_text" in s and "edits" in s for s in spans)
    for s in spans:
        variant = templates[s["template_id"]]["variants"][s["variant"]]["text"]
        assert s["template_text"] == variant[s["template_start"]:s["template_end"]]
    edited = [e for s in spans for e in s["edits"]]
    assert edited and all(e["op"] in {"replace", "insert", "delete"} for e in edited)
    assert all((e["document"] or e["template"]) for e in edited)


def test_scan_explain_table_lists_edits(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "120")
    out = CliRunner().invoke(app, ["scan", "fixtures/seeds", "--explain", "--no-progress"])
    assert out.exit_code == 0
    assert "similarity" in out.stdout and "replace" in out.stdout
