"""CSV: one row per document, for spreadsheets."""

from __future__ import annotations

import csv
import io

from ..model import TEMPLATE_ROLES, Result
from .jsonout import by_document, record_of, template_chars

#: Roles of the ``reuse_<role>`` columns: the ones that count as template reuse,
#: then ``request`` last, apart, because it never counts.
CSV_ROLES: tuple[str, ...] = (*TEMPLATE_ROLES, "request")

#: Columns copied from the JSON document object as they are.
_COPIED: tuple[str, ...] = ("id", "path", "force", "date", "year", "reference", "chars", "reuse")

#: Columns in order.
COLUMNS: tuple[str, ...] = (
    *_COPIED,
    *(f"reuse_{role}" for role in CSV_ROLES),
    "ncnd", "exemptions", "templates", "spans",
)


def to_csv(result: Result) -> str:
    """One row per document, in document order.

    Empty fields are empty cells; ``ncnd`` is ``true``/``false`` as in JSON;
    ``exemptions`` and ``templates`` are joined with ";"; ``templates`` lists
    the templates the document has spans for, most characters covered first;
    ``spans`` counts the spans.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for doc, score, spans in by_document(result):
        record = record_of(doc, score, ())  # the spans are counted, not written
        row = [record[name] for name in _COPIED]
        row += [record["reuse_by_role"][role] for role in CSV_ROLES]
        row += [
            "true" if record["ncnd"] else "false",
            ";".join(record["exemptions"]),
            ";".join(tid for tid, _ in template_chars(doc, spans)),
            len(spans),
        ]
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()
