"""ingest.mail: e-mails and mailboxes built at test time, with a simple part reader."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nccd.ingest import IngestError
from nccd.ingest.extracted import Extracted
from nccd.ingest.html import html_to_text
from nccd.ingest.mail import extract, extract_mbox
from nccd.ingest.text import decode

NCND = ("West Midlands Police can neither confirm nor deny that it holds any information "
        "relevant to your request, by virtue of Section 24(2) and Section 31(3).")
PAGE = "<html><body><h1>Response</h1><p>The duty to confirm or deny does not arise.</p></body></html>"


def read_part(filename: str, payload: bytes) -> list[Extracted]:
    """Reads .txt and .html attachments; anything else is unreadable."""
    if filename.endswith(".txt"):
        return [Extracted(decode(payload))]
    if filename.endswith(".html"):
        return [Extracted(html_to_text(decode(payload)))]
    raise IngestError(filename, "unsupported attachment")


def message(body: str | None = NCND, subject: str = "FOI 1017A/21 Facial recognition") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Freedom of Information <foi@west-midlands.police.uk>"
    msg["To"] = "requester@example.org"
    msg["Date"] = "Tue, 14 Jan 2020 10:00:00 +0000"
    msg["Subject"] = subject
    if body is not None:
        msg.set_content(body)
    return msg


HEADER = ("From: Freedom of Information <foi@west-midlands.police.uk>\nTo: requester@example.org\n"
          "Date: Tue, 14 Jan 2020 10:00:00 +0000\nSubject: FOI 1017A/21 Facial recognition\n\n")


def test_body_and_attachments():
    msg = message()
    msg.add_attachment("Our reference FOI 1017A/21.\n", filename="covering.txt")
    msg.add_attachment(PAGE, subtype="html", filename="response.html")
    got = extract(msg.as_bytes(), "m.eml", read_part)
    assert [e.name for e in got] == [None, "attachment-1/covering.txt", "attachment-2/response.html"]
    assert got[0].text == HEADER + NCND + "\n"
    assert got[0].ignore == ((0, len(HEADER) - 2),)
    assert got[1].text == "Our reference FOI 1017A/21.\n"
    assert got[2].text == "Response\n\nThe duty to confirm or deny does not arise.\n"


def test_html_only_body():
    msg = message(body=None)
    msg.set_content(PAGE, subtype="html")
    [got] = extract(msg.as_bytes(policy=SMTP), "m.eml", read_part)
    assert got.text == HEADER + "Response\n\nThe duty to confirm or deny does not arise.\n"


def test_plain_alternative_is_preferred_and_html_alternative_is_no_attachment():
    msg = message()
    msg.add_alternative(PAGE, subtype="html")
    [got] = extract(msg.as_bytes(), "m.eml", read_part)
    assert got.text == HEADER + NCND + "\n"


def test_unreadable_attachment_is_skipped_and_numbering_kept():
    msg = message()
    msg.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="response.pdf")
    msg.add_attachment("Annex text.\n", filename="annex.txt")
    got = extract(msg.as_bytes(), "m.eml", read_part)
    assert [e.name for e in got] == [None, "attachment-2/annex.txt"]


def test_attachments_without_a_body():
    msg = message(body=None)
    msg.add_attachment("Annex text.\n", filename="annex.txt")
    got = extract(msg.as_bytes(), "m.eml", read_part)
    assert [(e.name, e.text) for e in got] == [("attachment-1/annex.txt", "Annex text.\n")]


def test_no_body_and_no_readable_attachment():
    msg = message(body=None)
    msg.add_attachment(b"\x89PNG...", maintype="image", subtype="png", filename="logo.png")
    with pytest.raises(IngestError, match=r"^m\.eml: no text$"):
        extract(msg.as_bytes(), "m.eml", read_part)
    with pytest.raises(IngestError, match="no text"):
        extract(b"", "m.eml", read_part)


@pytest.mark.parametrize("declared, raw", [
    ("iso-8859-1", "Fees of £450 apply.".encode("latin-1")),
    ("utf-8", "Fees of £450 apply \u2013 see s12.".encode("cp1252")),  # declared wrongly
    ("x-no-such-charset", "Fees of £450 apply.".encode("utf-8")),
])
def test_body_charsets(declared, raw):
    data = (b"From: a@b.uk\nSubject: fees\nContent-Type: text/plain; charset=" + declared.encode()
            + b"\nContent-Transfer-Encoding: 8bit\n\n" + raw + b"\n")
    [got] = extract(data, "m.eml", read_part)
    assert got.text.endswith(decode(raw) + "\n") and "Fees of £450 apply" in got.text


def test_raw_8bit_header_and_crlf_body():
    data = "Subject: Réponse FOI\r\nFrom: a@b.uk\r\n\r\nLine one.\r\nLine two.\r\n".encode("utf-8")
    [got] = extract(data, "m.eml", read_part)
    assert got.text == "From: a@b.uk\nSubject: Réponse FOI\n\nLine one.\nLine two.\n"


def test_attachment_names_are_bare_and_never_empty():
    msg = message()
    msg.add_attachment("From a path.\n", filename="C:\\Users\\foi\\..\\reply.txt")
    part = EmailMessage()
    part.set_content("No name given.\n")
    part["Content-Disposition"] = "attachment"
    msg.attach(part)
    got = extract(msg.as_bytes(), "m.eml", read_part)
    assert [e.name for e in got[1:]] == ["attachment-1/reply.txt", "attachment-2/unnamed.txt"]


def test_attachments_of_a_forwarded_message_are_found():
    inner = message(subject="Original response")
    inner.add_attachment("The response itself.\n", filename="response.txt")
    outer = message(body="Forwarding the response below.\n", subject="Fwd: Original response")
    outer.add_attachment(inner, filename="original.eml")
    got = extract(outer.as_bytes(), "m.eml", read_part)
    assert [e.name for e in got] == [None, "attachment-1/response.txt"]
    assert got[1].text == "The response itself.\n"


def test_several_texts_from_one_part_get_unique_names():
    def two_pages(filename, payload):
        return [Extracted("page one"), Extracted("page two", name="p2")]

    msg = message()
    msg.add_attachment("x\n", filename="pages.txt")
    got = extract(msg.as_bytes(), "m.eml", two_pages)
    assert [e.name for e in got[1:]] == ["attachment-1/pages.txt/part-1", "attachment-1/pages.txt/p2"]


def test_mbox_with_two_messages(tmp_path):
    box = mailbox.mbox(tmp_path / "foi.mbox")
    first = message()
    first.add_attachment("Annex text.\n", filename="annex.txt")
    box.add(first)
    second = message(body="From the information held, nothing can be confirmed.\n", subject="Second")
    box.add(second)
    box.flush()
    got = extract_mbox((tmp_path / "foi.mbox").read_bytes(), "foi.mbox", read_part)
    assert [e.name for e in got] == ["message-1", "message-1/attachment-1/annex.txt", "message-2"]
    assert got[0].text == HEADER + NCND + "\n"
    # mailbox escaped the body's "From " line; reading undoes it.
    assert got[2].text.endswith("Subject: Second\n\nFrom the information held, nothing can be confirmed.\n")


def test_mbox_by_concatenation_skips_an_empty_message():
    parts = [b"From foi@wmp.police.uk Tue Jan 14 10:00:00 2020\n" + message().as_bytes() + b"\n",
             b"From foi@wmp.police.uk Tue Jan 14 10:05:00 2020\nSubject: empty\n\n\n",
             b"From foi@wmp.police.uk Wed Jan 15 09:00:00 2020\n" + message(body="Third.\n").as_bytes()]
    got = extract_mbox(b"".join(parts), "foi.mbox", read_part)
    assert [e.name for e in got] == ["message-1", "message-3"]
    assert got[1].text.endswith("\n\nThird.\n")


def test_not_an_mbox_or_empty_mbox():
    with pytest.raises(IngestError, match="not an mbox"):
        extract_mbox(b"Subject: hello\n\nbody\n", "x.mbox", read_part)
    with pytest.raises(IngestError, match="no text"):
        extract_mbox(b"From x Mon Jan  1 00:00:00 2020\nSubject: empty\n\n", "x.mbox", read_part)


def only_ingest_errors(reader, data: bytes) -> None:
    try:
        result = reader(data, "x", read_part)
    except IngestError:
        return
    assert result and all(isinstance(e, Extracted) for e in result)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_ingest_error(data):
    only_ingest_errors(extract, data)
    only_ingest_errors(extract_mbox, b"From x Mon Jan  1 00:00:00 2020\n" + data)


HEADER_LINES = st.sampled_from([
    b"Content-Type: multipart/mixed; boundary=\"b\"\n", b"Content-Type: text/html; charset=\"utf-16\"\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"Content-Disposition: attachment; filename*=utf-8''%E2%82%ACx.txt\n", b"From: <<@@>>\n",
    b"To: \"unclosed <a@b\n", b"Date: Mon, 99 Foo 20 25:61:00 +9999\n", b"Subject: =?utf-8?q?=FF=FE?=\n",
    b"Content-Type: message/rfc822\n", b"--b\n", b"--b--\n", b"\n",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(HEADER_LINES, st.binary(max_size=30)), max_size=25))
def test_mangled_mime_raises_only_ingest_error(pieces):
    data = b"".join(pieces)
    only_ingest_errors(extract, data)
    only_ingest_errors(extract_mbox, b"From x Mon Jan  1 00:00:00 2020\n" + data)
