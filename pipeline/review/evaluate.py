"""Score the pipeline's Parquet outputs against gold JSON files (shared/spec/gold.md, "Scoring").

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
from __future__ import annotations

import datetime as _dt
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pyarrow.parquet as pq

DATA_DIR = Path(__file__).resolve().parent
HONORIFICS_FILE = DATA_DIR / "honorifics_eval.json"

QUOTE_THRESHOLD = 0.8
DATE_THRESHOLD = 0.5
STAT_THRESHOLD = 0.5
TITLE_THRESHOLD = 0.5
SOURCE_THRESHOLD = 0.5
VALUE_TOLERANCE = 0.005  # relative, 0.5 %
EPS = 1e-9

QUOTE_KINDS = ("direct", "partial", "indirect")
DATE_KINDS = ("absolute", "relative")

SCORING_NOTES = [
    "thresholds are inclusive (score >= t, 1e-9 slack for floating point)",
    "greedy one-to-one matching; ties broken by gold order, then prediction position",
    "predicted quotes of any kind other than 'indirect' are scored with direct+partial",
    "statistics subject: all normalized tokens of the gold subject must occur in the predicted subject (multiset, any order); null gold subject needs null prediction",
    "statistics source and speaker title: both null, or token F1 >= 0.5",
    "statistics value: within 0.5% of gold (exact if gold is 0) and normalized unit equal",
    "documents title/dateline: normalized equality; published/reference_date: ISO string equality; null == null",
    "a gold release absent from documents counts its document fields wrong; its rows in other tables are still scored",
    "organizations: a gold name matches the canonical name or a long form the release itself writes (optional organization_mentions.name)",
]

# --------------------------------------------------------------------------------------
# Normalization and token F1 (pure)
# --------------------------------------------------------------------------------------

# NFKC leaves typographic quotes alone; the spec maps them to straight ones.
_QUOTE_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def _is_edge_junk(ch: str) -> bool:
    """Punctuation (any Unicode P* category) or whitespace: what normalization trims."""
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def _strip_edges(s: str) -> str:
    """Trim leading and trailing punctuation and whitespace."""
    start, end = 0, len(s)
    while start < end and _is_edge_junk(s[start]):
        start += 1
    while end > start and _is_edge_junk(s[end - 1]):
        end -= 1
    return s[start:end]


def normalize(text: str | None) -> str:
    """Spec normalization: NFKC, straight quotes, casefold, collapsed whitespace,
    edge punctuation and one leading `the ` removed. Trims again after dropping
    `the ` so that `The "X"` and `X` normalize alike. None gives ''."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_QUOTE_MAP).casefold()
    s = _WS.sub(" ", s)
    s = _strip_edges(s)
    if s.startswith("the "):
        s = _strip_edges(s[4:])
    return s


def tokens(text: str | None) -> list[str]:
    """Scoring tokens: runs of word characters of the normalized text."""
    return _TOKEN.findall(normalize(text))


def token_f1(a: str | None, b: str | None) -> float:
    """F1 of the token multisets of two strings (symmetric). Two strings without
    tokens score 1.0 only if their normalized forms are equal."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 1.0 if not ta and not tb and normalize(a) == normalize(b) else 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    return 2.0 * common / (len(ta) + len(tb))


def reaches(score: float, threshold: float) -> bool:
    """Inclusive threshold test with a tiny slack for floating point."""
    return score >= threshold - EPS


# --------------------------------------------------------------------------------------
# One-to-one greedy matching (pure)
# --------------------------------------------------------------------------------------

def match_pairs(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching on a gold × prediction score matrix.

    All pairs at or above the threshold are taken best score first; ties go to the
    earlier gold entry, then the earlier prediction, so the result is deterministic.
    Returns (gold_index, pred_index, score) sorted by gold_index.
    """
    candidates = [
        (-s, gi, pi)
        for gi, row in enumerate(scores)
        for pi, s in enumerate(row)
        if reaches(s, threshold)
    ]
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for neg, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, -neg))
    return sorted(pairs)


def match_items(gold: Sequence[Any], pred: Sequence[Any],
                score: Callable[[Any, Any], float], threshold: float) -> list[tuple[int, int, float]]:
    """`match_pairs` on the matrix of `score(gold_item, pred_item)`."""
    return match_pairs([[score(g, p) for p in pred] for g in gold], threshold)


