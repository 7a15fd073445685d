"""ingest: finding files and reading their text, on real files."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from nccd.ingest import (
    IngestError,
    collect_paths,
    display_path,
    document_id,
    read_text,
    sha256_text,
)
from nccd.ingest.html import html_to_text
from nccd.model import Skipped

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

DISCLOSURE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>FOI 1017A/21 | Disclosure log</title>
  <style>body { font-family: sans-serif; }</style>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li>Disclosure log</li></ul></nav>
<script>var tracker = "do-not-show"; if (a < b) { alert("x"); }</script>
<h1>Facial   Recognition
   (1017A/21)</h1>
<p>Date responded: 13&nbsp;August 2018</p>
<div class="body">
  <p>Thames Valley Police can <strong>neither confirm nor deny</strong> that it holds
  any other information, by virtue of s24(2) &amp; s31(3).</p>
  <ul><li>Section 24(2)</li><li>Section 31(3)</li></ul>
  <p>First line<br>Second line</p>
  <table><tr><th>Year</th><th>Requests</th></tr><tr><td>2018</td><td>4</td></tr></table>
</div>
<noscript>Please enable JavaScript</noscript>
<footer>&copy; Thames Valley Police</footer>
</body>
</html>
"""

DISCLOSURE_TEXT = (
    "Facial Recognition (1017A/21)\n\n"
    "Date responded: 13\xa0August 2018\n\n"
    "Thames Valley Police can neither confirm nor deny that it holds any other information, "
    "by virtue of s24(2) & s31(3).\n\n"
    "Section 24(2)\n\n"
    "Section 31(3)\n\n"
    "First line\nSecond line\n\n"
    "Year Requests\n\n"
    "2018 4\n"
)


def write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def reason_of(path: str, **kwargs) -> str:
    with pytest.raises(IngestError) as info:
        read_text(path, **kwargs)
    assert info.value.path == path
    assert str(info.value) == f"{path}: {info.value.reason}"
    return info.value.reason


# --- read_text: encodings, kept verbatim -------------------------------------------------


def test_utf8_is_read_verbatim_with_crlf_and_trailing_space(tmp_path):
    text = "  Dear Sir,\r\n\r\nWe can neither confirm nor deny – s24(2).  \r\n\n\t\n"
    path = write(tmp_path / "a.txt", text.encode("utf-8"))
    assert read_text(path) == text


def test_utf8_bom_is_stripped(tmp_path):
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfNeither confirm nor deny \xe2\x80\x93 s31\n")
    assert read_text(path) == "Neither confirm nor deny – s31\n"


