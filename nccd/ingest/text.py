"""Plain text and Markdown: bytes → the text as it stands in the file.

The text is kept verbatim (newlines, indentation, Markdown markup) because
every offset nccd reports indexes this exact string.
"""

from __future__ import annotations

import codecs
import re

#: Byte order marks and the codec of the bytes after them. UTF-32 comes first
#: because its little-endian mark begins with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Characters no text file holds in any number: C0 controls other than
#: tab/newline/vertical tab/form feed/carriage return, DEL, C1 controls, and
#: the replacement character left by undecodable UTF-16/32.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

#: Share of junk characters above which a file is taken for binary.
_MAX_JUNK = 0.05


def decode(data: bytes) -> str:
    """Decode the bytes of a text file; never fails.

    Parameters
    ----------
    data:
        The file's bytes.

    Returns
    -------
    str
        UTF-8 (a BOM is dropped), UTF-16/32 when a BOM says so, else
        Windows-1252 (what Word and older web forms write), else Latin-1,
        which maps every byte.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8":
                return _utf8_or_legacy(body)
            return body.decode(codec, errors="replace")
    return _utf8_or_legacy(data)


def _utf8_or_legacy(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 defines them all.
        return data.decode("latin-1")


def is_binary(text: str) -> bool:
    """Whether decoded ``text`` came from a binary file rather than a text file.

    A NUL anywhere is enough; otherwise more than 5% of control or
    replacement characters is.
    """
    if not text:
        return False
    if "\x00" in text:
        return True
    return len(_JUNK.findall(text)) > _MAX_JUNK * len(text)


def looks_like_text(head: bytes) -> bool:
    """Whether the first bytes of a file of unknown type look like text."""
    return not is_binary(decode(head))
