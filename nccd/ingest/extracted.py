"""What a format reader returns: the text of one response and what to know about it."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Metadata

#: Flag of a PDF whose text layer lies under drawn black boxes (a failed redaction).
FAILED_REDACTION = "failed-redaction"

#: What replaces each character of text a failed redaction meant to hide, so that
#: it is never compared, stored or printed; offsets stay as they were.
MASK = "\u2588"


@dataclass(frozen=True)
class Extracted:
    """The extracted text of one response from one file.

    Attributes
    ----------
    text:
        The text offsets will index, as the reader extracted it.
    name:
        ``None`` for the file itself; for a part of it (an e-mail attachment),
        a name unique within the file, e.g. ``"attachment-1/response.pdf"``.
    flags:
        Facts a reader noticed, e.g. ``"failed-redaction"``.
    ignore:
        ``[start, end)`` ranges of ``text`` that are page furniture (repeated
        headers and footers, page numbers): kept in the text, left out of
        comparison.
    metadata:
        Fields that came with the text (a JSONL record's force, date, …).
    """

    text: str
    name: str | None = None
    flags: tuple[str, ...] = ()
    ignore: tuple[tuple[int, int], ...] = ()
    metadata: Metadata | None = None  # given with the text (a JSONL record), wins over inference
