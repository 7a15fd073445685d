"""Offsets: packed word offsets give back exactly the starts and ends they were packed from."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nccd.normalize import normalize
from nccd.offsets import Offsets

FAST = settings(max_examples=120, deadline=None)

# One word: a gap since the last word's end and a length, small mostly but sometimes
# past a byte, and sometimes overlapping the word before ("isnt" -> "is not").
WORD = st.tuples(st.integers(-6, 40) | st.integers(250, 70_000), st.integers(0, 12) | st.integers(250, 300))
DOCUMENT = st.lists(WORD, max_size=120)


def _offsets(words):
    starts, ends, end = [], [], 0
    for gap, length in words:
        start = max(end + gap, 0)
        starts.append(start)
        ends.append(start + length)
        end = start + length
    return np.array(starts, dtype=np.int32), np.array(ends, dtype=np.int32)


def _packed(documents, split):
    pairs = [_offsets(d) for d in documents]
    ptr = np.cumsum([0] + [len(d) for d in documents])
    starts = np.concatenate([s for s, _ in pairs] or [np.zeros(0, np.int32)])
    ends = np.concatenate([e for _, e in pairs] or [np.zeros(0, np.int32)])
    whole = Offsets.pack(starts, ends, ptr)
    # The same documents packed in two parts and joined, as the pipeline's workers send them.
    head, tail = documents[:split], documents[split:]
    parts = []
    for part in (head, tail):
        p = np.cumsum([0] + [len(d) for d in part])
        ps = [_offsets(d) for d in part]
        parts.append(Offsets.pack(np.concatenate([s for s, _ in ps] or [np.zeros(0)]),
                                  np.concatenate([e for _, e in ps] or [np.zeros(0)]), p))
    return pairs, whole, Offsets.joined(parts)


@FAST
@given(st.lists(DOCUMENT, max_size=6), st.integers(0, 6))
def test_offsets_give_back_every_document(documents, split):
    pairs, whole, joined = _packed(documents, split)
    for packed in (whole, joined):
        assert len(packed) == len(documents)
        for d, (starts, ends) in enumerate(pairs):
            got_s, got_e = packed.of(d)
            assert got_s.dtype == got_e.dtype == np.int32
            assert got_s.tolist() == starts.tolist() and got_e.tolist() == ends.tolist()


@FAST
@given(DOCUMENT.filter(len), st.data())
def test_span_is_first_start_and_last_end(words, data):
    pairs, whole, joined = _packed([[(3, 2)], words], 1)
    starts, ends = pairs[1]
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first + 1, len(words)))
    for packed in (whole, joined):
        assert packed.span(1, first, last) == (int(starts[first]), int(ends[last - 1]))


def test_offsets_of_real_text_and_their_size():
    text = "Neither confirm nor deny: the Force isnt able to say whether it holds it. " * 40
    n = normalize(text)
    packed = Offsets.pack(n.starts, n.ends, np.array([0, len(n)]))
    s, e = packed.of(0)
    assert s.tolist() == n.starts.tolist() and e.tolist() == n.ends.tolist()
    assert len(packed.wide_at) == 40  # the second word of each "isnt" begins where "is" began
    # two bytes a word, a start every 32 words, two pointers, 16 bytes a word kept aside
    assert packed.nbytes == 2 * 600 + 4 * 19 + 2 * 16 + 16 * 40 and len(n) == 600


def test_offsets_state_what_does_not_agree():
    with pytest.raises(ValueError, match=r"starts \(2\) and ends \(1\)"):
        Offsets.pack(np.array([0, 3]), np.array([2]), np.array([0, 2]))
    with pytest.raises(ValueError, match="word pointer"):
        Offsets(np.zeros(3, np.uint8), np.zeros(3, np.uint8), np.zeros(1, np.int32), np.array([0, 1]),
                np.array([0, 2]), np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
