"""eval: scores worked out by hand on tiny labelled documents."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from nccd.cli import app
from nccd.eval import EvalError, evaluate, evaluate_files, load_labels

TEXT = "alpha beta gamma delta. You asked: how many drones?"
#        0     6    11    17     24       33


def label(spans, **facts):
    base = {"document": "a.txt", "sha256": "x", "force": "Kent Police", "date": None, "year": 2020,
            "ncnd": True, "exemptions": ["s24(2)"]}
    base.update(facts)
    base["spans"] = [{"start": s, "end": e, "role": r, "reused": u, "template": None, "shared_with": [],
                      "text": TEXT[s:e]} for s, e, r, u in spans]
    return base


LABEL = label([(0, 10, "ncnd", True), (11, 23, "answer", False), (24, 51, "request", True)])


def prediction(spans, passages=None, **facts):
    doc = {"path": "corpus/a.txt", "force": "kent  police", "year": 2020, "ncnd": True,
           "exemptions": ["s24(2)"], "spans": [{"start": s, "end": e, "role": r} for s, e, r in spans]}
    if passages is not None:
        doc["passages"] = [{"start": s, "end": e, "role": r} for s, e, r in passages]
    doc.update(facts)
    return {"documents": [doc]}


def test_neighbouring_spans_are_one_detection():
    ev = evaluate(prediction([(0, 5, "ncnd"), (6, 10, "ncnd")]), {"a.txt": LABEL}, {"a.txt": TEXT})
    assert (ev.reuse.precision, ev.reuse.recall, ev.reuse.f1) == (1.0, 1.0, 1.0)
    assert ev.reuse.granularity == 1.0 and ev.span_granularity == 2.0
    assert ev.by_role["ncnd"].recall == 1.0


def test_split_detection_has_granularity_two():
    text = " ".join(f"w{i}" for i in range(20))
    lab = {"document": "a.txt", "ncnd": True, "exemptions": [], "force": None, "year": None,
           "spans": [{"start": 0, "end": len(text), "role": "ncnd", "reused": True}]}
    far = [(0, text.index("w2") - 1, "ncnd"), (text.index("w12"), len(text), "ncnd")]  # 9 words between
    ev = evaluate(prediction(far), {"a.txt": lab}, {"a.txt": text})
    assert ev.reuse.granularity == 2.0 and ev.reuse.precision == 1.0
    assert abs(ev.reuse.plagdet - ev.reuse.f1 / math.log2(3)) < 1e-3


def test_precision_and_recall_count_non_whitespace_characters():
    # predicts "beta gamma": 9 characters, 4 of them ("beta") truly reused out of 9 ("alphabeta")
    ev = evaluate(prediction([(6, 16, "ncnd")]), {"a.txt": LABEL}, {"a.txt": TEXT})
    assert ev.reuse.predicted_chars == 9 and ev.reuse.true_chars == 9
    assert ev.reuse.precision == round(4 / 9, 4) and ev.reuse.recall == round(4 / 9, 4)
    assert ev.reuse.granularity == 1.0


def test_request_text_is_never_template_reuse():
    counted = evaluate(prediction([(0, 10, "ncnd"), (24, 51, "letter")]), {"a.txt": LABEL}, {"a.txt": TEXT})
    assert counted.request_counted == 1.0 and counted.reuse.precision < 1.0
    fine = evaluate(prediction([(0, 10, "ncnd"), (24, 51, "request")],
                               passages=[(0, 23, "ncnd"), (24, 51, "request")]),
                    {"a.txt": LABEL}, {"a.txt": TEXT})
    assert fine.request_counted == 0.0 and fine.request_labelled == 1.0 and fine.reuse.f1 == 1.0


def test_role_accuracy_from_passages():
    ev = evaluate(prediction([], passages=[(0, 23, "ncnd"), (24, 51, "letter")]), {"a.txt": LABEL}, {"a.txt": TEXT})
    # right: "alphabeta" (9); wrong: "gammadelta." (11) and the request (23)
    assert ev.role_accuracy == round(9 / 43, 4)
    assert evaluate(prediction([]), {"a.txt": LABEL}, {"a.txt": TEXT}).role_accuracy is None


def test_document_facts():
    ev = evaluate(prediction([], ncnd=False, exemptions=["s24(2)", "s31(3)"], year=2019),
                  {"a.txt": LABEL}, {"a.txt": TEXT})
    assert (ev.ncnd_precision, ev.ncnd_recall) == (0.0, 0.0)
    assert ev.exemptions_exact == 0.0 and ev.force_accuracy == 1.0 and ev.year_accuracy == 0.0


def test_unmatched_labels_are_listed():
    other = dict(LABEL, document="b.txt")
    ev = evaluate(prediction([]), {"a.txt": LABEL, "b.txt": other}, {"a.txt": TEXT})
    assert ev.unmatched == ("b.txt",) and ev.documents == 1


def test_files_and_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "a.json").write_text(json.dumps(LABEL), encoding="utf-8")
    pred = prediction([(0, 10, "ncnd")])
    (tmp_path / "pred.json").write_text(json.dumps(pred), encoding="utf-8")
    ev = evaluate_files(tmp_path / "pred.json", tmp_path / "labels", tmp_path / "docs")
    assert ev.reuse.f1 == 1.0
    out = CliRunner().invoke(app, ["eval", str(tmp_path / "pred.json"), "--labels", str(tmp_path / "labels"),
                                   "--documents", str(tmp_path / "docs"), "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["reuse"]["f1"] == 1.0
    table = CliRunner().invoke(app, ["eval", str(tmp_path / "pred.json"), "--labels", str(tmp_path / "labels"),
                                     "--documents", str(tmp_path / "docs")])
    assert "template reuse" in table.stdout and "1.0000" in table.stdout
    bad = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.json"), "--labels", str(tmp_path / "labels")])
    assert bad.exit_code == 2 and "nope.json" in bad.output


def test_label_directory_errors(tmp_path):
    with pytest.raises(EvalError, match="holds no label files"):
        load_labels(tmp_path)
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(EvalError, match="x.json"):
        load_labels(tmp_path)
