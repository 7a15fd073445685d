"""eval: how right a scan is, measured against labelled documents.

Definitions (README "Measuring quality"):
- Character-level precision, recall and F1 of template reuse, micro-averaged over
  all documents: true characters are the non-whitespace characters of labelled
  spans with ``reused: true`` and a role other than ``request``; predicted
  characters those inside predicted spans of a role other than ``request``.
- Granularity (PAN): over the true reused spans that any detection touches, the
  mean number of detections touching each; 1.0 is ideal. A detection is a run of
  predicted spans with at most ``max_gap`` words between neighbours (one stretch
  of reuse to a reader, though its parts may match different templates); the
  granularity of the spans themselves is reported too (``span_granularity``).
- plagdet (PAN) = F1 / log2(1 + granularity).
- Per role ``r``: recall over true reused characters of role ``r`` (covered by any
  prediction), precision over predicted characters of role ``r`` (truly reused,
  any role).
- Request: the share of characters labelled ``request`` that predictions count
  in ``reuse`` (should be ~0), and the share predicted with role ``request``.
- Role accuracy: the share of labelled non-whitespace characters whose predicted
  passage role equals the label.
- Documents: NCND precision and recall, exemption sets matched exactly, force and
  year right.
"""

from __future__ import annotations

from .errors import NccdError

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

from .model import ROLES

_WORD = re.compile(r"[^\W_]+")


class EvalError(NccdError):
    """Predictions or labels that cannot be read; ``str()`` names the file and the reason."""


@dataclass(frozen=True)
class SpanScores:
    """Character-level accuracy of reused spans."""

    precision: float
    recall: float
    f1: float
    granularity: float
    plagdet: float
    true_chars: int
    predicted_chars: int


@dataclass(frozen=True)
class Evaluation:
    """Everything ``nccd eval`` reports."""

    documents: int
    reuse: SpanScores
    by_role: Mapping[str, SpanScores]
    request_counted: float
    request_labelled: float
    role_accuracy: float | None
    ncnd_precision: float
    ncnd_recall: float
    exemptions_exact: float
    force_accuracy: float
    year_accuracy: float
    span_granularity: float = 1.0
    unmatched: tuple[str, ...] = field(default=())


def load_labels(directory: str | os.PathLike) -> dict[str, dict]:
    """Label files of a directory (FORMAT.md), keyed by the document's file name."""
    out: dict[str, dict] = {}
    folder = Path(directory)
    if not folder.is_dir():
        raise EvalError(str(directory), "not a directory of label files")
    for path in sorted(folder.glob("*.json")):
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
            out[Path(label["document"]).name] = label
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise EvalError(str(path), f"not a label file ({err})") from err
    if not out:
        raise EvalError(str(directory), "holds no label files (*.json)")
    return out


