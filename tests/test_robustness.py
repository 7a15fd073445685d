"""Random bytes and random text never break a reader or the text stages (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nccd.ingest import IngestError, extract_bytes
from nccd.normalize import normalize
from nccd.segment import paragraphs

NAMES = ["x.txt", "x.md", "x.html", "x.pdf", "x.docx", "x.eml", "x.mbox", "x.bin"]
PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"From a@b Mon Jan  1 00:00:00 2024\n", b"Subject: x\n",
            b"<!DOCTYPE html><html>", b"\xef\xbb\xbf", b"\xff\xfe"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.sampled_from(PREFIXES), st.binary(max_size=600))
def test_random_bytes_only_raise_ingest_error(name, prefix, data):
    try:
        docs = extract_bytes(name, prefix + data, name)
    except IngestError as err:
        assert err.path == name and err.reason
        return
    for ex in docs:
        assert isinstance(ex.text, str)
        for start, end in ex.ignore:
            assert 0 <= start <= end <= len(ex.text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_random_text_keeps_offsets_valid(text):
    words = normalize(text)
    for i in range(len(words)):
        assert 0 <= words.starts[i] < words.ends[i] <= len(text)
    previous = 0
    for start, end in paragraphs(text):
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous = end
