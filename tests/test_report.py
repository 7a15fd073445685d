"""report: the exact JSON, JSONL, CSV and table of a small hand-made result."""

from __future__ import annotations

import io
import json
import textwrap

import pytest
from rich.console import Console

import nccd
from nccd.model import Document, DocumentScore, Result, Skipped, Span, Template, Variant
from nccd.report import FORMATS, document_record, result_record, to_csv, to_json, to_jsonl, write
from nccd.settings import Settings

D1, D2, D3 = "d1aaaaaaaaaaaaaa", "d2bbbbbbbbbbbbbb", "d3cccccccccccccc"
NCND, ASKED, USER = "tf0a1b2c3d4", "t0a1b2c3d4e", "u5e6f7a8b9c"

# 44 non-whitespace characters: 27 in the NCND sentence, 17 in the question.
TEXT1 = "We can neither confirm nor deny.\n\nYou asked: how many?\n"
# 32 non-whitespace characters, 26 of them in the variant wording.
TEXT2 = "Intro.\nWe can neither confirm or deny.\n"
TEXT3 = "Thank you for your request.\n"


def make_result() -> Result:
    docs = (
        Document(D1, "corpus/met/a.txt", TEXT1, "Metropolitan Police Service", "2018-03-07",
                 "2018030000340", None, "sha1", year=2018, inferred=("force",)),
        Document(D2, "corpus/tvp/[draft] b.md", TEXT2, None, None, None, "Draft – v2", "sha2", year=2021),
        Document(D3, "c.txt", TEXT3, "Thames Valley Police", None, "FOI, 2020/1", None, "sha3"),
    )
    spans = (  # not in text order: the report sorts them
        Span(D1, 34, 54, ASKED, 0, 20, 1.0, "request"),
        Span(D1, 0, 32, NCND, 0, 32, 0.987654, "ncnd"),
        Span(D2, 7, 38, NCND, 0, 31, 0.9, "ncnd", variant=1),
    )
    templates = (
        Template(ASKED, "You asked: how many?", "request", (D1,), ("Metropolitan Police Service",),
                 "2018-03-07", "2018-03-07", (Variant("You asked: how many?", (D1,)),)),
        Template(NCND, "We can neither confirm nor deny.", "ncnd", (D1, D2), ("Metropolitan Police Service",),
                 "2018-03-07", "2021", (Variant("We can neither confirm nor deny.", (D1,)),
                                         Variant("We can neither confirm or deny.", (D2,)))),
        Template(USER, "Neither confirm nor deny.", "ncnd", (), (), None, None,
                 (Variant("Neither confirm nor deny.", ()),), source="user", name="force-standard"),
    )
    scores = (
        DocumentScore(D1, 44, 27 / 44, {"request": 17 / 44, "ncnd": 27 / 44}, {NCND: 1.0, ASKED: 1.0},
                      True, ("s24(2)", "s31(3)")),
        DocumentScore(D2, 32, 26 / 32, {"ncnd": 26 / 32}, {NCND: 0.96875}, False, ()),
        DocumentScore(D3, 23, 0.0, {}, {}, False, ()),
    )
    return Result(Settings(), docs, (), spans, templates, scores,
                  (Skipped("corpus/scan.png", "unsupported file type"),), {"ingest": 0.5})


DOC1 = {
    "id": D1, "path": "corpus/met/a.txt", "force": "Metropolitan Police Service", "date": "2018-03-07",
    "year": 2018, "reference": "2018030000340", "title": None, "chars": 44, "reuse": 0.6136,
    "reuse_by_role": {"ncnd": 0.6136, "legal": 0.0, "request": 0.3864, "letter": 0.0, "answer": 0.0},
    "coverage": {ASKED: 1.0, NCND: 1.0}, "ncnd": True, "exemptions": ["s24(2)", "s31(3)"],
    "inferred": ["force"],
    "parent": None,
    "flags": [],
    "passages": [],
    "spans": [
        {"start": 0, "end": 32, "template_id": NCND, "template_start": 0, "template_end": 32,
         "similarity": 0.9877, "role": "ncnd", "variant": 0},
        {"start": 34, "end": 54, "template_id": ASKED, "template_start": 0, "template_end": 20,
         "similarity": 1.0, "role": "request", "variant": 0},
    ],
}

