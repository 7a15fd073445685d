"""E-mail (.eml) and mailboxes (.mbox): bytes → each message's text and its attachments'.

Forces often send a response as an attachment to a short covering e-mail, so
a message yields its own text (a small header block and the body) and one
``Extracted`` per attachment, read by a callback that knows every format.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from typing import Callable

from .. import ingest as _ingest
from . import html as _html
from . import text as _text
from .docx import _describe
from .extracted import Extracted

#: Reads one attachment: ``read_part(filename, payload)``; raises ``IngestError``
#: when the attachment cannot be read.
ReadPart = Callable[[str, bytes], list[Extracted]]

#: Headers shown above the body, in this order.
HEADERS: tuple[str, ...] = ("From", "To", "Date", "Subject")

#: The separator line of an mbox as mail software writes it: ``From``, the
#: envelope sender and an asctime date. Requiring the weekday keeps a body line
#: that merely starts with "From " (unescaped by some writers) inside its message.
_SEPARATOR = re.compile(rb"^From \S*[ \t]+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b[^\n]*(?:\n|$)", re.M)

#: Any ``From `` line: the separator of an mbox whose writer left the date out.
_LOOSE_SEPARATOR = re.compile(rb"^From [^\n]*(?:\n|$)", re.M)

#: A body line mboxrd (and, for one ``>``, mboxo) escaped when writing.
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)

#: Extensions for attachments sent without a file name, so ``read_part`` can
#: still dispatch on the name; fixed here rather than taken from the system's
#: mime.types so that names never vary between machines.
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "text/plain": ".txt",
}


def extract(data: bytes, path: str, read_part: ReadPart) -> list[Extracted]:
    """The texts of one e-mail message and its attachments.

    Parameters
    ----------
    data:
        The message as saved (.eml).
    path:
        The file's display path, for errors.
    read_part:
        Called as ``read_part(filename, payload)`` for each attachment; returns
        its texts or raises ``IngestError``, in which case that attachment is
        left out and the rest of the message is still read.

    Returns
    -------
    list[Extracted]
        The message itself (``name`` None) when its body has text: a header
        block (``From``/``To``/``Date``/``Subject``, whichever are present,
        then a blank line, listed in ``ignore``) and the body (text/plain
        preferred, else text/html as text); then each readable attachment,
        named ``"attachment-K/<filename>"`` with K counting every attachment
        from 1, readable or not.

    Raises
    ------
    IngestError
        ``no text`` when neither the body nor any attachment has text,
        ``corrupt e-mail (...)`` when the message cannot be parsed.
    """
    return _message(data, path, read_part, prefix=None)


def extract_mbox(data: bytes, path: str, read_part: ReadPart) -> list[Extracted]:
    """The texts of every message in an mbox and of their attachments.

    Parameters
    ----------
    data:
        The mailbox (mboxo or mboxrd: messages after ``From`` lines).
    path:
        The file's display path, for errors.
    read_part:
        As for ``extract``.

    Returns
    -------
    list[Extracted]
        What ``extract`` returns for each message, with names prefixed by
        ``"message-N"`` (N counting messages from 1): ``"message-N"`` for the
        message, ``"message-N/attachment-K/<filename>"`` for its attachments.
        A message without text, or that cannot be parsed, is left out.

    Raises
    ------
    IngestError
        ``not an mbox (...)`` without any ``From`` line; ``no text`` when no
        message yields anything.
    """
    chunks = _split_mbox(data)
    if not chunks:
        raise _ingest.IngestError(path, 'not an mbox (no "From " line)')
    found: list[Extracted] = []
    for n, chunk in enumerate(chunks, 1):
        try:
            found.extend(_message(chunk, path, read_part, prefix=f"message-{n}"))
        except _ingest.IngestError:
            continue  # one empty or broken message must not lose the others
    if not found:
        raise _ingest.IngestError(path, "no text")
    return found


def _split_mbox(data: bytes) -> list[bytes]:
    """The raw messages of a mailbox, with ``From`` escapes undone."""
    starts = list(_SEPARATOR.finditer(data)) or list(_LOOSE_SEPARATOR.finditer(data))
    ends = [m.start() for m in starts[1:]] + [len(data)]
    return [_ESCAPED_FROM.sub(rb"\1", _drop_blank_line(data[m.end():end])) for m, end in zip(starts, ends)]


def _drop_blank_line(chunk: bytes) -> bytes:
    """A message without the blank line mbox writes after it, which is not its text."""
    for ending in (b"\r\n\r\n", b"\n\n"):
        if chunk.endswith(ending):
            return chunk[: -len(ending) // 2]
    return chunk


def _message(raw: bytes, path: str, read_part: ReadPart, prefix: str | None) -> list[Extracted]:
    """The message's own text (when it has some) and its readable attachments."""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        header = _header_block(msg)
        body_part, body = _body(msg)
        attachments = _attachments(msg, body_part)
    except Exception as err:  # the email package has parser bugs on hostile input
        raise _ingest.IngestError(path, f"corrupt e-mail ({_describe(err)})") from None
    found: list[Extracted] = []
    if body.strip():
        ignore = ((0, len(header.rstrip("\n"))),) if header else ()
        found.append(Extracted(text=header + body, name=prefix, ignore=ignore))
    for k, (filename, payload) in enumerate(attachments, 1):
        name = f"{prefix}/attachment-{k}/{filename}" if prefix else f"attachment-{k}/{filename}"
        try:
            parts = read_part(filename, payload)
        except _ingest.IngestError:
            continue  # the caller reports unreadable attachments; the rest stands
        found.extend(_named(parts, name))
    if not found:
        raise _ingest.IngestError(path, "no text")
    return found