def test_utf16_with_bom(tmp_path):
    text = "Neither confirm nor deny – “s24(2)”\r\n"
    path = write(tmp_path / "le.txt", text.encode("utf-16"))
    assert read_text(path) == text
    path = write(tmp_path / "be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    assert read_text(path) == text


def test_cp1252_bytes(tmp_path):
    path = write(tmp_path / "a.txt", b"We can\x92t confirm \x93or deny\x94 \x96 \x80 5\n")
    assert read_text(path) == "We can’t confirm “or deny” – € 5\n"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    path = write(tmp_path / "a.txt", b"caf\xe9 \x81 na\xefve, a response long enough for one odd byte\n")
    assert read_text(path) == "café \x81 naïve, a response long enough for one odd byte\n"


def test_markdown_is_kept_as_it_stands(tmp_path):
    text = "## REQUEST\n\n**Ref:** FOI2019/07799\n\n> quoted\n"
    assert read_text(write(tmp_path / "a.md", text.encode())) == text


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seeds_read_verbatim(seed):
    assert read_text(str(seed)) == seed.read_bytes().decode("utf-8")


# --- read_text: errors ------------------------------------------------------------------


def test_empty_file(tmp_path):
    assert reason_of(write(tmp_path / "a.txt", b"")) == "empty file"


def test_whitespace_only(tmp_path):
    assert reason_of(write(tmp_path / "a.txt", b" \r\n\t\n  \n")) == "no text"


def test_binary_with_nul_bytes(tmp_path):
    junk = bytes((i * 37 + 11) % 256 for i in range(4096))
    assert reason_of(write(tmp_path / "a.txt", junk)) == "binary file, not text"


def test_binary_without_nul_bytes(tmp_path):
    junk = bytes(range(1, 32)) * 40 + b"some words"
    assert reason_of(write(tmp_path / "a.txt", junk)) == "binary file, not text"


def test_a_few_control_characters_are_still_text(tmp_path):
    text = "Page 1\x0c\nPage 2 \x1b[0m done " + "word " * 100
    assert read_text(write(tmp_path / "a.txt", text.encode())) == text


def test_missing_file(tmp_path):
    assert reason_of(str(tmp_path / "gone.txt")) == "no such file or directory"


def test_directory(tmp_path):
    assert reason_of(str(tmp_path)) == "is a directory"


def test_oversized(tmp_path):
    path = write(tmp_path / "a.txt", b"x" * 2000)
    assert reason_of(path, max_bytes=100) == "file is 0.0019 MB, over the 0.000095 MB limit"
    assert read_text(path, max_bytes=2000) == "x" * 2000


def test_oversized_in_whole_megabytes(tmp_path):
    path = write(tmp_path / "a.txt", b"x" * (3 * 1024 * 1024 + 1))
    assert reason_of(path, max_bytes=2 * 1024 * 1024) == "file is 3 MB, over the 2 MB limit"
    path = write(tmp_path / "b.txt", b"x" * (7 * 512 * 1024))
    assert reason_of(path, max_bytes=3 * 1024 * 1024) == "file is 3.5 MB, over the 3 MB limit"


def test_unreadable(tmp_path):
    path = write(tmp_path / "a.txt", b"Neither confirm nor deny\n")
    os.chmod(path, 0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        assert reason_of(path) == "permission denied"
    finally:
        os.chmod(path, 0o644)


def test_permission_error_is_reported_even_as_root(tmp_path, monkeypatch):
    import nccd.ingest

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path / "a.txt", b"Neither confirm nor deny\n")
    monkeypatch.setattr(nccd.ingest, "open", refuse, raising=False)
    assert reason_of(path) == "permission denied"


def test_error_pickles():
    err = pickle.loads(pickle.dumps(IngestError("a.txt", "empty file")))
    assert (err.path, err.reason, str(err)) == ("a.txt", "empty file", "a.txt: empty file")


# --- HTML -------------------------------------------------------------------------------


def test_html_extraction(tmp_path):
    path = write(tmp_path / "log.html", DISCLOSURE_PAGE.encode("utf-8"))
    text = read_text(path)
    assert text == DISCLOSURE_TEXT
    for hidden in ("tracker", "do-not-show", "font-family", "Disclosure log", "Home",
                   "JavaScript", "©", "<"):
        assert hidden not in text


def test_html_extension_case_and_htm(tmp_path):
    path = write(tmp_path / "LOG.HTM", DISCLOSURE_PAGE.encode("utf-8"))
    assert read_text(path) == DISCLOSURE_TEXT


def test_txt_that_is_html_is_read_as_html(tmp_path):
    path = write(tmp_path / "saved.txt", ("\n  " + DISCLOSURE_PAGE.replace("<!DOCTYPE html>", "")).encode())
    assert read_text(path) == DISCLOSURE_TEXT
    path = write(tmp_path / "doctype.txt", DISCLOSURE_PAGE.encode("cp1252", errors="replace"))
    assert read_text(path) == DISCLOSURE_TEXT


def test_txt_mentioning_html_later_stays_text(tmp_path):
    text = "Dear Sir,\n<html> tags are not used here.\n"
    assert read_text(write(tmp_path / "a.txt", text.encode())) == text


def test_html_with_no_visible_text(tmp_path):
    path = write(tmp_path / "a.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    assert reason_of(path) == "no text"


def test_html_unclosed_head_still_shows_body():
    assert html_to_text("<html><head><title>T</title><body><p>Shown</p>") == "Shown\n"


def test_html_pre_keeps_its_whitespace():
    assert html_to_text("<p>a  b</p><pre>\n  x   y\n  z\n</pre><p>c</p>") == "a b\n\n  x   y\n  z\n\nc\n"


def test_html_inline_elements_do_not_split_words():
    assert html_to_text("<p>neither <b>con</b>firm&#32;nor&nbsp;deny</p>") == "neither confirm nor\xa0deny\n"


# --- collect_paths ----------------------------------------------------------------------


def test_directory_recursion_order_and_filters(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    for name in ("b.txt", "a.MD", "sub/c.html", "sub/deeper/d.Htm", "z/e.txt"):
        write(root / name, b"text\n")
    for name in ("image.png", "notes.xlsx", ".hidden.txt", ".git/f.txt", "sub/.cache/g.txt"):
        write(root / name, b"ignored\n")
    monkeypatch.chdir(tmp_path)
    files, skipped = collect_paths(["corpus"])
    assert files == ["corpus/a.MD", "corpus/b.txt", "corpus/sub/c.html", "corpus/sub/deeper/d.Htm", "corpus/z/e.txt"]
    assert skipped == []


def test_paths_are_normalised_unique_and_sorted(tmp_path, monkeypatch):
    write(tmp_path / "d" / "a.txt", b"x\n")
    write(tmp_path / "d" / "b.txt", b"x\n")
    monkeypatch.chdir(tmp_path)
    files, skipped = collect_paths(["./d/b.txt", Path("d"), "d/../d/a.txt", "d/"])
    assert files == ["d/a.txt", "d/b.txt"]
    assert skipped == []
    absolute, _ = collect_paths([str(tmp_path / "d")])
    assert absolute == [display_path(tmp_path / "d" / "a.txt"), display_path(tmp_path / "d" / "b.txt")]


def test_current_directory(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", b"x\n")
    monkeypatch.chdir(tmp_path)
    assert collect_paths(["."]) == (["a.txt"], [])


def test_missing_path_is_skipped(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", b"x\n")
    monkeypatch.chdir(tmp_path)
    files, skipped = collect_paths(["a.txt", "nope.txt", "nodir/"])
    assert files == ["a.txt"]
    assert skipped == [Skipped("nodir", "no such file or directory"), Skipped("nope.txt", "no such file or directory")]


def test_named_file_of_other_type(tmp_path, monkeypatch):
    write(tmp_path / "response.eml", b"Subject: FOI\n\nNeither confirm nor deny\n")
    write(tmp_path / "scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    monkeypatch.chdir(tmp_path)
    files, skipped = collect_paths(["response.eml", "scan.png"])
    assert files == ["response.eml"]
    assert skipped == [Skipped("scan.png", "unsupported file type")]
    assert read_text("response.eml") == "Subject: FOI\n\nNeither confirm nor deny\n"


def test_named_hidden_file_is_read(tmp_path, monkeypatch):
    write(tmp_path / ".a.txt", b"x\n")
    monkeypatch.chdir(tmp_path)
    assert collect_paths([".a.txt"]) == ([".a.txt"], [])


def test_symlink_loop_in_a_directory(tmp_path, monkeypatch):
    write(tmp_path / "d" / "a.txt", b"x\n")
    write(tmp_path / "d" / "sub" / "b.txt", b"x\n")
    os.symlink("..", tmp_path / "d" / "sub" / "up")
    os.symlink(str(tmp_path / "d"), tmp_path / "d" / "self")
    monkeypatch.chdir(tmp_path)
    files, skipped = collect_paths(["d"])
    assert files == ["d/a.txt", "d/sub/b.txt"]
    assert skipped == []


def test_symlinked_directory_is_followed_once(tmp_path, monkeypatch):
    write(tmp_path / "real" / "a.txt", b"x\n")
    (tmp_path / "top").mkdir()
    os.symlink(str(tmp_path / "real"), tmp_path / "top" / "link")
    monkeypatch.chdir(tmp_path)
    assert collect_paths(["top"]) == (["top/link/a.txt"], [])


def test_broken_symlink_in_a_directory(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    os.symlink("missing.txt", tmp_path / "d" / "a.txt")
    monkeypatch.chdir(tmp_path)
    assert collect_paths(["d"]) == ([], [Skipped("d/a.txt", "broken symbolic link")])


def test_seeds_directory():
    files, skipped = collect_paths([SEEDS])
    assert [Path(f).name for f in files] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert skipped == []


# --- ids --------------------------------------------------------------------------------


def test_sha256_text():
    assert sha256_text("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_text("– ’") == hashlib.sha256("– ’".encode("utf-8")).hexdigest()


def test_document_id_is_the_content_hash():
    assert document_id("abc", "x.txt", set()) == "ba7816bf8f01cfea"
    assert document_id("abc", "elsewhere/y.txt", {"0000000000000000"}) == "ba7816bf8f01cfea"


def test_document_id_of_a_duplicate_comes_from_its_path():
    taken = {document_id("abc", "a.txt", set())}
    second = document_id("abc", "b.txt", taken)
    assert second == sha256_text("abc\0b.txt")[:16]
    assert second not in taken
    assert document_id("abc", "b.txt", taken) == second


def test_html_page_furniture_is_dropped():
    from nccd.ingest.html import html_to_text

    page = ("<html><body><div id='cookie-banner'><div>We use cookies</div> Accept?</div>"
            "<ul class='main-menu'><li>Home</li></ul><main><p>First paragraph.</p>"
            "<p>With <img class='social-icon' src='x.png'> an image.</p>"
            "<div class='breadcrumb'>Home &gt; FOI</div><p>Second paragraph.</p></main></body></html>")
    assert html_to_text(page) == "First paragraph.\n\nWith an image.\n\nSecond paragraph.\n"


def test_whatdotheyknow_placeholders_compare_as_one_token():
    from nccd.ingest.html import html_to_text
    from nccd.normalize import PLACEHOLDER, normalize

    page = ("<html><body><p>Dear [Name removed],</p><div class='correspondence_text'><p>Send it to "
            "[Police request email].</p><div class='quoted'><p>On 1 May you wrote: a long earlier "
            "message</p></div></div></body></html>")
    text = html_to_text(page)
    assert "long earlier message" not in text and "[quoted text]" in text
    words = normalize(text).words
    assert words == ("dear", PLACEHOLDER, "send", "it", "to", PLACEHOLDER, PLACEHOLDER)
    assert normalize("Dear [name removed],").words == normalize("Dear [email address],").words
