"""The ``nccd`` command: parse, call the library, render. Nothing else.

Exit codes: 0 all inputs read; 1 some inputs skipped (listed in the output);
2 usage errors (bad option, unreadable template or manifest, bad setting).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from . import __version__
from .compare import compare as compare_files
from .eval import EvalError, evaluate_files
from .ingest import IngestError
from .manifest import ManifestError
from .pipeline import scan as scan_paths
from .report import FORMATS, write
from .report.comparison import comparison_json, render_comparison
from .report.evaluation import evaluation_json, render_evaluation
from .settings import Settings
from .synth import SynthSettings, generate

app = typer.Typer(
    help="Find copy-pasted template text (neither-confirm-nor-deny refusals and the rest) "
    "across FOI responses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nccd {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """nccd: which text in each response was copied from a shared template, from where, and how much."""


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def _progress(enabled: bool) -> Iterator:
    """A rich progress bar on stderr, shown only when stderr is a terminal."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _settings(min_similarity: Optional[float], min_words: Optional[int]) -> Settings:
    values = {}
    if min_similarity is not None:
        values["min_similarity"] = min_similarity
    if min_words is not None:
        values["min_words"] = min_words
    try:
        return Settings(**values)
    except (TypeError, ValueError) as err:
        _fail(str(err))
        raise  # unreachable: _fail exits


