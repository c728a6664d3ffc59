"""Score the pipeline's Parquet outputs against gold JSON files (docs/gold.md, "Scoring").

The gold format and the scoring rules are a public interface: gold sets written by
other people must score the same here as anywhere else, so every rule below follows
the spec literally, and each choice the spec leaves open is stated where it is made.

Layout, in the spirit of scispaCy's abbreviation.py: pure helpers first
(normalization, token F1, one-to-one matching, name and organization equality), then
per-table scorers on plain dicts, then the I/O (gold validation, Parquet reading) and
the report (`evaluate`, `format_report`, `report_to_json`).

Decisions where the spec is silent (also listed in `SCORING_NOTES`):
- Scores at a threshold match (0.8 exactly matches, ≥ compares with a 1e-9 slack so
  that e.g. 4 of 5 tokens, F1 = 0.8, is never lost to floating point).
- Greedy ties are broken by gold order, then prediction order (document position).
- A predicted quote whose kind is not `indirect` (direct, partial, null, other) is
  scored in the direct+partial group.
- Statistics `subject`: every normalized token of the gold subject must occur in the
  predicted subject (as a multiset, any order), so a multi-word gold subject such as
  `victims of trafficking` needs all three words; a null gold subject is right only
  when the prediction is null too.
- Statistics `source` and speaker `title`: right when both are null, or token F1 ≥ 0.5.
- Statistics value: |pred − gold| ≤ 0.5 % of |gold| (exact when gold is 0), and
  normalized units equal (null == null).
- Documents `title` and `dateline`: normalized strings equal; `published` and
  `reference_date`: ISO strings equal; null == null throughout.
- A gold release missing from `documents` is flagged; its four document fields count
  as wrong and any rows it has in other tables are still scored (normally none, so
  every gold entry is a miss).
- Predicted releases without a gold file are not scored (counted in a warning).
- A predicted organization of a release is named by its corpus-canonical name and, when
  `organization_mentions` has the optional `name` column, by the long forms that release
  writes; a gold name equal to either matches.
"""

from pathlib import Path
from typing import Any, Sequence

from pipeline.review.gold import load_gold_dir
from pipeline.review.matching import SCORING_NOTES, normalize
from pipeline.review.predictions import Predictions, load_predictions
from pipeline.review.scores import (DOCUMENT_FIELDS, TABLE_LABELS, Accuracy, Counts, EvaluationError,
                                    Issue, Report, TableScore, score_dates, score_document,
                                    score_organizations, score_quotes, score_speakers,
                                    score_statistics)

# --------------------------------------------------------------------------------------
# Evaluation and report
# --------------------------------------------------------------------------------------

def score_release(gold: dict, preds: Predictions) -> dict[str, TableScore]:
    """Every table's score for one gold release against the predictions."""
    doc_id = gold["doc_id"]
    honorifics = tuple(s["honorific"] for s in gold["speakers"] if s.get("honorific"))
    scores = score_quotes(doc_id, gold["quotes"], preds.quotes.get(doc_id, []), honorifics)
    scores["speakers"] = score_speakers(doc_id, gold["speakers"], preds.speakers.get(doc_id, []),
                                        gold["organizations"])
    scores["organizations"] = score_organizations(doc_id, gold["organizations"], preds.organizations.get(doc_id, []))
    scores["dates"] = score_dates(doc_id, gold["dates"], preds.dates.get(doc_id, []))
    scores["statistics"] = score_statistics(doc_id, gold["statistics"], preds.statistics.get(doc_id, []))
    scores["documents"] = score_document(doc_id, gold, preds.documents.get(doc_id))
    return scores


def _empty_tables() -> dict[str, TableScore]:
    tables = {name: TableScore() for name in TABLE_LABELS}
    for name in ("quotes_direct_partial", "quotes_indirect", "quotes_all"):
        tables[name].counts = {"span": Counts(), "end_to_end": Counts()}
        tables[name].accuracies = {"attribution": Accuracy()}
    tables["speakers"].counts = {"speakers": Counts()}
    tables["speakers"].accuracies = {"title": Accuracy(), "organization": Accuracy()}
    tables["organizations"].counts = {"organizations": Counts()}
    tables["dates"].counts = {"extent": Counts(), "value": Counts()}
    tables["dates"].accuracies = {"value": Accuracy()}
    tables["statistics"].counts = {"extent": Counts(), "value": Counts()}
    tables["statistics"].accuracies = {k: Accuracy() for k in ("value_unit", "qualifier", "subject", "source")}
    tables["documents"].accuracies = {f: Accuracy() for f in DOCUMENT_FIELDS}
    return tables


