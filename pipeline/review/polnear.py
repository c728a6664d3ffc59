"""Score the quotes table against PolNeAR (news attribution relations, brat standoff).

A PolNeAR part is a folder with ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``
(the first annotator in sorted order is read). Each relation ties a Source, a Cue and a
Content span. It maps to our quote kinds as follows:

- a stretch between double quotation marks inside a Content span is a ``direct``/``partial``
  quote, spoken by the relation's Source (the innermost Content holding it, when relations
  nest);
- a Content span with no quotation marks for most of it, whose Cue holds a speech verb
  (``said``, ``told``, ``announced`` …, listed in ``polnear.json``) and whose Source is named
  or a pronoun, is an ``indirect`` quote;
  beliefs and knowledge (``thinks``, ``knows``, ``according to``) are no quotes of ours.

Figures, with the project's matching (token F1 ≥ 0.8, one-to-one, greedy):
- quoted-span P/R/F1 (direct+partial together);
- named-source attribution accuracy: on matched quotes whose Source names a person (not a
  pronoun, a description or an organization), the predicted speaker is right when its
  canonical name has the Source's surname, and its given name where the Source writes one
  (``Donald Trump`` matches ``Trump`` and ``Republican nominee Donald Trump``);
- indirect-speech P/R/F1 for speech cues whose Source names the speaker or is a pronoun (the
  contract's indirect speech; ``sources said`` and ``officials say`` are not in it).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.review.matching import QUOTE_THRESHOLD, match_items, token_f1
from pipeline.review.predictions import load_predictions
from pipeline.review.scores import (Accuracy, Counts, EvaluationError, Issue, Report, TableScore,
                                    split_quotes)

DATA_FILE = Path(__file__).resolve().parent / "polnear.json"
_OPEN, _CLOSE = "“", "”"


@dataclass(frozen=True)
class Relation:
    """One attribution relation: character segments of its parts and their texts."""

    content: tuple[tuple[int, int], ...]
    source: str | None
    cue: str | None


@lru_cache(maxsize=1)
def _data() -> dict:
    import json

    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {k: frozenset(w.casefold() for w in v) for k, v in raw.items()}


def read_ann(text: str) -> list[Relation]:
    """The relations of a brat ``.ann`` file (``T`` spans tied together by ``E`` lines)."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            segs = tuple((int(a), int(b)) for a, b in (s.split() for s in offsets.split(";")))
            spans[parts[0]] = (label, segs, parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None:
            continue
        source = spans.get(ev.get("Source", ""))
        cue = spans.get(ev.get("Cue", ""))
        out.append(Relation(content[1], source[2] if source else None, cue[2] if cue else None))
    return out


def double_quote_pairs(text: str) -> list[tuple[int, int]]:
    """Inner spans of double-quote pairs, line by line: curly marks by direction, straight
    ones alternating. Kept apart from the extractor's pairing so the gold does not copy it."""
    pairs = []
    pos = 0
    for line in text.split("\n"):
        opened = None
        for k, ch in enumerate(line):
            if ch == _OPEN or (ch == '"' and opened is None):
                opened = pos + k + 1
            elif (ch == _CLOSE or ch == '"') and opened is not None:
                pairs.append((opened, pos + k))
                opened = None
        pos += len(line) + 1
    return [(s, e) for s, e in pairs if text[s:e].strip()]


def _inside(seg: tuple[int, int], segs: Iterable[tuple[int, int]]) -> float:
    s, e = seg
    covered = sum(max(0, min(e, b) - max(s, a)) for a, b in segs)
    return covered / max(1, e - s)


def _is_speech_cue(cue: str | None) -> bool:
    words = {w.casefold() for w in re.findall(r"[A-Za-z]+", cue or "")}
    return bool(words & _data()["speech_cue_words"])


_PRONOUNS = {"he", "she", "they", "i", "we", "you", "it"}


def named_or_pronoun(source: str | None) -> bool:
    """Whether a Source names its speaker or is a pronoun (``Trump``, ``The Post``, ``she``),
    as the quote contract asks of indirect speech; ``a source``, ``officials`` and ``many
    economists`` are not."""
    words = re.findall(r"[\w'’.\-]+", source or "")
    if not words:
        return False
    if len(words) == 1 and words[0].casefold() in _PRONOUNS:
        return True
    if words[0].casefold() in {"the", "a", "an", "this", "that", "these", "those", "some", "many"}:
        words = words[1:]
    return any(w[0].isupper() for w in words)


def gold_article(text: str, relations: list[Relation]) -> tuple[list[dict], list[dict]]:
    """(direct+partial quotes, indirect quotes) of one article as scorer items."""
    quotes = []
    for s, e in double_quote_pairs(text):
        holders = [r for r in relations if _inside((s, e), r.content) >= 0.9]
        if not holders:
            continue
        rel = min(holders, key=lambda r: sum(b - a for a, b in r.content))
        quotes.append({"text": text[s:e].strip(), "source": rel.source, "start_char": s})
    pairs = double_quote_pairs(text)
    indirect = []
    for r in relations:
        if not _is_speech_cue(r.cue) or not named_or_pronoun(r.source):
            continue
        length = sum(b - a for a, b in r.content)
        quoted = sum(max(0, min(e, b) - max(s, a)) for s, e in pairs for a, b in r.content)
        if length == 0 or quoted / length > 0.5:
            continue
        body = " ".join(text[a:b] for a, b in sorted(r.content)).strip()
        body = re.sub(r"^(?:that|whether|if)\s+", "", body)
        indirect.append({"text": body, "source": r.source, "start_char": r.content[0][0]})
    return quotes, indirect


# ---------------------------------------------------------------------------- names
def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'").casefold()


_NAME_WORD = re.compile(r"[A-Z][\w'’.\-]*")


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_PARTICLES = {"de", "da", "di", "del", "van", "von", "le", "la", "bin", "al", "el", "st"}
_DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their"}


def _person_run(part: str) -> list[str]:
    """The capitalized run that ends ``part``, without leading titles and trailing suffixes."""
    run: list[str] = []
    for w in reversed(part.split()):
        if _NAME_WORD.fullmatch(w) or (run and _fold(w) in _PARTICLES):
            run.insert(0, w)
        else:
            break
    while run and _fold(run[-1]).rstrip(".") in _SUFFIXES:
        run.pop()
    stop = _data()["title_words"]
    while run and (_fold(run[0]).rstrip(".") in stop or _fold(run[0]) in stop or _fold(run[0]) in _DETERMINERS):
        run.pop(0)
    return run


def source_people(source: str | None, text: str = "") -> list[tuple[frozenset[str], tuple[str, ...]]]:
    """(words before the surname, surname tokens) of each person a Source names, else []: the
    capitalized run that ends the Source or the part before its first comma, ``of``, ``from``
    or dash (``Republican nominee Donald Trump``, ``Trump, the nominee,``, ``Rep. X of Ohio``),
    without titles; ``X and Y`` names two. Pronouns, descriptions, acronyms and organizations
    name nobody; a lone word is a person only where ``text`` writes it after a given name."""
    from pipeline.extract.people.titles import org_like

    if not source:
        return []
    s = re.sub(r"[’']s\b", "", source.strip().strip(",.;:"))
    s = re.split(r",|\s--\s|\s[—–]\s|\(", s)[0].strip()
    out = []
    for part in re.split(r"\s+and\s+|\s*&\s*", s):
        run = []
        for cand in (re.split(r"\s+(?:of|from|at|with)\s+", part)[0], part):
            run = _person_run(cand)
            if run:
                break
        if not run:
            continue
        if any(_fold(w).rstrip(".") in _data()["organization_words"] for w in run) or org_like(" ".join(run)):
            continue
        if len(run) == 1:
            w = run[0]
            if (w.isupper() and len(w) > 1) or _fold(w) in _data()["not_names"]:
                continue
            given_before = re.search(r"\b(?!(?:The|A|An|This|That)\b)[A-Z][\w'’\-]+\s+(?:[A-Z]\.\s+)?"
                                     + re.escape(w) + r"\b", text)
            if text and not given_before:
                continue
        first = 0
        while first < len(run) - 1 and _fold(run[first]) in _PARTICLES:
            first += 1
        k = len(run) - 1
        while k > first + 1 and _fold(run[k - 1]) in _PARTICLES:
            k -= 1
        surname = tuple(_fold(w).rstrip(".") for w in run[k:])
        given = frozenset(_fold(w).rstrip(".") for w in run[:k] if _fold(w) not in _PARTICLES)
        out.append((given, surname))
    return out


def name_matches_source(name: str | None, person: tuple[frozenset[str], tuple[str, ...]]) -> bool:
    """Whether a canonical person name fits a Source written by surname: the surname ends the
    name, and where the Source writes words before the surname (a given name, perhaps after
    a title: ``Retired Lt. Gen. Michael Flynn``), the name's first word is one of them."""
    if not name:
        return False
    toks = [_fold(t).rstrip(".") for t in name.split()]
    toks = [t for t in toks if t not in _SUFFIXES] or toks
    given, surname = person
    sur = [p for w in surname for p in w.split("-") if p]
    flat = [p for t in toks for p in t.split("-") if p]
    if flat[-len(sur):] != sur:
        return False
    return not given or toks[0] in given


# ---------------------------------------------------------------------------- scoring
def score_article(doc_id: str, text: str, relations: list[Relation],
                  pred: list[dict]) -> dict[str, TableScore]:
    """Scores of one article: direct+partial span and named-source attribution; indirect span."""
    gold_q, gold_i = gold_article(text, relations)
    pred_q, pred_i = split_quotes(pred)
    out: dict[str, TableScore] = {}
    for table, gold, preds in (("quotes_direct_partial", gold_q, pred_q), ("quotes_indirect", gold_i, pred_i)):
        pairs = match_items(gold, preds, lambda g, p: token_f1(g["text"], p["text"]), QUOTE_THRESHOLD)
        matched_g, matched_p = {g for g, _, _ in pairs}, {p for _, p, _ in pairs}
        issues = [Issue(table, "miss", doc_id, g["text"], "source", g["source"], start_char=g["start_char"])
                  for n, g in enumerate(gold) if n not in matched_g]
        issues += [Issue(table, "false_hit", doc_id, p["text"], start_char=p.get("start_char"))
                   for n, p in enumerate(preds) if n not in matched_p]
        named = Accuracy()
        for gi, pi, _ in pairs:
            people = source_people(gold[gi]["source"], text)
            if not people:
                continue
            if not named.tally(any(name_matches_source(preds[pi].get("speaker"), p) for p in people)):
                issues.append(Issue(table, "mismatch", doc_id, gold[gi]["text"], "speaker", gold[gi]["source"],
                                    preds[pi].get("speaker"), preds[pi]["text"], preds[pi].get("start_char")))
        accuracies = {"named_source": named} if table == "quotes_direct_partial" else {}
        out[table] = TableScore({"span": Counts(len(pairs), len(gold), len(preds))}, accuracies, issues)
    return out


def articles(gold_dir: Path) -> list[tuple[str, Path, Path]]:
    """(name, text file, first annotation file) of each annotated article of a part."""
    found = []
    for txt in sorted((gold_dir / "text").glob("*.txt")):
        anns = sorted((gold_dir / "attributions").glob(f"{txt.stem}_*.ann"))
        if anns:
            found.append((txt.stem, txt, anns[0]))
    return found


def evaluate_polnear(gold_dir: Path, pred_dir: Path) -> Report:
    """Score an outputs folder (doc_id = article file name) against a PolNeAR part."""
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    if not (gold_dir / "text").is_dir() or not (gold_dir / "attributions").is_dir():
        raise EvaluationError(f"not a PolNeAR part (text/ and attributions/): {gold_dir}")
    preds = load_predictions(pred_dir)
    report = Report(gold_dir=str(gold_dir), pred_dir=str(pred_dir), warnings=list(preds.warnings))
    report.tables = {"quotes_direct_partial": TableScore(), "quotes_indirect": TableScore()}
    for name, txt, ann in articles(gold_dir):
        report.doc_ids.append(name)
        if name not in preds.doc_ids():
            report.missing_docs.append(name)
        text = txt.read_text(encoding="utf-8")
        scores = score_article(name, text, read_ann(ann.read_text(encoding="utf-8")), preds.quotes.get(name, []))
        for table, score in scores.items():
            report.tables[table].merge(score)
    return report
