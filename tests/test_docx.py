"""ingest.docx: Word documents built at test time, zip bombs and broken files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nccd.ingest import IngestError
from nccd.ingest.docx import extract

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "004_de0846de1e395bc8.txt"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADER = "Information Rights, Bedfordshire Police Headquarters"
FOOTER = "OFFICIAL - Protect the public"


def seed_paragraphs(n: int) -> list[str]:
    """The first ``n`` long paragraphs of a seed response, Markdown marks dropped."""
    blocks = [b.strip().replace("**", "").lstrip("#- ") for b in SEED.read_text(encoding="utf-8").split("\n\n")]
    return [b for b in blocks if len(b) > 150][:n]


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def response_docx() -> tuple[bytes, list[str]]:
    """A response: heading, two paragraphs, a table, a paragraph; header and footer."""
    paras = seed_paragraphs(3)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    document.add_heading("REQUEST UNDER THE FREEDOM OF INFORMATION ACT 2000", level=1)
    document.add_paragraph(paras[0])
    document.add_paragraph(paras[1])
    table = document.add_table(rows=3, cols=3)
    rows = [("Question", "Answer", "Exemption"), ("Use of FRT", "Neither confirm nor deny", "s24(2)"),
            ("Spend 2015-2019", "Neither confirm nor deny", "s31(3)")]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(paras[2])
    return save(document), paras


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zeros_zip(name: str, megabytes: int) -> bytes:
    """A zip whose one member is ``megabytes`` MB of zeros, written a MB at a time."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open(name, "w") as member:
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def test_body_tables_and_furniture_in_document_order():
    data, paras = response_docx()
    [got] = extract(data, "r.docx")
    assert got.name is None
    text = got.text
    table_lines = ["Question | Answer | Exemption", "Use of FRT | Neither confirm nor deny | s24(2)",
                   "Spend 2015-2019 | Neither confirm nor deny | s31(3)"]
    expected = [HEADER, "REQUEST UNDER THE FREEDOM OF INFORMATION ACT 2000", paras[0], paras[1],
                "\n".join(table_lines), paras[2], FOOTER]
    assert text == "\n\n".join(expected) + "\n"
    assert [text[a:b] for a, b in got.ignore] == [HEADER, FOOTER]


def test_offsets_of_ignore_ranges_are_exact():
    data, _ = response_docx()
    [got] = extract(data, "r.docx")
    (h_start, h_end), (f_start, f_end) = got.ignore
    assert h_start == 0 and got.text.startswith(HEADER)
    assert got.text[f_start:f_end] == FOOTER and got.text[f_end:] == "\n"


def test_headers_of_several_sections_appear_once_each():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = HEADER
    document.sections[0].different_first_page_header_footer = True
    document.sections[0].first_page_header.paragraphs[0].text = "First page letterhead"
    document.add_paragraph("Page one text.")
    second = document.add_section()
    assert second.header.is_linked_to_previous  # same header as section one
    document.add_paragraph("Page two text.")
    [got] = extract(save(document), "s.docx")
    furniture = [got.text[a:b] for a, b in got.ignore]
    assert sorted(furniture) == sorted([HEADER, "First page letterhead"])
    assert got.text.count(HEADER) == 1
    assert "Page one text.\n\nPage two text." in got.text


def test_merged_and_nested_cells_are_not_repeated():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Spanning title"
    table.cell(0, 0).merge(table.cell(0, 2))
    table.cell(1, 0).text = "left"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "inner a"
    inner.cell(0, 1).text = "inner b"
    table.cell(1, 2).text = "right"
    [got] = extract(save(document), "t.docx")
    lines = got.text.strip().split("\n")
    assert lines[0].count("Spanning title") == 1
    assert lines[1] == "left | inner a | inner b | right"  # the nested row runs on in its cell


