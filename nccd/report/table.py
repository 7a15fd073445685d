"""The terminal table: one row per document, for people."""

from __future__ import annotations

import os
from typing import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..explain import explain
from ..model import Document, DocumentScore, Result, Span
from .jsonout import by_document, template_chars

#: Templates named per document in the table.
TOP_TEMPLATES = 3


def render_table(result: Result, console: Console, *, explain: bool = False) -> None:
    """Print the scan as a table, then one line per skipped file.

    Parameters
    ----------
    result:
        The scan.
    console:
        Where to print; cells are plain text, never rich markup, so file names
        with brackets print as they are.
    """
    table = Table(title=f"nccd scan: {_count(len(result.documents), 'document')}, "
                        f"{_count(len(result.templates), 'template')}")
    table.add_column("Document", no_wrap=True)
    table.add_column("Force", overflow="fold")
    table.add_column("Date", no_wrap=True)
    table.add_column("Reuse", justify="right", no_wrap=True)
    table.add_column("NCND", no_wrap=True)
    table.add_column("Exemptions", overflow="fold")
    table.add_column("Top templates", overflow="fold", min_width=16)
    named: list[str] = []
    for doc, score, spans in by_document(result):
        table.add_row(*(Text(cell) for cell in row_cells(doc, score, spans)))
        named.extend(tid for tid, _ in template_chars(doc, spans)[:TOP_TEMPLATES] if tid not in named)
    console.print(table)
    _legend(result, sorted(named), console)
    if explain:
        _explain(result, console)
    for skipped in result.skipped:
        console.print(Text(f"skipped {skipped.path}: {skipped.reason}"))


def _explain(result: Result, console: Console) -> None:
    """Every span: where it is, the template it matched, its similarity and its edits."""
    templates = {t.id: t for t in result.templates}
    for doc, _, spans in by_document(result):
        console.rule(Text(doc.path))
        for s in spans:
            why = explain(doc.text, s, templates[s.template_id])
            console.print(Text(f"[{s.start}:{s.end}] {s.role} {s.template_id}/{s.variant} "
                               f"similarity {s.similarity:.2f}: {_clip(doc.text[s.start:s.end])}"))
            for e in why.edits:
                console.print(Text(f"    {e.op:<7} {e.document!r} ~ {e.template!r}"))


def _clip(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _legend(result: Result, ids: Sequence[str], console: Console, words: int = 12) -> None:
    """One line per template named in the table: role, documents, and its opening words."""
    templates = {t.id: t for t in result.templates}
    for tid in ids:
        t = templates.get(tid)
        if t is None:
            continue
        opening = " ".join(t.text.split()[:words])
        docs = _count(len(t.documents), "doc") if t.source != "user" else "user template"
        console.print(Text(f"{tid}  {t.role:<7} {docs:<7} {opening}…"), overflow="ellipsis", no_wrap=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def row_cells(doc: Document, score: DocumentScore, spans: Sequence[Span]) -> list[str]:
    """The table's cells for one document, as plain strings."""
    return [
        os.path.basename(doc.path) or doc.path,
        doc.force or "",
        doc.date or (str(doc.year) if doc.year is not None else ""),
        f"{score.reuse * 100:.1f}%",
        "yes" if score.ncnd else "no",
        ", ".join(score.exemptions),
        _top_templates(doc, score, spans),
    ]


def _top_templates(doc: Document, score: DocumentScore, spans: Sequence[Span]) -> str:
    """Up to three templates with the share of the document's characters each covers, one a line."""
    top = template_chars(doc, spans)[:TOP_TEMPLATES]
    return "\n".join(f"{tid} {_percent(chars, score.chars)}" for tid, chars in top)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"