@app.command()
def scan(
    paths: List[Path] = typer.Argument(..., help="Response files or directories (searched recursively for "
                                       ".txt, .md, .html, .htm, .pdf, .docx, .eml, .mbox, .jsonl); - reads JSONL "
                                       "records or paths from standard input."),
    format: str = typer.Option("table", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    template: List[Path] = typer.Option([], "--template", "-t", help="A template text to align against, "
                                        "as well as the families discovered. Repeatable."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="CSV with columns "
                                            "path,force,date,reference,title; wins over inference."),
    min_similarity: Optional[float] = typer.Option(None, help="Lowest word-level similarity of a span "
                                                   "(0..1, default 0.75)."),
    min_words: Optional[int] = typer.Option(None, help="Shortest span reported, in words (default 8)."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first input that cannot be read "
                                "(exit code 1) instead of skipping it."),
    max_size: float = typer.Option(50.0, "--max-size", help="Skip files larger than this many MB."),
    explain: bool = typer.Option(False, "--explain", help="Give each span the template text it matched and "
                                 "the word-level edits between them."),
    db: Optional[Path] = typer.Option(None, "--db", help="Also keep the documents and results in this corpus "
                                      "file (SQLite), adding to what it holds."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: every core). The output "
                             "does not depend on it."),
) -> None:
    """Scan responses and report how much of each reuses template text."""
    if format not in FORMATS:
        _fail(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    settings = _settings(min_similarity, min_words)
    if db is not None:
        result = _scan_into(db, paths, settings, manifest)
        _emit(lambda out, console: write(result, format, out, console, explain=explain), output)
        raise typer.Exit(1 if result.skipped else 0)
    try:
        with _progress(progress) as callback:
            result = scan_paths([str(p) for p in paths], settings, templates=[str(t) for t in template],
                                manifest=str(manifest) if manifest else None, progress=callback,
                                max_bytes=int(max_size * 1024 * 1024), strict=strict, jobs=jobs,
                                stdin=sys.stdin.buffer.read() if "-" in [str(p) for p in paths] else None)
    except IngestError as err:
        if strict and str(err.path) not in {str(t) for t in template}:
            Console(stderr=True).print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
            raise typer.Exit(1)
        _fail(str(err))
    except ManifestError as err:
        _fail(str(err))
    _emit(lambda out, console: write(result, format, out, console, explain=explain), output)
    if result.skipped:
        raise typer.Exit(1)


@app.command()
def compare(
    a: Path = typer.Argument(..., help="First response file."),
    b: Path = typer.Argument(..., help="Second response file."),
    format: str = typer.Option("table", "--format", "-f", help="Output format: table, json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    db: Optional[Path] = typer.Option(None, "--db", help="Compare documents of this corpus, named by id or path."),
    texts: bool = typer.Option(True, "--texts/--no-texts", help="Print both texts with the shared parts marked."),
    min_similarity: Optional[float] = typer.Option(None, help="Lowest word-level similarity of a span."),
    min_words: Optional[int] = typer.Option(None, help="Shortest span reported, in words."),
) -> None:
    """Show the text two responses share, side by side, and each side's share."""
    if format not in ("table", "json"):
        _fail(f"unknown format {format!r}: choose one of table, json")
    settings = _settings(min_similarity, min_words)
    try:
        result = _compare_in(db, str(a), str(b), settings) if db else compare_files(str(a), str(b), settings)
    except IngestError as err:
        _fail(str(err))

    def render(out, console):
        if format == "json":
            out.write(comparison_json(result))
        else:
            render_comparison(result, console, texts=texts)

    _emit(render, output)


@app.command("eval")
def eval_command(
    predictions: Path = typer.Argument(..., help="An `nccd scan --format json` output."),
    labels: Path = typer.Option(..., "--labels", "-l", help="Directory of label files (fixtures/labels/FORMAT.md)."),
    documents: Optional[Path] = typer.Option(None, "--documents", "-d", help="Read the documents' texts from "
                                             "this folder by file name instead of the paths in PREDICTIONS."),
    format: str = typer.Option("table", "--format", "-f", help="Output format: table, json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Measure a scan against labelled documents: precision, recall, F1, granularity, plagdet."""
    if format not in ("table", "json"):
        _fail(f"unknown format {format!r}: choose one of table, json")
    try:
        result = evaluate_files(predictions, labels, documents)
    except EvalError as err:
        _fail(str(err))

    def render(out, console):
        if format == "json":
            out.write(evaluation_json(result))
        else:
            render_evaluation(result, console)

    _emit(render, output)


@app.command()
def synth(
    out_dir: Path = typer.Argument(..., help="Folder to write docs/, labels/ and manifest.csv into."),
    documents: int = typer.Option(1000, "--documents", "-n", help="How many responses (10 to 100,000)."),
    seed: int = typer.Option(0, help="Seed of every random choice: same seed, same files."),
    edit_rate: float = typer.Option(0.15, help="Share of copied template words edited (substituted, "
                                    "inserted after, deleted)."),
    clause_reuse: float = typer.Option(0.1, help="Chance that a bespoke sentence embeds a template clause."),
    hard_wrap: float = typer.Option(0.1, help="Share of responses written as hard-wrapped PDF text."),
    round_robin: float = typer.Option(0.3, help="Share of responses quoting a round-robin request."),
    reorder: bool = typer.Option(True, "--reorder/--no-reorder", help="Shuffle public-interest sections."),
    workers: int = typer.Option(1, help="Processes writing files (the output does not change)."),
) -> None:
    """Generate a labelled corpus of NCND responses with exact ground truth, for nccd eval."""
    try:
        settings = SynthSettings(documents=documents, seed=seed, edit_rate=edit_rate, clause_reuse=clause_reuse,
                                 hard_wrap=hard_wrap, round_robin=round_robin, reorder=reorder, workers=workers)
        summary = generate(out_dir, settings)
    except (TypeError, ValueError, OSError) as err:
        _fail(str(err))
    reused = sum(v for k, v in summary.reused_characters_by_role.items() if k != "request")
    typer.echo(f"wrote {summary.documents} documents ({summary.characters:,} characters, "
               f"{reused / max(summary.characters, 1):.1%} template reuse) to {summary.path}")


def _scan_into(db: Path, paths, settings: Settings, manifest: Optional[Path]):
    """Add ``paths`` to the corpus at ``db`` and return its whole result, with this run's skipped files."""
    import dataclasses

    from .store import Store, StoreError

    try:
        with Store(str(db), settings) as store:
            summary = store.add([str(p) for p in paths], manifest=str(manifest) if manifest else None)
            return dataclasses.replace(store.result(), skipped=tuple(summary.skipped))
    except (StoreError, ManifestError) as err:
        _fail(str(err))


index_app = typer.Typer(help="Build a corpus over time in one SQLite file.", no_args_is_help=True)
app.add_typer(index_app, name="index")

DB_HELP = "The corpus file (SQLite)."


def _open_store(db: Path, must_exist: bool = True):
    """Open the store at ``db``; a missing or mismatched store is a usage error."""
    from .store import Store, StoreError

    if must_exist and not db.exists():
        _fail(f"{db}: no such corpus; build one with nccd index add PATH... --db {db}")
    try:
        return Store(str(db))
    except StoreError as err:
        _fail(str(err))


@index_app.command("add")
def index_add(
    paths: List[Path] = typer.Argument(..., help="Response files or directories to add."),
    db: Path = typer.Option(Path("nccd.db"), "--db", help=DB_HELP),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="CSV with columns "
                                            "path,force,date,reference,title; wins over inference."),
    discover: bool = typer.Option(True, "--discover/--no-discover",
                                  help="Discover the template families again over the whole corpus; with "
                                       "--no-discover the new responses are only aligned against the stored "
                                       "templates, in seconds (a later add with --discover, even of files "
                                       "already stored, finds what they share that is no template yet)."),
) -> None:
    """Add responses to a corpus: only new or changed files are read; families and scores are updated."""
    from .store import Store, StoreError

    try:
        with Store(str(db)) as store:
            summary = store.add([str(p) for p in paths], manifest=str(manifest) if manifest else None,
                                discover=discover)
    except (StoreError, ManifestError) as err:
        _fail(str(err))
    console = Console(highlight=False)
    console.print(f"{db}: {summary.added} added, {summary.unchanged} unchanged, {len(summary.skipped)} skipped; "
                  f"{summary.documents} documents in the corpus")
    if summary.aligned_only:
        console.print("new responses aligned against the stored templates; families not rediscovered")
    for s in summary.skipped:
        console.print(Text(f"skipped {s.path}: {s.reason}"))
    if summary.skipped:
        raise typer.Exit(1)


@app.command("query")
def query_command(
    text: Optional[str] = typer.Argument(None, help="The wording to look for."),
    file: Optional[Path] = typer.Option(None, "--file", help="Read the wording from this file instead."),
    db: Path = typer.Option(Path("nccd.db"), "--db", help=DB_HELP),
    min_similarity: Optional[float] = typer.Option(None, help="Lowest word-level similarity of a hit."),
    format: str = typer.Option("table", "--format", "-f", help="Output format: table, json."),
) -> None:
    """Every passage in the corpus that reuses a text, with document, force, date and similarity."""
    from .query import query
    from .report.corpus import hits_json, render_hits

    if (text is None) == (file is None):
        _fail("give the wording to look for as TEXT or with --file, not both")
    wording = file.read_text(encoding="utf-8") if file else text
    with _open_store(db) as store:
        hits = query(store.result(), wording, min_similarity=min_similarity)
    _emit(lambda out, console: out.write(hits_json(hits)) if format == "json" else render_hits(hits, console),
          None)


@app.command("templates")
def templates_command(
    db: Path = typer.Option(Path("nccd.db"), "--db", help=DB_HELP),
    role: Optional[str] = typer.Option(None, help="Only templates of this role (ncnd, legal, letter, answer)."),
    variants: bool = typer.Option(False, "--variants", help="Show every wording with its word-level differences."),
) -> None:
    """Template families: canonical text, documents and forces using them, first and last seen."""
    from .report.corpus import render_templates

    with _open_store(db) as store:
        found = [t for t in store.result().templates if role is None or t.role == role]
    found.sort(key=lambda t: (-len(t.documents), t.id))
    render_templates(found, Console(highlight=False), variants=variants)


@app.command("report")
def report_command(
    db: Path = typer.Option(Path("nccd.db"), "--db", help=DB_HELP),
    by: str = typer.Option("force,year", "--by", help="Group by force, year or force,year."),
    role: Optional[str] = typer.Option(None, help="Only reuse of this role."),
    format: str = typer.Option("table", "--format", "-f", help="Output format: table, csv, json, html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Reuse by force and year: share of responses with NCND, mean reuse, the wording each used."""
    from .report.corpus import groups_csv, groups_json, render_groups
    from .report.groups import GROUPINGS, group_rows

    if by not in GROUPINGS:
        _fail(f"--by {by!r}: group by one of {', '.join(GROUPINGS)}")
    if format not in ("table", "csv", "json", "html"):
        _fail(f"unknown format {format!r}: choose one of table, csv, json, html")
    with _open_store(db) as store:
        result = store.result()
    rows = group_rows(result, by, role)

    def render(out, console):
        if format == "html":
            from .report.html import to_html

            out.write(to_html(result))
        elif format in ("csv", "json"):
            out.write(groups_csv(rows) if format == "csv" else groups_json(rows))
        else:
            render_groups(rows, result, console, by)

    _emit(render, output)


def _compare_in(db: Path, a: str, b: str, settings: Settings):
    """Compare two documents of a corpus, each named by its id or its path."""
    from .compare import compare_documents

    with _open_store(db) as store:
        documents = store.documents()
    found = []
    for name in (a, b):
        match = [d for d in documents if d.id == name or d.path == name or d.id.startswith(name) and len(name) >= 6]
        if len(match) != 1:
            _fail(f"{db}: {'no' if not match else 'more than one'} document with id or path {name!r}")
        found.append(match[0])
    return compare_documents(found[0], found[1], settings)


def _emit(render, output: Optional[Path]) -> None:
    """Run ``render(out, console)`` against stdout or the output file."""
    if output is None:
        render(sys.stdout, Console(highlight=False))
        return
    with open(output, "w", encoding="utf-8", newline="") as fh:
        render(fh, Console(file=fh, highlight=False, width=120, force_terminal=False))


def main() -> None:
    """Entry point of the ``nccd`` command."""
    app(prog_name="nccd")
