"""Write a synthetic corpus of NCND responses with exact ground truth.

``generate(out_dir, settings)`` writes::

    out_dir/docs/000000.txt …      the responses (UTF-8)
    out_dir/labels/000000.json …   their labels, in fixtures/labels/FORMAT.md's format
    out_dir/manifest.csv           path,force,date,reference,title (path: the file name)

Every document is drawn from ``random.Random(f"{seed}/{index}")`` and a corpus
plan drawn from ``random.Random(seed)``, so the same settings give byte-identical
files whatever the number of worker processes.

``shared_with`` is written as ``[]`` in synthetic labels: which documents hold a
template is known from ``template`` alone, and listing them would make each
label file grow with the corpus.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from ..model import ROLES
from .corpus import FORCES, Plan, make_plan
from .document import Built, Options, build

_CHUNK = 500  # documents per unit of work handed to a worker


@dataclass(frozen=True)
class SynthSettings:
    """What corpus to generate.

    Parameters
    ----------
    documents:
        Number of responses, 10 .. 100_000.
    seed:
        Seed of every random draw, 0 .. 2**32 - 1.
    edit_rate:
        Probability that a copied template word is edited (substituted 50%,
        followed by an inserted word 25%, deleted 25%), 0 .. 0.9.
    reorder:
        Shuffle the public interest sections of half the NCND responses.
    clause_reuse:
        Probability that a bespoke answer sentence embeds a clause of a template, 0 .. 1.
    hard_wrap:
        Share of responses written as hard-wrapped, paginated PDF text, 0 .. 1.
    round_robin:
        Share of responses answering one of the round-robin requests, 0 .. 1.
    round_robin_pool:
        How many round-robin requests there are, 1 .. 100.
    ncnd_share:
        Share of responses that make an NCND refusal (the rest answer plainly), 0 .. 1.
    forces:
        The forces responding; each sticks mostly to one template lineage.
    years:
        First and last year of the responses' dates, inclusive.
    workers:
        Processes writing documents; does not change the output.
    """

    documents: int = 1000
    seed: int = 0
    edit_rate: float = 0.15
    reorder: bool = True
    clause_reuse: float = 0.1
    hard_wrap: float = 0.1
    round_robin: float = 0.3
    round_robin_pool: int = 6
    ncnd_share: float = 0.9
    forces: tuple[str, ...] = FORCES
    years: tuple[int, int] = (2017, 2023)
    workers: int = 1

    def __post_init__(self) -> None:
        _check_int("documents", self.documents, 10, 100_000)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        _check_float("edit_rate", self.edit_rate, 0.0, 0.9)
        if not isinstance(self.reorder, bool):
            raise TypeError(f"reorder must be a bool, got {self.reorder!r} ({type(self.reorder).__name__})")
        for name in ("clause_reuse", "hard_wrap", "round_robin", "ncnd_share"):
            _check_float(name, getattr(self, name), 0.0, 1.0)
        _check_int("round_robin_pool", self.round_robin_pool, 1, 100)
        _check_int("workers", self.workers, 1, 64)
        _check_forces(self.forces)
        _check_years(self.years)

    def options(self) -> Options:
        """The settings each document needs."""
        return Options(self.seed, self.edit_rate, self.reorder, self.clause_reuse, self.ncnd_share)


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    documents:
        Responses written.
    characters:
        Non-whitespace characters in all of them.
    reused_characters_by_role:
        Non-whitespace characters inside ``reused`` spans, per role (all five
        roles; ``request`` counts round-robin requests, ``answer`` is always 0).
    path:
        The output directory.
    hard_wrapped, round_robin:
        Responses written hard-wrapped, and answering a round-robin request.
    """

    documents: int
    characters: int
    reused_characters_by_role: dict[str, int] = field(hash=False)
    path: Path
    hard_wrapped: int = 0
    round_robin: int = 0


