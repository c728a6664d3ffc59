"""The marks of one release: its rows from every table (plain dicts) turned into
highlighted spans of its text (sections, quotes and the speaker as written, organization
mentions, dates, statistics)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from pipeline.review.render import (Mark, anchor, date_label, find_mention, fmt_cell, missing,
                                    quote_label, stat_label, tooltip)

# --------------------------------------------------------------------------------------
# Marks of one release (pure, on plain row dicts)
# --------------------------------------------------------------------------------------

@dataclass
class Release:
    """One release's rows from every table (plain dicts), and the corpus lookups."""
    doc: dict
    sentences: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    speakers: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    statistics: list[dict] = field(default_factory=list)
    people: Mapping[str, dict] = field(default_factory=dict)
    orgs: Mapping[str, dict] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return str(self.doc.get("doc_id"))

    @property
    def text(self) -> str:
        return self.doc.get("text") or ""


def person_name(release: Release, person_id: Any) -> str | None:
    """The corpus name of a person id (`people.name`), else the id itself."""
    if missing(person_id):
        return None
    person = release.people.get(str(person_id))
    return (person or {}).get("name") or str(person_id)


def org_label(org: Mapping[str, Any] | None, fallback: str | None = None) -> str | None:
    """`Long Name (ACR)`, or whichever of the two is known."""
    if not org:
        return fallback
    name, acronym = org.get("name"), org.get("acronym")
    if name and acronym and name != acronym:
        return f"{name} ({acronym})"
    return name or acronym or fallback


def _sentence_of(release: Release, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentences that hold [start, end), or the span itself."""
    lo, hi = start, end
    for s in release.sentences:
        s0, s1 = s.get("start_char"), s.get("end_char")
        if s0 is None or s1 is None:
            continue
        if s0 <= start < s1 or s0 < end <= s1:
            lo, hi = min(lo, s0), max(hi, s1)
    return lo, hi


def release_marks(release: Release) -> list[Mark]:
    """Every extraction of a release as a mark: sections, quotes (+ the written speaker
    mention), organization mentions, dates, statistics. Rows without offsets are skipped."""
    marks: list[Mark] = []
    doc_id = release.doc_id

    def ok(row: Mapping[str, Any]) -> bool:
        return not missing(row.get("start_char")) and not missing(row.get("end_char"))

    for s in release.sentences:
        if not ok(s):
            continue
        if s.get("is_heading"):
            marks.append(Mark(s["start_char"], s["end_char"], "heading", tag="span",
                              attrs={"title": "heading"}))
        if s.get("is_boilerplate"):
            marks.append(Mark(s["start_char"], s["end_char"], "boiler", tag="span",
                              attrs={"title": "boilerplate (standing text)"}))

    for q in release.quotes:
        if not ok(q):
            continue
        name = person_name(release, q.get("speaker_id"))
        n = q.get("quote_id")
        href = f"#{anchor('sp', doc_id, q['speaker_id'])}" if name else None
        marks.append(Mark(
            q["start_char"], q["end_char"], "quote", classes=[f"k-{q.get('kind') or 'unknown'}"],
            attrs={"title": tooltip(f"quote {n} ({q.get('kind')})",
                                    {"speaker": name, "as written": q.get("speaker_mention"),
                                     "cue": q.get("cue")}),
                   "data-speaker": name, "data-quote": fmt_cell(n)},
            label=quote_label(q.get("kind"), name, q.get("speaker_mention")), href=href))
        lo, hi = _sentence_of(release, q["start_char"], q["end_char"])
        span = find_mention(release.text, q.get("speaker_mention"), lo, hi,
                            (q["start_char"], q["end_char"]))
        if span:
            marks.append(Mark(span[0], span[1], "speaker", tag="span",
                              attrs={"title": f"speaker of quote {n}: {name or 'not a known person'}"}))

    for m in release.mentions:
        if not ok(m):
            continue
        org = release.orgs.get(str(m.get("org_id")))
        marks.append(Mark(
            m["start_char"], m["end_char"], "org",
            attrs={"title": tooltip("organization", {"name": org_label(org, m.get("name")),
                                                     "org_id": m.get("org_id"),
                                                     "found by": m.get("method")}),
                   "data-org": fmt_cell(m.get("org_id"))}))

    for d in release.dates:
        if not ok(d):
            continue
        marks.append(Mark(
            d["start_char"], d["end_char"], "date", classes=[f"k-{d.get('kind') or 'unknown'}"],
            attrs={"title": tooltip("date", {k: d.get(k) for k in
                                             ("value", "kind", "granularity", "start", "end")}),
                   "data-value": fmt_cell(d.get("value"))},
            label=date_label(d)))

    for s in release.statistics:
        if not ok(s):
            continue
        marks.append(Mark(
            s["start_char"], s["end_char"], "stat",
            attrs={"title": tooltip("statistic", {k: s.get(k) for k in
                                                  ("value", "unit", "qualifier", "subject",
                                                   "source", "range_bound")}),
                   "data-value": fmt_cell(s.get("value")), "data-unit": fmt_cell(s.get("unit"))},
            label=stat_label(s)))
    return marks


def group_releases(tables: Mapping[str, Sequence[dict]]) -> list[Release]:
    """Rows of every table grouped per release, in doc_id order, each sorted by offset."""
    people = {str(p["person_id"]): p for p in tables.get("people", ()) if p.get("person_id") is not None}
    orgs = {str(o["org_id"]): o for o in tables.get("organizations", ()) if o.get("org_id") is not None}
    releases = {str(d["doc_id"]): Release(dict(d), people=people, orgs=orgs)
                for d in sorted(tables.get("documents", ()), key=lambda d: str(d.get("doc_id")))}
    slots = {"sentences": "sentences", "quotes": "quotes", "speakers": "speakers",
             "organization_mentions": "mentions", "dates": "dates", "statistics": "statistics"}
    for table, slot in slots.items():
        for row in tables.get(table, ()):
            release = releases.get(str(row.get("doc_id")))
            if release is not None:
                getattr(release, slot).append(row)
    for r in releases.values():
        for slot in ("sentences", "quotes", "mentions", "dates", "statistics"):
            getattr(r, slot).sort(key=lambda x: (x.get("start_char") is None, x.get("start_char") or 0))
    return list(releases.values())
