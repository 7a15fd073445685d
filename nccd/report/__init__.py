"""report: a scan's ``Result`` → table, JSON, JSONL or CSV.

The one place that defines output formats; keys and columns are those of
DESIGN.md "Output contract".
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

from ..model import Result
from .csvout import to_csv
from .jsonout import document_record, result_record, template_record, to_json, to_jsonl, write_json, write_jsonl
from .table import render_table

#: Formats ``write`` knows, the default first.
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv", "html")

_STREAMED = {"json": write_json, "jsonl": write_jsonl}


def write(result: Result, fmt: str, out: TextIO | None, console: Console | None, *, explain: bool = False) -> None:
    """Write ``result`` in format ``fmt``.

    Parameters
    ----------
    result:
        The scan.
    fmt:
        One of ``FORMATS``.
    out:
        Stream for json, jsonl and csv; ``None`` means the console's stream
        (standard output when there is no console). The table ignores it
        when a console is given.
    console:
        Where the table prints; a plain console on ``out`` when ``None``.
    explain:
        Give each span the template text it matched and the word-level edits
        (json, jsonl; the table lists them after the documents).

    Raises
    ------
    ValueError
        ``fmt`` is not one of ``FORMATS``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if fmt == "table":
        render_table(result, console or Console(file=out), explain=explain)
        return
    stream = out or (console.file if console is not None else sys.stdout)
    if fmt == "csv":
        stream.write(to_csv(result))
    elif fmt == "html":
        from .html import to_html

        stream.write(to_html(result))
    else:
        _STREAMED[fmt](result, stream, explain=explain)


__all__ = [
    "FORMATS", "document_record", "render_table", "result_record", "template_record",
    "to_csv", "to_json", "to_jsonl", "write", "write_json", "write_jsonl",
]
