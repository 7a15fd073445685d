"""_wordscan: the words of ``normalize._WORD`` found with array operations.

``_WORD`` is runs of letters and digits (``[^\\W_]+``), joined across one
apostrophe or hyphen (``['’\\u2010\\u2011-]``) and across a hyphen at a line
break before a lower-case letter. A regex scan of a whole response tries the
pattern at every character, which is most of what normalising costs. Here each
character is classified at once by table look-up (numpy), joins are marked
where a joiner stands between two letters or digits and where the (rare, and
cheaply found) line-break pattern matches, and the words are cut out by one
``str.split``. :func:`words` gives exactly the matches of ``_WORD``; the tests
hold it to the regex on random text.
"""

from __future__ import annotations

import re

import numpy as np

# The line-break join of _WORD: what follows the letter or digit before it.
_HYPHEN_BREAK = re.compile(r"-[ \t]*(?:\r?\n[ \t]*){1,2}(?=[^\W\d_A-Z])")
_JOINERS = "'’\u2010\u2011-"
_ALNUM, _JOINER = 1, 2
_BMP = 0x10000
_classes: np.ndarray | None = None
_NO = np.zeros(1, dtype=bool)


def _table() -> np.ndarray:
    """Class of every BMP character: letter or digit, joiner, or other (built once)."""
    global _classes
    if _classes is None:
        table = np.fromiter((chr(i).isalnum() for i in range(_BMP)), dtype=np.uint8, count=_BMP)
        table[[ord(c) for c in _JOINERS]] = _JOINER
        _classes = table
    return _classes


def words(text: str) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """The matches of ``_WORD`` in ``text``: their texts, starts and ends.

    ``None`` when the cut does not come out as one word per run (it should
    not happen); the caller then scans with the regex.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if codes.size == 0:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64)
    classes = _table()[np.minimum(codes, _BMP - 1)]
    if codes.max() >= _BMP:  # beyond the table: ask Python about each such character
        beyond = np.flatnonzero(codes >= _BMP)
        classes[beyond] = [chr(c).isalnum() for c in codes[beyond].tolist()]
    alnum = classes == _ALNUM
    word = alnum.copy()
    # A joiner joins when a letter or digit stands on both sides.
    word[1:-1] |= (classes[1:-1] == _JOINER) & alnum[:-2] & alnum[2:]
    broken = False  # a word joined across a line break holds white space
    if "-" in text:
        for m in _HYPHEN_BREAK.finditer(text):
            if m.start() > 0 and alnum[m.start() - 1]:
                word[m.start():m.end()] = True
                broken = True
    padded = np.concatenate((_NO, word, _NO))
    edges = np.flatnonzero(padded[1:] != padded[:-1])  # start, end, start, end, …
    starts, ends = edges[0::2], edges[1::2]
    # Every character outside a word becomes a space (NUL where a word holds
    # white space), then one split cuts the words out.
    filler = np.uint32(0 if broken else 32)
    cut = np.where(word, codes, filler).astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    found = list(filter(None, cut.split("\x00"))) if broken else cut.split()
    if len(found) != len(starts):
        return None
    return found, starts, ends
