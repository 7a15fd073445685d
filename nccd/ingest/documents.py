"""ingest: paths → ``Document``s, with metadata from a manifest or the text."""

from __future__ import annotations

import os
from typing import Callable, Sequence

from ..manifest import load_manifest, lookup
from ..metadata import infer_metadata
from ..model import Document, Metadata, Skipped
from . import IngestError, collect_paths, document_id, read_text, sha256_text

_FIELDS = ("force", "date", "year", "reference", "title")


def merge_metadata(given: Metadata | None, inferred: Metadata) -> Metadata:
    """The manifest's fields where it has them, the inferred ones elsewhere."""
    if given is None:
        return inferred
    values, guessed = {}, []
    for name in _FIELDS:
        mine = getattr(given, name)
        if name == "date" and given.year is not None and inferred.year != given.year:
            pass  # an inferred date from another year than the manifest's is not this letter's
        elif mine is None and getattr(inferred, name) is not None:
            mine = getattr(inferred, name)
            if name in inferred.inferred:
                guessed.append(name)
        values[name] = mine
    if given.date and given.year is None:
        values["year"] = int(given.date[:4])
    return Metadata(**values, inferred=tuple(guessed))


def ingest(
    paths: Sequence[str | os.PathLike],
    *,
    manifest: str | None = None,
    max_bytes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Read every file under ``paths`` into a ``Document``; list the unreadable ones.

    A file that cannot be read is skipped with its reason; the rest go on.
    Documents come back sorted by path, so results never depend on the order
    the user named them.
    """
    files, skipped = collect_paths(paths)
    table = load_manifest(manifest) if manifest else {}
    docs: list[Document] = []
    taken: set[str] = set()
    for n, path in enumerate(files, 1):
        try:
            text = read_text(path) if max_bytes is None else read_text(path, max_bytes=max_bytes)
        except IngestError as err:
            skipped.append(Skipped(path, err.reason))
            continue
        meta = merge_metadata(lookup(table, path) if table else None, infer_metadata(text))
        doc_id = document_id(text, path, taken)
        taken.add(doc_id)
        docs.append(
            Document(
                id=doc_id, path=path, text=text, force=meta.force, date=meta.date,
                reference=meta.reference, title=meta.title, sha256=sha256_text(text),
                year=meta.year, inferred=meta.inferred,
            )
        )
        if progress:
            progress(n, len(files))
    return docs, sorted(skipped, key=lambda s: s.path)


def document_from_text(text: str, path: str, doc_id: str | None = None) -> Document:
    """A ``Document`` for text already in memory (metadata inferred from the text)."""
    meta = infer_metadata(text)
    return Document(
        id=doc_id or document_id(text, path, set()), path=path, text=text, force=meta.force,
        date=meta.date, reference=meta.reference, title=meta.title, sha256=sha256_text(text),
        year=meta.year, inferred=meta.inferred,
    )
