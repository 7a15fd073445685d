"""The command line: exact output, exit codes, help on every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import nccd
from nccd.cli import app
from nccd.report import to_csv, to_json

from .conftest import ROOT, check_golden

A = "fixtures/seeds/000_b9307369c2648074.txt"
B = "fixtures/seeds/002_c9c96f7571ac27c1.txt"


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner()


def test_every_command_has_help(runner):
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"scan", "compare"} <= set(names)
    for name in names:
        out = runner.invoke(app, [name, "--help"])
        assert out.exit_code == 0, name
        assert "Usage:" in out.output and "--help" in out.output
        doc = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name).callback.__doc__
        assert doc and doc.splitlines()[0] in " ".join(out.output.split())


def test_version(runner):
    out = runner.invoke(app, ["--version"])
    assert out.exit_code == 0 and out.output == f"nccd {nccd.__version__}\n"


def test_scan_json_is_the_library_result(runner, seeds_result):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert out.stdout == to_json(seeds_result)
    record = json.loads(out.stdout)
    assert list(record) == ["nccd_version", "settings", "documents", "templates", "skipped"]


def test_scan_json_to_file(runner, tmp_path, seeds_result):
    target = tmp_path / "out.json"
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--format", "json", "-o", str(target)])
    assert out.exit_code == 0 and out.stdout == ""
    assert target.read_text(encoding="utf-8") == to_json(seeds_result)


def test_scan_csv(runner, seeds_result):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--format", "csv"])
    assert out.exit_code == 0
    assert out.stdout == to_csv(seeds_result)
    check_golden("seeds.csv", out.stdout)


def test_scan_jsonl_has_one_document_per_line(runner, seeds_result):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--format", "jsonl"])
    lines = out.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [d.id for d in seeds_result.documents]


def test_scan_table(runner):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--no-progress"])
    assert out.exit_code == 0
    check_golden("seeds_table.txt", out.stdout)


def test_missing_input_is_skipped_and_exit_code_says_so(runner, seeds_result):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "no/such/file.txt", "--format", "json"])
    assert out.exit_code == 1
    record = json.loads(out.stdout)
    assert record["skipped"] == [{"path": "no/such/file.txt", "reason": "no such file or directory"}]
    assert len(record["documents"]) == len(seeds_result.documents)


def test_usage_errors_exit_2_with_one_line(runner):
    bad_format = runner.invoke(app, ["scan", "fixtures/seeds", "--format", "xml"])
    assert bad_format.exit_code == 2
    assert "unknown format 'xml'" in bad_format.output
    missing_template = runner.invoke(app, ["scan", "fixtures/seeds", "--template", "nope.txt"])
    assert missing_template.exit_code == 2
    assert "nope.txt" in missing_template.output
    bad_setting = runner.invoke(app, ["scan", "fixtures/seeds", "--min-similarity", "1.5"])
    assert bad_setting.exit_code == 2 and "min_similarity=1.5" in bad_setting.output


def test_user_template_is_aligned(runner, tmp_path):
    template = tmp_path / "national.txt"
    template.write_text(
        "No inference can be taken from this refusal that any further information relevant to "
        "your request does or does not exist.\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--template", str(template), "--format", "json"])
    record = json.loads(out.stdout)
    user = [t for t in record["templates"] if t["source"] == "user"]
    assert len(user) == 1 and user[0]["name"] == "national"
    hits = {d["path"] for d in record["documents"] for s in d["spans"] if s["template_id"] == user[0]["id"]}
    assert "fixtures/seeds/000_b9307369c2648074.txt" in hits
    assert "fixtures/seeds/001_2d59c344b19b8a02.txt" in hits


def test_compare_json(runner):
    out = runner.invoke(app, ["compare", A, B, "--format", "json"])
    assert out.exit_code == 0
    record = json.loads(out.stdout)
    assert record["spans"] and 0 < record["a"]["share"] < 1 and 0 < record["b"]["share"] < 1
    text_a = (ROOT / A).read_text(encoding="utf-8")
    assert any("neither confirm nor deny" in text_a[s["a_start"]:s["a_end"]] or
               "covert tactics and surveillance" in text_a[s["a_start"]:s["a_end"]] for s in record["spans"])
    check_golden("compare.json", out.stdout)


def test_compare_table(runner):
    out = runner.invoke(app, ["compare", A, B])
    assert out.exit_code == 0
    check_golden("compare_table.txt", out.stdout)


def test_python_dash_m_works_the_same():
    env = dict(os.environ, COLUMNS="120")
    done = subprocess.run([sys.executable, "-m", "nccd", "scan", "fixtures/seeds", "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    check_golden("seeds.csv", done.stdout)


def test_bad_files_are_skipped_one_line_each_and_the_rest_goes_on(runner, tmp_path):
    (tmp_path / "good.txt").write_text((ROOT / A).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)
    out = runner.invoke(app, ["scan", str(tmp_path), "--no-progress"])
    assert out.exit_code == 1
    lines = [line for line in out.stdout.splitlines() if line.startswith("skipped ")]
    assert lines == [f"skipped {tmp_path.as_posix()}/empty.txt: empty file",
                     f"skipped {tmp_path.as_posix()}/junk.txt: binary file, not text"]
    assert "good.txt" in out.stdout


def test_unreadable_manifest_is_a_usage_error(runner):
    out = runner.invoke(app, ["scan", "fixtures/seeds", "--manifest", "missing.csv"])
    assert out.exit_code == 2
    assert "missing.csv" in out.output and len(out.output.strip().splitlines()) == 1


def test_strict_stops_at_the_first_bad_input(runner, tmp_path):
    (tmp_path / "good.txt").write_text((ROOT / A).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = runner.invoke(app, ["scan", str(tmp_path), "--strict", "--format", "json"])
    assert out.exit_code == 1 and out.stdout == ""
    assert f"{tmp_path.as_posix()}/empty.txt: empty file" in out.output


def test_size_limit_is_a_setting_with_a_clear_message(runner, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000, encoding="utf-8")  # 1.5 MB
    out = runner.invoke(app, ["scan", str(big), "--max-size", "1", "--format", "json"])
    assert out.exit_code == 1
    [skipped] = json.loads(out.stdout)["skipped"]
    assert skipped["path"] == big.as_posix() and "over the 1 MB limit" in skipped["reason"]


def test_a_200_mb_file_is_skipped_by_the_default_limit(runner, tmp_path):
    big = tmp_path / "dump.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    (tmp_path / "ok.txt").write_text((ROOT / A).read_text(encoding="utf-8"), encoding="utf-8")
    out = runner.invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert out.exit_code == 1
    record = json.loads(out.stdout)
    assert record["skipped"] == [{"path": big.as_posix(), "reason": "file is 200 MB, over the 50 MB limit"}]
    assert [d["path"].rsplit("/", 1)[-1] for d in record["documents"]] == ["ok.txt"]
