"""The PDF reader, on PDFs drawn with reportlab at test time (no binary fixtures)."""

from __future__ import annotations

import io
import os
import random
import re

import ftfy
import pypdf
import pytest
import reportlab
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf.annotations import Rectangle
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from nccd.ingest import IngestError, pdf, redaction
from nccd.ingest.extracted import FAILED_REDACTION, MASK

from .conftest import SEEDS

SEED = SEEDS / "001_2d59c344b19b8a02.txt"
HEADER = "West Midlands Police – Freedom of Information 1017A/21"
SITE = "https://www.west-midlands.police.uk"
FONT, SIZE = "Helvetica", 10
SECRET_LINE = "The officer named John Smith attended the address on 3 May."
SECRET = "John Smith"

# Ships with reportlab, so the ligature test needs no system font.
pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))


def render(draw, pages: int = 1, **options) -> bytes:
    """A PDF whose pages ``draw(canvas, page_index)`` fills in."""
    out = io.BytesIO()
    c = canvas.Canvas(out, **options)
    for index in range(pages):
        c.setFont(FONT, SIZE)
        draw(c, index)
        c.showPage()
    c.save()
    return out.getvalue()


def read(data: bytes):
    [record] = pdf.extract(data, "response.pdf")
    return record


def reason(data: bytes) -> str:
    with pytest.raises(IngestError) as info:
        pdf.extract(data, "response.pdf")
    assert info.value.path == "response.pdf"
    return info.value.reason


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def black_box(c, x: float, y: float, width: float, height: float) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.rect(x, y, width, height, fill=1, stroke=0)


def over(prefix: str, words: str, x: float = 72, y: float = 600) -> tuple[float, float, float, float]:
    """A box over ``words`` where they follow ``prefix`` in a line drawn at (x, y)."""
    start = x + pdfmetrics.stringWidth(prefix, FONT, SIZE)
    return start - 1, y - 3, pdfmetrics.stringWidth(words, FONT, SIZE) + 2, SIZE + 4


# ---------------------------------------------------------------- text and furniture


