"""The manifest: a CSV giving each response's force, date, reference and title.

Columns ``path,force,date,reference,title`` in any order; only ``path`` is
required and other columns are ignored. What a manifest says wins over what
nccd infers from the text.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from typing import Mapping

from .model import Metadata

#: Columns read from a manifest; any others are ignored.
COLUMNS: tuple[str, ...] = ("path", "force", "date", "reference", "title")

_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})")
_UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class ManifestError(Exception):
    """A manifest that cannot be used; ``str()`` is ``"PATH: line N: reason"``."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        where = f"{path}: line {line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line

    def __reduce__(self):
        return (type(self), (self.path, self.reason, self.line))


class Manifest(dict):
    """Metadata by normalised path, remembering where the manifest lives.

    A plain ``dict[str, Metadata]`` for every other purpose; ``directory`` is
    the manifest's folder, against which its relative paths are resolved.
    The lookup indexes are built once, so treat it as read-only.
    """

    def __init__(self, entries: Mapping[str, Metadata] = (), directory: str = ".") -> None:
        super().__init__(entries)
        self.directory = os.path.abspath(directory)
        self.by_file: dict[str, str] = {}
        by_name: dict[str, list[str]] = {}
        for key in self:
            self.by_file.setdefault(os.path.normpath(os.path.join(self.directory, key)), key)
            by_name.setdefault(os.path.basename(key), []).append(key)
        self.by_name = {name: keys[0] for name, keys in by_name.items() if len(keys) == 1}


def normalise_path(path: str) -> str:
    """A manifest key: ``os.path.normpath`` with posix separators (Windows ones too)."""
    return os.path.normpath(path.replace("\\", "/")).replace(os.sep, "/")


def load_manifest(path: str) -> Manifest:
    """Read a manifest CSV (UTF-8, with or without BOM).

    Parameters
    ----------
    path:
        The CSV file.

    Returns
    -------
    Manifest
        ``dict[str, Metadata]`` keyed by normalised path; empty cells are
        ``None``; ``inferred`` is ``()``.

    Raises
    ------
    ManifestError
        Unreadable file, no ``path`` column, an empty or repeated path, or a
        date that is not YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            entries = _read_rows(path, csv.reader(fh))
    except FileNotFoundError:
        raise ManifestError(path, "no such file or directory") from None
    except PermissionError:
        raise ManifestError(path, "permission denied") from None
    except IsADirectoryError:
        raise ManifestError(path, "is a directory") from None
    except UnicodeDecodeError as err:
        raise ManifestError(path, f"not UTF-8 text (byte {err.start})") from None
    except csv.Error as err:
        raise ManifestError(path, f"malformed CSV ({err})") from None
    return Manifest(entries, os.path.dirname(os.path.abspath(path)))


def _read_rows(path: str, reader) -> dict[str, Metadata]:
    header = next(reader, None)
    names = [h.strip().lower() for h in header or ()]
    if "path" not in names:
        raise ManifestError(path, "no 'path' column in the header", line=1)
    column = {name: names.index(name) for name in COLUMNS if name in names}
    entries: dict[str, Metadata] = {}
    lines: dict[str, int] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: _cell(row, i) for name, i in column.items()}
        line = reader.line_num
        if cells["path"] is None:
            raise ManifestError(path, "empty path", line=line)
        key = normalise_path(cells["path"])
        if key in entries:
            raise ManifestError(path, f"path {key!r} repeats line {lines[key]}", line=line)
        entries[key], lines[key] = _metadata(path, line, cells), line
    return entries


def _cell(row: list[str], index: int) -> str | None:
    value = row[index].strip() if index < len(row) else ""
    return value or None


def _metadata(path: str, line: int, cells: dict[str, str | None]) -> Metadata:
    date, year = None, None
    if cells.get("date") is not None:
        try:
            date, year = parse_date(cells["date"])
        except ValueError as err:
            raise ManifestError(path, str(err), line=line) from None
    return Metadata(
        force=cells.get("force"),
        date=date,
        year=year,
        reference=cells.get("reference"),
        title=cells.get("title"),
        inferred=(),
    )


def parse_date(text: str) -> tuple[str | None, int]:
    """``(ISO date or None, year)`` of a manifest date.

    Parameters
    ----------
    text:
        "YYYY-MM-DD", "YYYY-MM", "YYYY" or "DD/MM/YYYY" (UK order).

    Raises
    ------
    ValueError
        Any other form, or a day that does not exist.
    """
    text = text.strip()
    try:
        if m := _ISO_DAY.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), int(m[1])
        if m := _UK_DAY.fullmatch(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat(), int(m[3])
        if m := _ISO_MONTH.fullmatch(text):
            dt.date(int(m[1]), int(m[2]), 1)  # rejects month 13
            return None, int(m[1])
        if m := _YEAR.fullmatch(text):
            return None, int(m[1])
    except ValueError:
        pass
    raise ValueError(f"unparseable date {text!r} (use YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)")


def lookup(manifest: Mapping[str, Metadata], path: str) -> Metadata | None:
    """The manifest entry of the file at ``path``, if any.

    Tried in turn: the normalised path itself; the same file reached through
    the manifest's directory (manifest paths are relative to it, so
    ``corpus/met/a.txt`` matches ``met/a.txt`` in ``corpus/manifest.csv``); the
    file name alone, when exactly one entry has it.
    """
    key = normalise_path(path)
    if key in manifest:
        return manifest[key]
    if not isinstance(manifest, Manifest):
        manifest = Manifest(manifest, os.getcwd())
    found = manifest.by_file.get(os.path.abspath(key)) or manifest.by_name.get(os.path.basename(key))
    return manifest[found] if found is not None else None


__all__ = ["COLUMNS", "Manifest", "ManifestError", "load_manifest", "lookup", "normalise_path", "parse_date"]
