"""The store's SQLite schema, its ``meta`` table and schema migrations.

Every table is meant to be read as it is (Datasette, sqlite-utils, the
``sqlite3`` shell): plain column names, JSON text for lists and maps, and the
text a span or passage covers stored next to its offsets.
"""

from __future__ import annotations

from ..errors import NccdError

import json
import sqlite3
from dataclasses import fields
from typing import Mapping

from .. import __version__
from ..model import ROLES
from ..settings import Settings

#: Version of the tables below; bump it and add a ``_MIGRATIONS`` entry on any change.
SCHEMA_VERSION = 2

#: Keys under which template wordings are found (:mod:`nccd.align.keys`): the
#: shingle hashes of the wordings a lookup reads, and the texts of short ones.
#: Millions of rows in a large corpus: no foreign key to check on each insert
#: (the table is emptied and refilled with the templates, as every derived one).
_TEMPLATE_KEYS = """CREATE TABLE template_keys (
        "key" INTEGER NOT NULL, template_id TEXT NOT NULL, PRIMARY KEY ("key", template_id)) WITHOUT ROWID"""

#: ``version -> statements`` that turn a store of ``version - 1`` into one of ``version``.
#: (Version 1 had no template keys, nor the wordings' comparison words: its next add
#: without discovery discovers again.)
_MIGRATIONS: dict[int, list[str]] = {2: [_TEMPLATE_KEYS, "ALTER TABLE template_variants ADD COLUMN words TEXT",
                                          "ALTER TABLE template_variants ADD COLUMN offsets BLOB"]}

#: Seconds a connection waits for another process's write lock before giving up.
BUSY_TIMEOUT = 30.0

#: ``meta`` keys that are not settings.
OWN_KEYS: tuple[str, ...] = ("schema_version", "nccd_version", "documents_generation", "results_generation",
                             "families_generation")

_REUSE_COLUMNS = ", ".join(f"reuse_{role} REAL NOT NULL" for role in ROLES)

TABLES: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE files (
        path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)""",
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY, path TEXT NOT NULL, file TEXT NOT NULL REFERENCES files(path),
        force TEXT, date TEXT, year INTEGER, reference TEXT, title TEXT, sha256 TEXT NOT NULL,
        parent TEXT, flags TEXT NOT NULL, inferred TEXT NOT NULL, "ignore" TEXT NOT NULL,
        text TEXT NOT NULL)""",
    """CREATE TABLE passages (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx))""",
    """CREATE TABLE signatures (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        minhash BLOB NOT NULL, PRIMARY KEY (doc_id, idx))""",
    """CREATE TABLE templates (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, name TEXT, role TEXT NOT NULL, text TEXT NOT NULL,
        documents INTEGER NOT NULL, forces TEXT NOT NULL, first_seen TEXT, last_seen TEXT)""",
    """CREATE TABLE template_variants (
        template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE, variant INTEGER NOT NULL,
        text TEXT NOT NULL, documents TEXT NOT NULL, words TEXT, offsets BLOB,
        PRIMARY KEY (template_id, variant))""",
    """CREATE TABLE template_documents (
        template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE)""",
    _TEMPLATE_KEYS,
    """CREATE TABLE spans (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
        template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
        template_start INTEGER NOT NULL, template_end INTEGER NOT NULL, similarity REAL NOT NULL,
        role TEXT NOT NULL, variant INTEGER NOT NULL, text TEXT NOT NULL)""",
    f"""CREATE TABLE scores (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE, chars INTEGER NOT NULL,
        reuse REAL NOT NULL, {_REUSE_COLUMNS}, ncnd INTEGER NOT NULL, exemptions TEXT NOT NULL,
        coverage TEXT NOT NULL)""",
    "CREATE INDEX documents_file ON documents(file)",
    "CREATE INDEX documents_sha256 ON documents(sha256)",
    "CREATE INDEX documents_path ON documents(path)",
    "CREATE INDEX documents_parent ON documents(parent)",
    "CREATE INDEX template_variants_template ON template_variants(template_id)",
    "CREATE INDEX template_documents_template ON template_documents(template_id)",
    "CREATE INDEX template_documents_doc ON template_documents(doc_id)",
    "CREATE INDEX spans_doc ON spans(doc_id)",
    "CREATE INDEX spans_template ON spans(template_id)",
)

_BY_FORCE = """SELECT d.force AS force, {year}COUNT(*) AS documents,
    ROUND(AVG(s.ncnd), 4) AS ncnd_share, ROUND(AVG(s.reuse), 4) AS mean_reuse
    FROM documents d JOIN scores s ON s.doc_id = d.id
    GROUP BY d.force{group} ORDER BY d.force{group}"""

