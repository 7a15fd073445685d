"""Outputs of the corpus commands: ``nccd templates``, ``nccd query``, ``nccd report``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Sequence

from rapidfuzz.distance import Levenshtein
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Result, Template
from ..query import Hit
from .groups import GroupRow


def _opening(text: str, words: int = 14) -> str:
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def render_templates(templates: Sequence[Template], console: Console, *, variants: bool = False) -> None:
    """A table of template families; with ``variants``, each wording's word-level differences."""
    table = Table(title=f"{len(templates)} templates")
    for name, kw in (("Template", {"no_wrap": True}), ("Role", {}), ("Docs", {"justify": "right"}),
                     ("Forces", {"justify": "right"}), ("First", {}), ("Last", {}),
                     ("Wordings", {"justify": "right"}), ("Text", {"overflow": "fold"})):
        table.add_column(name, **kw)
    for t in templates:
        table.add_row(t.id, t.role, str(len(t.documents)), str(len(t.forces)), t.first_seen or "",
                      t.last_seen or "", str(len(t.variants)), Text(_opening(t.text)))
    console.print(table)
    if variants:
        for t in templates:
            console.rule(Text(f"{t.id} ({t.role})"))
            for k, v in enumerate(t.variants):
                console.print(Text(f"[{k}] {len(v.documents)} documents: ") + word_diff(t.text, v.text))


def word_diff(base: str, other: str) -> Text:
    """``other`` against ``base`` word by word: added words green, dropped words struck through."""
    a, b = base.split(), other.split()
    out = Text()
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            out.append(" ".join(b[op.dest_start:op.dest_end]) + " ")
            continue
        if op.src_end > op.src_start:
            out.append("[-" + " ".join(a[op.src_start:op.src_end]) + "-] ", style="strike red")
        if op.dest_end > op.dest_start:
            out.append("{+" + " ".join(b[op.dest_start:op.dest_end]) + "+} ", style="green")
    return out


def render_hits(hits: Sequence[Hit], console: Console) -> None:
    table = Table(title=f"{len(hits)} passages reuse the text")
    for name in ("Document", "Force", "Date", "Similarity", "Role", "Span", "Text"):
        table.add_column(name, overflow="fold", no_wrap=name in ("Similarity", "Span"))
    for h in hits:
        table.add_row(h.path.rsplit("/", 1)[-1], h.force or "", h.date or (str(h.year) if h.year else ""), f"{h.similarity:.2f}",
                      h.role, f"{h.start}-{h.end}", Text(_opening(h.text, 18)))
    console.print(table)


def hits_json(hits: Sequence[Hit]) -> str:
    return json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2) + "\n"


def render_groups(rows: Sequence[GroupRow], result: Result, console: Console, by: str = "force,year") -> None:
    """The groups as a table, with the template wording each used most."""
    templates = {t.id: t for t in result.templates}
    keys = by.split(",")
    table = Table(title="Reuse by " + " and ".join(keys))
    columns = [k.capitalize() for k in keys] + ["Documents", "NCND", "Mean reuse", "Most used wording"]
    for name in columns:
        table.add_column(name, overflow="fold", justify="right" if name in ("Documents", "NCND", "Mean reuse",
                                                                            "Year") else "left")
    for r in rows:
        wording = ""
        if r.top_template:
            t = templates.get(r.top_template)
            wording = f"{r.top_template}/{r.top_variant} ({r.template_documents} docs)"
            wording += f": {_opening(t.variants[r.top_variant].text, 8)}" if t else ""
        cells = [r.force or "" if k == "force" else str(r.year or "") for k in keys]
        table.add_row(*cells, str(r.documents), f"{r.ncnd_share:.0%}", f"{r.mean_reuse:.1%}", Text(wording))
    console.print(table)


def groups_json(rows: Sequence[GroupRow]) -> str:
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"


def groups_csv(rows: Sequence[GroupRow]) -> str:
    out = io.StringIO()
    fields = list(GroupRow.__dataclass_fields__)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(asdict(r))
    return out.getvalue()
