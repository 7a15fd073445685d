"""``Store``: a corpus of responses kept in one SQLite file, and the results of scanning it.

Documents are added file by file, each file in its own transaction, so an
interrupted ``add`` keeps every file it finished and a re-run does the rest.
The derived tables (passages, signatures, templates, spans, scores) are then
recomputed from every stored document and replaced in one transaction:
readers see the old results or the new ones, never a mix.

``meta`` counts changes to the documents (``documents_generation``) and
records which count the derived tables were computed from
(``results_generation``); when the two differ, an ``add`` was interrupted
after storing documents, and the next ``add`` recomputes the results even if
it has no file to read.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np

from .. import __version__
from ..ingest import IngestError, _os_reason, collect_paths, read_documents
from ..ingest.documents import _documents
from ..ingest.extracted import Extracted
from ..manifest import load_manifest
from ..model import Document, Result, Skipped
from ..pipeline import Clock, Progress, lookup_keys, run
from ..settings import Settings
from .rows import (DERIVED, DOCUMENT_COLUMNS, document_of, document_row, has_template_keys, read_result,
                   templates_meeting, write_document_results, write_result)
from .schema import StoreError, connect, families_generation, prepare, read_meta, write_meta

#: Times results are recomputed when another process keeps adding documents meanwhile.
_ATTEMPTS = 5

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class AddSummary:
    """What one ``Store.add`` did.

    Attributes
    ----------
    added:
        Files read and stored (new files, and files changed since they were stored).
    unchanged:
        Files already stored as they are now, not read again.
    skipped:
        Inputs that could not be read, with the reason.
    documents:
        Documents in the store afterwards.
    aligned_only:
        New documents were aligned against the stored templates, and families
        were not discovered again (an add without ``discover`` that could).
    """

    added: int
    unchanged: int
    skipped: tuple[Skipped, ...]
    documents: int
    aligned_only: bool = False


@dataclass(frozen=True)
class _Known:
    """What the store holds, kept up to date in memory through one ``add`` (the containers
    change, never the fields) so each file costs O(its documents), not O(the store)."""

    files: dict[str, tuple[int, int, str]]
    ids: set[str]
    shas: Counter


class _Taken:
    """The ids in use, as ``_documents`` expects of a set: the store's (less those about to be
    replaced) and those given to this file so far."""

    def __init__(self, stored: set[str], freed: set[str]) -> None:
        self.stored, self.freed, self.new = stored, freed, set()

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.new or (doc_id in self.stored and doc_id not in self.freed)

    def add(self, doc_id: str) -> None:
        self.new.add(doc_id)


class Store:
    """A persistent corpus in one SQLite file; a context manager that closes it.

    Parameters
    ----------
    path:
        The file; created with an empty corpus when missing.
    settings:
        The settings results are computed with. A new store records them; an
        existing one must have been made with equal settings. ``None`` means
        ``Settings()`` for a new store and the recorded ones otherwise.

    Raises
    ------
    StoreError
        The file is not an nccd store, has a newer schema, or has other settings.
    """

    def __init__(self, path: str | os.PathLike, settings: Settings | None = None) -> None:
        self.path = os.fspath(path)
        self._conn = connect(self.path)
        try:
            self._settings = prepare(self._conn, self.path, settings)
        except BaseException:
            self._conn.close()
            raise

    @property
    def settings(self) -> Settings:
        """The settings every stored result was computed with."""
        return self._settings

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    @property
    def stale(self) -> bool:
        """Whether documents were stored since the results were computed (an ``add``
        was interrupted, or one is running in another process)."""
        with self._snapshot() as conn:
            meta = read_meta(conn)
        return meta["documents_generation"] != meta["results_generation"]

    def documents(self) -> list[Document]:
        """Every stored document, sorted by path, text verbatim."""
        with self._snapshot() as conn:
            rows = conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY rowid").fetchall()
        # Sorted here rather than in SQL: Python's order is the one ``ingest`` gives a scan.
        return sorted((document_of(r) for r in rows), key=lambda d: d.path)

    def result(self) -> Result:
        """The results of the last completed ``add``, rebuilt from the tables.

        Documents stored by an ``add`` that has not finished (see ``stale``)
        are left out until results including them are stored. ``skipped`` is
        empty: the store keeps what was read, not what could not be.
        """
        with self._snapshot() as conn:
            return read_result(conn, self._settings)

    def add(self, paths: Sequence[str | os.PathLike], *, manifest: str | None = None,
            progress: Progress | None = None, discover: bool = True) -> AddSummary:
        """Store the responses under ``paths`` and recompute the results of the whole corpus
        (or, without ``discover``, work out those of the new documents only).

        Parameters
        ----------
        paths:
            Files and directories, as ``nccd.scan`` takes them. A file whose
            path, size and modification time are those stored is not read
            again; a changed file's documents replace the ones it gave before.
            A document whose text is already stored (from any file) is not
            stored again.
        manifest:
            CSV with columns ``path,force,date,reference,title``, applied to the
            files read in this call.
        progress:
            ``progress(stage, done, total)``: ``"ingest"`` once per file, then
            the pipeline's stages.
        discover:
            Discover the template families again over every document. Without it
            the new documents are only aligned against the stored templates, in
            seconds however large the store: text they share that is no template
            yet is found by the next ``add`` with ``discover`` (even one with no
            new files). If the stored results are not those of every other document
            (an ``add`` was interrupted, or a changed file replaced documents),
            everything is recomputed as with ``discover``.

        Raises
        ------
        StoreError
            The store cannot be written.
        ManifestError
            The manifest cannot be used.
        """
        files, skipped = collect_paths(paths)
        table = load_manifest(manifest) if manifest else {}
        known = self._known()
        before = set(known.ids)
        added = unchanged = 0
        for n, path in enumerate(files, 1):
            try:
                if self._add_file(path, table, known):
                    added += 1
                else:
                    unchanged += 1
            except IngestError as err:
                skipped.append(Skipped(path, err.reason))
            if progress:
                progress("ingest", n, len(files))
        # A document gone takes its share of the templates with it: discover again.
        aligned_only = not discover and not before - known.ids and self._extend(known.ids - before, progress)
        if not aligned_only:
            self._refresh(progress)
        with self._snapshot() as conn:
            count = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return AddSummary(added, unchanged, tuple(sorted(skipped, key=lambda s: (s.path, s.reason))), count,
                          aligned_only and known.ids != before)

    # -- writing --------------------------------------------------------------------------

    def _known(self) -> _Known:
        with self._snapshot() as conn:
            files = {p: (size, mtime, sha) for p, size, mtime, sha in
                     conn.execute("SELECT path, size, mtime_ns, sha256 FROM files")}
            docs = conn.execute("SELECT id, sha256 FROM documents").fetchall()
        return _Known(files, {d for d, _ in docs}, Counter(s for _, s in docs))

    def _add_file(self, path: str, table, known: _Known) -> bool:
        """Store one file unless it is unchanged; ``True`` when it was read.

        Raises ``IngestError`` when the file cannot be read.
        """
        before = _stat(path)
        row = known.files.get(path)
        if row is not None and before is not None and row[:2] == before:
            return False
        if row is not None and before is not None and row[0] == before[0] and _sha256_file(path) == row[2]:
            # Touched, not changed: record the new time so the next add skips it unread.
            with self._transaction(f"record {path}") as conn:
                conn.execute("UPDATE files SET mtime_ns = ? WHERE path = ?", (before[1], path))
            known.files[path] = (*before, row[2])
            return False
        extracted = read_documents(path)
        # The size and time from before the read: a file edited meanwhile then looks changed next time.
        stat = before or _stat(path) or (0, 0)
        self._store_file(path, (*stat, _sha256_file(path)), extracted, table, known)
        return True

    def _store_file(self, path: str, info: tuple[int, int, str], extracted: Sequence[Extracted], table,
                    known: _Known) -> None:
        """One file's ``files`` row and documents, in one transaction."""
        try:
            with self._transaction(f"add {path}") as conn:
                old = [document_of(r) for r in conn.execute(
                    f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE file = ? ORDER BY rowid", (path,))]
                docs = _documents(path, extracted, table, _Taken(known.ids, {d.id for d in old}))
                freed = Counter(d.sha256 for d in old)
                new = [d for d in docs if known.shas[d.sha256] - freed[d.sha256] <= 0]
                conn.execute(
                    "INSERT INTO files (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?) ON CONFLICT(path) "
                    "DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
                    (path, *info))
                if new != old:
                    _replace_documents(conn, path, new)
        except UnicodeEncodeError:
            raise IngestError(path, "holds text SQLite cannot store (unpaired surrogate code points)") from None
        known.files[path] = info
        known.ids.difference_update(d.id for d in old)
        known.ids.update(d.id for d in new)
        known.shas.subtract(freed)
        known.shas.update(d.sha256 for d in new)

    def _refresh(self, progress: Progress | None) -> None:
        """Recompute the derived tables from every stored document, if documents changed."""
        for _ in range(_ATTEMPTS):
            with self._snapshot() as conn:
                meta = read_meta(conn)
                generation = meta["documents_generation"]
                if generation == meta["results_generation"] == families_generation(meta):
                    return
                rows = conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY rowid").fetchall()
                known = _stored_signatures(conn, self._settings.num_perm)
            documents = sorted((document_of(r) for r in rows), key=lambda d: d.path)
            result = run(documents, self._settings, clock=Clock(progress), known_signatures=known,
                         keep_signatures=True)
            with self._transaction("store results") as conn:
                # Another process may have stored documents while this one computed.
                if read_meta(conn)["documents_generation"] != generation:
                    continue
                for name in DERIVED:
                    conn.execute(f"DELETE FROM {name}")
                write_result(conn, result)
                write_meta(conn, {"results_generation": generation, "families_generation": generation,
                                  "nccd_version": __version__})
                return
        raise StoreError(self.path, "documents kept changing while results were computed "
                                    "(another add is running); run add again")

    def _extend(self, added: set[str], progress: Progress | None) -> bool:
        """Align the documents ``added`` against the stored templates and store their
        results beside the others'. ``False``, with nothing written, unless the
        stored results are those of every other document."""
        with self._snapshot() as conn:
            meta = read_meta(conn)
            generation, families = meta["documents_generation"], families_generation(meta)
            lacking = {r[0] for r in conn.execute(
                "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM scores)")}
            gone = conn.execute("SELECT COUNT(*) FROM scores WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()
            if lacking != added or gone[0] or not has_template_keys(conn):
                return False
            documents = sorted((document_of(conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?",
                                                         (i,)).fetchone()) for i in added), key=lambda d: d.path)
            if not documents:
                return True
            # Only the templates the new documents can meet: the same spans, read in seconds at any size.
            templates, wordings = templates_meeting(conn, lookup_keys(documents, self._settings))
        result = run(documents, self._settings, templates=templates, clock=Clock(progress), keep_signatures=True,
                     discover=False, wordings=wordings)
        with self._transaction("store results") as conn:
            now = read_meta(conn)
            if (now["documents_generation"], families_generation(now)) != (generation, families):
                return False  # another process stored documents or templates meanwhile
            write_document_results(conn, result)
            write_meta(conn, {"results_generation": generation, "families_generation": families})
        return True

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once so two writers queue rather than deadlock."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise StoreError(self.path, f"cannot {what} ({err})") from None
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise StoreError(self.path, f"cannot {what} ({err})") from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        try:
            self._conn.execute("BEGIN")
            yield self._conn
        except sqlite3.Error as err:
            self._rollback()
            raise StoreError(self.path, f"cannot read the store ({err})") from None
        except BaseException:
            self._rollback()
            raise
        else:
            self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")


def _replace_documents(conn: sqlite3.Connection, file: str, documents: Iterable[Document]) -> None:
    """Swap the documents read from ``file``; their derived rows go with them until results are recomputed."""
    conn.execute("DELETE FROM documents WHERE file = ?", (file,))
    conn.executemany(f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({', '.join('?' * 14)})",
                     (document_row(d, file) for d in documents))
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'documents_generation'")


def _stat(path: str) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of ``path``, or ``None`` when it cannot be stat'ed (reading it says why)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _sha256_file(path: str) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
                digest.update(chunk)
    except OSError as err:
        raise IngestError(path, _os_reason(err)) from None
    return digest.hexdigest()


def _stored_signatures(conn: sqlite3.Connection, num_perm: int) -> dict[str, np.ndarray]:
    """The signatures already stored, per document: adding documents re-sketches only the new ones."""
    out: dict[str, list[bytes]] = {}
    for doc_id, blob in conn.execute("SELECT doc_id, minhash FROM signatures ORDER BY doc_id, idx"):
        out.setdefault(doc_id, []).append(blob)
    return {
        doc_id: np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), num_perm).astype(np.uint32)
        for doc_id, blobs in out.items()
    }