def test_tracked_changes_content_controls_and_breaks():
    document = docx.Document()
    body = document.element.body
    paragraph = parse_xml(
        f"<w:p {W_NS}><w:r><w:t xml:space='preserve'>Kept </w:t></w:r>"
        "<w:ins w:id='1' w:author='a'><w:r><w:t>inserted</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>deleted</w:delText></w:r></w:del>"
        "<w:r><w:tab/><w:t>after tab</w:t><w:br/><w:t>next line</w:t><w:br w:type='page'/></w:r></w:p>")
    control = parse_xml(f"<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>In a control</w:t></w:r></w:p>"
                        "</w:sdtContent></w:sdt>")
    body.insert(0, paragraph)
    body.insert(1, control)
    [got] = extract(save(document), "c.docx")
    assert got.text == "Kept inserted\tafter tab\nnext line\n\nIn a control\n"


def test_repetitive_but_small_document_is_not_a_bomb():
    document = docx.Document()
    for _ in range(50):
        document.add_table(rows=20, cols=6)  # empty XML compresses far beyond 100:1
    document.add_paragraph("The only text.")
    [got] = extract(save(document), "e.docx")
    assert got.text == "The only text.\n"


def test_zip_bomb_by_total_size():
    data = zeros_zip("word/document.xml", 300)
    assert len(data) < 3 * 1024 * 1024
    with pytest.raises(IngestError, match=r"zip bomb: expands to 300 MB"):
        extract(data, "bomb.docx")


def test_zip_bomb_by_compression_ratio():
    data = zeros_zip("word/document.xml", 20)
    with pytest.raises(IngestError) as caught:
        extract(data, "bomb.docx")
    assert caught.value.reason == "zip bomb: expands to 20 MB"
    assert caught.value.path == "bomb.docx"


@pytest.mark.parametrize("data, detail", [
    (b"not a zip at all", "File is not a zip file"),
    (b"", "File is not a zip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "OLE2"),
    (zip_bytes({"word/other.xml": b"<x/>"}), "missing word/document.xml"),
    (zip_bytes({"word/document.xml": b"<<<"}), ""),
])
def test_corrupt_docx(data, detail):
    with pytest.raises(IngestError, match=r"^bad\.docx: corrupt DOCX \(") as caught:
        extract(data, "bad.docx")
    assert detail in caught.value.reason


def test_truncated_docx_is_corrupt():
    data, _ = response_docx()
    with pytest.raises(IngestError, match="corrupt DOCX"):
        extract(data[: len(data) // 2], "cut.docx")


def test_no_text():
    with pytest.raises(IngestError, match="no text"):
        extract(save(docx.Document()), "empty.docx")
    furniture_only = docx.Document()
    furniture_only.sections[0].header.paragraphs[0].text = HEADER
    with pytest.raises(IngestError, match="no text"):
        extract(save(furniture_only), "empty.docx")


def only_ingest_errors(data: bytes) -> None:
    try:
        result = extract(data, "x.docx")
    except IngestError:
        return
    assert len(result) == 1 and result[0].text.strip()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_ingest_error(data):
    only_ingest_errors(data)


VALID, _ = response_docx()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(VALID) - 1), st.binary(min_size=1, max_size=64), st.randoms(use_true_random=False))
def test_damaged_docx_raises_only_ingest_error(at, patch, rng: random.Random):
    # Damage inside a real package reaches python-docx and lxml, not just zipfile.
    data = bytearray(VALID)
    data[at:at + len(patch)] = patch
    if rng.random() < 0.5:
        data = data[: rng.randrange(len(data))]
    only_ingest_errors(bytes(data))


with zipfile.ZipFile(io.BytesIO(VALID)) as _archive:
    MEMBERS = {name: _archive.read(name) for name in _archive.namelist()}


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml",
                        "word/header1.xml", "_rels/.rels"]),
       st.floats(0, 1), st.binary(max_size=40))
def test_damaged_xml_in_a_sound_zip_raises_only_ingest_error(name, where, patch):
    # A well-formed zip of broken XML gets past zipfile to python-docx and lxml.
    members = dict(MEMBERS)
    xml = members[name]
    at = int(where * len(xml))
    members[name] = xml[:at] + patch + xml[at + len(patch):]
    only_ingest_errors(zip_bytes(members))