JSON_TEXT = """\
{
  "nccd_version": "VERSION",
  "settings": SETTINGS,
  "documents": [
    {
      "id": "d1aaaaaaaaaaaaaa",
      "path": "corpus/met/a.txt",
      "force": "Metropolitan Police Service",
      "date": "2018-03-07",
      "year": 2018,
      "reference": "2018030000340",
      "title": null,
      "chars": 44,
      "reuse": 0.6136,
      "reuse_by_role": {
        "ncnd": 0.6136,
        "legal": 0.0,
        "request": 0.3864,
        "letter": 0.0,
        "answer": 0.0
      },
      "coverage": {
        "t0a1b2c3d4e": 1.0,
        "tf0a1b2c3d4": 1.0
      },
      "ncnd": true,
      "exemptions": [
        "s24(2)",
        "s31(3)"
      ],
      "inferred": [
        "force"
      ],
      "parent": null,
      "flags": [],
      "passages": [],
      "spans": [
        {
          "start": 0,
          "end": 32,
          "template_id": "tf0a1b2c3d4",
          "template_start": 0,
          "template_end": 32,
          "similarity": 0.9877,
          "role": "ncnd",
          "variant": 0
        },
        {
          "start": 34,
          "end": 54,
          "template_id": "t0a1b2c3d4e",
          "template_start": 0,
          "template_end": 20,
          "similarity": 1.0,
          "role": "request",
          "variant": 0
        }
      ]
    },
    {
      "id": "d2bbbbbbbbbbbbbb",
      "path": "corpus/tvp/[draft] b.md",
      "force": null,
      "date": null,
      "year": 2021,
      "reference": null,
      "title": "Draft – v2",
      "chars": 32,
      "reuse": 0.8125,
      "reuse_by_role": {
        "ncnd": 0.8125,
        "legal": 0.0,
        "request": 0.0,
        "letter": 0.0,
        "answer": 0.0
      },
      "coverage": {
        "tf0a1b2c3d4": 0.9688
      },
      "ncnd": false,
      "exemptions": [],
      "inferred": [],
      "parent": null,
      "flags": [],
      "passages": [],
      "spans": [
        {
          "start": 7,
          "end": 38,
          "template_id": "tf0a1b2c3d4",
          "template_start": 0,
          "template_end": 31,
          "similarity": 0.9,
          "role": "ncnd",
          "variant": 1
        }
      ]
    },
    {
      "id": "d3cccccccccccccc",
      "path": "c.txt",
      "force": "Thames Valley Police",
      "date": null,
      "year": null,
      "reference": "FOI, 2020/1",
      "title": null,
      "chars": 23,
      "reuse": 0.0,
      "reuse_by_role": {
        "ncnd": 0.0,
        "legal": 0.0,
        "request": 0.0,
        "letter": 0.0,
        "answer": 0.0
      },
      "coverage": {},
      "ncnd": false,
      "exemptions": [],
      "inferred": [],
      "parent": null,
      "flags": [],
      "passages": [],
      "spans": []
    }
  ],
  "templates": [
    {
      "id": "t0a1b2c3d4e",
      "name": null,
      "source": "discovered",
      "role": "request",
      "text": "You asked: how many?",
      "documents": [
        "d1aaaaaaaaaaaaaa"
      ],
      "forces": [
        "Metropolitan Police Service"
      ],
      "first_seen": "2018-03-07",
      "last_seen": "2018-03-07",
      "variants": [
        {
          "text": "You asked: how many?",
          "documents": [
            "d1aaaaaaaaaaaaaa"
          ]
        }
      ]
    },
    {
      "id": "tf0a1b2c3d4",
      "name": null,
      "source": "discovered",
      "role": "ncnd",
      "text": "We can neither confirm nor deny.",
      "documents": [
        "d1aaaaaaaaaaaaaa",
        "d2bbbbbbbbbbbbbb"
      ],
      "forces": [
        "Metropolitan Police Service"
      ],
      "first_seen": "2018-03-07",
      "last_seen": "2021",
      "variants": [
        {
          "text": "We can neither confirm nor deny.",
          "documents": [
            "d1aaaaaaaaaaaaaa"
          ]
        },
        {
          "text": "We can neither confirm or deny.",
          "documents": [
            "d2bbbbbbbbbbbbbb"
          ]
        }
      ]
    },
    {
      "id": "u5e6f7a8b9c",
      "name": "force-standard",
      "source": "user",
      "role": "ncnd",
      "text": "Neither confirm nor deny.",
      "documents": [],
      "forces": [],
      "first_seen": null,
      "last_seen": null,
      "variants": [
        {
          "text": "Neither confirm nor deny.",
          "documents": []
        }
      ]
    }
  ],
  "skipped": [
    {
      "path": "corpus/scan.png",
      "reason": "unsupported file type"
    }
  ]
}
"""

CSV_TEXT = """\
id,path,force,date,year,reference,chars,reuse,reuse_ncnd,reuse_legal,reuse_letter,reuse_answer,reuse_request,\
ncnd,exemptions,templates,spans
d1aaaaaaaaaaaaaa,corpus/met/a.txt,Metropolitan Police Service,2018-03-07,2018,2018030000340,44,0.6136,0.6136,\
0.0,0.0,0.0,0.3864,true,s24(2);s31(3),tf0a1b2c3d4;t0a1b2c3d4e,2
d2bbbbbbbbbbbbbb,corpus/tvp/[draft] b.md,,,2021,,32,0.8125,0.8125,0.0,0.0,0.0,0.0,false,,tf0a1b2c3d4,1
d3cccccccccccccc,c.txt,Thames Valley Police,,,"FOI, 2020/1",23,0.0,0.0,0.0,0.0,0.0,0.0,false,,,0
"""