def load_predictions(path: str | os.PathLike) -> dict:
    """An ``nccd scan --format json`` output."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        record["documents"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise EvalError(str(path), f"not an nccd scan JSON output ({err})") from err
    return record


class _Tally:
    """Running character and document counts."""

    def __init__(self) -> None:
        self.chars: dict[str, int] = dict.fromkeys(
            ["tp", "true", "pred", "req", "req_counted", "req_labelled", "roles", "roles_ok"], 0)
        self.role_true = dict.fromkeys(ROLES, 0)
        self.role_hit = dict.fromkeys(ROLES, 0)
        self.role_pred = dict.fromkeys(ROLES, 0)
        self.role_pred_ok = dict.fromkeys(ROLES, 0)
        self.touches: list[int] = []
        self.raw_touches: list[int] = []
        self.role_touches: dict[str, list[int]] = {r: [] for r in ROLES}
        self.docs = dict.fromkeys(["n", "ncnd_tp", "ncnd_pred", "ncnd_true", "exempt", "force", "year"], 0)
        self.has_passages = True


def _mask(n: int, intervals: Iterable[tuple[int, int]]) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    for a, b in intervals:
        m[max(a, 0) : max(min(b, n), 0)] = True
    return m


def detections(text: str, spans: Iterable[dict], max_gap: int) -> list[tuple[int, int]]:
    """Predicted spans (other than ``request``) read as one detection when at most
    ``max_gap`` words lie between them: one continuous stretch of reuse to a reader,
    though its parts match different templates."""
    out: list[list[int]] = []
    for s in sorted((s for s in spans if s["role"] != "request"), key=lambda s: (s["start"], s["end"])):
        if out and len(_WORD.findall(text, out[-1][1], max(out[-1][1], s["start"]))) <= max_gap:
            out[-1][1] = max(out[-1][1], s["end"])
        else:
            out.append([s["start"], s["end"]])
    return [(a, b) for a, b in out]


def _add_document(tally: _Tally, text: str, label: dict, pred: dict, max_gap: int = 6) -> None:
    n = len(text)
    solid = np.fromiter((not c.isspace() for c in text), dtype=bool, count=n)
    spans = pred.get("spans", [])
    detections_ = detections(text, spans, max_gap)
    counted = _mask(n, ((s["start"], s["end"]) for s in spans if s["role"] != "request")) & solid
    true_reuse = _mask(n, ((t["start"], t["end"]) for t in label["spans"]
                           if t["reused"] and t["role"] != "request")) & solid
    c = tally.chars
    c["tp"] += int((counted & true_reuse).sum())
    c["true"] += int(true_reuse.sum())
    c["pred"] += int(counted.sum())
    for t in label["spans"]:
        piece = solid[t["start"] : t["end"]]
        if t["role"] == "request":
            c["req"] += int(piece.sum())
            c["req_counted"] += int((counted[t["start"] : t["end"]] & piece).sum())
        if t["reused"] and t["role"] != "request":
            tally.role_true[t["role"]] += int(piece.sum())
            tally.role_hit[t["role"]] += int((counted[t["start"] : t["end"]] & piece).sum())
            touching = sum(1 for a, b in detections_ if a < t["end"] and t["start"] < b)
            raw = sum(1 for s in spans if s["role"] != "request" and s["start"] < t["end"] and t["start"] < s["end"])
            if touching:
                tally.touches.append(touching)
                tally.raw_touches.append(raw)
                tally.role_touches[t["role"]].append(touching)
    for role in ROLES:
        mine = _mask(n, ((s["start"], s["end"]) for s in spans if s["role"] == role)) & solid
        tally.role_pred[role] += int(mine.sum())
        tally.role_pred_ok[role] += int((mine & true_reuse).sum()) if role != "request" else 0
    _add_roles(tally, solid, label, pred)


def _add_roles(tally: _Tally, solid: np.ndarray, label: dict, pred: dict) -> None:
    """Role accuracy per character, from the predicted passages."""
    passages = pred.get("passages")
    if passages is None:
        tally.has_passages = False
        return
    predicted = np.full(len(solid), "", dtype=object)
    for p in passages:
        predicted[p["start"] : p["end"]] = p["role"]
    for t in label["spans"]:
        piece = solid[t["start"] : t["end"]]
        ok = (predicted[t["start"] : t["end"]] == t["role"]) & piece
        tally.chars["roles"] += int(piece.sum())
        tally.chars["roles_ok"] += int(ok.sum())
        if t["role"] == "request":
            tally.chars["req_labelled"] += int(ok.sum())


def _add_facts(tally: _Tally, label: dict, pred: dict) -> None:
    d = tally.docs
    d["n"] += 1
    d["ncnd_true"] += bool(label.get("ncnd"))
    d["ncnd_pred"] += bool(pred.get("ncnd"))
    d["ncnd_tp"] += bool(label.get("ncnd")) and bool(pred.get("ncnd"))
    d["exempt"] += sorted(label.get("exemptions", [])) == sorted(pred.get("exemptions", []))
    d["force"] += _same(label.get("force"), pred.get("force"))
    d["year"] += label.get("year") == pred.get("year")


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _scores(p_hits: int, pred: int, r_hits: int, true: int, touches: list[int]) -> SpanScores:
    """Precision ``p_hits / pred``, recall ``r_hits / true``, and PAN's granularity and plagdet."""
    p, r = (p_hits / pred if pred else 0.0), (r_hits / true if true else 0.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    gran = sum(touches) / len(touches) if touches else 1.0
    return SpanScores(round(p, 4), round(r, 4), round(f1, 4), round(gran, 4),
                      round(f1 / math.log2(1 + gran), 4), true, pred)


def evaluate(predictions: dict, labels: Mapping[str, dict], texts: Mapping[str, str]) -> Evaluation:
    """Score a scan's JSON output against labels.

    Parameters
    ----------
    predictions:
        ``nccd scan --format json`` output, parsed.
    labels:
        Label objects (FORMAT.md) keyed by document file name.
    texts:
        The documents' texts keyed by file name (offsets index these).
    """
    tally = _Tally()
    max_gap = int(predictions.get("settings", {}).get("max_gap", 6))
    by_name = {Path(d["path"]).name: d for d in predictions["documents"]}
    unmatched = []
    for name, label in sorted(labels.items()):
        pred = by_name.get(name)
        if pred is None or name not in texts:
            unmatched.append(name)
            continue
        _add_document(tally, texts[name], label, pred, max_gap)
        _add_facts(tally, label, pred)
    return _evaluation(tally, tuple(unmatched))


def _evaluation(tally: _Tally, unmatched: tuple[str, ...]) -> Evaluation:
    c, d = tally.chars, tally.docs
    by_role = {
        r: _scores(tally.role_pred_ok[r], tally.role_pred[r], tally.role_hit[r], tally.role_true[r],
                   tally.role_touches[r])
        for r in ROLES
        if r != "request" and (tally.role_true[r] or tally.role_pred[r])
    }
    return Evaluation(
        documents=d["n"],
        reuse=_scores(c["tp"], c["pred"], c["tp"], c["true"], tally.touches),
        by_role=by_role,
        request_counted=_ratio(c["req_counted"], c["req"]),
        request_labelled=_ratio(c["req_labelled"], c["req"]),
        role_accuracy=_ratio(c["roles_ok"], c["roles"]) if tally.has_passages else None,
        ncnd_precision=_ratio(d["ncnd_tp"], d["ncnd_pred"]),
        ncnd_recall=_ratio(d["ncnd_tp"], d["ncnd_true"]),
        exemptions_exact=_ratio(d["exempt"], d["n"]),
        force_accuracy=_ratio(d["force"], d["n"]),
        year_accuracy=_ratio(d["year"], d["n"]),
        span_granularity=round(sum(tally.raw_touches) / len(tally.raw_touches), 4) if tally.raw_touches else 1.0,
        unmatched=unmatched,
    )


def evaluate_files(predictions: str | os.PathLike, labels: str | os.PathLike,
                   documents: str | os.PathLike | None = None) -> Evaluation:
    """Evaluate a scan's JSON file against a label directory.

    The documents' texts are read from the paths in the predictions (or, when
    ``documents`` is given, from that folder by file name).
    """
    from .ingest import IngestError, read_documents

    record = load_predictions(predictions)
    table = load_labels(labels)
    texts: dict[str, str] = {}
    for d in record["documents"]:
        name = Path(d["path"]).name
        path = Path(documents) / name if documents else Path(d["path"])
        if name in table:
            try:
                texts[name] = read_documents(str(path))[0].text
            except IngestError as err:
                raise EvalError(str(path), err.reason) from err
    return evaluate(record, table, texts)
