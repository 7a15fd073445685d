"""The HTML report: one self-contained page (inline CSS, SVG and script; no network) for reading a scan.

Overview, force × year heatmap, timeline of template wordings, the two documents sharing the most
templates side by side, every template family with its variants' word differences, every document
with its reused spans highlighted. All document and template text goes through ``html.escape``; the
script reads it only from attributes and writes it only as ``textContent``; a Content-Security-Policy
naming the inline stylesheet and script by hash stops any other script. Same ``Result``, same string.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Callable, Iterable

from rapidfuzz.distance import Levenshtein

from .. import __version__
from ..model import Document, DocumentScore, Result, Span, Template
from .html_assets import CSP, CSS, JS, NAV, PAIR_COLOURS, PANEL, heat_colour
from .jsonout import by_document, template_chars

#: Templates listed in the overview and drawn in the timeline.
TOP_TEMPLATES = 10
#: Template families shown open (the rest are folded).
OPEN_FAMILIES = 5
#: Documents (those holding the most templates) searched for the side-by-side pair.
PAIR_CANDIDATES = 300


def _e(value: object) -> str:
    """``value`` as text, escaped for both element content and quoted attributes."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class _Index:
    """The result regrouped once, so rendering stays linear in its size."""

    result: Result
    docs: dict[str, Document]
    scores: dict[str, DocumentScore]
    spans: dict[str, tuple[Span, ...]]
    templates: dict[str, Template]
    ranked: tuple[Template, ...]  # most documents first, ties by id

    @classmethod
    def of(cls, result: Result) -> "_Index":
        rows = list(by_document(result))
        ranked = tuple(sorted(result.templates, key=lambda t: (-len(t.documents), t.id)))
        return cls(result, {d.id: d for d, _, _ in rows}, {d.id: s for d, s, _ in rows},
                   {d.id: tuple(sorted(sp, key=lambda x: (x.start, x.end))) for d, _, sp in rows},
                   {t.id: t for t in result.templates}, ranked)


