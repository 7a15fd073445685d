"""The indented JSON writer against its oracle, ``json.dumps(indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import io
import json
from collections import OrderedDict

import pytest
from hypothesis import given, settings, strategies as st

from nccd.report import jsontext, to_json, write_json
from nccd.report.jsonout import result_record

SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True)
           | st.text(max_size=12))
KEYS = st.text(max_size=8) | st.integers(-5, 5) | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(KEYS, inner, max_size=5), max_leaves=40)


def oracle(value, level: int = 0) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * level)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.integers(0, 40))
def test_dumps_is_json_dumps(value, level):
    assert jsontext.dumps(value, level) == oracle(value, level)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), VALUES, max_size=4), st.lists(VALUES, max_size=4), st.integers(0, 3))
def test_streamed_list_is_written_as_the_list(head, items, where):
    """A ``Streamed`` list inside a dict is written as the same list would be."""
    streamed = {**head, "items": jsontext.Streamed(iter(items))}
    plain = {**head, "items": items}
    parts: list[str] = []
    jsontext.write(streamed, parts.append, where)
    assert "".join(parts) == oracle(plain, where)


def test_subclasses_and_constants_read_as_json_reads_them():
    value = OrderedDict([("b", (1, 2.5)), ("a", [float("nan"), float("inf"), -float("inf")]), (3, True)])
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert jsontext.dumps({"k": "é – \u2028 \"q\" \\"}) == json.dumps({"k": "é – \u2028 \"q\" \\"}, indent=2,
                                                                    ensure_ascii=False)


def test_unknown_types_raise_as_json_does():
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsontext.dumps({"a": {1, 2}})
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsontext.dumps([object()])
    with pytest.raises(TypeError, match="keys must be"):
        jsontext.dumps({(1, 2): 1})


def test_to_json_is_the_records_dumped(seeds_result):
    expected = json.dumps(result_record(seeds_result), indent=2, ensure_ascii=False) + "\n"
    assert to_json(seeds_result) == expected
    out = io.StringIO()
    write_json(seeds_result, out)
    assert out.getvalue() == expected
