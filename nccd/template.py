"""template: families (and texts the user gives) → ``Template``s.

A discovered template's canonical text is the wording its copies agree on word
by word (``nccd.consensus``); with fewer than five wordings, the most widely held
one (ties: one not hard-wrapped across lines, then the longest, then the first in
comparison order). So a template reads like the text forces actually copy. Its id is derived from that wording alone, so the
same family gets the same id whatever order the files were read in.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from .cluster import Fragment
from .consensus import Wording, consensus
from .model import ROLES, Document, Template, Variant
from .normalize import Normalized, normalize
from .roles import classify_roles
from .segment import paragraphs


class Corpus:
    """What discovery knows of each document, by document number.

    Parameters
    ----------
    documents:
        The documents, in pipeline order.
    words:
        Each document's comparison words.
    roles:
        Each document's role per word (the role of the passage holding it).
    """

    def __init__(
        self, documents: Sequence[Document], words: Sequence[Normalized], roles: Sequence[Sequence[str]]
    ) -> None:
        self.documents = documents
        self.words = words
        self.roles = roles


def template_id(text: str, prefix: str = "t") -> str:
    """A stable id from a text's comparison words: equal wording, equal id."""
    digest = hashlib.sha1(normalize(text).text.encode("utf-8")).hexdigest()
    return prefix + digest[:10]


def _when(doc: Document) -> str | None:
    return doc.date or (str(doc.year) if doc.year else None)


def _wrapped(holders: Sequence[tuple[Document, str]]) -> bool:
    """Whether every copy of a wording is hard-wrapped (PDF text): a worse canonical text."""
    return all("\n" in text for _, text in holders)


def build_template(family: Sequence[Fragment], corpus: Corpus, max_variants: int = 8) -> Template:
    """The template of one family of fragments: its consensus wording first, then the
    wordings documents hold, most widely held first (``max_variants`` in all)."""
    wordings: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    role_words: Counter[str] = Counter()
    for f in family:
        doc, words = corpus.documents[f.doc], corpus.words[f.doc]
        start, end = words.char_span(f.start, f.end)
        wordings[" ".join(words.words[f.start : f.end])].append((doc, doc.text[start:end]))
        role_words.update(corpus.roles[f.doc][f.start : f.end])
    ranked = sorted(
        wordings.items(),
        key=lambda kv: (-len({d.id for d, _ in kv[1]}), _wrapped(kv[1]), -len(kv[0]), kv[0]),
    )
    variants = [
        Variant(min(holders, key=lambda h: ("\n" in h[1], h[0].id, h[1]))[1], tuple(sorted({d.id for d, _ in holders})))
        for _, holders in ranked
    ]
    agreed = consensus([Wording(v.text, len(v.documents)) for v in variants])
    if normalize(agreed).text not in wordings:
        variants.insert(0, Variant(agreed, ()))  # no single copy says what most copies agree on
    variants = tuple(variants[:max_variants])
    members = sorted({corpus.documents[f.doc].id: corpus.documents[f.doc] for f in family}.items())
    seen = sorted(w for w in (_when(d) for _, d in members) if w)
    role = max(ROLES, key=lambda r: (role_words[r], -ROLES.index(r)))
    return Template(
        id=template_id(variants[0].text),
        text=variants[0].text,
        role=role,
        documents=tuple(k for k, _ in members),
        forces=tuple(sorted({d.force for _, d in members if d.force})),
        first_seen=seen[0] if seen else None,
        last_seen=seen[-1] if seen else None,
        variants=variants,
    )


def build_templates(
    families: Sequence[Sequence[Fragment]], corpus: Corpus, max_variants: int = 8
) -> list[Template]:
    """Templates of all families, one per id (families with the same wording merge), sorted by id."""
    by_id: dict[str, Template] = {}
    for family in families:
        t = build_template(family, corpus, max_variants)
        if t.id in by_id:
            t = _merge(by_id[t.id], t, max_variants)
        by_id[t.id] = t
    return [by_id[k] for k in sorted(by_id)]


def _merge(x: Template, y: Template, max_variants: int) -> Template:
    """Two families with the same canonical wording as one template, whichever came first."""
    holders: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, str] = {}
    for v in x.variants + y.variants:
        key = normalize(v.text).text
        texts[key] = min(texts.get(key, v.text), v.text, key=lambda t: ("\n" in t, t))
        holders[key].update(v.documents)
    first = normalize(x.text).text  # equal for x and y: that is why they merge
    rest = sorted((k for k in holders if k != first), key=lambda k: (-len(holders[k]), "\n" in texts[k], k))
    seen = sorted(s for s in (x.first_seen, x.last_seen, y.first_seen, y.last_seen) if s)
    role = max((x, y), key=lambda t: (len(t.documents), t.role)).role
    return Template(
        id=x.id,
        text=texts[first],
        role=role,
        documents=tuple(sorted(set(x.documents) | set(y.documents))),
        forces=tuple(sorted(set(x.forces) | set(y.forces))),
        first_seen=seen[0] if seen else None,
        last_seen=seen[-1] if seen else None,
        variants=tuple(Variant(texts[k], tuple(sorted(holders[k]))) for k in [first, *rest])[:max_variants],
    )


def user_template(path: str, text: str) -> Template:
    """A template the user gave, read from ``path``; its role is that of most of its words."""
    spans = paragraphs(text)
    roles = classify_roles([text[s:e] for s, e in spans])
    weight: Counter[str] = Counter()
    for (s, e), r in zip(spans, roles):
        weight[r] += len(normalize(text, s, e))
    role = max(ROLES, key=lambda r: (weight[r], -ROLES.index(r))) if weight else "ncnd"
    return Template(
        id=template_id(text, prefix="u"),
        text=text,
        role=role,
        documents=(),
        forces=(),
        first_seen=None,
        last_seen=None,
        variants=(Variant(text, ()),),
        source="user",
        name=Path(path).stem,
    )
