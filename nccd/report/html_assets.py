"""The stylesheet, script, fixed markup and colour scale of the HTML report (``nccd.report.html``).

Stylesheet and script are constants, so the report's Content-Security-Policy can name them by
hash: the browser then runs this script and applies this stylesheet, and
nothing else (no other inline script, no event-handler attribute, no network).
"""

from __future__ import annotations

import base64
import hashlib

#: Fill colours of the pair view, one per shared template (cycled).
PAIR_COLOURS = 12

_HEAT_STOPS = ((0.0, (255, 247, 236)), (0.35, (253, 187, 132)), (0.7, (215, 48, 31)), (1.0, (127, 0, 0)))


def heat_colour(value: float) -> str:
    """Fill colour of a heatmap cell for a reuse share ``value`` (0..1)."""
    value = min(max(value, 0.0), 1.0)
    for (lo, c0), (hi, c1) in zip(_HEAT_STOPS, _HEAT_STOPS[1:]):
        if value <= hi:
            f = (value - lo) / (hi - lo)
            return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(c0, c1))
    return "#7f0000"


CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #ffffff; --wash: #f6f8fa;
  --ncnd: #ffd166; --legal: #9ecbff; --letter: #b7e4a5; --answer: #f4a7c8; --request: #d9cfc7; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { padding: 20px 32px 8px; border-bottom: 1px solid var(--line); background: var(--wash); }
header.top h1 { margin: 0 0 4px; font-size: 24px; }
header.top p { margin: 0 0 8px; color: var(--muted); }
nav { position: sticky; top: 0; z-index: 5; background: var(--paper); border-bottom: 1px solid var(--line);
  padding: 6px 32px; }
