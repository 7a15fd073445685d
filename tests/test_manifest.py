"""manifest: reading the CSV of metadata and finding a file's entry."""

from __future__ import annotations

import os
import pickle

import pytest

from nccd.manifest import Manifest, ManifestError, load_manifest, lookup, parse_date
from nccd.model import Metadata


def write(path, text: str, encoding: str = "utf-8") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return str(path)


def error_of(path: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    return info.value


def test_full_manifest(tmp_path):
    path = write(tmp_path / "m.csv", (
        "path,force,date,reference,title,notes\n"
        "met/a.txt,Metropolitan Police Service,07/03/2018,2018030000340,Facial recognition,x\n"
        "./tvp//b.txt, Thames Valley Police ,2021-04,1017A/21,,\n"
        "c.md,,2019,,\"Title, with comma\",\n"
        "d.txt,,,,,\n"
    ))
    assert load_manifest(path) == {
        "met/a.txt": Metadata("Metropolitan Police Service", "2018-03-07", 2018, "2018030000340", "Facial recognition"),
        "tvp/b.txt": Metadata("Thames Valley Police", None, 2021, "1017A/21", None),
        "c.md": Metadata(None, None, 2019, None, "Title, with comma"),
        "d.txt": Metadata(),
    }


def test_subset_of_columns_any_order_bom_and_crlf(tmp_path):
    path = write(tmp_path / "m.csv", "\ufeffDate , PATH\r\n2020-01-14,a.txt\r\n\r\n", encoding="utf-8")
    manifest = load_manifest(path)
    assert manifest == {"a.txt": Metadata(date="2020-01-14", year=2020)}
    assert manifest["a.txt"].inferred == ()


def test_windows_separators_are_normalised(tmp_path):
    path = write(tmp_path / "m.csv", "path,force\nmet\\sub\\a.txt,Met\n")
    assert list(load_manifest(path)) == ["met/sub/a.txt"]


@pytest.mark.parametrize("text, expected", [
    ("2020-01-14", ("2020-01-14", 2020)),
    ("2020-1-4", ("2020-01-04", 2020)),
    ("14/01/2020", ("2020-01-14", 2020)),
    ("4/1/2020", ("2020-01-04", 2020)),
    ("2020-02", (None, 2020)),
    ("2020", (None, 2020)),
    (" 2020 ", (None, 2020)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2020-13-01", "31/02/2020", "2020-13", "20", "Jan 2020", "2020/01/14"])
def test_bad_dates(text):
    with pytest.raises(ValueError, match="unparseable date"):
        parse_date(text)


def test_bad_date_names_file_and_line(tmp_path):
    path = write(tmp_path / "m.csv", "path,date\na.txt,2020-01-01\nb.txt,31/02/2020\n")
    err = error_of(path)
    assert (err.path, err.line) == (path, 3)
    assert str(err) == (f"{path}: line 3: unparseable date '31/02/2020' "
                        "(use YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)")
    assert "\n" not in str(err)


def test_missing_path_column(tmp_path):
    path = write(tmp_path / "m.csv", "file,force\na.txt,Met\n")
    assert str(error_of(path)) == f"{path}: line 1: no 'path' column in the header"


def test_empty_manifest_has_no_path_column(tmp_path):
    path = write(tmp_path / "m.csv", "")
    assert error_of(path).reason == "no 'path' column in the header"


def test_empty_path_cell(tmp_path):
    path = write(tmp_path / "m.csv", "path,force\n,Met\n")
    assert str(error_of(path)) == f"{path}: line 2: empty path"


def test_repeated_path(tmp_path):
    path = write(tmp_path / "m.csv", "path,force\na.txt,Met\n./a.txt,TVP\n")
    assert str(error_of(path)) == f"{path}: line 3: path 'a.txt' repeats line 2"


def test_missing_file(tmp_path):
    path = str(tmp_path / "none.csv")
    assert str(error_of(path)) == f"{path}: no such file or directory"


def test_not_utf8(tmp_path):
    path = write(tmp_path / "m.csv", "path,force\na.txt,Caf\xe9\n", encoding="latin-1")
    assert error_of(path).reason.startswith("not UTF-8 text")


def test_unreadable(tmp_path):
    path = write(tmp_path / "m.csv", "path\na.txt\n")
    os.chmod(path, 0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        assert error_of(path).reason == "permission denied"
    finally:
        os.chmod(path, 0o644)


def test_permission_error_is_reported_even_as_root(tmp_path, monkeypatch):
    import nccd.manifest

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path / "m.csv", "path\na.txt\n")
    monkeypatch.setattr(nccd.manifest, "open", refuse, raising=False)
    assert str(error_of(path)) == f"{path}: permission denied"


def test_error_pickles():
    err = pickle.loads(pickle.dumps(ManifestError("m.csv", "empty path", 2)))
    assert str(err) == "m.csv: line 2: empty path"


# --- lookup -----------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """``corpus/manifest.csv`` naming files relative to itself; cwd is tmp_path."""
    write(tmp_path / "corpus" / "manifest.csv", (
        "path,force\n"
        "met/a.txt,Met\n"
        "tvp/a.txt,TVP\n"
        "tvp/unique.txt,TVP unique\n"
        f"{tmp_path / 'elsewhere' / 'abs.txt'},Absolute\n"
    ))
    monkeypatch.chdir(tmp_path)
    return load_manifest("corpus/manifest.csv")


def test_lookup_exact(corpus):
    assert lookup(corpus, "met/a.txt").force == "Met"
    assert lookup(corpus, "./met//a.txt").force == "Met"


def test_lookup_relative_to_the_manifest(corpus):
    assert lookup(corpus, "corpus/met/a.txt").force == "Met"
    assert lookup(corpus, "corpus/tvp/a.txt").force == "TVP"


def test_lookup_absolute_entry(corpus, tmp_path):
    assert lookup(corpus, "elsewhere/abs.txt").force == "Absolute"


def test_lookup_by_unique_file_name(corpus):
    assert lookup(corpus, "other/place/unique.txt").force == "TVP unique"
    assert lookup(corpus, "other/place/a.txt") is None  # two entries are called a.txt
    assert lookup(corpus, "nowhere.txt") is None


def test_lookup_in_a_plain_dict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = {"d/a.txt": Metadata(force="Met")}
    assert lookup(table, "./d/a.txt").force == "Met"
    assert lookup(table, str(tmp_path / "d" / "a.txt")).force == "Met"
    assert lookup(table, "x/a.txt").force == "Met"
    assert lookup({}, "a.txt") is None


def test_manifest_is_a_dict():
    manifest = Manifest({"a.txt": Metadata(force="Met")}, directory="/data")
    assert isinstance(manifest, dict)
    assert manifest == {"a.txt": Metadata(force="Met")}
    assert lookup(manifest, "/data/a.txt").force == "Met"


def test_a_document_the_manifest_describes_in_full_is_not_searched_for_metadata(tmp_path, monkeypatch):
    import nccd.ingest.documents as documents
    from nccd.metadata import infer_metadata

    letter = ("Our reference: 2020/123\nDate: 14 January 2020\nDear Sir\nThis letter comes from "
              "Thames Valley Police about drones.\n")
    write(tmp_path / "d" / "full.txt", letter)
    write(tmp_path / "d" / "part.txt", letter)
    write(tmp_path / "m.csv", "path,force,date,reference,title\n"
                              "d/full.txt,Kent Police,2021-02-03,R1,Drones\n"
                              "d/part.txt,Kent Police,2021-02-03,,Drones\n")
    seen = []
    monkeypatch.setattr(documents, "infer_metadata", lambda text: seen.append(text) or infer_metadata(text))
    docs, skipped = documents.ingest([str(tmp_path / "d")], manifest=str(tmp_path / "m.csv"), jobs=1)
    assert not skipped and seen == [letter]  # part.txt only: its reference comes from the text
    full, part = docs
    assert (full.force, full.date, full.year, full.reference, full.title, full.inferred) == (
        "Kent Police", "2021-02-03", 2021, "R1", "Drones", ())
    assert (part.reference, part.inferred) == (infer_metadata(letter).reference, ("reference",))
    assert part.reference is not None