def _opening(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _when(doc: Document) -> str:
    return doc.date or (str(doc.year) if doc.year is not None else "no date")


def _share(x: float) -> str:
    return "&lt;1%" if 0 < x < 0.005 else f"{x:.0%}"


def _n(x: float) -> str:
    """A coordinate, rounded so the output never depends on float formatting noise."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def matched_text(template: Template | None, span: Span) -> str:
    """The template text a span matched: its variant's ``text[template_start:template_end]``."""
    if template is None:
        return ""
    texts = [v.text for v in template.variants] or [template.text]
    text = texts[span.variant] if 0 <= span.variant < len(texts) else template.text
    return text[span.template_start:span.template_end]


def word_diff(canonical: str, variant: str) -> str:
    """``variant`` against ``canonical`` word by word, as escaped HTML with ``<del>``/``<ins>``.

    Words are whitespace-split; the edits are rapidfuzz ``Levenshtein.opcodes``.
    """
    a, b = canonical.split(), variant.split()
    out = []
    for op in Levenshtein.opcodes(a, b):
        old, new = " ".join(a[op.src_start:op.src_end]), " ".join(b[op.dest_start:op.dest_end])
        if op.tag == "equal":
            out.append(_e(old))
        if op.tag in ("delete", "replace"):
            out.append(f"<del>{_e(old)}</del>")
        if op.tag in ("insert", "replace"):
            out.append(f"<ins>{_e(new)}</ins>")
    return " ".join(out)


def marked(text: str, spans: Iterable[Span], open_tag: Callable[[Span], str]) -> str:
    """``text`` escaped, each span wrapped in ``open_tag(span)`` … ``</mark>`` (spans never overlap)."""
    out, cursor = [], 0
    for s in sorted(spans, key=lambda x: (x.start, x.end)):
        if s.start < cursor:  # defensive: a document's spans never overlap
            continue
        out += [_e(text[cursor:s.start]), open_tag(s), _e(text[s.start:s.end]), "</mark>"]
        cursor = s.end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _span_attrs(index: _Index, s: Span) -> str:
    """The data a clicked span shows, as escaped attributes."""
    matched = matched_text(index.templates.get(s.template_id), s)
    return (f'data-template="{_e(s.template_id)}" data-role="{_e(s.role)}" '
            f'data-similarity="{s.similarity:.4f}" data-variant="{s.variant}" data-matched="{_e(matched)}" '
            f'title="template {_e(s.template_id)}, similarity {s.similarity:.2f}" tabindex="0"')


def _role(role: str) -> str:
    return f'<span class="role role-{_e(role)}">{_e(role)}</span>'


def _tlink(tid: str) -> str:
    return f'<a class="tid" href="#tpl-{_e(tid)}">{_e(tid)}</a>'


def _dlink(doc: Document) -> str:
    return f'<a href="#doc-{_e(doc.id)}">{_e(doc.path)}</a>'


def _overview(ix: _Index) -> str:
    docs = ix.result.documents
    years = sorted({d.year for d in docs if d.year is not None})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "–")
    stats = [(len(docs), "documents"), (len({d.force for d in docs if d.force}), "forces"), (span, "years"),
             (len(ix.templates), "templates"), (len(ix.result.spans), "reused spans"),
             (len(ix.result.skipped), "skipped inputs")]
    cards = "".join(f'<div class="stat"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in stats)
    rows = "".join(
        f"<tr><td>{_tlink(t.id)}</td><td>{_role(t.role)}</td><td class=num>{len(t.documents)}</td>"
        f"<td class=num>{len(t.forces)}</td><td class=num>{len(t.variants)}</td>"
        f"<td>{_e(t.first_seen or '–')} – {_e(t.last_seen or '–')}</td><td>{_e(_opening(t.text))}</td></tr>"
        for t in ix.ranked[:TOP_TEMPLATES])
    top = ("<h3>Most reused templates</h3><table class=grid><tr><th>Template</th><th>Role</th><th>Documents</th>"
           f"<th>Forces</th><th>Variants</th><th>Seen</th><th>Opening words</th></tr>{rows}</table>"
           if rows else '<p class="note">No template is shared by two documents.</p>')
    docrows = "".join(
        f"<tr><td>{_dlink(d)}</td><td>{_e(d.force or '–')}</td><td>{_e(_when(d))}</td>"
        f"<td class=num>{ix.scores[d.id].reuse:.1%}</td><td>{'yes' if ix.scores[d.id].ncnd else 'no'}</td>"
        f"<td>{_e(', '.join(ix.scores[d.id].exemptions) or '–')}</td></tr>" for d in docs)
    skipped = "".join(f"<li>{_e(s.path)}: {_e(s.reason)}</li>" for s in ix.result.skipped)
    return (f'<section class="part" id="overview"><h2>Overview</h2><div class="stats">{cards}</div>{top}'
            "<h3>Documents</h3><table class=grid><tr><th>Document</th><th>Force</th><th>Date</th><th>Reuse</th>"
            f"<th>NCND</th><th>Exemptions</th></tr>{docrows}</table>"
            + (f"<h3>Skipped inputs</h3><ul>{skipped}</ul>" if skipped else "") + "</section>")


def _heatmap_svg(ix: _Index) -> str:
    """Force × year grid of mean ``reuse``, one cell per force and year, as inline SVG."""
    cells: dict[tuple[str, int | None], list[float]] = defaultdict(list)
    for doc in ix.result.documents:
        cells[(doc.force or "unknown force", doc.year)].append(ix.scores[doc.id].reuse)
    forces = sorted({f for f, _ in cells})
    years = sorted({y for _, y in cells}, key=lambda y: (y is None, y or 0))
    left, top, w, h = 16 + 7 * max((len(f) for f in forces), default=8), 26, 76, 32
    width, height = left + w * len(years) + 8, top + h * len(forces) + 44
    out = [f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Mean reuse by force and year">']
    for j, year in enumerate(years):
        out.append(f'<text x="{left + j * w + w / 2:g}" y="18" text-anchor="middle">{_e(year or "no year")}</text>')
    for i, force in enumerate(forces):
        y = top + i * h
        out.append(f'<text x="{left - 8}" y="{y + h / 2 + 4:g}" text-anchor="end">{_e(force)}</text>')
        for j, year in enumerate(years):
            out.append(_heat_cell(force, year, cells.get((force, year), []), left + j * w, y, w, h))
    out.append(_heat_legend(left, top + h * len(forces) + 14))
    return "".join(out) + "</svg>"


def _heat_cell(force: str, year: int | None, values: list[float], x: int, y: int, w: int, h: int) -> str:
    where = f"{force}, {year or 'no year'}"
    box = f'x="{x + 1}" y="{y + 1}" width="{w - 2}" height="{h - 2}" rx="3"'
    if not values:
        return f'<g class="cell"><title>{_e(where)}: no documents</title><rect class="empty" {box}/></g>'
    mean = sum(values) / len(values)
    n = f"{len(values)} document{'s' if len(values) != 1 else ''}"
    tip = f"{where}: mean reuse {mean:.1%} ({n})"
    light = ' class="val light"' if mean >= 0.5 else ' class="val"'
    return (f'<g class="cell"><title>{_e(tip)}</title><rect {box} fill="{heat_colour(mean)}"/>'
            f'<text{light} x="{x + w / 2:g}" y="{y + h / 2 + 4:g}" text-anchor="middle">{mean:.0%}</text></g>')


def _heat_legend(x: int, y: int) -> str:
    steps = "".join(f'<rect x="{x + 70 + k * 18}" y="{y}" width="18" height="12" fill="{heat_colour(k / 10)}"/>'
                    for k in range(11))
    return (f'<text x="{x}" y="{y + 10}">mean reuse</text>{steps}<text x="{x + 70}" y="{y + 26}">0%</text>'
            f'<text x="{x + 70 + 11 * 18}" y="{y + 26}" text-anchor="end">100%</text>')


def _timeline_rows(ix: _Index, top: int) -> list[tuple[Template, int, list[int]]]:
    """``(template, variant index, sorted years of its dated documents)`` for the top templates."""
    return [(t, k, sorted(ix.docs[d].year for d in v.documents if d in ix.docs and ix.docs[d].year is not None))
            for t in ix.ranked[:top] for k, v in enumerate(t.variants)]


def _timeline_svg(ix: _Index, top: int = TOP_TEMPLATES) -> str:
    """For the ``top`` most reused templates, a bar per variant from the first to the last year
    a document holding that wording is dated, as inline SVG."""
    rows = _timeline_rows(ix, top)
    dated = [years for _, _, years in rows if years]
    if not dated:
        return '<p class="note">No template variant is held by a dated document.</p>'
    y0, n_years = min(y[0] for y in dated), max(y[-1] for y in dated) - min(y[0] for y in dated) + 1
    left, head, rh = 150, 24, 20
    yw = max(60.0, min(160.0, 800 / n_years))
    width, height = int(left + yw * n_years + 40), head + rh * len(rows) + 8
    out = [f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Years each template wording was seen">']
    group = -1
    for i, (t, k, _) in enumerate(rows):
        group += k == 0
        if k == 0 and group % 2:
            size = len(t.variants) * rh
            out.append(f'<rect class="band" x="0" y="{head + i * rh}" width="{width}" height="{size}"/>')
    for j in range(n_years + 1):
        x = _n(left + j * yw)
        out.append(f'<line class="grid" x1="{x}" y1="{head - 6}" x2="{x}" y2="{height}"/>')
        if j < n_years:
            out.append(f'<text x="{_n(left + (j + .5) * yw)}" y="14" text-anchor="middle">{y0 + j}</text>')
    out += [_timeline_row(t, k, years, head + i * rh, left + 3 + (years[0] - y0) * yw if years else left, yw)
            for i, (t, k, years) in enumerate(rows)]
    return "".join(out) + "</svg>"


def _timeline_row(t: Template, k: int, years: list[int], y: int, x: float, yw: float) -> str:
    held = len(t.variants[k].documents)
    label = (f'<text x="4" y="{y + 14}" class="tid">{_e(t.id)}</text>' if k == 0 else "") + \
        f'<text x="142" y="{y + 14}" text-anchor="end" class="tid">v{k}</text>'
    if not years:
        why = "no document holds this exact wording" if not held else "no dated document"
        return f'{label}<text x="{_n(x + 4)}" y="{y + 14}" class="muted">{why}</text>'
    bw = (years[-1] - years[0] + 1) * yw - 6
    tip = (f"{t.id} variant {k}{' (canonical)' if k == 0 else ''}: {years[0]}–{years[-1]}, "
           f"{held} document{'s' if held != 1 else ''}: {_opening(t.variants[k].text, 10)}")
    return (f'<g class="bar"><title>{_e(tip)}</title>{label}<rect class="role-{_e(t.role)}" x="{_n(x)}" '
            f'y="{y + 3}" width="{_n(bw)}" height="14" rx="4"/>'
            f'<text x="{_n(x + 4)}" y="{y + 14}" class="val">{held}</text></g>')


def best_pair(result: Result) -> tuple[Document, Document, list[str]] | None:
    """The two documents whose spans share the most templates, with those template ids.

    Only the ``PAIR_CANDIDATES`` documents holding the most templates are
    compared; ties go to the pair first in document order. ``None`` when no two
    documents share a template.
    """
    held: dict[str, set[str]] = {d.id: set() for d in result.documents}
    for s in result.spans:
        held.setdefault(s.doc_id, set()).add(s.template_id)
    order = {d.id: n for n, d in enumerate(result.documents)}
    pool = sorted(order, key=lambda d: (-len(held[d]), order[d]))[:PAIR_CANDIDATES]
    pool.sort(key=order.__getitem__)
    best, shared_best = None, set()
    for a, b in combinations(pool, 2):
        shared = held[a] & held[b]
        if len(shared) > len(shared_best):
            best, shared_best = (a, b), shared
    if best is None:
        return None
    return result.document(best[0]), result.document(best[1]), sorted(shared_best)


def _compare(ix: _Index) -> str:
    pair = best_pair(ix.result)
    head = '<section class="part" id="compare"><h2>Side by side</h2>'
    if pair is None:
        return head + '<p class="note">No two documents share a template.</p></section>'
    a, b, shared = pair
    colour = {tid: k for k, tid in enumerate(shared)}
    legend = "".join(
        f'<span><span class="swatch c{colour[t] % PAIR_COLOURS}"></span>{colour[t] + 1}: {_tlink(t)} '
        f'(<a href="#cmp-a-{_e(t)}">left</a>, <a href="#cmp-b-{_e(t)}">right</a>)</span>' for t in shared)
    sides = "".join(_compare_side(ix, doc, side, colour) for doc, side in ((a, "a"), (b, "b")))
    return (head + f'<p class="note">The two documents sharing the most templates ({len(shared)}): each shared '
            "template has one colour and number on both sides; click a passage to see its template and "
            f'its counterpart.</p><div class="legend">{legend}</div><div class="pair-grid">{sides}</div></section>')


def _compare_side(ix: _Index, doc: Document, side: str, colour: dict[str, int]) -> str:
    first: set[str] = set()

    def open_tag(s: Span) -> str:
        anchor = "" if s.template_id in first else f' id="cmp-{side}-{_e(s.template_id)}"'
        first.add(s.template_id)
        k = colour[s.template_id]
        return (f'<mark class="span pair c{k % PAIR_COLOURS}"{anchor} data-side="{side}" data-n="{k + 1}" '
                f"{_span_attrs(ix, s)}>")

    spans = [s for s in ix.spans[doc.id] if s.template_id in colour]
    return (f'<div class="side"><h3>{_dlink(doc)}</h3><p class="note">{_e(doc.force or "unknown force")}, '
            f'{_e(_when(doc))}</p><pre class="doctext">\n{marked(doc.text, spans, open_tag)}</pre></div>')


def _family(ix: _Index, t: Template, rank: int) -> str:
    docs = "".join(f"<li>{_dlink(ix.docs[d])} — {_e(ix.docs[d].force or 'unknown force')}, "
                   f"{_e(_when(ix.docs[d]))}</li>" for d in t.documents if d in ix.docs)
    variants = "".join(
        f'<div class="variant"><b>Variant {k}</b> — {len(v.documents)} document'
        f"{'s' if len(v.documents) != 1 else ''}: "
        + ", ".join(f'<a href="#doc-{_e(d)}" class="tid">{_e(d)}</a>' for d in v.documents)
        + f'<div class="diff">{word_diff(t.text, v.text)}</div></div>'
        for k, v in enumerate(t.variants) if k > 0)
    name = f" “{_e(t.name)}” ({_e(t.source)})" if t.name else ""
    return (f'<details class="family" id="tpl-{_e(t.id)}"{" open" if rank < OPEN_FAMILIES else ""}>'
            f'<summary><b class="tid">{_e(t.id)}</b>{name} {_role(t.role)} {len(t.documents)} documents, '
            f'{len(t.forces)} forces, seen {_e(t.first_seen or "–")} – {_e(t.last_seen or "–")} '
            f'<span class="opening">{_e(_opening(t.text, 10))}</span></summary>'
            f'<p class="note">Canonical wording:</p><pre class="tpltext">\n{_e(t.text)}</pre>'
            + (f'<p class="note">Other wordings (<del>dropped</del>, <ins>added</ins> against the canonical '
               f"words):</p>{variants}" if variants else "")
            + f'<p class="note">Documents using it:</p><ul class="docs">{docs or "<li>none</li>"}</ul></details>')


def _families(ix: _Index) -> str:
    body = "".join(_family(ix, t, k) for k, t in enumerate(ix.ranked))
    return (f'<section class="part" id="templates"><h2>Template families</h2><p class="note">{len(ix.ranked)} '
            f"templates, most documents first.</p>{body}</section>")


def _document(ix: _Index, doc: Document) -> str:
    score = ix.scores[doc.id]
    tpls = ", ".join(f"{_tlink(tid)} {_share(n / max(score.chars, 1))}"
                     for tid, n in template_chars(doc, ix.spans[doc.id]))
    meta = [("id", f'<code>{_e(doc.id)}</code>'), ("force", _e(doc.force or "–")), ("date", _e(_when(doc))),
            ("reference", _e(doc.reference or "–")), ("reuse", f"{score.reuse:.1%}"),
            ("NCND", "yes" if score.ncnd else "no"), ("exemptions", _e(", ".join(score.exemptions) or "–")),
            ("templates", tpls or "none")]
    if doc.flags:
        meta.append(("flags", _e(", ".join(doc.flags))))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    text = marked(doc.text, ix.spans[doc.id],
                  lambda s: f'<mark class="span role-{_e(s.role)}" {_span_attrs(ix, s)}>')
    return (f'<section class="doc" id="doc-{_e(doc.id)}"><h3>{_e(doc.path)}</h3><dl class="meta">{dl}</dl>'
            f'<pre class="doctext">\n{text}</pre></section>')


def _documents(ix: _Index) -> str:
    legend = "".join(_role(r) for r in ("ncnd", "legal", "letter", "answer", "request"))
    body = "".join(_document(ix, d) for d in ix.result.documents)
    return (f'<section class="part" id="documents"><h2>Documents</h2><p class="note">Reused text is highlighted '
            f'by role; click it to see the template text it matched.</p><div class="legend">{legend}</div>'
            f"{body}</section>")


def _settings_line(result: Result) -> str:
    as_dict = getattr(result.settings, "as_dict", None)
    pairs = as_dict() if callable(as_dict) else {}
    return ", ".join(f"{_e(k)} {_e(v)}" for k, v in pairs.items())


def to_html(result: Result, *, title: str = "nccd report") -> str:
    """The scan as one self-contained HTML page.

    Parameters
    ----------
    result:
        The scan.
    title:
        The page's title and heading (escaped).

    Returns
    -------
    str
        The whole page; equal results give identical text.
    """
    ix = _Index.of(result)
    heat = (f'<section class="part" id="heat"><h2>Reuse by force and year</h2><p class="note">Mean share of each '
            f"force's responses that year copied from templates (hover a cell for details).</p>"
            f'<div class="scroll">{_heatmap_svg(ix)}</div></section>')
    timeline = (f'<section class="part" id="timeline-part"><h2>Template wordings over time</h2><p class="note">'
                f"For the {min(TOP_TEMPLATES, len(ix.ranked))} most reused templates, each wording (v0 is the "
                "canonical one) from the first to the last year a document holding it is dated; the number "
                f'counts those documents.</p><div class="scroll">{_timeline_svg(ix)}</div></section>')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(title)}</title><link rel="icon" href="data:,"><style>{CSS}</style></head><body>'
            f'<header class="top"><h1>{_e(title)}</h1><p>nccd {_e(__version__)} · {_settings_line(result)}</p>'
            f"</header>{NAV}<main>{_overview(ix)}{heat}{timeline}{_compare(ix)}{_families(ix)}"
            f"{_documents(ix)}</main>{PANEL}<footer>Generated by nccd {_e(__version__)}. Self-contained: no "
            f"network requests.</footer><script>{JS}</script></body></html>\n")


__all__ = ["best_pair", "heat_colour", "marked", "matched_text", "to_html", "word_diff"]