def expected_json() -> str:
    settings = textwrap.indent(json.dumps(Settings().as_dict(), indent=2), "  ").lstrip()
    return JSON_TEXT.replace("VERSION", nccd.__version__).replace("SETTINGS", settings)


def test_json_text_is_exact():
    assert to_json(make_result()) == expected_json()


def test_json_is_byte_identical_for_equal_results():
    assert to_json(make_result()).encode() == to_json(make_result()).encode()


def test_top_level_and_document_key_order():
    record = result_record(make_result())
    assert list(record) == ["nccd_version", "settings", "documents", "templates", "skipped"]
    assert record["settings"] == Settings().as_dict()
    assert list(record["documents"][0]) == list(DOC1)


def test_document_record():
    result = make_result()
    assert document_record(result, result.documents[0]) == DOC1
    assert [document_record(result, d) for d in result.documents] == result_record(result)["documents"]


def test_jsonl_lines():
    lines = to_jsonl(make_result()).split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == json.loads(expected_json())["documents"]
    assert lines[0].startswith('{"id":"d1aaaaaaaaaaaaaa","path":"corpus/met/a.txt","force":')
    assert '"title":"Draft – v2"' in lines[1]
    assert lines[2] == (
        '{"id":"d3cccccccccccccc","path":"c.txt","force":"Thames Valley Police","date":null,"year":null,'
        '"reference":"FOI, 2020/1","title":null,"chars":23,"reuse":0.0,"reuse_by_role":{"ncnd":0.0,'
        '"legal":0.0,"request":0.0,"letter":0.0,"answer":0.0},"coverage":{},"ncnd":false,"exemptions":[],'
        '"inferred":[],"parent":null,"flags":[],"passages":[],"spans":[]}'
    )


def test_csv_text_is_exact():
    assert to_csv(make_result()) == CSV_TEXT


def test_empty_result():
    empty = Result(Settings(), (), (), (), (), (), ())
    assert to_jsonl(empty) == ""
    assert to_csv(empty) == CSV_TEXT.split("\n", 1)[0] + "\n"
    assert json.loads(to_json(empty))["documents"] == []


def table_text(result: Result) -> str:
    console = Console(record=True, width=120)
    write(result, "table", None, console)
    return console.export_text()


def test_table_cells():
    text = table_text(make_result())
    lines = text.splitlines()
    assert "nccd scan: 3 documents, 3 templates" in lines[0]
    assert max(len(line) for line in lines) <= 120
    row1 = next(line for line in lines if "a.txt" in line)
    for cell in ("Metropolitan Police Service", "2018-03-07", "61.4%", "yes", "s24(2), s31(3)",
                 "tf0a1b2c3d4 61%"):
        assert cell in row1
    assert "t0a1b2c3d4e 39%" in lines[lines.index(row1) + 1]  # one template a line
    row2 = next(line for line in lines if "[draft] b.md" in line)
    for cell in ("2021", "81.2%", "no", "tf0a1b2c3d4 81%"):
        assert cell in row2
    row3 = next(line for line in lines if "c.txt" in line)
    assert "Thames Valley Police" in row3 and "0.0%" in row3
    assert lines.index(row1) < lines.index(row2) < lines.index(row3)
    assert lines[-1] == "skipped corpus/scan.png: unsupported file type"
    for header in ("Document", "Force", "Date", "Reuse", "NCND", "Exemptions", "Top templates"):
        assert header in text


def test_table_title_counts_singular():
    result = make_result()
    one = Result(result.settings, result.documents[:1], (), result.spans[:2], result.templates[:1],
                 result.scores[:1], ())
    assert "nccd scan: 1 document, 1 template" in table_text(one)


@pytest.mark.parametrize("fmt, render", [("json", to_json), ("jsonl", to_jsonl), ("csv", to_csv)])
def test_write_text_formats(fmt, render):
    out = io.StringIO()
    write(make_result(), fmt, out, Console(file=io.StringIO()))
    assert out.getvalue() == render(make_result())


def test_write_without_stream_uses_the_console_stream():
    stream = io.StringIO()
    write(make_result(), "csv", None, Console(file=stream))
    assert stream.getvalue() == CSV_TEXT


def test_write_unknown_format():
    with pytest.raises(ValueError, match="unknown format 'xml'; use one of: table, json, jsonl, csv, html"):
        write(make_result(), "xml", io.StringIO(), None)
    assert FORMATS == ("table", "json", "jsonl", "csv", "html")
