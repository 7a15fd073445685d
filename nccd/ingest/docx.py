"""Word documents (.docx): bytes → the text of the body, tables and page furniture.

The body is read in document order, paragraphs and tables alike, straight
from the WordprocessingML rather than through python-docx's ``Paragraph.text``,
which skips runs nested in tracked insertions, content controls and fields.
Section headers and footers come first and last and are returned as
``Extracted.ignore`` ranges: they are letterheads and page furniture.
"""

from __future__ import annotations

import io
import zipfile

from .. import ingest as _ingest
from .extracted import Extracted

MB = 1024 * 1024

#: Largest total uncompressed size of the package's members.
MAX_EXPANDED = 200 * MB

#: Highest uncompressed/compressed ratio of a member above ``RATIO_FLOOR``.
MAX_RATIO = 100

#: Members smaller than this are never refused for their ratio: Word's own XML
#: for a document of empty tables compresses better than 100:1, and a small
#: member cannot hurt (the total is capped anyway).
RATIO_FLOOR = 10 * MB

#: Start of an OLE2 compound file: a legacy .doc, or an encrypted .docx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

#: Elements whose children are blocks (paragraphs, tables) again.
_BLOCK_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"})

#: Inline elements that stand for a character of their own.
_CHARACTERS = {_W + "tab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-", _W + "softHyphen": ""}

#: Subtrees of a paragraph that hold no text a reader sees: formatting (whose
#: tab stops are ``w:tab`` too), deleted text, and the legacy copy of a text
#: box that Word writes next to the modern one.
_SKIPPED = frozenset({_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _MC_FALLBACK})

#: Between the cells of a table row; normalisation drops the bar as punctuation.
CELL_SEPARATOR = " | "


def extract(data: bytes, path: str) -> list[Extracted]:
    """The text of one DOCX file.

    Parameters
    ----------
    data:
        The file's bytes.
    path:
        The file's display path, for errors.

    Returns
    -------
    list[Extracted]
        One element. Blocks (paragraphs, tables, each header and footer) are
        separated by a blank line; a table gives one line per row with its
        cells joined by ``" | "``. Header texts come first and footer texts
        last, each once, and their ranges are in ``ignore``.

    Raises
    ------
    IngestError
        ``zip bomb: expands to N MB``, ``corrupt DOCX (...)``, or ``no text``
        (a body without text, whatever its headers and footers hold).
    """
    _check_package(data, path)
    try:
        document = _open(data)
        body = _blocks(document.element.body)
        headers, footers = _furniture(document)
    except Exception as err:  # python-docx and lxml fail in many ways on bad input
        raise _ingest.IngestError(path, f"corrupt DOCX ({_describe(err)})") from None
    if not any(block.strip() for block in body):
        raise _ingest.IngestError(path, "no text")
    return [_assemble(headers, body, footers)]


def _open(data: bytes):
    # Imported here: this module is named docx too, and python-docx is only
    # needed once a DOCX is actually read.
    import docx

    return docx.Document(io.BytesIO(data))


