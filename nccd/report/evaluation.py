"""Output of ``nccd eval``: a table for people, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import asdict

from rich.console import Console
from rich.table import Table

from ..eval import Evaluation, SpanScores


def evaluation_record(ev: Evaluation) -> dict:
    """The evaluation as a JSON-ready dict (keys as in ``Evaluation``)."""
    record = asdict(ev)
    record["by_role"] = {role: asdict(s) for role, s in ev.by_role.items()}
    record["unmatched"] = list(ev.unmatched)
    return record


def evaluation_json(ev: Evaluation) -> str:
    return json.dumps(evaluation_record(ev), ensure_ascii=False, indent=2) + "\n"


def _row(table: Table, name: str, s: SpanScores) -> None:
    table.add_row(name, f"{s.precision:.4f}", f"{s.recall:.4f}", f"{s.f1:.4f}", f"{s.granularity:.4f}",
                  f"{s.plagdet:.4f}", f"{s.true_chars:,}", f"{s.predicted_chars:,}")


def render_evaluation(ev: Evaluation, console: Console) -> None:
    """Print span scores overall and per role, then the document-level figures."""
    table = Table(title=f"nccd eval: {ev.documents} documents")
    for name in ("Reuse", "Precision", "Recall", "F1", "Granularity", "Plagdet", "True chars", "Predicted"):
        table.add_column(name, justify="left" if name == "Reuse" else "right", no_wrap=True)
    _row(table, "template reuse", ev.reuse)
    for role, scores in ev.by_role.items():
        _row(table, f"  {role}", scores)
    console.print(table)
    lines = [
        f"granularity of the spans themselves (before joining neighbours): {ev.span_granularity:.4f}",
        f"request text counted as reuse: {ev.request_counted:.2%}; labelled request: {ev.request_labelled:.2%}",
        "role accuracy: " + (f"{ev.role_accuracy:.2%} of characters" if ev.role_accuracy is not None
                             else "n/a (predictions carry no passages)"),
        f"NCND precision {ev.ncnd_precision:.4f}, recall {ev.ncnd_recall:.4f}; "
        f"exemptions exact {ev.exemptions_exact:.2%}",
        f"force right {ev.force_accuracy:.2%}; year right {ev.year_accuracy:.2%}",
    ]
    if ev.unmatched:
        lines.append(f"labels without a prediction: {', '.join(ev.unmatched)}")
    for line in lines:
        console.print(line, highlight=False)