@pytest.fixture(scope="module")
def seed_pdf():
    """The seed response on two pages, with a running header, a URL and page numbers."""
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        lines.extend(simpleSplit(line, FONT, SIZE, 460))
    halves = [lines[: len(lines) // 2], lines[len(lines) // 2:]]

    def draw(c, index):
        c.drawString(72, 800, HEADER)
        for row, line in enumerate(halves[index]):
            c.drawString(72, 770 - 12 * row, line)
        c.drawString(72, 40, SITE)
        c.drawString(280, 25, f"Page {index + 1} of 2")

    assert 770 - 12 * len(halves[1]) > 60  # each half fits above the footer
    return read(render(draw, pages=2))


def test_text_holds_every_sentence_of_the_seed(seed_pdf):
    text = collapse(seed_pdf.text)
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert collapse(ftfy.fix_text(line, uncurl_quotes=False)) in text
    assert seed_pdf.flags == ()


def test_headers_footers_and_page_numbers_are_ignored_exactly(seed_pdf):
    text = seed_pdf.text
    ignored = [text[start:end].strip() for start, end in seed_pdf.ignore]
    assert sorted(ignored) == sorted([HEADER, HEADER, SITE, SITE, "Page 1 of 2", "Page 2 of 2"])
    for start, end in seed_pdf.ignore:
        assert text[start:end] == text[start:end].strip()  # exactly the line, no more
    # The seed's own body, including its mid-page URL, stays compared.
    assert "https://www.mi5.gov.uk/threat-levels" not in ignored
    assert list(seed_pdf.ignore) == sorted(seed_pdf.ignore)


def test_page_texts_are_joined_with_a_blank_line(seed_pdf):
    assert seed_pdf.text.count(HEADER) == 2
    first_footer = seed_pdf.text.index("Page 1 of 2")
    assert seed_pdf.text[first_footer:].index("\n\n") < seed_pdf.text[first_footer:].index(HEADER)


def test_bare_page_number_on_a_single_page_is_ignored():
    def draw(c, _):
        c.drawString(72, 700, "Our answer is below.")
        c.drawString(72, 680, "We hold 3 records.")
        c.drawString(300, 30, "- 1 -")

    record = read(render(draw))
    assert [record.text[s:e] for s, e in record.ignore] == ["- 1 -"]


def test_ligatures_come_out_as_letters():
    def draw(c, _):
        c.setFont("Vera", 12)
        c.drawString(72, 700, "Our \ufb01nal answer on the work\ufb02ow")

    text = read(render(draw)).text
    assert "final answer on the workflow" in text
    assert "\ufb01" not in text and "\ufb02" not in text


def test_ftfy_repairs_mojibake_on_the_string_path():
    assert pdf._fix("the forceâ€™s \ufb01nal view") == "the force’s final view"
    assert pdf._fix(f"kept {MASK * 4} as is") == f"kept {MASK * 4} as is"


def test_pages_are_capped(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    text = read(render(lambda c, i: c.drawString(72, 700, f"Text of sheet {'ABC'[i]}"), pages=3)).text
    assert "sheet A" in text and "sheet B" in text and "sheet C" not in text


# ---------------------------------------------------------------- errors


def test_encrypted_pdf_is_refused():
    data = render(lambda c, _: c.drawString(72, 700, "Secret text"), encrypt="secret")
    assert reason(data) == "encrypted"


def test_encrypted_with_pypdf_writer_is_refused():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(render(lambda c, _: c.drawString(72, 700, "Secret"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert reason(out.getvalue()) == "encrypted"


def test_empty_user_password_is_read_normally():
    locked = StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)
    data = render(lambda c, _: c.drawString(72, 700, "Permissions only"), encrypt=locked)
    assert "Permissions only" in read(data).text


def test_missing_aes_support_is_reported_as_encrypted(monkeypatch):
    def no_aes(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", no_aes)
    data = render(lambda c, _: c.drawString(72, 700, "Secret"), encrypt="secret")
    assert reason(data) == "encrypted (cryptography>=3.1 is required for AES algorithm)"


def test_pdf_without_text_needs_ocr():
    def draw(c, _):
        c.setFillColorRGB(0.2, 0.2, 0.2)
        c.rect(72, 300, 400, 400, fill=1)
        c.circle(300, 500, 80, fill=1)

    assert reason(render(draw, pages=2)) == "no text layer: needs OCR"


def test_scan_with_only_a_stamped_page_number_needs_ocr():
    def draw(c, index):
        c.rect(72, 300, 400, 400, fill=1)  # stands for the scanned image
        c.drawString(280, 25, f"Page {index + 1} of 2")

    assert reason(render(draw, pages=2)) == "no text layer: needs OCR"


def test_truncated_pdf_is_corrupt():
    data = render(lambda c, _: c.drawString(72, 700, "Some text"), pages=3)
    assert reason(data[: len(data) // 2]).startswith("corrupt PDF (")


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + random.Random(7).randbytes(2000),
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"PK\x03\x04 not a pdf at all",
    b"",
])
def test_garbage_is_corrupt(data):
    found = reason(data)
    assert re.fullmatch(r"corrupt PDF \([^\n]{1,80}\)", found), found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([b"", b"%PDF-", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]))
def test_random_bytes_raise_only_ingest_errors(body, prefix):
    try:
        records = pdf.extract(prefix + body, "fuzz.pdf")
    except IngestError as err:
        assert err.reason
    else:
        assert len(records) == 1


# ---------------------------------------------------------------- failed redactions


def redacted_pdf(box_first: bool = False, text_colour=(0, 0, 0)) -> bytes:
    def draw(c, _):
        c.drawString(72, 650, "This line has nothing hidden.")
        if box_first:
            black_box(c, *over("The officer named ", SECRET))
        c.setFillColorRGB(*text_colour)
        c.drawString(72, 600, SECRET_LINE)
        if not box_first:
            black_box(c, *over("The officer named ", SECRET))
        c.setFillColorRGB(0, 0, 0)
        c.drawString(72, 550, "This line is after the box.")

    return render(draw)


def assert_masked(record) -> None:
    assert FAILED_REDACTION in record.flags
    assert "John" not in record.text and "Smith" not in record.text
    masked = "The officer named " + MASK * 4 + " " + MASK * 5 + " attended the address on 3 May."
    assert masked in record.text
    assert "This line has nothing hidden." in record.text
    assert "This line is after the box." in record.text


def test_text_under_a_black_box_is_masked():
    assert_masked(read(redacted_pdf()))


def test_black_text_on_a_black_box_is_masked():
    # A word processor's black "highlight": the box is drawn first, the text on it.
    assert_masked(read(redacted_pdf(box_first=True)))


def test_white_text_on_a_black_box_is_read():
    record = read(redacted_pdf(box_first=True, text_colour=(1, 1, 1)))
    assert SECRET_LINE in record.text
    assert record.flags == ()


def test_underline_and_strike_through_hide_nothing():
    def draw(c, _):
        c.drawString(72, 600, SECRET_LINE)
        black_box(c, 72, 598, 200, 0.7)  # underline
        black_box(c, 72, 602.5, 200, 0.7)  # strike-through

    record = read(render(draw))
    assert SECRET_LINE in record.text and record.flags == ()


def test_box_in_the_middle_of_a_long_line_masks_only_its_words():
    line = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod John Smith tempor incididunt."

    def draw(c, _):
        c.drawString(40, 600, line)
        black_box(c, *over(line.split(SECRET)[0], SECRET, x=40))

    text = read(render(draw)).text
    assert "elit sed do eiusmod " + MASK * 4 + " " + MASK * 5 + " tempor incididunt." in text


def test_box_over_text_in_a_form_xobject_is_found():
    def draw(c, index):
        if index == 0:
            c.beginForm("letter")
            c.setFont(FONT, SIZE)
            c.drawString(0, 0, SECRET_LINE)
            c.endForm()
        c.saveState()
        c.translate(72, 600)
        c.doForm("letter")
        c.restoreState()
        black_box(c, *over("The officer named ", SECRET))

    text = read(render(draw)).text
    assert "John" not in text and "attended the address" in text


def test_dark_rectangle_comment_masks_text():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(render(lambda c, _: c.drawString(72, 600, SECRET_LINE))))
    x, y, w, h = over("The officer named ", SECRET)
    writer.add_annotation(0, Rectangle(rect=(x, y, x + w, y + h), interior_color="000000"))
    out = io.BytesIO()
    writer.write(out)
    record = read(out.getvalue())
    assert "John" not in record.text and FAILED_REDACTION in record.flags
    assert "attended the address on 3 May." in record.text


def test_unapplied_redaction_mark_masks_text():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(render(lambda c, _: c.drawString(72, 600, SECRET_LINE))))
    x, y, w, h = over("The officer named ", SECRET)
    writer.add_annotation(0, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Redact"),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (x, y, x + w, y + h)),
    }))
    out = io.BytesIO()
    writer.write(out)
    record = read(out.getvalue())
    assert "John" not in record.text and FAILED_REDACTION in record.flags


def test_separately_placed_text_under_a_box_is_masked_whole():
    def draw(c, _):
        cells = c.beginText(72, 600)  # one text object, cells placed apart on one line
        cells.setFont(FONT, SIZE)
        cells.textOut("Name:")
        cells.moveCursor(200, 0)
        cells.textOut(SECRET)
        c.drawText(cells)
        black_box(c, 270, 596, 60, 14)

    record = read(render(draw))
    assert "John" not in record.text and FAILED_REDACTION in record.flags


def test_guessed_glyph_widths_still_hide_the_words(monkeypatch):
    monkeypatch.setattr(redaction, "_PdfFont", None)  # as with a pypdf that cannot parse fonts
    record = read(redacted_pdf())
    assert "John" not in record.text and "Smith" not in record.text
    assert "This line has nothing hidden." in record.text
