"""The ``dates`` table scored against TimeML TIMEX3 gold with TempEval-3's task A measures.

- relaxed extent P/R/F1: a prediction matches a gold TIMEX3 when their spans overlap;
- strict extent P/R/F1: when the spans are equal;
- value F1: a relaxed match whose normalized value is equal (precision over all
  predictions, recall over all gold expressions, as TempEval-3 scores attributes);
- type accuracy: of the relaxed matches, those whose TimeML type (DATE, TIME, DURATION,
  SET) is equal; the type of a row comes from its ``kind``.
Matching is one to one within a document, the largest overlap first. Every row of the
``dates`` table counts, whatever its kind: TimeML marks durations, sets and times too.

The gold folder holds ``.tml`` files (searched recursively); a document is the file's stem,
which is the ``doc_id`` ``pipeline run`` gives it. Documents are also split, by a hash of
their id, into a part rules may be tuned on and a held-out part only measured on.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.readers import doc_id_for
from pipeline.ingest.timeml import Timex, parse_timeml

HELD_OUT_SHARE = 4  # one document in four is held out from tuning

KIND_TYPES = {"duration": "DURATION", "set": "SET", "time": "TIME"}


def split_of(doc_id: str) -> str:
    """'held-out' for one document in ``HELD_OUT_SHARE`` (a stable hash of the id), else 'tune'."""
    digest = hashlib.sha1(doc_id.encode("utf-8")).digest()
    return "held-out" if digest[0] % HELD_OUT_SHARE == 0 else "tune"


def row_type(row: dict) -> str:
    """The TimeML type of a ``dates`` row: DURATION, SET, TIME (a clock time) or DATE."""
    kind = row.get("kind")
    if kind in KIND_TYPES:
        return KIND_TYPES[kind]
    value = row.get("value") or ""
    return "TIME" if "T" in value[4:] and not value.startswith("P") else "DATE"


@dataclass
class Scores:
    """Counts of one group of documents."""

    n_gold: int = 0
    n_pred: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0
    docs: int = 0

    def add(self, other: Scores) -> None:
        for name in ("n_gold", "n_pred", "relaxed", "strict", "value", "type", "docs"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.n_pred if self.n_pred else 0.0
        r = hits / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def as_dict(self) -> dict:
        out: dict = {"documents": self.docs, "gold": self.n_gold, "pred": self.n_pred}
        for name in ("relaxed", "strict", "value"):
            p, r, f = self.prf(getattr(self, name))
            out[name] = {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4)}
        out["type_accuracy"] = round(self.type / self.relaxed, 4) if self.relaxed else 0.0
        return out


@dataclass
class Issue:
    """A miss, a false hit or a wrong attribute, for reading why a score is what it is."""

    doc_id: str
    kind: str  # miss | false_hit | span | value | type
    gold: str | None
    pred: str | None
    detail: str = ""


@dataclass
class TimemlReport:
    gold_dir: str
    pred_dir: str
    groups: dict[str, Scores] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)


def match(gold: list[Timex], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of overlapping spans, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p["end_char"]) - max(g.start, p["start_char"])
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def score_document(doc_id: str, gold: list[Timex], pred: list[dict], issues: list[Issue]) -> Scores:
    """Counts of one document; its misses, false hits and wrong attributes go to ``issues``."""
    s = Scores(n_gold=len(gold), n_pred=len(pred), docs=1)
    pairs = match(gold, pred)
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        s.relaxed += 1
        exact = g.start == p["start_char"] and g.end == p["end_char"]
        s.strict += exact
        value_ok = (p.get("value") or None) == (g.value or None)
        s.value += value_ok
        type_ok = row_type(p) == g.type
        s.type += type_ok
        if not exact:
            issues.append(Issue(doc_id, "span", g.text, p["text"]))
        if not value_ok:
            issues.append(Issue(doc_id, "value", g.text, p["text"], f"{g.value} != {p.get('value')}"))
        if not type_ok:
            issues.append(Issue(doc_id, "type", g.text, p["text"], f"{g.type} != {row_type(p)}"))
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            issues.append(Issue(doc_id, "miss", g.text, None, f"{g.type} {g.value}"))
    for pi, p in enumerate(pred):
        if pi not in matched_p:
            issues.append(Issue(doc_id, "false_hit", None, p["text"], f"{p.get('kind')} {p.get('value')}"))
    return s


def load_predictions(pred_dir: Path) -> dict[str, list[dict]]:
    """Rows of the ``dates`` table per doc_id."""
    from pipeline.run.tables import read_table

    rows: dict[str, list[dict]] = {}
    try:
        table = read_table(pred_dir, "dates")
    except FileNotFoundError:
        return rows
    for r in table.to_pylist():
        rows.setdefault(r["doc_id"], []).append(r)
    return rows


def _document_ids(pred_dir: Path) -> set[str]:
    """The doc_ids of the ``documents`` table (a document with no dates is no missing one)."""
    from pipeline.run.tables import read_table

    try:
        return set(read_table(pred_dir, "documents").column("doc_id").to_pylist())
    except FileNotFoundError:
        return set()


def evaluate_timeml(gold_dir: Path, pred_dir: Path) -> TimemlReport:
    """Score ``pred_dir``'s ``dates`` table against every ``.tml`` file under ``gold_dir``.

    Groups: each subfolder of the gold folder (e.g. TimeBank, AQUAINT), the tuning and
    held-out parts, and all documents."""
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    report = TimemlReport(str(gold_dir), str(pred_dir))
    preds = load_predictions(pred_dir)
    known = _document_ids(pred_dir)
    for path in sorted(gold_dir.rglob("*.tml")):
        # the pipeline names a file by its path under the folder it was given (a__x); a run
        # on the subfolder itself, or on single files, names it by its stem
        nested = doc_id_for(path, gold_dir)
        doc = parse_timeml(path.read_text(encoding="utf-8"), nested if nested in known else path.stem)
        if doc.doc_id not in known:
            report.missing_docs.append(doc.doc_id)
        scores = score_document(doc.doc_id, doc.timexes, preds.get(doc.doc_id, []), report.issues)
        folder = path.parent.relative_to(gold_dir).as_posix()
        for group in ([folder] if folder != "." else []) + [split_of(path.stem), "all"]:
            report.groups.setdefault(group, Scores()).add(scores)
    return report


def format_timeml_report(report: TimemlReport, errors: bool = False) -> str:
    """Plain-text table of the four measures per group; with errors=True every issue."""
    header = (f"{'group':<12} {'docs':>5} {'gold':>6} {'pred':>6}  {'relaxed P/R/F1':<20} "
              f"{'strict P/R/F1':<20} {'value P/R/F1':<20} {'type acc':>8}")
    lines = [f"TimeML (TempEval-3 task A): gold {report.gold_dir} vs predictions {report.pred_dir}", "", header]
    last = ["tune", "held-out", "all"]
    order = sorted(g for g in report.groups if g not in last) + [g for g in last if g in report.groups]
    for name in order:
        s = report.groups[name]
        cells = []
        for measure in ("relaxed", "strict", "value"):
            p, r, f = s.prf(getattr(s, measure))
            cells.append(f"{p:.3f} {r:.3f} {f:.3f}".ljust(20))
        acc = s.type / s.relaxed if s.relaxed else 0.0
        lines.append(f"{name:<12} {s.docs:>5} {s.n_gold:>6} {s.n_pred:>6}  {' '.join(cells)} {acc:>8.3f}")
    if report.missing_docs:
        lines += ["", f"No predictions for {len(report.missing_docs)} document(s): "
                  + ", ".join(report.missing_docs[:20])]
    if errors:
        lines += ["", "Issues (doc, kind, gold | predicted, detail):"]
        for i in report.issues:
            lines.append(f"  {i.doc_id}\t{i.kind}\t{i.gold!r} | {i.pred!r}\t{i.detail}")
    return "\n".join(lines)