def _check_package(data: bytes, path: str) -> None:
    """Refuse a zip bomb or a file that is no Word package, before anything expands it."""
    if data.startswith(_OLE_MAGIC):
        raise _ingest.IngestError(path, "corrupt DOCX (an OLE2 file: a legacy .doc or a password-protected document)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as err:  # BadZipFile, but also struct/OverflowError on mangled headers
        raise _ingest.IngestError(path, f"corrupt DOCX ({_describe(err)})") from None
    # Declared sizes can be trusted as a bound: zipfile stops reading a member
    # at its declared size and fails the CRC check if it would run on.
    total = sum(member.file_size for member in members)
    if total > MAX_EXPANDED or any(_bomb_member(member) for member in members):
        raise _ingest.IngestError(path, f"zip bomb: expands to {_ingest._megabytes(total)} MB")
    names = {member.filename.lower() for member in members}
    # Word names its main part document.xml, but some writers use document2.xml.
    if not any(name.startswith("word/document") and name.endswith(".xml") for name in names):
        raise _ingest.IngestError(path, "corrupt DOCX (missing word/document.xml)")


def _bomb_member(member: zipfile.ZipInfo) -> bool:
    if member.file_size <= RATIO_FLOOR:
        return False
    return member.file_size > MAX_RATIO * max(member.compress_size, 1)


def _describe(err: Exception) -> str:
    message = " ".join(str(err).split())
    if len(message) > 120:
        message = message[:117] + "..."
    return message or type(err).__name__


def _furniture(document) -> tuple[list[str], list[str]]:
    """Distinct header and footer texts of all sections, in document order."""
    headers: list[str] = []
    footers: list[str] = []
    lists = {_W + "headerReference": headers, _W + "footerReference": footers}
    seen_parts: set[str] = set()
    related = document.part.related_parts
    # Every section's references, not python-docx's Section.header: that one
    # adds a definition to a section that links to the previous one.
    for sect_pr in document.element.body.iter(_W + "sectPr"):
        for reference in sect_pr:
            kind = lists.get(reference.tag)
            part = related.get(reference.get(_R + "id")) if kind is not None else None
            # A dangling reference or a part that is not XML is ignored, as Word does.
            if part is None or str(part.partname) in seen_parts or not hasattr(part, "element"):
                continue
            seen_parts.add(str(part.partname))
            text = "\n".join(block for block in _blocks(part.element) if block.strip())
            if text.strip() and text not in kind:
                kind.append(text)
    return headers, footers


def _assemble(headers: list[str], body: list[str], footers: list[str]) -> Extracted:
    """Join blocks with blank lines, recording where the furniture went."""
    pieces: list[str] = []
    ignore: list[tuple[int, int]] = []
    at = 0
    blocks = [(h, True) for h in headers] + [(b, False) for b in body if b.strip()]
    blocks += [(f, True) for f in footers]
    for block, furniture in blocks:
        if pieces:
            pieces.append("\n\n")
            at += 2
        if furniture:
            ignore.append((at, at + len(block)))
        pieces.append(block)
        at += len(block)
    return Extracted(text="".join(pieces) + "\n", ignore=tuple(ignore))


def _blocks(container) -> list[str]:
    """Texts of the paragraphs and tables directly in ``container`` (body, header, cell)."""
    blocks: list[str] = []
    for child in container:
        if child.tag == _W + "p":
            blocks.append(_paragraph(child))
        elif child.tag == _W + "tbl":
            blocks.append(_table(child))
        elif child.tag in _BLOCK_WRAPPERS:
            blocks.extend(_blocks(child))
    return blocks


def _table(tbl) -> str:
    """One line per row that has text; a cell's paragraphs and nested tables run on."""
    lines: list[str] = []
    for row in _children(tbl, "tr"):
        cells = [" ".join(" ".join(_blocks(tc)).split()) for tc in _children(row, "tc")]
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return "\n".join(lines)


def _children(element, name: str) -> list:
    """Child elements ``w:name``, looking through content controls wrapping them."""
    found = []
    for child in element:
        if child.tag == _W + name:
            found.append(child)
        elif child.tag in _BLOCK_WRAPPERS:
            found.extend(_children(child, name))
    return found


def _paragraph(p) -> str:
    """The visible text of a paragraph, text boxes in it included."""
    out: list[str] = []
    _inline(p, out)
    return "".join(out).strip("\n")


def _inline(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue  # comments and processing instructions have no text
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag in _CHARACTERS:
            out.append(_CHARACTERS[tag])
        elif tag == _W + "br":
            # Page and column breaks end a page, not a line of the text.
            out.append("\n" if child.get(_W + "type", "textWrapping") == "textWrapping" else "")
        else:
            if tag == _W + "p" and out:
                out.append("\n")  # a paragraph inside a text box
            _inline(child, out)
