"""HTML pages (disclosure logs, web copies of responses): markup → the text a reader sees.

Only the standard library's ``html.parser`` is used. Offsets later index the
string returned here, not the markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements whose content a reader of the response never sees as its text:
#: code, page furniture and navigation.
DROPPED = frozenset({"script", "style", "head", "nav", "footer", "noscript", "template", "svg"})

#: id, class, role or aria-label of page furniture on force and WhatDoTheyKnow
#: pages: cookie banners, menus, breadcrumbs, skip links, site headers/footers.
FURNITURE = re.compile(
    r"cookie|consent|gdpr|banner|breadcrumb|skip-?link|navbar|nav-?bar|menu|site-?header|site-?footer"
    r"|masthead|social|share-?this|sidebar",
    re.IGNORECASE,
)

#: Elements never taken for furniture: the page itself, and void elements, which
#: have no end tag to close the furniture again.
_NEVER_FURNITURE = frozenset({
    "html", "body", "main", "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
})

#: Elements that start and end a paragraph of their own.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "li", "main", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})

#: Table cells run on within a row, so they need a separator of their own.
_CELLS = frozenset({"td", "th"})

#: Marks a <br> while a paragraph is collected; decoded text never holds a NUL.
_BREAK = "\x00"

#: HTML's own whitespace; a no-break space is text and stays.
_SPACE = re.compile(r"[ \t\n\r\f]+")


#: What a folded quotation becomes (``nccd.normalize`` reads it as one placeholder).
QUOTED = "[quoted text]"
_QUOTED_CLASS = re.compile(r"\bquoted\b|quoted[-_]|[-_]quoted|\bfold", re.IGNORECASE)


def _is_quoted(attrs: list) -> bool:
    return any(name == "class" and value and _QUOTED_CLASS.search(value) for name, value in attrs)


def _is_furniture(attrs: list) -> bool:
    return any(name in ("id", "class", "role", "aria-label") and value and FURNITURE.search(value)
               for name, value in attrs)


class _Extractor(HTMLParser):
    """Collects paragraphs of visible text as the parser walks the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._parts: list[str] = []
        self._dropped: dict[str, int] = {}
        self._furniture: list = []  # [tag, depth] while inside a furniture element
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self._furniture:
            self._furniture[1] += tag == self._furniture[0]
            return
        if tag not in _NEVER_FURNITURE and _is_quoted(attrs):
            # WhatDoTheyKnow folds quoted earlier messages: one placeholder stands for them
            self.flush()
            self._parts.append(QUOTED)
            self.flush()
            self._furniture = [tag, 1]
            return
        if tag not in _NEVER_FURNITURE and _is_furniture(attrs):
            self._furniture = [tag, 1]
            return
        if tag == "body":
            # Pages often leave <head> unclosed; the body still shows.
            self._dropped.pop("head", None)
        if tag in DROPPED:
            self._dropped[tag] = self._dropped.get(tag, 0) + 1
        elif self._hidden():
            return
        elif tag == "br":
            self._parts.append("\n" if self._pre else _BREAK)
        elif tag in _CELLS:
            self._parts.append(" ")
        elif tag in BLOCKS:
            self.flush()
            self._pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if self._furniture:
            if tag == self._furniture[0]:
                self._furniture[1] -= 1
                if not self._furniture[1]:
                    self._furniture = []
            return
        if tag in DROPPED:
            if self._dropped.get(tag):
                self._dropped[tag] -= 1
        elif not self._hidden() and tag in BLOCKS:
            self.flush()
            if tag == "pre" and self._pre:
                self._pre -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self._parts.append(data.replace(_BREAK, ""))

    def _hidden(self) -> bool:
        return bool(self._furniture) or any(self._dropped.values())

    def flush(self) -> None:
        """End the paragraph being collected."""
        raw = "".join(self._parts)
        self._parts = []
        text = raw.strip("\r\n") if self._pre else _reflow(raw)
        if text.strip():
            self.paragraphs.append(text)


def _reflow(raw: str) -> str:
    """Collapse inline whitespace, keeping the line breaks that <br> made."""
    lines = [_SPACE.sub(" ", line).strip(" ") for line in raw.split(_BREAK)]
    return "\n".join(lines).strip("\n")


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page.

    Parameters
    ----------
    markup:
        The decoded page.

    Returns
    -------
    str
        One paragraph per block element, separated by a blank line; ``<br>``
        becomes a line break; entities are unescaped; runs of whitespace
        inside a paragraph become one space (except inside ``<pre>``). Script,
        style, head, nav, footer and noscript content is left out. Ends with a
        newline unless the page has no text at all.
    """
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.paragraphs) + "\n" if parser.paragraphs else ""
