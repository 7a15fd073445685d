"""ingest: paths → ``Document``s, with metadata from a manifest or the text."""

from __future__ import annotations

import os
from typing import Callable, Sequence

from ..manifest import load_manifest, lookup
from ..metadata import infer_metadata
from ..model import Document, Metadata, Skipped
from ..parallel import chunked
from . import IngestError, collect_paths, document_id, read_documents, sha256_text
from .extracted import Extracted

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
    strict: bool = False,
    stdin: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = 1,
) -> tuple[list[Document], list[Skipped]]:
    """Read every file under ``paths`` into ``Document``s; list the unreadable ones.

    A file that cannot be read is skipped with its reason and the rest go on
    (with ``strict``, the first one raises ``IngestError``). An e-mail yields
    the message and one document per attachment. Documents come back sorted by
    path, so results never depend on the order the user named them. A path
    ``-`` stands for ``stdin``: JSONL records, or else one path per line.
    Files are read and their metadata inferred on ``jobs`` worker processes.
    """
    paths, piped = _stdin(paths, stdin)
    files, skipped = collect_paths(paths)
    if strict and skipped:
        raise IngestError(skipped[0].path, skipped[0].reason)
    table = load_manifest(manifest) if manifest else {}
    docs: list[Document] = []
    taken: set[str] = set()
    if piped:
        docs.extend(_documents("-", piped, table, taken))
    limit = {} if max_bytes is None else {"max_bytes": max_bytes}
    # What a manifest says in full is not looked for in the text (a third of the stage).
    described = {f for f in files if _complete(lookup(table, f))} if table else set()
    read = chunked(_read, (files, limit, described), len(files), jobs=jobs, min_chunk=64, progress=progress)
    for path, (extracted, inferred) in zip(files, read):
        if isinstance(extracted, IngestError):
            if strict:
                raise extracted
            skipped.append(Skipped(path, extracted.reason))
            continue
        docs.extend(_documents(path, extracted, table, taken, inferred))
    return sorted(docs, key=lambda d: d.path), sorted(skipped, key=lambda s: s.path)


def _read(state, lo: int, hi: int) -> list[tuple[list[Extracted] | IngestError, list[Metadata]]]:
    """Files ``lo .. hi - 1`` read, with the metadata inferred from each text (or the
    error); ``None`` for a document the manifest describes in full (``described``)."""
    files, limit, described = state
    out: list = []
    for path in files[lo:hi]:
        try:
            extracted = read_documents(path, **limit)
        except IngestError as err:
            out.append((err, []))
            continue
        given = path in described
        out.append((extracted, [None if given and ex.name is None and ex.metadata is None else infer_metadata(ex.text)
                                for ex in extracted]))
    return out


def _complete(given: Metadata | None) -> bool:
    """Whether ``given`` has every field, so that none would be inferred."""
    return given is not None and all(getattr(given, name) is not None for name in ("force", "date", "reference",
                                                                                   "title"))


def _stdin(paths: Sequence[str | os.PathLike], data: bytes | None) -> tuple[list, list[Extracted]]:
    """Paths without ``-``, plus ``-`` read: JSONL records, or more paths one per line."""
    rest = [p for p in paths if os.fspath(p) != "-"]
    if len(rest) == len(paths):
        return rest, []
    data = data or b""
    if data.lstrip()[:1] == b"{":
        from .jsonl import extract

        return rest, extract(data, "-")
    return rest + [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()], []


def _documents(path: str, extracted: Sequence[Extracted], table, taken: set[str],
               inferred: Sequence[Metadata] | None = None) -> list[Document]:
    """The documents of one file; attachments point at the message they came with."""
    out: list[Document] = []
    ids: dict[str | None, str] = {}
    for k, ex in enumerate(extracted):
        where = path if ex.name is None else f"{path}#{ex.name}"
        given = ex.metadata or (
            (lookup(table, where) or (lookup(table, path) if ex.name is None else None)) if table else None)
        found = inferred[k] if inferred is not None else None
        if found is None:  # every field the manifest gives wins: nothing to infer
            found = Metadata() if _complete(given) else infer_metadata(ex.text)
        meta = merge_metadata(given, found)
        doc_id = document_id(ex.text, where, taken)
        taken.add(doc_id)
        message, _, part = (ex.name or "").partition("attachment-")
        parent = ids.get(message.rstrip("/") or None) if part else None
        if not part:
            ids[ex.name] = doc_id
        out.append(Document(
            id=doc_id, path=where, text=ex.text, force=meta.force, date=meta.date,
            reference=meta.reference, title=meta.title, sha256=sha256_text(ex.text),
            year=meta.year, inferred=meta.inferred, parent=parent, flags=ex.flags, ignore=ex.ignore,
        ))
    return out


def document_from_text(text: str, path: str, doc_id: str | None = None) -> Document:
    """A ``Document`` for text already in memory (metadata inferred from the text)."""
    meta = infer_metadata(text)
    return Document(
        id=doc_id or document_id(text, path, set()), path=path, text=text, force=meta.force,
        date=meta.date, reference=meta.reference, title=meta.title, sha256=sha256_text(text),
        year=meta.year, inferred=meta.inferred,
    )
