"""The hand labels in fixtures/labels/ are well-formed and agree with the seed texts (FORMAT.md)."""

from __future__ import annotations

import hashlib
import json
import pathlib
import re

import pytest

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
LABELS = FIXTURES / "labels"
SEEDS = FIXTURES / "seeds"
ROLES = {"ncnd", "legal", "request", "letter", "answer"}
EXEMPTION = re.compile(r"^s(2[1-9]|3\d|4[0-4])\(\d+\)$")

LABEL_FILES = sorted(LABELS.glob("*.json"))


def _read_seed(name: str) -> str:
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        return fh.read()


def _load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def all_labels() -> dict[str, dict]:
    return {p.name: _load(p) for p in LABEL_FILES}


def test_every_seed_has_a_label_file():
    seeds = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert seeds and sorted(p.stem for p in LABEL_FILES) == seeds


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.stem)
def test_label_file_matches_its_document(path):
    label = _load(path)
    name = label["document"]
    assert name == path.stem + ".txt"
    assert (SEEDS / name).is_file()
    text = _read_seed(name)
    assert label["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()

    assert isinstance(label["force"], str) and label["force"]
    assert label["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", label["date"])
    assert isinstance(label["year"], int)
    if label["date"]:
        assert int(label["date"][:4]) == label["year"]
    assert isinstance(label["ncnd"], bool)
    assert all(EXEMPTION.match(e) for e in label["exemptions"]), label["exemptions"]

    spans = label["spans"]
    assert spans
    covered = [False] * len(text)
    prev_end = 0
    for span in spans:
        start, end = span["start"], span["end"]
        assert 0 <= start < end <= len(text), span
        assert start >= prev_end, ("spans overlap or are out of order", span)
        prev_end = end
        assert span["text"] == text[start:end], span
        assert span["text"] == span["text"].strip(), ("span not trimmed", span)
        assert span["role"] in ROLES, span
        assert isinstance(span["reused"], bool)
        if span["reused"]:
            assert isinstance(span["template"], str) and span["template"], span
            assert span["shared_with"], span
        else:
            assert span["template"] is None and span["shared_with"] == [], span
        for i in range(start, end):
            covered[i] = True
    missed = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missed, f"uncovered characters at {missed[:10]}: {text[missed[0]:missed[0] + 40]!r}"


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.stem)
def test_shared_with_is_symmetric(path, all_labels):
    label = all_labels[path.name]
    me = label["document"]
    for span in label["spans"]:
        if not span["reused"]:
            continue
        for other in span["shared_with"]:
            assert other != me
            assert (SEEDS / other).is_file(), other
            other_label = all_labels[pathlib.Path(other).stem + ".json"]
            partners = [s for s in other_label["spans"] if s["reused"] and s["template"] == span["template"]]
            assert partners, f"{other} has no reused span with template {span['template']!r}"
            assert all(me in s["shared_with"] for s in partners), (other, span["template"])
