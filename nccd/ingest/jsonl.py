"""JSONL input: one response per line, ``{"id", "text", "force", "date", "reference", "title"}``."""

from __future__ import annotations

import json

from ..model import Metadata
from .extracted import Extracted


def extract(data: bytes, path: str) -> list[Extracted]:
    """Every record of a JSONL file as a response named by its ``id`` (or its line number).

    Raises ``IngestError`` naming the line when a line is not a JSON object with a
    text; blank lines are allowed.
    """
    from . import IngestError
    from .text import decode

    out: list[Extracted] = []
    seen: set[str] = set()
    for number, line in enumerate(decode(data).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise IngestError(path, f"line {number}: not JSON ({err.args[0]})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            raise IngestError(path, f"line {number}: needs an object with a non-empty \"text\"")
        name = str(record.get("id") or f"line-{number}")
        if name in seen:
            raise IngestError(path, f"line {number}: id {name!r} repeats an earlier line")
        seen.add(name)
        out.append(Extracted(record["text"], name=name, metadata=_metadata(record)))
    if not out:
        raise IngestError(path, "no records")
    return out


def _metadata(record: dict) -> Metadata | None:
    from ..manifest import parse_date

    fields = {k: record.get(k) or None for k in ("force", "reference", "title")}
    date, year = (None, None)
    if record.get("date"):
        try:
            date, year = parse_date(str(record["date"]))
        except ValueError:
            date, year = None, None
    if not any(fields.values()) and date is None and year is None:
        return None
    return Metadata(date=date, year=year, **{k: (str(v) if v else None) for k, v in fields.items()})