def evaluate(gold_dir: Path, pred_dir: Path, preds: Predictions | None = None,
             warn_unscored: bool = True) -> Report:
    """Score an outputs folder against a gold folder, micro-averaged over releases.

    Bad gold files are skipped and listed (file + key); gold releases without
    predictions count as all misses and are listed. Raises EvaluationError only when
    a folder does not exist. ``preds``: the folder's predictions when already read (several
    gold sets against one folder); ``warn_unscored``: warn about predicted releases this
    gold folder does not have.
    """
    golds, gold_errors, skipped, warnings = load_gold_dir(Path(gold_dir))
    preds = preds if preds is not None else load_predictions(Path(pred_dir))
    report = Report(str(gold_dir), str(pred_dir), gold_errors=gold_errors, skipped_files=skipped,
                    warnings=warnings + preds.warnings, tables=_empty_tables())
    for gold in golds:
        doc_id = gold["doc_id"]
        report.doc_ids.append(doc_id)
        if doc_id not in preds.documents:
            report.missing_docs.append(doc_id)
        for name, score in score_release(gold, preds).items():
            report.tables[name].merge(score)
            if name.startswith("quotes_"):
                report.tables["quotes_all"].merge(TableScore(score.counts, score.accuracies))
    unscored = sorted(preds.doc_ids() - set(report.doc_ids))
    if unscored and warn_unscored:
        report.warnings.append(f"{len(unscored)} predicted release(s) have no gold file and were not scored")
    if not golds:
        report.warnings.append(f"no valid gold file in {gold_dir}")
    return report


def check_overlap(report: Report) -> None:
    """A score over nothing is a usage mistake, not a zero: raise ``EvaluationError`` naming
    both folders when there is no valid gold file or no gold release was predicted."""
    if not report.doc_ids:
        raise EvaluationError(f"no valid gold file in {report.gold_dir} (expected <doc_id>.json "
                              f"files in the gold format); nothing to score against {report.pred_dir}")
    if len(report.missing_docs) == len(report.doc_ids):
        raise EvaluationError(f"no release in common: none of the {len(report.doc_ids)} gold "
                              f"release(s) of {report.gold_dir} is in {report.pred_dir}/documents "
                              f"(run the pipeline on those releases first)")


def combine(reports: Sequence[Report], label: str = "all sets") -> Report:
    """One micro-averaged report over several gold sets scored against the same outputs."""
    out = Report(label, reports[0].pred_dir if reports else "", tables=_empty_tables())
    for r in reports:
        out.doc_ids += r.doc_ids
        out.gold_errors += r.gold_errors
        out.skipped_files += r.skipped_files
        out.missing_docs += r.missing_docs
        for name, table in r.tables.items():
            out.tables[name].merge(table)
    return out


def evaluate_sets(gold_dirs: Sequence[Path], pred_dir: Path) -> list[Report]:
    """One report per gold folder and, for more than one, a last report over all of them.

    Each folder is a gold set (the seeds, a dev set …); the predictions hold every set's
    releases. Predicted releases outside a set are not warned about per set, only when no
    set has them."""
    preds = load_predictions(Path(pred_dir))  # read once for every set
    several = len(gold_dirs) > 1
    reports = [evaluate(Path(g), Path(pred_dir), preds, warn_unscored=not several) for g in gold_dirs]
    for r in reports:
        check_overlap(r)
    if not several:
        return reports
    total = combine(reports)
    unscored = sorted(preds.doc_ids() - {d for r in reports for d in r.doc_ids})
    if unscored:
        total.warnings.append(f"{len(unscored)} predicted release(s) have no gold file in any set "
                              f"and were not scored")
    return [*reports, total]


def _fmt(x: float | None) -> str:
    return "   –  " if x is None else f"{x:6.3f}"


def _short(value: Any, width: int = 0) -> str:
    s = "null" if value is None else repr(value) if not isinstance(value, str) else f"“{value}”"
    return s if not width or len(s) <= width else s[: width - 1] + "…"