nav a { margin-right: 18px; color: var(--ink); text-decoration: none; font-weight: 600; }
nav a:hover { text-decoration: underline; }
main { padding: 8px 32px 80px; max-width: 1400px; }
section.part { margin: 28px 0; }
h2 { font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; overflow-wrap: anywhere; }
p.note { color: var(--muted); margin: 4px 0 10px; }
a { color: #0b5cad; }
code, .tid { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 18px; }
.stat { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 120px;
  background: var(--wash); }
.stat b { display: block; font-size: 22px; }
.stat span { color: var(--muted); font-size: 13px; }
table.grid { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left;
  vertical-align: top; }
table.grid th { background: var(--wash); }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
.role { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
.role.role-ncnd, mark.role-ncnd { background: var(--ncnd); }
.role.role-legal, mark.role-legal { background: var(--legal); }
.role.role-letter, mark.role-letter { background: var(--letter); }
.role.role-answer, mark.role-answer { background: var(--answer); }
.role.role-request, mark.role-request { background: var(--request); }
svg .role-ncnd { fill: #e0a800; } svg .role-legal { fill: #4a90d9; } svg .role-letter { fill: #5fae4a; }
svg .role-answer { fill: #d9609a; } svg .role-request { fill: #a08f80; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 12px;
  fill: var(--ink); }
svg text.val { font-size: 12px; font-weight: 600; pointer-events: none; }
svg text.light { fill: #ffffff; }
svg rect.empty { fill: var(--wash); stroke: var(--line); }
svg line.grid { stroke: var(--line); }
svg rect.band { fill: #f1f3f5; }
svg text.muted { fill: var(--muted); font-style: italic; }
svg .cell:hover rect, svg .bar:hover rect { stroke: var(--ink); stroke-width: 2; }
.scroll { overflow-x: auto; }
pre.doctext, pre.tpltext { white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 12px;
  font: 14px/1.6 Georgia, "Times New Roman", serif; background: var(--wash); border: 1px solid var(--line);
  border-radius: 6px; padding: 12px 14px; }
pre.doctext { max-height: 640px; overflow-y: auto; }
mark.span { color: inherit; border-radius: 3px; padding: 1px 0; cursor: pointer;
  border-left: 2px solid rgba(0, 0, 0, .35); }
mark.span:hover, mark.span:focus { outline: 2px solid var(--ink); outline-offset: 0; }
mark.span.active { outline: 3px solid #cf222e; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 10px; font-size: 13px; }
.legend .role { font-weight: 600; }
ins { background: #ccffd8; text-decoration: none; border-bottom: 1px solid #1a7f37; }
del { background: #ffd7d5; color: #82071e; }
details.family { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; margin: 8px 0; }
details.family > summary { cursor: pointer; }
details.family .opening { color: var(--muted); }
.variant { margin: 8px 0 12px; }
.variant .diff { font: 14px/1.6 Georgia, "Times New Roman", serif; padding: 8px 12px; border-left: 3px solid
  var(--line); background: var(--wash); }
ul.docs { margin: 4px 0 8px; padding-left: 20px; font-size: 14px; }
section.doc { border-top: 1px solid var(--line); padding-top: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 14px; margin: 4px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.pair-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.pair-grid h3 { margin-top: 4px; }
.pair-grid pre.doctext { max-height: 720px; }
mark.pair { position: relative; }
mark.pair::before { content: attr(data-n); font: 700 10px/1 system-ui, sans-serif; vertical-align: super;
  background: var(--ink); color: #fff; border-radius: 6px; padding: 1px 4px; margin-right: 2px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px;
  margin-right: 4px; border: 1px solid var(--line); }
.c0 { background: #ffe08a; } .c1 { background: #a5d8ff; } .c2 { background: #b2f2bb; }
.c3 { background: #ffc9c9; } .c4 { background: #d0bfff; } .c5 { background: #ffd8a8; }
.c6 { background: #99e9f2; } .c7 { background: #eebefa; } .c8 { background: #c0eb75; }
.c9 { background: #fcc2d7; } .c10 { background: #bac8ff; } .c11 { background: #e9ecef; }
#panel { position: fixed; right: 20px; bottom: 20px; width: 460px; max-width: calc(100vw - 40px);
  max-height: 60vh; overflow-y: auto; z-index: 10; background: var(--paper); border: 1px solid var(--ink);
  border-radius: 10px; box-shadow: 0 8px 24px rgba(0, 0, 0, .2); padding: 10px 16px; font-size: 14px; }
#panel[hidden] { display: none; }
#panel h4 { margin: 2px 0 6px; font-size: 15px; }
#panel pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.5 Georgia, serif;
  background: var(--wash); padding: 8px; border-radius: 6px; margin: 4px 0; }
#panel-close { float: right; border: 0; background: none; font-size: 20px; cursor: pointer; line-height: 1; }
footer { color: var(--muted); font-size: 13px; padding: 12px 32px; border-top: 1px solid var(--line); }
"""

JS = """
(function () {
  "use strict";
  var body = document.body;
  var panel = document.getElementById("panel");
  function recordPwned() { body.dataset.pwned = String(window.__pwned || 0); }
  function field(name, value) {
    var el = panel.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = value || ""; }
  }
  function clearActive() {
    var marks = document.querySelectorAll("mark.span.active");
    for (var i = 0; i < marks.length; i++) { marks[i].classList.remove("active"); }
  }
  function showSpan(mark) {
    var d = mark.dataset;
    field("template", d.template);
    field("role", d.role);
    field("similarity", d.similarity);
    field("variant", d.variant);
    field("matched", d.matched);
    panel.querySelector("a.tpl-link").setAttribute("href", "#tpl-" + d.template);
    panel.hidden = false;
    clearActive();
    mark.classList.add("active");
  }
  function showPair(mark) {
    var other = mark.dataset.side === "a" ? "b" : "a";
    var marks = document.querySelectorAll("#compare mark.pair");
    var target = null;
    for (var i = 0; i < marks.length; i++) {
      var same = marks[i].dataset.template === mark.dataset.template;
      if (same) { marks[i].classList.add("active"); }
      if (same && !target && marks[i].dataset.side === other) { target = marks[i]; }
    }
    if (target) { target.scrollIntoView({block: "nearest", inline: "nearest"}); }
  }
  function openTarget(hash) {
    var el = null;
    try { el = hash && hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null; }
    catch (e) { el = null; }
    while (el) { if (el.tagName === "DETAILS") { el.open = true; } el = el.parentElement; }
  }
  function activate(target) {
    var mark = target.closest("mark.span");
    if (!mark) { return false; }
    showSpan(mark);
    if (mark.classList.contains("pair")) { showPair(mark); }
    return true;
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    if (t.closest("#panel-close")) { panel.hidden = true; clearActive(); return; }
    var link = t.closest("a[href^='#']");
    if (link) { openTarget(link.getAttribute("href")); }
    activate(t);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { panel.hidden = true; clearActive(); return; }
    if ((ev.key === "Enter" || ev.key === " ") && ev.target instanceof Element && activate(ev.target)) {
      ev.preventDefault();
    }
  });
  window.addEventListener("hashchange", function () { openTarget(location.hash); });
  window.addEventListener("load", recordPwned);
  openTarget(location.hash);
  recordPwned();
  body.dataset.ready = "1";
}());
"""


#: The page's navigation bar.
NAV = "<nav>" + "".join(f'<a href="#{k}">{v}</a>' for k, v in (
    ("overview", "Overview"), ("heat", "Heatmap"), ("timeline-part", "Timeline"), ("compare", "Side by side"),
    ("templates", "Templates"), ("documents", "Documents"))) + "</nav>"

#: The panel a clicked span fills (by ``textContent``) with its template, role, similarity and matched text.
PANEL = ('<aside id="panel" hidden aria-live="polite"><button type="button" id="panel-close" aria-label="Close">'
         '×</button><h4>Matched template</h4><dl class="meta"><dt>template</dt><dd><a class="tpl-link tid" '
         'href="#templates" data-field="template"></a></dd><dt>role</dt><dd data-field="role"></dd>'
         '<dt>similarity</dt><dd data-field="similarity"></dd><dt>variant</dt><dd data-field="variant"></dd></dl>'
         '<p class="note">Template text it matched:</p><pre data-field="matched"></pre></aside>')


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: The report's policy: only this stylesheet and this script, images only as data: URLs, no requests.
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{_sha256(CSS)}'; "
    f"script-src 'sha256-{_sha256(JS)}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
