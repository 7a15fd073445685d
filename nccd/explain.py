"""Why a span was counted: the template text it matched and the word-level edits between them."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .align import Vocabulary
from .model import Span, Template
from .normalize import Normalized, normalize


@dataclass(frozen=True)
class Edit:
    """One word-level difference: ``op`` is ``replace``, ``insert`` (words only the
    document has) or ``delete`` (words only the template has); texts as they stand."""

    op: str
    document: str
    template: str


@dataclass(frozen=True)
class Explanation:
    """The template text a span matched and the edits that turn it into the document's text."""

    template_text: str
    edits: tuple[Edit, ...]


def _piece(words: Normalized, first: int, last: int) -> str:
    if last <= first:
        return ""
    return words.original[int(words.starts[first]) : int(words.ends[last - 1])]


def explain(document_text: str, span: Span, template: Template) -> Explanation:
    """Explain one span against the template (variant) it names.

    The edits are rapidfuzz Levenshtein opcodes on the comparison words of the
    two stretches, so case, punctuation and spelling variants are not edits.
    """
    variant = template.variants[span.variant].text
    ours = normalize(document_text, span.start, span.end)
    theirs = normalize(variant, span.template_start, span.template_end)
    vocab = Vocabulary()
    # template → document: "insert" is what the force added, "delete" what it dropped
    ops = Levenshtein.opcodes(vocab.ids(theirs.words), vocab.ids(ours.words))
    edits = tuple(
        Edit(op.tag, _piece(ours, op.dest_start, op.dest_end), _piece(theirs, op.src_start, op.src_end))
        for op in ops
        if op.tag != "equal"
    )
    return Explanation(variant[span.template_start : span.template_end], edits)
