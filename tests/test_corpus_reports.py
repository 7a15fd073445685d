"""query, templates and report --by on a small corpus whose numbers are worked out by hand."""

from __future__ import annotations

import nccd
from nccd.model import Document
from nccd.pipeline import run
from nccd.query import query
from nccd.report.groups import group_rows

NCND = ("Confirming or denying that any other information is held would show criminals what the capacity, "
        "tactical abilities and capabilities of the force are, allowing them to target specific areas.")
OWN = "Zebra quartz violin marble lantern orchid tundra pepper walnut harbour ember falcon " * 2


def doc(i: int, text: str, force: str, year: int, ncnd: bool = True) -> Document:
    return Document(id=f"d{i}", path=f"{i}.txt", text=text, force=force, date=None, reference=None, title=None,
                    sha256=str(i), year=year)


def corpus():
    own = lambda k: " ".join(f"{w}{k}" for w in OWN.split())  # noqa: E731  (bespoke: unique words per doc)
    return run([
        doc(0, NCND, "Kent Police", 2019),
        doc(1, NCND + "\n\n" + own(1), "Kent Police", 2019),
        doc(2, NCND, "Essex Police", 2020),
        doc(3, own(3), "Essex Police", 2020),
    ])


def test_report_by_force_and_year_matches_hand_counts():
    result = corpus()
    solid = lambda t: sum(not c.isspace() for c in t)  # noqa: E731
    share = solid(NCND) / solid(result.document("d1").text)
    rows = {(r.force, r.year): r for r in group_rows(result, "force,year")}
    kent, essex = rows[("Kent Police", 2019)], rows[("Essex Police", 2020)]
    assert (kent.documents, essex.documents) == (2, 2)
    assert abs(kent.mean_reuse - round((1.0 + share) / 2, 4)) < 2e-4
    assert abs(essex.mean_reuse - 0.5) < 1e-4
    assert kent.ncnd_share == 0.0  # "confirming or denying" alone is not a refusal
    assert kent.template_documents == 2 and essex.template_documents == 1
    by_force = {r.force: r for r in group_rows(result, "force")}
    assert by_force["Kent Police"].year is None and by_force["Kent Police"].documents == 2


def test_query_finds_every_copy():
    hits = query(corpus(), NCND)
    assert sorted(h.doc_id for h in hits) == ["d0", "d1", "d2"]
    assert all(h.similarity == 1.0 and h.text.startswith("Confirming") for h in hits)
    assert query(corpus(), "tundra pepper walnut " * 3) == []
