"""Keys: which templates a batch of documents can meet, without reading every template.

A passage meets a template wording through a shingle they share, looked up in
the wording postings of :class:`nccd.align.targets.TemplateIndex` (which reads
the longest ``max_postings`` wordings of each shingle only), or, when too short
for shingles to count, through identical comparison text. :func:`template_keys`
lists, per template, every key under which a lookup can find one of its
wordings; :func:`passage_keys` the keys a document looks up. Aligning documents
against the templates holding their keys gives what aligning them against every
template gives: each lookup finds the same wordings, first among them the same
longest ones. A store keeps the template keys, so a batch added to a large corpus
reads the few templates it can meet.
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

import numpy as np

from ..sortedarrays import sorted_unique
from .documents import DocWords
from .targets import TemplateIndex


def text_key(text: str) -> int:
    """The key of a short passage's comparison text: negative, so it never equals a
    shingle's key (a non-negative 32-bit hash)."""
    return -1 - int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=7).digest(), "little")


def template_keys(index: TemplateIndex, min_words: int) -> Iterator[tuple[int, str]]:
    """``(key, template id)`` for every key a lookup in ``index`` can find one of the
    template's wordings under, each pair once, sorted.

    ``min_words`` is the setting of that name: only passages shorter than it are
    looked up by text.
    """
    read = index.walk - index.ptr[:-1]  # postings a lookup reads, per shingle
    at = np.repeat(index.ptr[:-1] - np.cumsum(read) + read, read) + np.arange(int(read.sum()))
    owner = index.template_of[index.postings[at]].astype(np.uint64)
    pairs = sorted_unique(np.repeat(index.keys.astype(np.uint64), read) << np.uint64(32) | owner)
    names = index.template_names
    shingles = zip((pairs >> np.uint64(32)).tolist(), (pairs & np.uint64(0xFFFFFFFF)).tolist())
    short = np.flatnonzero((index.sizes >= 2) & (index.sizes < min_words)).tolist()
    texts = sorted({(text_key(index.targets[k].words.text), names[index.template_of[k]]) for k in short})
    yield from texts  # negative keys first, as they sort
    for key, owner_ in shingles:
        yield key, names[owner_]


def passage_keys(documents: Iterable[DocWords], min_words: int, shingle_size: int) -> list[int]:
    """Every key the documents' passages are looked up under, each once, sorted:
    the shingles of passages of ``shingle_size`` words or more, the texts of
    passages of 2 to ``min_words - 1`` words."""
    texts: set[int] = set()
    hashes = [np.zeros(0, dtype=np.uint32)]
    for doc in documents:
        for k, (lo, hi) in enumerate(doc.passages):
            if 2 <= hi - lo < min_words:
                texts.add(text_key(" ".join(doc.words.words[lo:hi])))
            if hi - lo >= shingle_size:
                hashes.append(doc.shingles[k].astype(np.uint32))
    return sorted(texts) + sorted_unique(np.concatenate(hashes)).tolist()
