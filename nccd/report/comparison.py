"""Output of ``nccd compare``: shared spans side by side, both texts marked."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compare import Comparison

_MARK = "bold black on yellow"


def comparison_record(c: Comparison) -> dict:
    """The comparison as a JSON-ready dict."""
    return {
        "a": {"id": c.a.id, "path": c.a.path, "force": c.a.force, "share": c.a_share},
        "b": {"id": c.b.id, "path": c.b.path, "force": c.b.force, "share": c.b_share},
        "spans": [
            {"a_start": s.a_start, "a_end": s.a_end, "b_start": s.b_start, "b_end": s.b_end,
             "words": s.words, "similarity": s.similarity}
            for s in c.spans
        ],
    }


def comparison_json(c: Comparison) -> str:
    return json.dumps(comparison_record(c), ensure_ascii=False, indent=2) + "\n"


def _excerpt(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width // 2 - 2] + " … " + flat[-(width // 2 - 2):]


def marked(text: str, intervals: list[tuple[int, int]]) -> Text:
    """``text`` with each interval highlighted and fenced ``[n]…[/n]`` like the span table
    (the fences keep the marks visible where colour is off)."""
    out = Text()
    cursor = 0
    for n, (start, end) in sorted(enumerate(intervals, 1), key=lambda x: x[1]):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(f"[{n}]", style="bold")
        out.append(text[start:end], style=_MARK)
        out.append(f"[/{n}]", style="bold")
        cursor = end
    out.append(text[cursor:])
    return out


def render_comparison(c: Comparison, console: Console, *, texts: bool = True) -> None:
    """Print the shared spans side by side, then (``texts``) both texts with them marked."""
    table = Table(title=f"{len(c.spans)} shared spans", expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(c.a.path, overflow="fold")
    table.add_column(c.b.path, overflow="fold")
    table.add_column("Words", justify="right", no_wrap=True)
    table.add_column("Similarity", justify="right", no_wrap=True)
    for n, s in enumerate(c.spans, 1):
        table.add_row(str(n), _excerpt(c.a.text[s.a_start:s.a_end]), _excerpt(c.b.text[s.b_start:s.b_end]),
                      str(s.words), f"{s.similarity:.2f}")
    console.print(table)
    console.print(f"{c.a.path}: {c.a_share:.1%} shared")
    console.print(f"{c.b.path}: {c.b_share:.1%} shared")
    if texts:
        for doc, spans in ((c.a, [(s.a_start, s.a_end) for s in c.spans]),
                           (c.b, [(s.b_start, s.b_end) for s in c.spans])):
            console.rule(doc.path)
            console.print(marked(doc.text, spans), highlight=False)
