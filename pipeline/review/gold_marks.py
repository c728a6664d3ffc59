"""Gold issues on the review page: evaluate's misses, false hits and wrong fields placed
on the marks of a release, and which releases have a gold file at all (a release without
one is "not annotated": it has no issues and no place in the scores)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from pipeline.review.marks import Release
from pipeline.review.render import Mark, norm_text, anchor, find_text, fmt_value

# evaluate's table names → the mark kind its issues refer to.
ISSUE_KIND = {"quotes_direct_partial": "quote", "quotes_indirect": "quote", "dates": "date",
              "statistics": "stat", "organizations": "org", "speakers": "speaker",
              "documents": "document"}
KIND_NAMES = {"quote": "quote", "date": "date", "stat": "statistic", "org": "organization",
              "speaker": "speaker", "document": "document field"}


def issues_by_release(report: Mapping[str, Any], doc_ids: Sequence[str]
                      ) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The issues of each annotated release of ``doc_ids`` (those with a gold file; every
    one when the report does not list them), and each table's label."""
    annotated = set(report["doc_ids"]) if "doc_ids" in report else set(doc_ids)
    issues: dict[str, list[dict]] = {d: [] for d in doc_ids if d in annotated}
    labels: dict[str, str] = {}
    for name, t in report.get("tables", {}).items():
        labels[name] = t.get("label", name)
        if name == "quotes_all":
            continue
        for i in t.get("issues", []):
            doc_id = str(i.get("doc_id"))
            if doc_id in issues:
                issues[doc_id].append(i)
    return issues, labels

# --------------------------------------------------------------------------------------
# Gold issues on the marks (pure, on evaluate.report_to_json issue dicts)
# --------------------------------------------------------------------------------------

@dataclass
class GoldNote:
    """One issue of a release for the per-release list, with the id of its mark when the
    issue could be placed in the text."""
    issue: dict
    target: str | None = None


def _add_label(m: Mark, note: str, prefix: bool = False) -> None:
    m.label = note if not m.label else (f"{note} {m.label}" if prefix else f"{m.label} {note}")


def _add_title(m: Mark, note: str) -> None:
    m.attrs["title"] = f"{m.attrs.get('title', '')}\n{note}".strip()


def _target(m: Mark, doc_id: str, k: int) -> str:
    if "id" not in m.attrs:
        m.attrs["id"] = anchor("g", doc_id, k)
    return m.attrs["id"]


def issue_value(v: Any) -> str:
    return "null" if v is None else fmt_value(v) if isinstance(v, (int, float)) else str(v)


def apply_gold(release: Release, marks: list[Mark], issues: Sequence[dict]) -> list[GoldNote]:
    """Mark the release's gold issues in place: false hits (dashed red outline) and wrong
    fields (orange outline, gold value in the label) on the predicted marks, misses as new
    wavy-underlined marks where their text is found. Returns every issue, in order, with
    the id of the mark it was placed on (None when it has no place in the text)."""
    doc_id = release.doc_id
    text = release.text
    by_start: dict[tuple[str, int], Mark] = {(m.kind, m.start): m for m in marks
                                             if m.kind in ("quote", "date", "stat")}
    covered: dict[str, list[tuple[int, int]]] = {}
    for m in marks:
        covered.setdefault(m.kind, []).append((m.start, m.end))
    taken: dict[str, list[tuple[int, int]]] = {}
    notes: list[GoldNote] = []
    for k, issue in enumerate(issues):
        kind = ISSUE_KIND.get(issue.get("table"), "other")
        what = issue.get("kind")
        note = GoldNote(issue)
        notes.append(note)
        if kind in ("quote", "date", "stat") and what in ("false_hit", "mismatch"):
            m = by_start.get((kind, issue.get("start_char")))
            if m is None:
                continue
            if what == "false_hit":
                m.classes.append("g-fh")
                _add_label(m, "✗ not in gold", prefix=True)
                _add_title(m, f"FALSE HIT: no gold {KIND_NAMES[kind]} matches this one")
            else:
                m.classes.append("g-mm")
                gold = issue_value(issue.get("gold"))
                _add_label(m, f"≠ gold {issue.get('field')}: {gold}")
                _add_title(m, f"WRONG {issue.get('field')}: gold {gold}, "
                              f"pipeline {issue_value(issue.get('pred'))}")
            note.target = _target(m, doc_id, k)
        elif kind == "org" and what == "false_hit":
            name = norm_text(issue.get("text"))
            hits = [m for m in marks if m.kind == "org" and name and name in {
                norm_text(v) for v in (*_org_names(release, m.attrs.get("data-org")), m.attrs.get("data-org"))}]
            for i, m in enumerate(hits):
                m.classes.append("g-fh")
                _add_title(m, "FALSE HIT: this organization is not in the gold list of the release")
                if i == 0:
                    _add_label(m, "✗ not in gold")
                    note.target = _target(m, doc_id, k)
        elif kind in ("quote", "date", "stat", "org") and what == "miss":
            span = None
            for needle in _miss_needles(kind, issue.get("text")):
                span = find_text(text, needle, taken.get(kind, ()), covered.get(kind, ()))
                if span:
                    break
            if span is None:
                continue
            taken.setdefault(kind, []).append(span)
            m = Mark(span[0], span[1], "miss", classes=[f"m-{kind}"],
                     attrs={"title": f"MISS: gold {KIND_NAMES[kind]} the pipeline did not find "
                                     f"(placed by text search)\n{issue.get('text')}"},
                     label=f"missed {KIND_NAMES[kind]}")
            marks.append(m)
            note.target = _target(m, doc_id, k)
    return notes


def _org_names(release: Release, org_id: str | None) -> list[str]:
    org = release.orgs.get(str(org_id)) or {}
    return [v for v in (org.get("name"), org.get("acronym")) if v]


def _miss_needles(kind: str, text: str | None) -> list[str]:
    """What to search for a missed entry. evaluate shows a missed organization as
    `Name (ACR)`; the release may write either part alone."""
    if not text:
        return []
    needles = [text]
    m = re.fullmatch(r"(.+?) \(([^()]+)\)", text)
    if kind == "org" and m:
        needles += [m.group(1), m.group(2)]
    return needles