def generate(out_dir: str | os.PathLike[str], settings: SynthSettings | None = None) -> SynthSummary:
    """Write a synthetic corpus with its labels and manifest.

    Parameters
    ----------
    out_dir:
        Directory to write into; created if missing. Its ``docs`` and ``labels``
        folders must not already hold files.
    settings:
        What to generate; ``SynthSettings()`` when not given.

    Returns
    -------
    SynthSummary
        Counts of what was written.

    Raises
    ------
    FileExistsError
        When ``out_dir/docs`` or ``out_dir/labels`` already holds files (they
        would mix with the new corpus).
    """
    settings = settings if settings is not None else SynthSettings()
    root = Path(out_dir)
    for sub in ("docs", "labels"):
        folder = root / sub
        if folder.is_dir() and any(folder.iterdir()):
            raise FileExistsError(f"{folder} already holds files; generate into an empty directory")
        folder.mkdir(parents=True, exist_ok=True)
    ranges = [(start, min(start + _CHUNK, settings.documents)) for start in range(0, settings.documents, _CHUNK)]
    if settings.workers == 1:
        results = [_write_range(str(root), settings, start, stop) for start, stop in ranges]
    else:
        # fork shares the already-imported bank; spawn (no fork on this platform) rebuilds it.
        context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(settings.workers, mp_context=context) as pool:
            results = list(pool.map(_write_range, [str(root)] * len(ranges), [settings] * len(ranges),
                                    [r[0] for r in ranges], [r[1] for r in ranges]))
    return _finish(root, settings, results)


@lru_cache(maxsize=4)
def _plan(settings: SynthSettings) -> Plan:
    return make_plan(settings.seed, settings.documents, settings.forces, settings.years, settings.round_robin,
                     settings.hard_wrap, settings.round_robin_pool)


def _write_range(root: str, settings: SynthSettings, start: int, stop: int) -> tuple[list[list[str]], list[int]]:
    """Write documents ``start .. stop - 1``; returns their manifest rows and counts."""
    plan, options = _plan(settings), settings.options()
    docs, labels = os.path.join(root, "docs"), os.path.join(root, "labels")
    rows: list[list[str]] = []
    counts = [0] * (len(ROLES) + 3)  # characters, per-role reused characters, hard-wrapped, round-robin
    for index in range(start, stop):
        built = build(index, options, plan)
        name = f"{index:06d}"
        data = built.text.encode("utf-8")
        with open(os.path.join(docs, name + ".txt"), "wb") as handle:
            handle.write(data)
        with open(os.path.join(labels, name + ".json"), "wb") as handle:
            handle.write(_label_json(built, name + ".txt", hashlib.sha256(data).hexdigest(), counts))
        counts[0] += len("".join(built.text.split()))
        counts[-2] += built.hard_wrapped
        counts[-1] += built.round_robin
        rows.append([name + ".txt", built.force, built.date, built.reference, built.title])
    return rows, counts


def _label_json(built: Built, document: str, sha256: str, counts: list[int]) -> bytes:
    """The label file: FORMAT.md's keys in its order, one span per line; tallies reused characters."""
    head = json.dumps({"document": document, "sha256": sha256, "force": built.force, "date": built.date,
                       "year": built.year, "ncnd": built.ncnd, "exemptions": list(built.exemptions)},
                      ensure_ascii=False)
    text = built.text
    lines = []
    for start, end, role, reused, template in built.spans:
        quoted = text[start:end]
        if reused:
            counts[1 + ROLES.index(role)] += len("".join(quoted.split()))
        lines.append(json.dumps({"start": start, "end": end, "role": role, "reused": reused, "template": template,
                                 "shared_with": [], "text": quoted}, ensure_ascii=False))
    return (head[:-1] + ', "spans": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def _finish(root: Path, settings: SynthSettings, results: list[tuple[list[list[str]], list[int]]]) -> SynthSummary:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", "force", "date", "reference", "title"])
    totals = [0] * (len(ROLES) + 3)
    for rows, counts in results:
        writer.writerows(rows)
        totals = [a + b for a, b in zip(totals, counts)]
    (root / "manifest.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    by_role = {role: totals[1 + i] for i, role in enumerate(ROLES)}
    return SynthSummary(settings.documents, totals[0], by_role, root, totals[-2], totals[-1])


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if not low <= value <= high:
        raise ValueError(f"{name}={value} is outside {low}..{high}")


def _check_float(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if not low <= value <= high:
        raise ValueError(f"{name}={value} is outside {low}..{high}")


def _check_forces(forces: object) -> None:
    if not isinstance(forces, tuple) or not forces:
        raise ValueError(f"forces={forces!r} must be a non-empty tuple of force names")
    for name in forces:
        if not isinstance(name, str) or not name.strip() or name != " ".join(name.split()):
            raise ValueError(f"forces holds {name!r}: each force must be a single-spaced name on one line")
    if len(set(forces)) != len(forces):
        raise ValueError(f"forces={forces!r} names a force twice")


def _check_years(years: object) -> None:
    if (not isinstance(years, tuple) or len(years) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)):
        raise TypeError(f"years={years!r} must be a (first, last) tuple of ints")
    first, last = years
    if not 2000 <= first <= last <= 2100:
        raise ValueError(f"years={years!r} must satisfy 2000 <= first <= last <= 2100")