def format_issue(issue: Issue) -> str:
    """One readable line per miss, false hit or mismatch."""
    label = TABLE_LABELS.get(issue.table, issue.table)
    if issue.kind == "miss":
        return f"MISS      {label} [{issue.doc_id}] {_short(issue.text)}"
    if issue.kind == "false_hit":
        at = f" @{issue.start_char}" if issue.start_char is not None else ""
        return f"FALSE HIT {label} [{issue.doc_id}]{at} {_short(issue.text)}"
    pred_text = ""
    if issue.pred_text is not None and normalize(issue.pred_text) != normalize(issue.text):
        pred_text = f" (pred span {_short(issue.pred_text)})"
    return (f"WRONG     {label} [{issue.doc_id}] {_short(issue.text)}{pred_text}: {issue.field} "
            f"gold {_short(issue.gold)} ≠ pred {_short(issue.pred)}")


def format_report(report: Report, errors: bool = False) -> str:
    """Plain-text report: P/R/F1 per table, accuracies, gold-file problems, missing
    releases and warnings; with errors=True also every miss, false hit and mismatch."""
    lines = [f"Evaluated {len(report.doc_ids)} release(s): gold {report.gold_dir} vs predictions {report.pred_dir}", ""]
    lines.append(f"{'table':<25} {'metric':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6} {'match':>6}")
    for name, table in report.tables.items():
        for metric, c in table.counts.items():
            lines.append(f"{TABLE_LABELS[name]:<25} {metric:<14} {_fmt(c.precision)} {_fmt(c.recall)} "
                         f"{_fmt(c.f1)} {c.n_gold:>6} {c.n_pred:>6} {c.tp:>6}")
    lines += ["", f"{'table':<25} {'accuracy':<14} {'acc':>6} {'right':>6} {'of':>6}"]
    for name, table in report.tables.items():
        for metric, a in table.accuracies.items():
            lines.append(f"{TABLE_LABELS[name]:<25} {metric:<14} {_fmt(a.accuracy)} {a.correct:>6} {a.total:>6}")
    if report.gold_errors:
        lines += ["", f"Gold files skipped for format errors ({len(report.skipped_files)}): "
                  + ", ".join(report.skipped_files)]
        lines += [f"  {e}" for e in report.gold_errors]
    if report.missing_docs:
        lines += ["", "Releases with no predictions (not in documents; counted as all misses): "
                  + ", ".join(report.missing_docs)]
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in report.warnings]
    if errors:
        issues = [i for name, t in report.tables.items() if name != "quotes_all" for i in t.issues]
        lines += ["", f"Errors ({len(issues)}):"] + [f"  {format_issue(i)}" for i in issues]
    return "\n".join(lines)


def report_to_json(report: Report) -> dict:
    """The whole report as JSON-ready data, every miss, false hit and mismatch included."""
    def counts(c: Counts) -> dict:
        return {"tp": c.tp, "n_gold": c.n_gold, "n_pred": c.n_pred,
                "precision": c.precision, "recall": c.recall, "f1": c.f1}

    def acc(a: Accuracy) -> dict:
        return {"correct": a.correct, "total": a.total, "accuracy": a.accuracy}

    def issue(i: Issue) -> dict:
        return {"table": i.table, "kind": i.kind, "doc_id": i.doc_id, "text": i.text, "field": i.field,
                "gold": i.gold, "pred": i.pred, "pred_text": i.pred_text, "start_char": i.start_char}

    return {
        "gold_dir": report.gold_dir,
        "pred_dir": report.pred_dir,
        "n_docs": len(report.doc_ids),
        "doc_ids": list(report.doc_ids),
        "tables": {name: {"label": TABLE_LABELS[name],
                          "counts": {k: counts(c) for k, c in t.counts.items()},
                          "accuracies": {k: acc(a) for k, a in t.accuracies.items()},
                          "issues": [issue(i) for i in t.issues] if name != "quotes_all" else []}
                   for name, t in report.tables.items()},
        "gold_errors": [{"file": e.file, "key": e.key, "message": e.message} for e in report.gold_errors],
        "skipped_files": list(report.skipped_files),
        "missing_docs": list(report.missing_docs),
        "warnings": list(report.warnings),
        "scoring_notes": list(SCORING_NOTES),
    }
