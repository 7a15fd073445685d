"""Indented JSON text, exactly as ``json.dumps(value, indent=2, ensure_ascii=False)``
writes it, made faster and written as it goes.

With ``indent`` set, the standard library falls back to its pure-Python encoder
and joins every piece of the document before returning it: for a scan of 10,000
responses (225 MB of JSON) that took 6 s and 1.7 GB. Here each container is one
``join`` of its members' text, strings go through the C escaper, and a
:class:`Streamed` sequence (the documents of a scan) is encoded and written one
item at a time, so only one document's text is ever held.
"""

from __future__ import annotations

from json.encoder import c_make_encoder, encode_basestring as _string
from typing import Callable, Iterable

#: ``"\n"`` and the indentation of each nesting level.
_PADS = ["\n" + "  " * level for level in range(32)]
_INF = float("inf")
#: Types written as they are: a container holding only these is a leaf.
_SCALARS = frozenset({str, int, float, bool, type(None)})
#: Per nesting level, the C encoder of a leaf's members, made when first needed.
_FLAT: dict = {}


class Streamed:
    """A list whose items are made and written one at a time by :func:`write`."""

    def __init__(self, items: Iterable) -> None:
        self.items = items


def dumps(value, level: int = 0) -> str:
    """``value`` as indented JSON text, nested ``level`` deep (0: a whole document)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict or kind is list or kind is tuple:
        if not value:
            return "{}" if kind is dict else "[]"
        inner = _pad(level + 1)
        if _SCALARS.issuperset(map(type, value.values() if kind is dict else value)):
            flat = _flat(level)  # a leaf: its members are the C encoder's, separated as indented
            if flat is not None:
                text = "".join(flat(value, 0))
                return text[0] + inner + text[1:-1] + _pad(level) + text[-1]
        if kind is dict:
            return "{" + inner + ("," + inner).join([
                (_string(k) if type(k) is str else _key(k)) + ": " + dumps(v, level + 1)
                for k, v in value.items()]) + _pad(level) + "}"
        return "[" + inner + ("," + inner).join([dumps(v, level + 1) for v in value]) + _pad(level) + "]"
    if isinstance(value, dict):  # subclasses, as json reads them
        return dumps(dict(value), level)
    if isinstance(value, (list, tuple)):
        return dumps(list(value), level)
    return _scalar(value)


def _flat(level: int):
    """The C encoder writing a container of scalars at ``level`` (``None`` without one)."""
    encoder = _FLAT.get(level)
    if encoder is None and c_make_encoder is not None:
        encoder = _FLAT[level] = c_make_encoder(None, _unknown, _string, None, ": ", "," + _pad(level + 1),
                                                False, False, True)
    return encoder


def _unknown(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def write(value, out: Callable[[str], object], level: int = 0) -> None:
    """Write ``value`` as :func:`dumps` gives it through ``out``; a :class:`Streamed`
    list (at any depth of dicts) is written item by item."""
    if type(value) is dict and any(isinstance(v, Streamed) for v in value.values()):
        inner, sep = _pad(level + 1), "{"
        for k, v in value.items():
            out(sep + inner + _key(k) + ": ")
            write(v, out, level + 1)
            sep = ","
        out(_pad(level) + "}")
    elif isinstance(value, Streamed):
        inner, sep = _pad(level + 1), "["
        for item in value.items:
            out(sep + inner + dumps(item, level + 1))
            sep = ","
        out("[]" if sep == "[" else _pad(level) + "]")
    else:
        out(dumps(value, level))


def _pad(level: int) -> str:
    return _PADS[level] if level < len(_PADS) else "\n" + "  " * level


def _scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _key(key) -> str:
    """A member name: JSON names are strings, so numbers and constants are quoted as ``json`` does."""
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, (bool, int, float)):
        return '"' + (_float(key) if isinstance(key, float) else _scalar(key)) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