# --------------------------------------------------------------------------------------
# Names, organizations, values (pure)
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def load_honorifics() -> tuple[str, ...]:
    """The scorer's honorific list (pipeline/review/honorifics_eval.json), loaded once."""
    data = json.loads(HONORIFICS_FILE.read_text(encoding="utf-8"))
    return tuple(data["honorifics"])


def _honorific_pattern(form: str) -> str:
    """Regex for one normalized honorific: internal dots keep their place (`h.e.`
    must be dotted, so the name `He` is safe), a final dot is optional."""
    words = []
    for word in normalize(form).split(" "):
        core = word.rstrip(".")
        if not core:
            continue
        parts = [re.escape(p) for p in core.split(".")]
        words.append(r"\.\s*".join(parts) + r"\.?")
    return r"\s+".join(words)


@lru_cache(maxsize=256)
def _honorific_regex(extra: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = {f for f in (*load_honorifics(), *extra) if f and normalize(f)}
    patterns = sorted({_honorific_pattern(f) for f in forms}, key=lambda p: (-len(p), p))
    patterns = [p for p in patterns if p]
    if not patterns:
        return None
    return re.compile(r"^(?:" + "|".join(patterns) + r")(?:\s+|$)")


def strip_honorifics(name: str | None, extra: Iterable[str | None] = ()) -> str:
    """Normalized name without leading honorifics (`Dr. Amara N’dour` → `amara n'dour`).

    `extra` adds forms such as the record's own `honorific` field. A name that is
    nothing but an honorific keeps it, so it never collapses to ''.
    """
    s = normalize(name)
    regex = _honorific_regex(tuple(sorted({e for e in extra if e})))
    if regex is None:
        return s
    while True:
        m = regex.match(s)
        if not m:
            return s
        rest = normalize(s[m.end():])
        if not rest or rest == s:
            return s
        s = rest


def names_equal(a: str | None, b: str | None,
                extra_a: Iterable[str | None] = (), extra_b: Iterable[str | None] = ()) -> bool:
    """Person names equal after normalization and honorific removal; null == null.
    Each side may add its own honorific forms, so one side's data never loosens the
    other's name."""
    if a is None or b is None:
        return a is None and b is None
    return strip_honorifics(a, extra_a) == strip_honorifics(b, extra_b)


def orgs_equal(gold_name: str | None, gold_acronym: str | None,
               pred_name: str | None, pred_acronym: str | None) -> bool:
    """Organizations match when normalized names are equal, or acronyms are equal and
    non-null (spec, organizations row)."""
    gn, pn = normalize(gold_name), normalize(pred_name)
    if gn and gn == pn:
        return True
    ga, pa = normalize(gold_acronym), normalize(pred_acronym)
    return bool(ga) and ga == pa


def org_mention_matches(gold_org: str | None, gold_acronym: str | None,
                        pred_name: str | None, pred_acronym: str | None) -> bool:
    """A speaker's organization (a single string in gold) matches by long name or
    acronym: the gold string equals the predicted name or acronym, or the gold
    release's acronym for it equals the predicted acronym. Null == null."""
    if gold_org is None:
        return pred_name is None and pred_acronym is None
    g = normalize(gold_org)
    if g and g in {normalize(pred_name), normalize(pred_acronym)}:
        return True
    return orgs_equal(gold_org, gold_acronym, pred_name, pred_acronym)


def optional_text_equal(a: Any, b: Any) -> bool:
    """Normalized string equality where null equals only null."""
    if a is None or b is None:
        return a is None and b is None
    return normalize(str(a)) == normalize(str(b))


def optional_token_f1_ok(gold: str | None, pred: str | None, threshold: float) -> bool:
    """Both null, or both given with token F1 at or above the threshold."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return reaches(token_f1(gold, pred), threshold)


def value_close(gold: float | None, pred: float | None, tolerance: float = VALUE_TOLERANCE) -> bool:
    """Relative tolerance (0.5 % of the gold value; exact when gold is 0); null == null."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if gold == 0:
        return abs(pred) <= EPS
    return abs(pred - gold) <= tolerance * abs(gold) + EPS


def subject_contains(gold: str | None, pred: str | None) -> bool:
    """Gold subject's normalized tokens all occur in the predicted subject (multiset,
    any order). Null gold needs a null (or token-less) prediction."""
    gt = tokens(gold)
    pt = tokens(pred)
    if not gt:
        return not pt
    return not (Counter(gt) - Counter(pt))


def iso_date(value: Any) -> str | None:
    """ISO string of a date-like value (date32 → date, timestamps → their date)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date().isoformat()
    return str(value).strip() or None


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


# --------------------------------------------------------------------------------------
# Gold files: loading and validation
# --------------------------------------------------------------------------------------

_STR, _OPT_STR, _OPT_NUM, _LIST = "string", "string or null", "number or null", "list"
GOLD_TOP = {
    "doc_id": _STR, "title": _OPT_STR, "dateline": _OPT_STR, "published": _OPT_STR,
    "reference_date": _OPT_STR, "quotes": _LIST, "speakers": _LIST,
    "organizations": _LIST, "dates": _LIST, "statistics": _LIST,
}
GOLD_ITEMS = {
    "quotes": {"text": _STR, "speaker": _OPT_STR, "kind": _STR},
    "speakers": {"name": _STR, "honorific": _OPT_STR, "title": _OPT_STR, "organization": _OPT_STR},
    "organizations": {"name": _STR, "acronym": _OPT_STR},
    "dates": {"text": _STR, "value": _OPT_STR},
    "statistics": {"text": _STR, "value": _OPT_NUM, "unit": _OPT_STR, "qualifier": _OPT_STR,
                   "subject": _OPT_STR, "source": _OPT_STR},
}


def _type_ok(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _OPT_STR:
        return value is None or isinstance(value, str)
    if expected == _OPT_NUM:
        return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                 and math.isfinite(value))
    if expected == _LIST:
        return isinstance(value, list)
    raise AssertionError(expected)


def _type_name(value: Any) -> str:
    return "null" if value is None else {dict: "object", list: "list", str: "string", bool: "boolean",
                                         int: "number", float: "number"}.get(type(value), type(value).__name__)


def validate_gold(data: Any, file: str) -> list[GoldError]:
    """Every format error of one parsed gold file, each naming the offending key
    (`quotes[2].kind`). Extra keys are allowed; missing or mistyped ones are not."""
    if not isinstance(data, dict):
        return [GoldError(file, "<root>", f"expected a JSON object, got {_type_name(data)}")]
    errors: list[GoldError] = []
    for key, expected in GOLD_TOP.items():
        if key not in data:
            errors.append(GoldError(file, key, "missing required key"))
        elif not _type_ok(data[key], expected):
            errors.append(GoldError(file, key, f"expected {expected}, got {_type_name(data[key])}"))
    for table, spec in GOLD_ITEMS.items():
        items = data.get(table)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            where = f"{table}[{i}]"
            if not isinstance(item, dict):
                errors.append(GoldError(file, where, f"expected an object, got {_type_name(item)}"))
                continue
            for key, expected in spec.items():
                if key not in item:
                    errors.append(GoldError(file, f"{where}.{key}", "missing required key"))
                elif not _type_ok(item[key], expected):
                    errors.append(GoldError(file, f"{where}.{key}", f"expected {expected}, got {_type_name(item[key])}"))
            if table == "quotes" and isinstance(item.get("kind"), str) and item["kind"] not in QUOTE_KINDS:
                errors.append(GoldError(file, f"{where}.kind",
                                        f"expected one of {', '.join(QUOTE_KINDS)}, got {item['kind']!r}"))
    return errors


def load_gold_file(path: Path) -> tuple[dict | None, list[GoldError]]:
    """Parse and validate one gold file; (data, []) or (None, errors). Never raises
    on bad content."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [GoldError(path.name, "<file>", f"cannot read: {exc}")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [GoldError(path.name, "<json>", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
    errors = validate_gold(data, path.name)
    return (None, errors) if errors else (data, [])


def load_gold_dir(gold_dir: Path) -> tuple[list[dict], list[GoldError], list[str], list[str]]:
    """All valid gold files of a folder sorted by doc_id, plus (errors, skipped file
    names, warnings). Duplicate doc_ids keep the first file by name."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvaluationError(f"gold folder not found: {gold_dir}")
    golds: dict[str, dict] = {}
    errors: list[GoldError] = []
    skipped: list[str] = []
    warnings: list[str] = []
    for path in sorted(gold_dir.glob("*.json")):
        data, errs = load_gold_file(path)
        if data is not None and data["doc_id"] in golds:
            errs = [GoldError(path.name, "doc_id", f"duplicate doc_id {data['doc_id']!r} (already in another file)")]
            data = None
        if data is None:
            errors.extend(errs)
            skipped.append(path.name)
            continue
        if path.stem != data["doc_id"]:
            warnings.append(f"{path.name}: doc_id {data['doc_id']!r} differs from the file name; using the doc_id")
        golds[data["doc_id"]] = data
    return [golds[k] for k in sorted(golds)], errors, skipped, warnings


# --------------------------------------------------------------------------------------
# Predictions: Parquet tables
# --------------------------------------------------------------------------------------

PRED_TABLES = ("documents", "quotes", "people", "speakers", "organizations",
               "organization_mentions", "dates", "statistics")


def _clean(value: Any) -> Any:
    """Arrow/pandas nulls (None, NaN) to None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def read_table(pred_dir: Path, name: str) -> list[dict] | None:
    """Rows of `<pred_dir>/<name>.parquet` or of every `*.parquet` under
    `<pred_dir>/<name>/` (hive `key=value` folders add string columns). None if absent.
    Files are read one by one, so their schemas need not be identical."""
    single = pred_dir / f"{name}.parquet"
    folder = pred_dir / name
    if single.is_file():
        files = [(single, {})]
    elif folder.is_dir():
        files = []
        for f in sorted(folder.rglob("*.parquet")):
            rel = f.relative_to(folder).parts[:-1]
            if any(part.startswith((".", "_")) for part in f.relative_to(folder).parts):
                continue
            keys = dict(part.split("=", 1) for part in rel if "=" in part)
            files.append((f, keys))
    else:
        return None
    rows: list[dict] = []
    for f, keys in files:
        for row in pq.read_table(f).to_pylist():
            for k, v in keys.items():
                row.setdefault(k, v)
            rows.append({k: _clean(v) for k, v in row.items()})
    return rows


REQUIRED_COLUMNS = {
    "documents": ("doc_id", "title", "dateline", "published", "reference_date"),
    "quotes": ("doc_id", "text", "kind", "speaker_id"),
    "people": ("person_id", "name"),
    "speakers": ("doc_id", "person_id", "title", "organization_id"),
    "organizations": ("org_id", "name", "acronym"),
    "organization_mentions": ("doc_id", "org_id"),
    "dates": ("doc_id", "text", "value", "kind"),
    "statistics": ("doc_id", "text", "value", "unit", "qualifier", "subject", "source"),
}


def _position(row: dict) -> tuple:
    start = row.get("start_char")
    end = row.get("end_char")
    return (start is None, start or 0, end is None, end or 0)


@dataclass
class Predictions:
    """Prediction rows resolved into the plain dicts the scorers take, per doc_id."""
    documents: dict[str, dict]
    quotes: dict[str, list[dict]]
    speakers: dict[str, list[dict]]
    organizations: dict[str, list[dict]]
    dates: dict[str, list[dict]]
    statistics: dict[str, list[dict]]
    warnings: list[str]

    def doc_ids(self) -> set[str]:
        ids = set(self.documents)
        for table in (self.quotes, self.speakers, self.organizations, self.dates, self.statistics):
            ids.update(table)
        return ids


def _by_doc(rows: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("doc_id") is not None:
            out.setdefault(str(r["doc_id"]), []).append(r)
    for doc_rows in out.values():
        doc_rows.sort(key=_position)
    return out


def load_predictions(pred_dir: Path) -> Predictions:
    """Read the output tables and resolve ids: quote speaker_id → people.name,
    speakers → people and organizations, a release's organizations = distinct org_id
    of its mentions. Dates keep only kinds absolute/relative. Absent tables or
    columns are warned about and read as empty."""
    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise EvaluationError(f"prediction folder not found: {pred_dir}")
    warnings: list[str] = []
    t: dict[str, list[dict]] = {}
    for name in PRED_TABLES:
        rows = read_table(pred_dir, name)
        if rows is None:
            warnings.append(f"table {name!r} not found in {pred_dir}; read as empty")
            rows = []
        missing = [c for c in REQUIRED_COLUMNS[name] if rows and c not in rows[0]]
        if missing:
            warnings.append(f"table {name!r} lacks column(s) {', '.join(missing)}; read as empty")
            rows = []
        t[name] = rows

    people = {str(r["person_id"]): r for r in t["people"] if r.get("person_id") is not None}
    orgs = {str(r["org_id"]): r for r in t["organizations"] if r.get("org_id") is not None}

    def person_name(pid: Any, where: str) -> tuple[str | None, str | None]:
        if pid is None:
            return None, None
        person = people.get(str(pid))
        if person is None:
            warnings.append(f"{where}: person_id {pid!r} not in people")
            return None, None
        return person.get("name"), person.get("honorific")

    documents = {str(r["doc_id"]): r for r in t["documents"] if r.get("doc_id") is not None}

    quotes = {}
    for doc_id, rows in _by_doc(t["quotes"]).items():
        items = []
        for r in rows:
            name, honorific = person_name(r.get("speaker_id"), f"quotes of {doc_id}")
            items.append({"text": r.get("text"), "kind": r.get("kind"), "speaker": name,
                          "speaker_honorific": honorific, "start_char": r.get("start_char")})
        quotes[doc_id] = items

    speakers = {}
    for doc_id, rows in _by_doc(t["speakers"]).items():
        items = []
        for r in rows:
            name, honorific = person_name(r.get("person_id"), f"speakers of {doc_id}")
            org = orgs.get(str(r.get("organization_id"))) if r.get("organization_id") is not None else None
            if r.get("organization_id") is not None and org is None:
                warnings.append(f"speakers of {doc_id}: organization_id {r.get('organization_id')!r} not in organizations")
            items.append({"name": name if name is not None else r.get("person_id"), "honorific": honorific,
                          "title": r.get("title"),
                          "org_name": org.get("name") if org else None,
                          "org_acronym": org.get("acronym") if org else None})
        speakers[doc_id] = items

    organizations = {}
    for doc_id, rows in _by_doc(t["organization_mentions"]).items():
        seen: list[str] = []
        release_names: dict[str, list[str]] = {}
        for r in rows:
            oid = r.get("org_id")
            if oid is not None and str(oid) not in seen:
                seen.append(str(oid))
            # Optional column: the long form this release writes, which may differ from
            # the corpus-canonical name ("General Assembly" vs "UN General Assembly").
            if oid is not None and r.get("name"):
                release_names.setdefault(str(oid), []).append(r["name"])
        items = []
        for oid in seen:
            org = orgs.get(oid)
            if org is None:
                warnings.append(f"organization_mentions of {doc_id}: org_id {oid!r} not in organizations")
            items.append({"org_id": oid, "name": org.get("name") if org else None,
                          "acronym": org.get("acronym") if org else None,
                          "release_names": release_names.get(oid, [])})
        organizations[doc_id] = items

    dates = {doc_id: [{"text": r.get("text"), "value": r.get("value"), "kind": r.get("kind"),
                       "start_char": r.get("start_char")} for r in rows if r.get("kind") in DATE_KINDS]
             for doc_id, rows in _by_doc(t["dates"]).items()}

    statistics = {doc_id: [{k: r.get(k) for k in ("text", "value", "unit", "qualifier", "subject",
                                                    "source", "start_char")} for r in rows]
                  for doc_id, rows in _by_doc(t["statistics"]).items()}

    return Predictions(documents, quotes, speakers, organizations, dates, statistics,
                       list(dict.fromkeys(warnings)))


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


def evaluate(gold_dir: Path, pred_dir: Path) -> Report:
    """Score an outputs folder against a gold folder, micro-averaged over releases.

    Bad gold files are skipped and listed (file + key); gold releases without
    predictions count as all misses and are listed. Raises EvaluationError only when
    a folder does not exist.
    """
    golds, gold_errors, skipped, warnings = load_gold_dir(Path(gold_dir))
    preds = load_predictions(Path(pred_dir))
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
    if unscored:
        report.warnings.append(f"{len(unscored)} predicted release(s) have no gold file and were not scored")
    if not golds:
        report.warnings.append(f"no valid gold file in {gold_dir}")
    return report


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
        lines += ["", f"Releases with no predictions (not in documents; counted as all misses): "
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
