"""ingest: paths → files to read → their extracted original text.

One reader per format, chosen by content as well as by extension: ``text``
(.txt, .md, anything else that is text), ``html`` (.html, .htm, or a saved web
page under another name), ``pdf``, ``docx``, ``mail`` (.eml, .mbox: the message
and each attachment, read by its own reader). Building ``Document`` records from
the text is ``nccd.ingest.documents``.
"""

from __future__ import annotations

from ..errors import NccdError

import hashlib
import os
import stat
from typing import Sequence

from ..model import Skipped
from . import html as _html
from . import text as _text
from .extracted import Extracted

#: Extensions found when searching directories (compared case-insensitively).
SUPPORTED: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".eml", ".mbox", ".jsonl")

#: Extensions read as HTML whatever the content.
HTML_EXTENSIONS: tuple[str, ...] = (".html", ".htm")

MB = 1024 * 1024

#: Largest file read by default: far above any FOI response, low enough that a
#: stray archive or database dump is refused rather than loaded into memory.
DEFAULT_MAX_BYTES = 50 * MB

#: Bytes looked at to decide whether a file of unknown type is text.
_SNIFF_BYTES = 8192

_HTML_STARTS = ("<!doctype html", "<html")


class IngestError(NccdError):
    """A file that cannot be read as a response; ``str()`` is ``"PATH: reason"``."""


def display_path(path: str | os.PathLike) -> str:
    """``path`` as the user would see it: normalised, posix separators, relative stays relative."""
    return os.path.normpath(os.fspath(path)).replace(os.sep, "/")


def collect_paths(paths: Sequence[str | os.PathLike]) -> tuple[list[str], list[Skipped]]:
    """The files to read under ``paths``, and the paths that cannot be read.

    Parameters
    ----------
    paths:
        Files and directories. Directories are searched recursively for
        .txt, .md, .html and .htm files (any case), leaving out hidden files
        and directories; other files there are ignored silently. A file named
        explicitly is read whatever its extension if its first bytes look like
        text, else skipped as "unsupported file type".

    Returns
    -------
    tuple[list[str], list[Skipped]]
        Files (sorted, unique, as ``display_path`` shows them) and skipped
        paths (sorted). A directory reached twice through symbolic links is
        searched once, so link loops end.
    """
    files: set[str] = set()
    skipped: set[Skipped] = set()
    for given in paths:
        path = display_path(given)
        if not os.path.exists(path):
            skipped.add(Skipped(path, "no such file or directory"))
        elif os.path.isdir(path):
            files.update(_walk(path, skipped))
        elif not os.path.isfile(path):
            skipped.add(Skipped(path, "not a regular file"))
        elif _is_supported(path) or _sniff_text(path):
            files.add(path)
        else:
            skipped.add(Skipped(path, "unsupported file type"))
    return sorted(files), sorted(skipped, key=lambda s: (s.path, s.reason))


def _walk(top: str, skipped: set[Skipped]) -> set[str]:
    """Supported files under directory ``top``."""
    found: set[str] = set()
    seen = {os.path.realpath(top)}

    def unreadable(err: OSError) -> None:
        skipped.add(Skipped(display_path(err.filename or top), _os_reason(err)))

    for root, dirs, names in os.walk(top, onerror=unreadable, followlinks=True):
        # Sorted before marking visits, so which of two links to one directory wins never varies.
        dirs[:] = [d for d in sorted(dirs) if not d.startswith(".") and _first_visit(os.path.join(root, d), seen)]
        for name in names:
            if name.startswith(".") or not _is_supported(name):
                continue
            path = display_path(os.path.join(root, name))
            if os.path.isfile(path):
                found.add(path)
            elif not os.path.exists(path):
                skipped.add(Skipped(path, "broken symbolic link"))
            else:
                skipped.add(Skipped(path, "not a regular file"))
    return found


def _first_visit(directory: str, seen: set[str]) -> bool:
    real = os.path.realpath(directory)
    if real in seen:
        return False
    seen.add(real)
    return True


def _is_supported(path: str) -> bool:
    return path.lower().endswith(SUPPORTED)


