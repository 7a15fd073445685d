"""The seeds in other formats (PDF, DOCX, HTML, e-mail with a PDF attached) read as the text does."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

import nccd

from .conftest import SEEDS

SEED = "000_b9307369c2648074.txt"
OTHERS = sorted(p.name for p in SEEDS.glob("*.txt") if p.name != SEED)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def make_pdf(text: str, path: Path, header: str = "Freedom of Information Response") -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, A4[1] - 40, header)
        canvas.drawString(A4[0] / 2, 30, str(doc.page))
        canvas.restoreState()

    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(p), style) for p in _paragraphs(text)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)


def make_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "West Midlands Police – Freedom of Information"
    paragraphs = _paragraphs(text)
    for p in paragraphs[:20]:
        document.add_paragraph(p)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Exemption", "Section 24(2) – National security"
    table.cell(1, 0).text, table.cell(1, 1).text = "Exemption", "Section 31(3) – Law enforcement"
    for p in paragraphs[20:]:
        document.add_paragraph(p)
    document.save(str(path))


def make_html(text: str, path: Path) -> None:
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>\n" for p in _paragraphs(text))
    path.write_text(
        "<!DOCTYPE html><html><head><title>FOI</title><script>var tracking = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/foi'>Disclosure log</a></nav>"
        "<div id='cookie-banner'>We use cookies to make this site work. Accept all cookies?</div>"
        f"<main>{body}</main><footer>© Police force. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )


def make_mail(text: str, path: Path, tmp: Path) -> None:
    pdf = tmp / "response.pdf"
    make_pdf(text, pdf)
    message = EmailMessage()
    message["From"] = "foi@wmp.police.uk"
    message["To"] = "requester@example.org"
    message["Subject"] = "Your Freedom of Information request 11998/19"
    message["Date"] = "Mon, 01 Jul 2019 10:00:00 +0100"
    message.set_content("Dear requester,\n\nPlease find attached our response.\n\nFreedom of Information Unit\n")
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename="response.pdf")
    path.write_bytes(bytes(message))


@pytest.fixture(scope="module")
def baseline():
    result = nccd.scan([SEEDS])
    doc = next(d for d in result.documents if d.path.endswith(SEED))
    return doc, result.score(doc.id)


@pytest.mark.parametrize("kind", ["pdf", "docx", "html", "eml"])
def test_same_reuse_as_the_text(kind, baseline, tmp_path):
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    corpus.mkdir()
    build.mkdir()
    for name in OTHERS:
        shutil.copy(SEEDS / name, corpus / name)
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    target = corpus / f"seed.{kind}"
    {"pdf": make_pdf, "docx": make_docx, "html": make_html}.get(kind, lambda t, p: make_mail(t, p, build))(
        text, target)
    result = nccd.scan([corpus])
    assert result.skipped == ()
    wanted = "seed.eml#" if kind == "eml" else f"seed.{kind}"
    [doc] = [d for d in result.documents if wanted in d.path]
    score = result.score(doc.id)
    base_doc, base = baseline
    assert abs(score.reuse - base.reuse) <= 0.02, (score.reuse, base.reuse)
    assert score.ncnd and {"s24(2)", "s31(3)"} <= set(score.exemptions)
    assert (doc.force, doc.year) == (base_doc.force, base_doc.year)
    for span in result.spans_of(doc.id):
        assert doc.text[span.start:span.end].strip()
    if kind == "html":
        assert "cookies" not in doc.text and "tracking" not in doc.text and "Disclosure log" not in doc.text
    if kind == "eml":
        assert doc.parent is not None
