"""The synthetic corpus generator: label format, determinism, and each kind of reuse it simulates."""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from nccd.model import ROLES
from nccd.synth import BANK, SynthSettings, canonical, generate
from nccd.synth.bank import FACTORS, ORDERS, SLOTS, passage

SPAN_KEYS = ["start", "end", "role", "reused", "template", "shared_with", "text"]
LABEL_KEYS = ["document", "sha256", "force", "date", "year", "ncnd", "exemptions", "spans"]


def load(root: Path) -> list[tuple[str, dict]]:
    """Every (document text, label) pair of a generated corpus, in file order."""
    pairs = []
    for label_path in sorted((root / "labels").glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        text = (root / "docs" / label["document"]).read_bytes().decode("utf-8")
        pairs.append((text, label))
    return pairs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    summary = generate(root, SynthSettings(documents=150, seed=7, clause_reuse=0.3, hard_wrap=0.3))
    return root, summary, load(root)


def test_labels_follow_the_format(corpus):
    root, summary, pairs = corpus
    assert len(pairs) == summary.documents == 150
    for text, label in pairs:
        assert list(label) == LABEL_KEYS
        assert label["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert label["year"] == int(label["date"][:4])
        covered = bytearray(len(text))
        previous_end = 0
        for span in label["spans"]:
            assert list(span) == SPAN_KEYS
            start, end = span["start"], span["end"]
            assert previous_end <= start < end, f"{label['document']}: unsorted or overlapping at {start}"
            previous_end = end
            assert span["text"] == text[start:end]
            assert span["text"] == span["text"].strip()
            assert span["role"] in ROLES
            assert span["shared_with"] == []
            assert (span["template"] is not None) == span["reused"]
            covered[start:end] = b"\x01" * (end - start)
        missing = [i for i, char in enumerate(text) if not covered[i] and not char.isspace()]
        assert not missing, f"{label['document']}: {text[missing[0]:missing[0] + 30]!r} is in no span"


def test_manifest_matches_labels(corpus):
    root, _, pairs = corpus
    with open(root / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["path", "force", "date", "reference", "title"]
    assert [row["path"] for row in rows] == [label["document"] for _, label in pairs]
    for row, (_, label) in zip(rows, pairs):
        assert (row["force"], row["date"]) == (label["force"], label["date"])
        assert row["reference"] and row["title"]


def test_summary_counts_what_the_labels_hold(corpus):
    _, summary, pairs = corpus
    assert summary.characters == sum(len("".join(text.split())) for text, _ in pairs)
    by_role = dict.fromkeys(ROLES, 0)
    for _, label in pairs:
        for span in label["spans"]:
            if span["reused"]:
                by_role[span["role"]] += len("".join(span["text"].split()))
    assert summary.reused_characters_by_role == by_role
    assert by_role["answer"] == 0 and min(by_role[r] for r in ("ncnd", "legal", "letter", "request")) > 0


def test_ncnd_and_exemption_labels_agree_with_the_text(corpus):
    _, _, pairs = corpus
    for text, label in pairs:
        flat = " ".join(text.split())  # hard wraps break lines anywhere
        assert label["ncnd"] == ("neither confirm" in flat)
        for code in label["exemptions"]:
            assert re.search(rf"\b{code[1:3]}\({code[4]}\)", flat), (label["document"], code)
    assert {"s24(2)", "s31(3)"} <= {code for _, label in pairs for code in label["exemptions"]}


def test_same_settings_give_identical_files(tmp_path):
    settings = SynthSettings(documents=40, seed=3, hard_wrap=0.3, clause_reuse=0.3)
    generate(tmp_path / "a", settings)
    generate(tmp_path / "b", settings)
    generate(tmp_path / "c", SynthSettings(documents=40, seed=3, hard_wrap=0.3, clause_reuse=0.3, workers=2))
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 81
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes() \
            == (tmp_path / "c" / name).read_bytes(), name
    generate(tmp_path / "d", SynthSettings(documents=40, seed=4))
    assert (tmp_path / "a/docs/000000.txt").read_bytes() != (tmp_path / "d/docs/000000.txt").read_bytes()


def _changed_share(pairs: list[tuple[str, dict]]) -> float:
    """Word edits (substituted, inserted or deleted words) per bank word, over full passage copies."""
    changed = total = 0
    for _, label in pairs:
        for span in label["spans"]:
            template = span["template"]
            if not span["reused"] or span["role"] == "request" or not BANK[template].editable:
                continue
            bank_words, copy_words = canonical(template).split(), span["text"].split()
            matcher = difflib.SequenceMatcher(None, bank_words, copy_words, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    changed += max(i2 - i1, j2 - j1)
            total += len(bank_words)
    return changed / total


def test_edit_rate_roughly_holds(tmp_path):
    # Slot fills (force names, topics) differ from the bank's defaults: measure them at rate 0 and subtract.
    common = dict(documents=60, seed=5, clause_reuse=0.0, hard_wrap=0.0)
    generate(tmp_path / "exact", SynthSettings(edit_rate=0.0, **common))
    generate(tmp_path / "edited", SynthSettings(edit_rate=0.15, **common))
    baseline = _changed_share(load(tmp_path / "exact"))
    edited = _changed_share(load(tmp_path / "edited"))
    assert baseline < 0.06
    assert 0.09 < edited - baseline < 0.22, (baseline, edited)


def test_round_robin_requests_are_quoted_identically_and_labelled_request(tmp_path):
    summary = generate(tmp_path, SynthSettings(documents=60, seed=2, round_robin=0.5, hard_wrap=0.0))
    assert summary.round_robin == 30
    quoted: dict[str, set[str]] = defaultdict(set)
    holders: dict[str, set[str]] = defaultdict(set)
    for text, label in load(tmp_path):
        spans = label["spans"]
        requests = [i for i, span in enumerate(spans) if span["role"] == "request"]
        assert len(requests) == 1
        request = spans[requests[0]]
        before = text[: request["start"]].rstrip()
        assert before.endswith(("You asked:", "I note you seek access to the following information:"))
        if request["reused"]:
            assert request["template"].startswith("request@rr")
            quoted[request["template"]].add(request["text"])
            holders[request["template"]].add(label["document"])
        else:
            assert request["template"] is None
    assert sum(len(docs) for docs in holders.values()) == 30
    assert all(len(texts) == 1 for texts in quoted.values())
    assert max(len(docs) for docs in holders.values()) >= 3
    assert all(re.search(r"\n\n1\. ", next(iter(texts))) for texts in quoted.values())


def test_hard_wrapped_documents_have_short_lines_and_page_furniture(corpus):
    _, summary, pairs = corpus
    assert summary.hard_wrapped == 45  # 30% of 150
    wrapped = [(text, label) for text, label in pairs if max(map(len, text.split("\n"))) < 100]
    assert len(wrapped) == 45
    split_inside_span = False
    for text, label in wrapped:
        assert "\n\n" in text and text.startswith(" ")
        furniture = [s for s in label["spans"] if s["text"].startswith("https://") and s["role"] == "letter"]
        pages = [s for s in label["spans"] if s["start"] == 1]
        assert pages and pages[0]["role"] == "letter" and not pages[0]["reused"]
        assert all(not s["reused"] and s["template"] is None for s in furniture)
        split_inside_span |= any(s["reused"] and "\n" in s["text"] and "\n\n" not in s["text"].split(". ")[0]
                                 for s in label["spans"])
    assert split_inside_span
    assert any(len([s for s in label["spans"] if s["text"].startswith("https://www.")]) >= 1
               for _, label in wrapped)


def _clause_spans(pairs: list[tuple[str, dict]]) -> list[dict]:
    """Reused spans sitting inside a paragraph of answer text (no paragraph break either side)."""
    found = []
    for text, label in pairs:
        spans = label["spans"]
        for before, span, after in zip(spans, spans[1:], spans[2:]):
            if (span["reused"] and before["role"] == "answer" and after["role"] == "answer"
                    and "\n" not in text[before["end"]:span["start"]] + text[span["end"]:after["start"]]):
                found.append(span)
    return found


def test_clause_reuse_labels_the_clause_inside_answer_text(tmp_path):
    generate(tmp_path / "clauses", SynthSettings(documents=40, seed=9, clause_reuse=0.4, edit_rate=0.0,
                                                 hard_wrap=0.0))
    generate(tmp_path / "none", SynthSettings(documents=40, seed=9, clause_reuse=0.0, hard_wrap=0.0))
    clauses = _clause_spans(load(tmp_path / "clauses"))
    assert len(clauses) >= 20
    for span in clauses:
        assert span["text"] in BANK[span["template"]].clauses
        assert span["role"] == BANK[span["template"]].role
    assert _clause_spans(load(tmp_path / "none")) == []


def test_bespoke_answers_share_no_8_word_runs(corpus):
    _, _, pairs = corpus
    owner: dict[tuple[str, ...], str] = {}
    for _, label in pairs:
        for span in label["spans"]:
            if span["role"] != "answer":
                continue
            words = span["text"].split()
            for i in range(len(words) - 7):
                gram = tuple(words[i:i + 8])
                assert owner.setdefault(gram, label["document"]) == label["document"], " ".join(gram)


def test_bank_is_well_formed():
    for key, found in BANK.items():
        assert key == f"{found.name}@{found.lineage}" and found.role in ("ncnd", "legal", "letter")
        for paragraph in found.text.split("\n\n"):
            assert paragraph and paragraph == paragraph.strip() and "  " not in paragraph and "\n" not in paragraph
        assert found.text.format_map(SLOTS)
        for clause in found.clauses:
            assert clause in found.text and "{" not in clause and len(clause.split()) >= 8
    for lineage, order in ORDERS.items():
        for name in order + FACTORS[lineage]:
            if not name.startswith("@"):
                passage(name.lstrip("+"), lineage)
    assert {p.lineage for p in BANK.values()} == {"lineageA", "lineageB", "lineageC"}


def test_refuses_to_mix_with_an_existing_corpus(tmp_path):
    generate(tmp_path, SynthSettings(documents=10))
    with pytest.raises(FileExistsError, match="already holds files"):
        generate(tmp_path, SynthSettings(documents=10))


@pytest.mark.parametrize("changes, error, message", [
    ({"documents": 5}, ValueError, r"documents=5 is outside 10\.\.100000"),
    ({"documents": 100_001}, ValueError, r"documents=100001 is outside"),
    ({"documents": 12.0}, TypeError, r"documents must be an int, got 12\.0"),
    ({"seed": -1}, ValueError, r"seed=-1 is outside"),
    ({"edit_rate": 0.95}, ValueError, r"edit_rate=0\.95 is outside 0\.0\.\.0\.9"),
    ({"clause_reuse": 1.5}, ValueError, r"clause_reuse=1\.5 is outside"),
    ({"hard_wrap": -0.1}, ValueError, r"hard_wrap=-0\.1 is outside"),
    ({"round_robin": "half"}, TypeError, r"round_robin must be a number, got 'half'"),
    ({"reorder": 1}, TypeError, r"reorder must be a bool, got 1"),
    ({"forces": ()}, ValueError, r"forces=\(\) must be a non-empty tuple"),
    ({"forces": ("Kent Police", "Kent Police")}, ValueError, r"names a force twice"),
    ({"forces": ("Kent  Police",)}, ValueError, r"'Kent  Police'"),
    ({"years": (2023, 2017)}, ValueError, r"years=\(2023, 2017\) must satisfy"),
    ({"years": [2017, 2023]}, TypeError, r"years=\[2017, 2023\] must be a \(first, last\) tuple"),
    ({"workers": 0}, ValueError, r"workers=0 is outside 1\.\.64"),
])
def test_settings_are_validated_with_the_value_in_the_message(changes, error, message):
    with pytest.raises(error, match=message):
        SynthSettings(**changes)