VIEWS: tuple[str, ...] = (
    "CREATE VIEW reuse_by_force AS " + _BY_FORCE.format(year="", group=""),
    "CREATE VIEW reuse_by_force_year AS " + _BY_FORCE.format(year="d.year AS year, ", group=", d.year"),
    """CREATE VIEW template_use_by_force_year AS
    SELECT t.template_id AS template_id, d.force AS force, d.year AS year,
    COUNT(DISTINCT t.doc_id) AS documents
    FROM template_documents t JOIN documents d ON d.id = t.doc_id
    GROUP BY t.template_id, d.force, d.year ORDER BY t.template_id, d.force, d.year""",
)


class StoreError(NccdError):
    """A store that cannot be opened or written; ``str()`` is ``"PATH: reason"``."""


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on.

    Raises
    ------
    StoreError
        The file cannot be opened or is not an SQLite database.
    """
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(path, f"cannot open: {err}") from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Asking for WAL on a store already in WAL is a no-op, so readers never wait here.
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL survives a killed process; only a power cut can lose the last commits.
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as err:
        conn.close()
        raise StoreError(path, f"not an nccd store ({err})") from None
    return conn


def prepare(conn: sqlite3.Connection, path: str, settings: Settings | None) -> Settings:
    """Create the schema in an empty file, or check and migrate an existing store.

    Returns the store's settings: ``settings`` for a new store, the stored ones
    otherwise (which ``settings``, when given, must equal).
    """
    try:
        if not _has_meta(conn):
            _create(conn, path, settings or Settings())
        meta = read_meta(conn)
        if "schema_version" not in meta:
            raise StoreError(path, "not an nccd store (meta has no schema_version)")
        version = int(meta["schema_version"])
        if version > SCHEMA_VERSION:
            raise StoreError(path, f"schema version {version} is newer than this nccd's {SCHEMA_VERSION}; "
                                   "upgrade nccd to open it")
        if version < SCHEMA_VERSION:
            migrate(conn, path)
    except sqlite3.Error as err:
        raise StoreError(path, f"cannot read the store ({err})") from None
    return check_settings(path, stored_settings(meta), settings)


def _has_meta(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return "meta" in names


def _create(conn: sqlite3.Connection, path: str, settings: Settings) -> None:
    """Make the tables of a new store; a second process creating it at once waits, then finds it made."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" in names:
            conn.execute("COMMIT")
            return
        if names:
            raise StoreError(path, "not an nccd store (it holds other tables and no meta)")
        for statement in TABLES + VIEWS:
            conn.execute(statement)
        rows = {"schema_version": SCHEMA_VERSION, "nccd_version": __version__,
                "documents_generation": 0, "results_generation": 0, "families_generation": 0}
        rows.update({k: json.dumps(v) for k, v in settings.as_dict().items()})
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(k, str(v)) for k, v in rows.items()])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """Every ``meta`` row as ``key -> value``."""
    return dict(conn.execute("SELECT key, value FROM meta"))


def migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring an older store to ``SCHEMA_VERSION``, one version at a time, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the lock: another process may have migrated it meanwhile.
        version = int(read_meta(conn)["schema_version"])
        for target in range(version + 1, SCHEMA_VERSION + 1):
            if target not in _MIGRATIONS:
                raise StoreError(path, f"schema version {version} cannot be migrated: no step to version {target}")
            for statement in _MIGRATIONS[target]:
                conn.execute(statement)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def write_meta(conn: sqlite3.Connection, values: Mapping[str, str]) -> None:
    """Set ``meta`` keys, adding those a store made by an older version lacks."""
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", list(values.items()))


def families_generation(meta: Mapping[str, str]) -> str:
    """The documents generation the families were last discovered at (a store made
    before adds without discovery existed discovered them on every add)."""
    return meta.get("families_generation", meta["results_generation"])


def stored_settings(meta: Mapping[str, str]) -> dict:
    """The settings recorded in ``meta``, decoded from JSON."""
    return {k: json.loads(v) for k, v in meta.items() if k not in OWN_KEYS}


def check_settings(path: str, stored: Mapping[str, object], asked: Settings | None) -> Settings:
    """The store's settings, after checking they equal ``asked`` when it is given.

    Raises
    ------
    StoreError
        A setting differs (the first, in ``Settings`` order, is named), or the
        stored ones are not valid for this nccd.
    """
    if asked is not None:
        wanted = asked.as_dict()
        for name, value in wanted.items():
            if name not in stored:
                raise StoreError(path, f"setting {name} is not in the store, {json.dumps(value)} asked; "
                                       "use a new file")
            if stored[name] != value:
                raise StoreError(path, f"setting {name} is {json.dumps(stored[name])} in the store, "
                                       f"{json.dumps(value)} asked; open it with the store's settings or use a new file")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(stored) - known)
    if unknown:
        raise StoreError(path, f"setting {unknown[0]} in the store is unknown to this nccd; use a new file")
    try:
        return Settings(**stored)
    except (TypeError, ValueError) as err:
        raise StoreError(path, f"the store's settings are not valid here ({err})") from None