def _named(parts: list[Extracted], name: str) -> list[Extracted]:
    """``parts`` renamed under ``name``, keeping names unique if there are several."""
    if len(parts) == 1 and parts[0].name is None:
        return [replace(parts[0], name=name)]
    return [replace(part, name=f"{name}/{part.name or f'part-{i}'}") for i, part in enumerate(parts, 1)]


def _header_block(msg) -> str:
    lines = [f"{field}: {value}" for field in HEADERS if (value := _header(msg, field))]
    return "\n".join(lines) + "\n\n" if lines else ""


def _header(msg, field: str) -> str:
    """A header's decoded value on one line, or its raw value if it cannot be parsed."""
    try:
        value = msg.get(field)
    except Exception:  # a malformed address or date can break the structured parsers
        value = next((raw for name, raw in msg.raw_items() if name.lower() == field.lower()), None)
    return "" if value is None else _clean(str(value))


def _clean(value: str) -> str:
    """``value`` with 8-bit bytes decoded and whitespace runs made single spaces."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Raw 8-bit bytes in headers come back from the parser as surrogate escapes.
        try:
            value = _text.decode(value.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return " ".join(value.split())


def _body(msg) -> tuple[object | None, str]:
    """The part read as the body and its text ("" when it has none)."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None, ""
    body = _decode(part.get_payload(decode=True) or b"", part.get_content_charset())
    if _text.is_binary(body):
        return part, ""
    if part.get_content_subtype() == "html":
        try:
            return part, _html.html_to_text(body)
        except (AssertionError, ValueError):  # html.parser's rare give-ups
            return part, ""
    return part, body.replace("\r\n", "\n")


def _decode(payload: bytes, charset: str | None) -> str:
    """Decode with the declared charset, or as a text file when it is missing or wrong."""
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, ValueError):
            pass
    return _text.decode(payload)


def _attachments(msg, body_part) -> list[tuple[str, bytes]]:
    """File name and decoded bytes of each attachment, attached messages' included."""
    found: list[tuple[str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart() or part is body_part:
            continue
        filename = part.get_filename()
        # A part without a name that is not marked as an attachment is an
        # alternative or inline rendering of the body, not a file.
        if filename is None and part.get_content_disposition() != "attachment":
            continue
        found.append((_filename(filename, part.get_content_type()), part.get_payload(decode=True) or b""))
    return found


def _filename(given: str | None, content_type: str) -> str:
    """A bare file name: no directories (the name goes into a ``/`` path), never empty."""
    name = _clean(given or "").replace("\\", "/").rsplit("/", 1)[-1]
    if name in ("", ".", ".."):
        name = "unnamed" + _EXTENSIONS.get(content_type, "")
    return name
