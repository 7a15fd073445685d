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


class _Extractor(HTMLParser):
    """Collects paragraphs of visible text as the parser walks the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._parts: list[str] = []
        self._dropped: dict[str, int] = {}
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
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
        return any(self._dropped.values())

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