def _sniff_text(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        # Let read_text report why it cannot be read.
        return True
    return _text.looks_like_text(head)


def read_text(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The extracted original text of one file.

    Parameters
    ----------
    path:
        The file. HTML is recognised by extension (.html, .htm) or by content
        (a file starting ``<!DOCTYPE html`` or ``<html``); anything else is
        read as text, verbatim.
    max_bytes:
        Larger files are refused.

    Raises
    ------
    IngestError
        Empty, whitespace-only, binary, unreadable, missing or oversized file.
    """
    data = _read_bytes(path, max_bytes)
    if not data:
        raise IngestError(path, "empty file")
    return _decoded_text(path, path, data)


def read_documents(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Extracted]:
    """Every response in one file: one for most formats, several for an e-mail
    with attachments or an mbox.

    Raises
    ------
    IngestError
        The file cannot be read (the reason names what is wrong).
    """
    data = _read_bytes(path, max_bytes)
    if not data:
        raise IngestError(path, "empty file")
    return extract_bytes(path, data, path)


def extract_bytes(name: str, data: bytes, path: str) -> list[Extracted]:
    """Dispatch ``data`` (a file, or a part of one called ``name``) to its reader."""
    kind = sniff(name, data)
    if kind == "jsonl":
        from .jsonl import extract
    elif kind == "pdf":
        from .pdf import extract
    elif kind == "docx":
        from .docx import extract
    elif kind in ("eml", "mbox"):
        from . import mail

        def read_part(filename: str, payload: bytes) -> list[Extracted]:
            return extract_bytes(filename, payload, f"{path}#{filename}")

        reader = mail.extract if kind == "eml" else mail.extract_mbox
        return reader(data, path, read_part)
    else:
        return [Extracted(_decoded_text(path, name, data))]
    return extract(data, path)


def sniff(name: str, data: bytes) -> str:
    """The format of a file from its first bytes, then its name: pdf, docx, eml, mbox or text."""
    head = data[:2048]
    lower = name.lower()
    if head.startswith(b"%PDF-") or lower.endswith(".pdf"):
        return "pdf"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if head.startswith(b"PK\x03\x04") and (lower.endswith(".docx") or b"word/" in data[:65536]):
        return "docx"
    if lower.endswith(".mbox") or head.startswith(b"From "):
        return "mbox"
    if lower.endswith(".eml") or _looks_like_mail(head):
        return "eml"
    return "text"


def _looks_like_mail(head: bytes) -> bool:
    start = head.lstrip()[:400].lower()
    return start.startswith((b"received:", b"return-path:", b"mime-version:", b"delivered-to:")) or (
        start.startswith((b"from:", b"to:", b"subject:", b"date:")) and b"\nsubject:" in start
    )


def _decoded_text(path: str, name: str, data: bytes) -> str:
    text = _text.decode(data)
    if _text.is_binary(text):
        raise IngestError(path, "binary file, not text")
    if _is_html(name, text):
        text = _html_text(path, text)
    if not text.strip():
        raise IngestError(path, "no text")
    return text


def _read_bytes(path: str, max_bytes: int) -> bytes:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IngestError(path, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Opening a FIFO or device would block or never end.
            raise IngestError(path, "not a regular file")
        if info.st_size > max_bytes:
            raise IngestError(path, _too_big(info.st_size, max_bytes))
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as err:
        raise IngestError(path, _os_reason(err)) from None
    if len(data) > max_bytes:
        raise IngestError(path, _too_big(len(data), max_bytes))
    return data


def _is_html(path: str, text: str) -> bool:
    if path.lower().endswith(HTML_EXTENSIONS):
        return True
    return text.lstrip()[:20].lower().startswith(_HTML_STARTS)


def _html_text(path: str, markup: str) -> str:
    try:
        return _html.html_to_text(markup)
    except (AssertionError, ValueError) as err:  # html.parser's rare give-ups
        raise IngestError(path, f"cannot parse HTML ({err})") from None


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    return (err.strerror or type(err).__name__).lower()


def _too_big(size: int, limit: int) -> str:
    return f"file is {_megabytes(size)} MB, over the {_megabytes(limit)} MB limit"


def _megabytes(n: int) -> str:
    """``n`` bytes in MB with one decimal, or two significant digits below 1 MB."""
    value = n / MB
    if value >= 1 or value == 0:
        return f"{value:.1f}".removesuffix(".0")
    decimals = 1
    while value < 10 ** -decimals and decimals < 9:
        decimals += 1
    return f"{value:.{decimals + 1}f}"


def sha256_text(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def document_id(text: str, path: str, taken: set[str]) -> str:
    """A stable id for a document: the first 16 hex digits of its text's SHA-256.

    The id depends on the content only, so it survives renaming, moving and
    re-ordering. Two files with identical text would collide; the one read
    second (``collect_paths`` reads in path order) gets an id from the SHA-256
    of ``text + "\\0" + path`` instead, so duplicates stay distinct and stable
    as long as their paths are.

    Parameters
    ----------
    text:
        The extracted original text.
    path:
        The file's display path.
    taken:
        Ids already given in this run; not modified.
    """
    doc_id = sha256_text(text)[:16]
    if doc_id in taken:
        doc_id = sha256_text(text + "\0" + path)[:16]
    return doc_id


__all__ = [
    "DEFAULT_MAX_BYTES", "HTML_EXTENSIONS", "SUPPORTED", "IngestError", "collect_paths",
    "display_path", "document_id", "read_text", "sha256_text",
]
