"""Score records and the per-table scorers, on plain dicts (pure): one release's gold entries
against its predicted rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from pipeline.review.matching import (
    DATE_THRESHOLD, QUOTE_THRESHOLD, SOURCE_THRESHOLD, STAT_THRESHOLD, TITLE_THRESHOLD,
    iso_date, match_items, names_equal, normalize, optional_text_equal,
    optional_token_f1_ok, org_mention_matches, orgs_equal, subject_contains, token_f1,
    value_close)

# --------------------------------------------------------------------------------------
# Report data
# --------------------------------------------------------------------------------------

@dataclass
class Counts:
    """Matched (tp), gold and predicted counts; P/R/F1 are None when undefined."""
    tp: int = 0
    n_gold: int = 0
    n_pred: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        total = self.n_gold + self.n_pred
        return 2 * self.tp / total if total else None

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred


@dataclass
class Accuracy:
    """Correct out of total (matched pairs or documents); None when total is 0."""
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def tally(self, ok: bool) -> bool:
        self.total += 1
        self.correct += int(ok)
        return ok

    def add(self, other: "Accuracy") -> None:
        self.correct += other.correct
        self.total += other.total


@dataclass
class Issue:
    """One miss, false hit, or wrong field on a matched pair, for reading the errors."""
    table: str
    kind: str  # "miss" | "false_hit" | "mismatch"
    doc_id: str
    text: str | None
    field: str | None = None
    gold: Any = None
    pred: Any = None
    pred_text: str | None = None
    start_char: int | None = None


@dataclass
class TableScore:
    """P/R/F1 counts and accuracies of one table, plus the issues behind them."""
    counts: dict[str, Counts] = field(default_factory=dict)
    accuracies: dict[str, Accuracy] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def merge(self, other: "TableScore") -> None:
        for k, c in other.counts.items():
            self.counts.setdefault(k, Counts()).add(c)
        for k, a in other.accuracies.items():
            self.accuracies.setdefault(k, Accuracy()).add(a)
        self.issues.extend(other.issues)


@dataclass
class GoldError:
    """A gold file that breaks the format: file name, offending key, what is wrong."""
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


@dataclass
class Report:
    gold_dir: str
    pred_dir: str
    doc_ids: list[str] = field(default_factory=list)
    tables: dict[str, TableScore] = field(default_factory=dict)
    gold_errors: list[GoldError] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class EvaluationError(ValueError):
    """The gold or prediction folder cannot be read at all."""


TABLE_LABELS = {
    "quotes_direct_partial": "quotes (direct+partial)",
    "quotes_indirect": "quotes (indirect)",
    "quotes_all": "quotes (all kinds)",
    "speakers": "speakers",
    "organizations": "organizations",
    "dates": "dates",
    "statistics": "statistics",
    "documents": "documents",
}


# --------------------------------------------------------------------------------------
# Per-table scorers on plain dicts (pure)
# --------------------------------------------------------------------------------------

def _misses_and_false_hits(table: str, doc_id: str, gold: Sequence[dict], pred: Sequence[dict],
                           pairs: Sequence[tuple[int, int, float]], text_key: str = "text") -> list[Issue]:
    matched_g = {g for g, _, _ in pairs}
    matched_p = {p for _, p, _ in pairs}
    issues = [Issue(table, "miss", doc_id, g.get(text_key)) for i, g in enumerate(gold) if i not in matched_g]
    issues += [Issue(table, "false_hit", doc_id, p.get(text_key), start_char=p.get("start_char"))
               for i, p in enumerate(pred) if i not in matched_p]
    return issues


def score_quote_group(table: str, doc_id: str, gold: Sequence[dict], pred: Sequence[dict],
                      honorifics: Iterable[str] = ()) -> TableScore:
    """Span P/R/F1 (token F1 ≥ 0.8), attribution accuracy on matched pairs, and
    end-to-end P/R/F1 (span matched and speaker right) for one group of quotes.
    Gold items: text, speaker; predictions: text, speaker (resolved name),
    speaker_honorific, start_char. `honorifics`: extra forms for gold names (the
    release's gold speaker honorifics)."""
    honorifics = tuple(honorifics)
    pairs = match_items(gold, pred, lambda g, p: token_f1(g["text"], p["text"]), QUOTE_THRESHOLD)
    span = Counts(len(pairs), len(gold), len(pred))
    attribution = Accuracy()
    issues = _misses_and_false_hits(table, doc_id, gold, pred, pairs)
    for gi, pi, _ in pairs:
        g, p = gold[gi], pred[pi]
        if not attribution.tally(names_equal(g.get("speaker"), p.get("speaker"),
                                             honorifics, (p.get("speaker_honorific"),))):
            issues.append(Issue(table, "mismatch", doc_id, g["text"], "speaker",
                                g.get("speaker"), p.get("speaker"), p["text"], p.get("start_char")))
    e2e = Counts(attribution.correct, len(gold), len(pred))
    return TableScore({"span": span, "end_to_end": e2e}, {"attribution": attribution}, issues)


def split_quotes(items: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """(direct+partial, indirect): anything not `indirect` joins the first group."""
    direct, indirect = [], []
    for q in items:
        (indirect if q.get("kind") == "indirect" else direct).append(q)
    return direct, indirect


def score_quotes(doc_id: str, gold: Sequence[dict], pred: Sequence[dict],
                 honorifics: Iterable[str] = ()) -> dict[str, TableScore]:
    """Direct+partial and indirect quotes matched and scored apart."""
    gd, gi = split_quotes(gold)
    pd_, pi = split_quotes(pred)
    return {
        "quotes_direct_partial": score_quote_group("quotes_direct_partial", doc_id, gd, pd_, honorifics),
        "quotes_indirect": score_quote_group("quotes_indirect", doc_id, gi, pi, honorifics),
    }


def _gold_acronym_for(org: str | None, gold_orgs: Sequence[dict]) -> str | None:
    """The release's gold acronym for an organization written by name or acronym."""
    if org is None:
        return None
    n = normalize(org)
    for o in gold_orgs:
        if n and (n == normalize(o.get("name")) or n == normalize(o.get("acronym"))):
            return o.get("acronym")
    return None


def score_speakers(doc_id: str, gold: Sequence[dict], pred: Sequence[dict],
                   gold_orgs: Sequence[dict] = ()) -> TableScore:
    """Speakers match by equal names without honorifics; title accuracy (token F1 ≥
    0.5) and organization accuracy (long name or acronym) on matched pairs.
    Predictions: name, honorific, title, org_name, org_acronym."""
    def score(g: dict, p: dict) -> float:
        return 1.0 if names_equal(g["name"], p.get("name"), (g.get("honorific"),), (p.get("honorific"),)) else 0.0

    pairs = match_items(gold, pred, score, 1.0)
    title, org = Accuracy(), Accuracy()
    issues = _misses_and_false_hits("speakers", doc_id, gold, pred, pairs, "name")
    for gi, pi, _ in pairs:
        g, p = gold[gi], pred[pi]
        if not title.tally(optional_token_f1_ok(g.get("title"), p.get("title"), TITLE_THRESHOLD)):
            issues.append(Issue("speakers", "mismatch", doc_id, g["name"], "title", g.get("title"), p.get("title"), p.get("name")))
        g_org = g.get("organization")
        ok = org_mention_matches(g_org, _gold_acronym_for(g_org, gold_orgs), p.get("org_name"), p.get("org_acronym"))
        if not org.tally(ok):
            shown = p.get("org_name") if p.get("org_acronym") is None else f"{p.get('org_name')} ({p.get('org_acronym')})"
            issues.append(Issue("speakers", "mismatch", doc_id, g["name"], "organization", g_org, shown, p.get("name")))
    return TableScore({"speakers": Counts(len(pairs), len(gold), len(pred))},
                      {"title": title, "organization": org}, issues)


def score_organizations(doc_id: str, gold: Sequence[dict], pred: Sequence[dict]) -> TableScore:
    """Organizations match by equal names or equal non-null acronyms; a pair equal on
    both is preferred, then name-only, then acronym-only."""
    def score(g: dict, p: dict) -> float:
        names = {normalize(n) for n in [p.get("name"), *p.get("release_names", ())]}
        name_eq = bool(normalize(g["name"])) and normalize(g["name"]) in names
        acr_eq = orgs_equal(None, g.get("acronym"), None, p.get("acronym"))
        return 1.0 if name_eq and acr_eq else 0.75 if name_eq else 0.5 if acr_eq else 0.0

    pairs = match_items(gold, pred, score, 0.5)
    pred_shown = [{**p, "text": p.get("name") or p.get("acronym") or p.get("org_id")} for p in pred]
    gold_shown = [{**g, "text": g["name"] if not g.get("acronym") else f"{g['name']} ({g['acronym']})"} for g in gold]
    issues = _misses_and_false_hits("organizations", doc_id, gold_shown, pred_shown, pairs)
    return TableScore({"organizations": Counts(len(pairs), len(gold), len(pred))}, {}, issues)


def score_dates(doc_id: str, gold: Sequence[dict], pred: Sequence[dict]) -> TableScore:
    """Extent P/R/F1 (token F1 ≥ 0.5), value accuracy on matched, value P/R/F1.
    Predictions must already be filtered to kinds absolute/relative."""
    pairs = match_items(gold, pred, lambda g, p: token_f1(g["text"], p.get("text")), DATE_THRESHOLD)
    value = Accuracy()
    issues = _misses_and_false_hits("dates", doc_id, gold, pred, pairs)
    for gi, pi, _ in pairs:
        g, p = gold[gi], pred[pi]
        if not value.tally(optional_text_equal(g.get("value"), p.get("value"))):
            issues.append(Issue("dates", "mismatch", doc_id, g["text"], "value", g.get("value"),
                                p.get("value"), p.get("text"), p.get("start_char")))
    return TableScore({"extent": Counts(len(pairs), len(gold), len(pred)),
                       "value": Counts(value.correct, len(gold), len(pred))},
                      {"value": value}, issues)


def score_statistics(doc_id: str, gold: Sequence[dict], pred: Sequence[dict]) -> TableScore:
    """Extent P/R/F1 (token F1 ≥ 0.5); value P/R/F1 (value within 0.5 % and unit
    equal); qualifier, subject and source accuracy on matched pairs."""
    pairs = match_items(gold, pred, lambda g, p: token_f1(g["text"], p.get("text")), STAT_THRESHOLD)
    value_acc, qualifier, subject, source = Accuracy(), Accuracy(), Accuracy(), Accuracy()
    issues = _misses_and_false_hits("statistics", doc_id, gold, pred, pairs)
    for gi, pi, _ in pairs:
        g, p = gold[gi], pred[pi]

        def note(name: str, gv: Any, pv: Any) -> None:
            issues.append(Issue("statistics", "mismatch", doc_id, g["text"], name, gv, pv,
                                p.get("text"), p.get("start_char")))

        ok_value = value_close(g.get("value"), p.get("value"))
        ok_unit = optional_text_equal(g.get("unit"), p.get("unit"))
        if not value_acc.tally(ok_value and ok_unit):
            if not ok_value:
                note("value", g.get("value"), p.get("value"))
            if not ok_unit:
                note("unit", g.get("unit"), p.get("unit"))
        if not qualifier.tally(optional_text_equal(g.get("qualifier"), p.get("qualifier"))):
            note("qualifier", g.get("qualifier"), p.get("qualifier"))
        if not subject.tally(subject_contains(g.get("subject"), p.get("subject"))):
            note("subject", g.get("subject"), p.get("subject"))
        if not source.tally(optional_token_f1_ok(g.get("source"), p.get("source"), SOURCE_THRESHOLD)):
            note("source", g.get("source"), p.get("source"))
    return TableScore({"extent": Counts(len(pairs), len(gold), len(pred)),
                       "value": Counts(value_acc.correct, len(gold), len(pred))},
                      {"value_unit": value_acc, "qualifier": qualifier, "subject": subject, "source": source},
                      issues)


DOCUMENT_FIELDS = ("title", "dateline", "published", "reference_date")


def score_document(doc_id: str, gold: dict, pred: dict | None) -> TableScore:
    """Title, dateline, published and reference_date accuracy for one release; a
    missing prediction gets every field wrong."""
    accs = {f: Accuracy() for f in DOCUMENT_FIELDS}
    issues: list[Issue] = []
    for f in DOCUMENT_FIELDS:
        g = gold.get(f)
        if pred is None:
            accs[f].tally(False)
            continue
        if f in ("published", "reference_date"):
            p = iso_date(pred.get(f))
            ok = (g is None and p is None) or (g is not None and p is not None and str(g).strip() == p)
        else:
            p = pred.get(f)
            ok = optional_text_equal(g, p)
        if not accs[f].tally(ok):
            issues.append(Issue("documents", "mismatch", doc_id, gold.get("title"), f, g, p))
    if pred is None:
        issues.append(Issue("documents", "miss", doc_id, gold.get("title"), None))
    return TableScore({}, accs, issues)
