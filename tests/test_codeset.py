"""CodeSet: the in-place union of sorted code arrays against Python's set union."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nccd.codeset import CodeSet

FAST = settings(max_examples=80, deadline=None)
CODES = st.sets(st.integers(-2**62, 2**62) | st.integers(0, 20))


@FAST
@given(st.lists(CODES, max_size=8))
def test_codeset_is_the_sorted_union(parts):
    s = CodeSet()
    for p in parts:
        s.add(np.array(sorted(p), dtype=np.int64))
    union = set().union(*parts)
    assert len(s) == len(union)
    out = s.array()
    assert out.dtype == np.int64 and out.tolist() == sorted(union)


def test_codeset_from_threads_is_the_union_whatever_the_order():
    rng = np.random.default_rng(3)
    parts = [np.unique(rng.integers(0, 50_000, size=20_000)) for _ in range(24)]
    s = CodeSet()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(s.add, parts))
    assert s.array().tolist() == sorted(set(np.concatenate(parts).tolist()))


def test_codeset_array_is_taken_once():
    s = CodeSet()
    s.add(np.array([3, 4]))
    assert s.array().tolist() == [3, 4]
    with pytest.raises(ValueError, match="taken already"):
        s.add(np.array([1]))
    with pytest.raises(ValueError, match="taken already"):
        s.array()


def test_codeset_taking_an_array_grows_in_it_and_leaves_a_view_alone():
    owned = np.array([2, 7, 11], dtype=np.int64)
    s = CodeSet.taking(owned)
    s.add(np.array([1, 7, 20]))
    assert s.array().tolist() == [1, 2, 7, 11, 20]
    base = np.array([0, 3, 5, 9], dtype=np.int64)
    t = CodeSet.taking(base[1:])  # a view: copied, its array untouched
    t.add(np.array([4]))
    assert t.array().tolist() == [3, 4, 5, 9] and base.tolist() == [0, 3, 5, 9]
    assert CodeSet.taking(np.array([1, 4], dtype=np.int32)).array().tolist() == [1, 4]
