"""The pipeline as a whole: inputs, metadata, stages, roles, edge cases."""

from __future__ import annotations

import shutil

import nccd
from nccd.pipeline import run
from nccd.settings import Settings

from .conftest import SEEDS

STAGES = ["ingest", "normalize", "segment", "shingle", "sketch", "index", "candidates", "align",
          "cluster", "template", "score"]

NCND = ("The threat from terrorism cannot be ignored. It is generally recognised that the international "
        "security landscape is increasingly complex and unpredictable. Since 2006 the UK Government has "
        "published the threat level based upon current intelligence.")
REQUEST = ("You asked:\n\nPlease tell me how many drones your force owns, what they cost, who supplied "
           "them and how often they were flown over public protests in each of the last five years.")


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_manifest_wins_over_inference(tmp_path):
    shutil.copy(SEEDS / "002_c9c96f7571ac27c1.txt", tmp_path / "a.txt")
    manifest = _write(tmp_path, "m.csv", "path,force,date\na.txt,Kent Police,2019-05-01\n")
    result = nccd.scan([tmp_path / "a.txt"], manifest=str(manifest))
    doc = result.documents[0]
    assert (doc.force, doc.date, doc.year) == ("Kent Police", "2019-05-01", 2019)
    assert "force" not in doc.inferred and "date" not in doc.inferred


def test_seed_manifest_matches_inference():
    inferred = nccd.scan([SEEDS])
    given = nccd.scan([SEEDS], manifest=str(SEEDS / "manifest.csv"))
    assert [(d.force, d.year) for d in given.documents] == [(d.force, d.year) for d in inferred.documents]


def test_html_and_markdown_inputs(tmp_path):
    _write(tmp_path, "a.html", f"<html><body><nav>Home | News</nav><p>{NCND}</p>"
                               "<script>alert(1)</script><p>Our answer is forty two.</p></body></html>")
    _write(tmp_path, "b.md", f"# Response\n\n**Decision**\n\n{NCND}\n\nWe hold nothing else.\n")
    result = nccd.scan([tmp_path])
    assert [d.path.rsplit("/", 1)[-1] for d in result.documents] == ["a.html", "b.md"]
    assert "alert(1)" not in result.documents[0].text
    assert len(result.templates) == 1 and result.templates[0].role == "ncnd"
    for doc in result.documents:
        spans = result.spans_of(doc.id)
        assert len(spans) == 1 and doc.text[spans[0].start:spans[0].end].startswith("The threat")
        assert spans[0].role == "ncnd"


def test_progress_reports_every_stage_and_timings_are_kept(tmp_path):
    seen = []
    result = nccd.scan([SEEDS], progress=lambda stage, done, total: seen.append(stage))
    order = list(dict.fromkeys(seen))
    assert order == STAGES
    assert set(result.timings) == set(STAGES)


def test_round_robin_request_never_counts_as_reuse(tmp_path):
    for i, answer in enumerate(["We own two drones.", "We own no drones at all.", "Three drones."]):
        _write(tmp_path, f"{i}.txt", f"Dear requester\n\n{REQUEST}\n\nIn Response:\n\n{answer}\n")
    result = nccd.scan([tmp_path])
    request = [t for t in result.templates if "drones your force owns" in t.text]
    assert len(request) == 1 and request[0].role == "request"
    for doc in result.documents:
        score = result.score(doc.id)
        asked = doc.text.index("Please tell me")
        inside = [s for s in result.spans_of(doc.id) if s.start <= asked < s.end]
        assert inside and all(s.role == "request" for s in inside)
        assert score.reuse_by_role["request"] > 0.5
        # only the shared letter furniture ("Dear requester", "In Response:") counts
        assert score.reuse == score.reuse_by_role["letter"] < 0.25


def test_short_passages_do_not_collapse_into_one_family():
    headings = ["Balance Test", "Public Interest Test", "Harm", "Decision", "Our answer", "Summary"]
    docs = [nccd.Document(id=f"d{i}", path=f"{i}.txt", text=f"{h}\n\nOnly words of {i} here and nothing else.",
                          force=None, date=None, reference=None, title=None, sha256=str(i))
            for i, h in enumerate(headings)]
    assert run(docs).templates == ()
    docs.append(nccd.Document(id="dx", path="x.txt", text="Balance Test\n\nSomething else entirely.",
                              force=None, date=None, reference=None, title=None, sha256="x"))
    result = run(docs)
    assert [t.text for t in result.templates] == ["Balance Test"]
    assert sorted(result.templates[0].documents) == ["d0", "dx"]


def test_a_single_document_has_no_templates_and_empty_input_is_fine(tmp_path):
    result = nccd.scan([SEEDS / "000_b9307369c2648074.txt"])
    assert len(result.documents) == 1 and result.templates == () and result.scores[0].reuse == 0.0
    empty = nccd.scan([tmp_path])
    assert empty.documents == () and empty.scores == ()


def test_settings_change_results_and_are_recorded(seeds_result):
    strict = nccd.scan([SEEDS], Settings(min_words=20, min_similarity=0.95))
    assert strict.settings.min_words == 20
    assert sum(s.reuse for s in strict.scores) < sum(s.reuse for s in seeds_result.scores)
    assert all(s.similarity >= 0.95 for s in strict.spans)


def test_a_file_that_vanishes_mid_run_is_skipped(tmp_path):
    from nccd.ingest.documents import ingest

    for name in ("a.txt", "b.txt", "c.txt"):
        _write(tmp_path, name, NCND)

    def delete_next(done, total):
        if done == 1:
            (tmp_path / "b.txt").unlink()

    docs, skipped = ingest([tmp_path], progress=delete_next)
    assert [d.path.rsplit("/", 1)[-1] for d in docs] == ["a.txt", "c.txt"]
    assert [(s.path.rsplit("/", 1)[-1], s.reason) for s in skipped] == [("b.txt", "no such file or directory")]
