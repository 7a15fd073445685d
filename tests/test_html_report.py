"""The HTML report: content, escaping and determinism; then the page in a real headless Chromium.

The browser tests need ``/usr/bin/chromium`` (Debian package ``chromium``; CI installs it) and
fail, rather than skip, without it.
"""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import nccd
from nccd.model import Document, DocumentScore, Result, Span, Template, Variant
from nccd.report.html import best_pair, marked, matched_text, to_html, word_diff
from nccd.settings import Settings

from .conftest import SEEDS

CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
SEED = SEEDS / "000_b9307369c2648074.txt"
#: The flags every run uses: headless, no network chatter, a throwaway profile, console to stderr.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000")


def _injected_text() -> str:
    """The seed with the payload on a line of its own after its first line and at its middle paragraph break."""
    text = SEED.read_text(encoding="utf-8")
    first = text.index("\n")
    middle = text.index("\n\n", len(text) // 2)
    return f"{text[:first]}\n{PAYLOAD}{text[first:middle]}\n\n{PAYLOAD}{text[middle:]}"


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> tuple[Result, Document]:
    """A scan of the seeds plus a copy of one seed carrying the payload, and that copy's document."""
    path = tmp_path_factory.mktemp("injected") / "injected.txt"
    path.write_text(_injected_text(), encoding="utf-8")
    result = nccd.scan([str(SEEDS), str(path)])
    return result, next(d for d in result.documents if d.path == str(path))


class _Doc(HTMLParser):
    """Collects the text of one ``<section id="doc-…">``'s ``<pre>``; counts scripts and ``on…`` attributes."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.target, self.depth, self.in_pre = f"doc-{doc_id}", 0, False
        self.text: list[str] = []
        self.scripts, self.handlers = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        self.handlers += [k for k in attrs if k.startswith("on")]
        if self.depth or attrs.get("id") == self.target:
            self.depth += tag == "section"
            self.in_pre = self.in_pre or tag == "pre"

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= tag == "section"
            self.in_pre = self.in_pre and tag != "pre"

    def handle_data(self, data):
        if self.in_pre:
            self.text.append(data)


def _parse(page: str, doc_id: str) -> _Doc:
    parser = _Doc(doc_id)
    parser.feed(page)
    parser.close()
    return parser


def test_text_is_escaped_and_nothing_injected_survives(injected):
    result, doc = injected
    page = to_html(result)
    assert PAYLOAD in doc.text
    assert html.escape(PAYLOAD) in page
    assert "<script>window.__pwned" not in page and "<img src=x" not in page and 'onerror="' not in page
    parsed = _parse(page, doc.id)
    assert parsed.scripts == 1 and parsed.handlers == []  # only the report's own script, no on* attributes
    assert "".join(parsed.text) == "\n" + doc.text  # every character of the text, once, in order


def test_sections_spans_and_documents_are_present(injected):
    result, _ = injected
    page = to_html(result)
    assert re.search(r'<svg id="heatmap"[^>]*>', page) and '<svg id="timeline"' in page
    assert page.count("<mark ") >= len(result.spans)
    for d in result.documents:
        assert f'id="doc-{d.id}"' in page and d.id in page
    for t in result.templates:
        assert f'id="tpl-{t.id}"' in page
    assert not re.search(r'(src|href|action)="(https?:)?//', page)  # self-contained: nothing to fetch
    assert "<link rel=\"stylesheet\"" not in page and "@import" not in page and "url(" not in page


def test_each_mark_quotes_its_span_and_carries_the_template_text(injected):
    result, doc = injected
    page = to_html(result)
    templates = {t.id: t for t in result.templates}
    spans = result.spans_of(doc.id)
    body = page[page.index(f'id="doc-{doc.id}"'):]
    marks = re.findall(r'<mark class="span role-(\w+)" ([^>]*)>(.*?)</mark>', body, flags=re.S)[: len(spans)]
    assert len(marks) == len(spans) > 0
    for s, (role, attrs, inner) in zip(sorted(spans, key=lambda x: x.start), marks):
        assert role == s.role and html.unescape(inner) == doc.text[s.start:s.end]
        assert f'data-template="{s.template_id}"' in attrs and f"similarity {s.similarity:.2f}" in attrs
        assert f'data-matched="{html.escape(matched_text(templates[s.template_id], s))}"' in attrs


def test_side_by_side_links_shared_templates(injected):
    result, _ = injected
    pair = best_pair(result)
    assert pair is not None
    a, b, shared = pair
    held = {d: {s.template_id for s in result.spans if s.doc_id == d} for d in (a.id, b.id)}
    assert shared == sorted(held[a.id] & held[b.id]) and shared
    page = to_html(result)
    for tid in shared:
        assert f'id="cmp-a-{tid}"' in page and f'id="cmp-b-{tid}"' in page


def test_output_is_deterministic(injected):
    result, doc = injected
    assert to_html(result) == to_html(result)
    again = nccd.scan([str(SEEDS), doc.path])
    assert to_html(again, title="x") == to_html(result, title="x")


def test_word_diff_marks_changes_and_escapes():
    assert word_diff("we can not say", "we can never say") == "we can <del>not</del> <ins>never</ins> say"
    assert word_diff("a <b>", "a <b> c") == "a &lt;b&gt; <ins>c</ins>"
    assert marked("x <y> z", [], lambda s: "<mark>") == "x &lt;y&gt; z"


def test_small_hand_made_result_with_hostile_metadata():
    evil = "<b onmouseover=alert(1)>"
    text = f"We can neither confirm nor deny. {evil}\n"
    docs = (Document("d1", f"{evil}.txt", text, evil, None, evil, None, "s1"),
            Document("d2", "b.txt", "We can neither confirm or deny.\n", "Force", "2020-01-02", None, None, "s2",
                     year=2020))
    spans = (Span("d1", 0, 32, "t1", 0, 32, 1.0, "ncnd"), Span("d2", 0, 31, "t1", 0, 31, 0.9, "ncnd", variant=1))
    canonical = "We can neither confirm nor deny."
    templates = (Template("t1", canonical, "ncnd", ("d1", "d2"), (evil, "Force"), None, "2020",
                          (Variant(canonical, ("d1",)), Variant(f"{canonical} {evil}", ("d2",)))),)
    scores = (DocumentScore("d1", 40, 0.7, {"ncnd": 0.7}, {"t1": 1.0}, True, ()),
              DocumentScore("d2", 26, 1.0, {"ncnd": 1.0}, {"t1": 0.9}, True, ()))
    page = to_html(Result(Settings(), docs, (), spans, templates, scores, ()), title=evil)
    assert evil not in page and html.escape(evil) in page
    assert "unknown force" not in page and "no year" in page  # d1 has a force but no year


# --- the page in a real browser -------------------------------------------------------------------


def _chromium(profile: Path, *args: str, timeout: float = 60) -> tuple[str, str]:
    """Run headless Chromium once; ``(stdout, stderr)``. Fails the test when it is missing or fails."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it (Debian: apt-get install -y chromium)")
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    env = {**os.environ, "HOME": str(profile)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish in {timeout} s: {' '.join(cmd)}")
    stdout, stderr = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    assert proc.returncode == 0, f"chromium exited {proc.returncode}:\n{stderr[-3000:]}"
    return stdout, stderr


def _console_problems(stderr: str, url: str) -> list[str]:
    """Console lines about the page (its script logs nothing, so any is a problem) and uncaught errors.

    Chromium's own startup noise (dbus, gpu, sandbox) names no page and is ignored.
    """
    return [line for line in stderr.splitlines()
            if "Uncaught" in line or "ERROR:CONSOLE" in line or ("CONSOLE" in line and url in line)]


@pytest.fixture(scope="module")
def browser(injected, tmp_path_factory):
    """The report opened twice in Chromium: its DOM after scripts ran, and a screenshot."""
    result, doc = injected
    tmp = tmp_path_factory.mktemp("browser")
    report = tmp / "report.html"
    report.write_text(to_html(result), encoding="utf-8")
    url = report.as_uri()
    dom, dom_err = _chromium(tmp / "profile-dom", "--dump-dom", url)
    png = tmp / "report.png"
    _, shot_err = _chromium(tmp / "profile-shot", f"--screenshot={png}", "--window-size=1280,2000", url)
    return {"doc": doc, "dom": dom, "stderr": dom_err + shot_err, "png": png, "url": url}


def test_browser_ran_the_report_script_and_not_the_payload(browser):
    body = re.search(r"<body[^>]*>", browser["dom"])
    assert body, browser["dom"][:500]
    assert 'data-ready="1"' in body.group(0), "the report's own script did not run"
    assert 'data-pwned="0"' in body.group(0), f"injected script ran: {body.group(0)}"
    assert "&lt;script&gt;window.__pwned" in browser["dom"]
    assert "<script>window.__pwned" not in browser["dom"] and '<img src="x"' not in browser["dom"]


def test_browser_shows_heatmap_and_highlighted_spans(browser):
    dom = browser["dom"]
    assert re.search(r'<svg id="heatmap"', dom) and "<rect" in dom
    assert re.search(r'<mark class="span role-\w+" data-template="t', dom)
    assert f'id="doc-{browser["doc"].id}"' in dom


def test_browser_console_is_clean(browser):
    assert _console_problems(browser["stderr"], browser["url"]) == []


def test_browser_console_check_catches_errors(tmp_path):
    """The console check above is not vacuous: a page that throws is caught by it."""
    page = tmp_path / "throws.html"
    page.write_text("<!DOCTYPE html><html><body><script>noSuchFunction();</script></body></html>", encoding="utf-8")
    _, stderr = _chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert _console_problems(stderr, page.as_uri()), stderr[-2000:]


def test_browser_screenshot(browser):
    png = browser["png"]
    assert png.exists(), browser["stderr"][-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
