"""Pure helpers of the scorer: normalization, token F1, one-to-one matching, and equality of
names, organizations, values and dates, as gold.md's "Scoring" section defines them.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence


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
