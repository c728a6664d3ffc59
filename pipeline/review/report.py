"""HTML review page: each release's text with every extraction highlighted by type.

People check extractions by eye before they trust them, so the page shows the text as the
pipeline stored it (``documents.text``; every offset indexes into it) with quotes linked to
their speaker, organizations, dates with their value, statistics with value, unit,
qualifier, subject and source, boilerplate dimmed, and, when a gold folder is given, the
misses, false hits and wrong fields of ``pipeline.review.evaluate`` marked where they occur.

Layout, in the spirit of scispaCy's abbreviation.py: pure helpers first (the nesting
renderer, text search, labels), then builders that turn plain row dicts into page parts,
then the thin I/O (`load_tables`, `write_report`). The page is one self-contained file:
the stylesheet (pipeline/review/report.css) is inlined, there is no script and no external
font, and every piece of text goes through ``html.escape``.

Overlapping extractions (a date inside a quote, a statistic containing a date, a gold miss
crossing a predicted span) are rendered from offsets with a stack: marks open in document
order, longer ones outside; a mark that must close while marks opened inside it are still
running closes them and reopens them as continuation fragments. So the HTML is always well
nested and the text between tags is exactly the release text.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pipeline.review.matching import normalize

DATA_DIR = Path(__file__).resolve().parent
CSS_FILE = DATA_DIR / "report.css"

TABLES = ("documents", "sentences", "quotes", "people", "speakers", "organizations",
          "organization_mentions", "dates", "statistics", "errors")

# When two marks cover the same characters, the lower rank is the outer element. Section
# marks (boilerplate, headings) wrap everything; a speaker mention sits innermost.
RANK = {"boiler": 0, "heading": 0, "quote": 1, "miss": 2, "stat": 3, "org": 4, "date": 5,
        "speaker": 6}

# evaluate's table names → the mark kind its issues refer to.
ISSUE_KIND = {"quotes_direct_partial": "quote", "quotes_indirect": "quote", "dates": "date",
              "statistics": "stat", "organizations": "org", "speakers": "speaker",
              "documents": "document"}
KIND_NAMES = {"quote": "quote", "date": "date", "stat": "statistic", "org": "organization",
              "speaker": "speaker", "document": "document field"}

# --------------------------------------------------------------------------------------
# Marks and the nesting renderer (pure)
# --------------------------------------------------------------------------------------


@dataclass
class Mark:
    """One highlighted span of a release text: offsets (end exclusive), a kind (its CSS
    class ``x-<kind>``), extra classes, HTML attributes (``title`` is the tooltip), and an
    optional inline label shown after the span (a link when ``href`` is set)."""
    start: int
    end: int
    kind: str
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    label: str | None = None
    href: str | None = None
    tag: str = "mark"


def _attrs_html(attrs: Mapping[str, str | None]) -> str:
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items() if v is not None)


def _open_tag(m: Mark, continuation: bool) -> str:
    """Opening tag; a continuation fragment repeats classes and tooltip but not the id."""
    classes = ["x", f"x-{m.kind}", *m.classes] + (["cont"] if continuation else [])
    attrs = {k: v for k, v in m.attrs.items() if not (continuation and k == "id")}
    return f"<{m.tag}{_attrs_html({'class': ' '.join(classes), **attrs})}>"


def _close_tag(m: Mark, final: bool) -> str:
    """Closing tag; the label goes inside the last fragment, so it follows the whole span."""
    if not final or not m.label:
        return f"</{m.tag}>"
    text = html.escape(m.label)
    label = (f'<a class="lbl" href="{html.escape(m.href, quote=True)}">{text}</a>' if m.href
             else f'<span class="lbl">{text}</span>')
    return f"{label}</{m.tag}>"


def _open_order(m: Mark) -> tuple[int, int, int]:
    """Earlier first; at one start, the longer span (then the lower rank) is outer."""
    return (m.start, -m.end, RANK.get(m.kind, len(RANK)))


def render_marked(text: str, marks: Iterable[Mark]) -> str:
    """Escaped ``text`` with every mark as an element, correctly nested whatever the
    overlaps. Marks outside the text or empty are dropped. Stripping the tags and labels
    of the result gives back exactly ``html.escape(text)``."""
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=_open_order)
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    points = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    stack: list[Mark] = []
    for i, p in enumerate(points):
        ending = [k for k, m in enumerate(stack) if m.end == p]
        if ending:
            reopen: list[Mark] = []
            while len(stack) > ending[0]:
                m = stack.pop()
                final = m.end == p
                out.append(_close_tag(m, final))
                if not final:
                    reopen.append(m)
            for m in reversed(reopen):
                out.append(_open_tag(m, continuation=True))
                stack.append(m)
        for m in starts.get(p, ()):
            out.append(_open_tag(m, continuation=False))
            stack.append(m)
        if i + 1 < len(points):
            out.append(html.escape(text[p:points[i + 1]]))
    return "".join(out)


# --------------------------------------------------------------------------------------
# Finding text (pure): gold misses have no offsets, speaker mentions are not stored
# --------------------------------------------------------------------------------------

_QUOTE_CLASSES = ("'‘’‚‛′", '"“”„‟″«»')


def _char_pattern(ch: str) -> str:
    for group in _QUOTE_CLASSES:
        if ch in group:
            return "[" + re.escape(group) + "]"
    return re.escape(ch)


def text_pattern(needle: str | None) -> re.Pattern[str] | None:
    """Regex finding ``needle`` as written in a text: any run of whitespace for a space,
    any typographic variant of a quote mark, any case, and not inside a longer word
    (so `2023` is not found in `20234`, nor `she` in `shelter`). None for a blank needle."""
    words = (needle or "").split()
    if not words:
        return None
    body = r"\s+".join("".join(_char_pattern(c) for c in w) for w in words)
    head = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_text(text: str, needle: str | None, taken: Sequence[tuple[int, int]] = (),
              covered: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Where a gold entry known only by its text most likely is: the first occurrence not
    already claimed (``taken``), preferring one the pipeline did not cover (``covered``),
    since a miss is usually where nothing of its type was predicted. None if absent."""
    pattern = text_pattern(needle)
    if pattern is None:
        return None
    free = [(m.start(), m.end()) for m in pattern.finditer(text)
            if not any(_overlaps((m.start(), m.end()), t) for t in taken)]
    for span in free:
        if not any(_overlaps(span, c) for c in covered):
            return span
    return free[0] if free else None


def find_mention(text: str, mention: str | None, lo: int, hi: int,
                 quote: tuple[int, int]) -> tuple[int, int] | None:
    """The written attribution of a quote (`Ms. Doe`, `she`) within ``text[lo:hi]`` (its
    sentence), outside the quote and nearest to it; None when it is not there."""
    pattern = text_pattern(mention)
    if pattern is None:
        return None
    best: tuple[int, tuple[int, int]] | None = None
    for m in pattern.finditer(text, lo, hi):
        span = (m.start(), m.end())
        if _overlaps(span, quote):
            continue
        distance = quote[0] - span[1] if span[1] <= quote[0] else span[0] - quote[1]
        if best is None or distance < best[0]:
            best = (distance, span)
    return best[1] if best else None


# --------------------------------------------------------------------------------------
# Labels and tooltips (pure)
# --------------------------------------------------------------------------------------

def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def fmt_value(v: Any) -> str:
    """A number as a reader writes it: `100,000`, `2`, `0.3333`; `?` when missing."""
    if _missing(v):
        return "?"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer():
            return f"{int(v):,}"
        return f"{v:.4g}"
    return str(v)


def fmt_cell(v: Any) -> str:
    """Any table value as text: dates in ISO, lists comma-joined, null as an empty string."""
    if _missing(v):
        return ""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_cell(x) for x in v)
    if isinstance(v, float):
        return fmt_value(v)
    return str(v)


def tooltip(head: str, fields: Mapping[str, Any]) -> str:
    """A tooltip: a first line, then one `name: value` line per non-empty field."""
    lines = [head] + [f"{k}: {fmt_cell(v)}" for k, v in fields.items() if not _missing(v)]
    return "\n".join(lines)


def date_label(row: Mapping[str, Any]) -> str | None:
    """The normalized value, with the kind when it is not a plain absolute date; None when
    the text already is the value (`2023` → `2023`), so years do not stutter on the page."""
    value = row.get("value") or "?"
    kind = row.get("kind")
    if kind in (None, "absolute"):
        return None if _norm(value) == _norm(row.get("text")) else value
    return f"{value} · {kind}"


def stat_label(row: Mapping[str, Any], source_width: int = 80) -> str:
    """`value unit · qualifier · subject · source: …`: every field the scorer reads."""
    head = " ".join(p for p in (fmt_value(row.get("value")), row.get("unit")) if p)
    if row.get("range_bound"):
        head += f" ({row['range_bound']})"
    parts = [head] + [row[k] for k in ("qualifier", "subject") if not _missing(row.get(k))]
    source = row.get("source")
    if not _missing(source):
        source = source if len(source) <= source_width else source[: source_width - 1] + "…"
        parts.append(f"source: {source}")
    return " · ".join(parts)


def quote_label(kind: str | None, speaker: str | None, mention: str | None) -> str:
    """`— Speaker Name`, with the kind when it is not `direct`; the attribution as written
    when the speaker is not a known person."""
    who = speaker or (f"{mention} (no person)" if mention else "speaker unknown")
    return f"— {who}" + (f" · {kind}" if kind and kind != "direct" else "")


def anchor(*parts: Any) -> str:
    """An HTML id from parts (doc_id, person_id …): letters, digits, `_` and `-` only."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", str(p)) for p in parts)


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
    if _missing(person_id):
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
        return not _missing(row.get("start_char")) and not _missing(row.get("end_char"))

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


# --------------------------------------------------------------------------------------
# Gold issues on the marks (pure, on evaluate.report_to_json issue dicts)
# --------------------------------------------------------------------------------------

@dataclass
class GoldNote:
    """One issue of a release for the per-release list, with the id of its mark when the
    issue could be placed in the text."""
    issue: dict
    target: str | None = None


def _norm(s: Any) -> str:
    return " ".join(str(s or "").casefold().split())


def _add_label(m: Mark, note: str, prefix: bool = False) -> None:
    m.label = note if not m.label else (f"{note} {m.label}" if prefix else f"{m.label} {note}")


def _add_title(m: Mark, note: str) -> None:
    m.attrs["title"] = f"{m.attrs.get('title', '')}\n{note}".strip()


def _target(m: Mark, doc_id: str, k: int) -> str:
    if "id" not in m.attrs:
        m.attrs["id"] = anchor("g", doc_id, k)
    return m.attrs["id"]


def _issue_value(v: Any) -> str:
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
                gold = _issue_value(issue.get("gold"))
                _add_label(m, f"≠ gold {issue.get('field')}: {gold}")
                _add_title(m, f"WRONG {issue.get('field')}: gold {gold}, "
                              f"pipeline {_issue_value(issue.get('pred'))}")
            note.target = _target(m, doc_id, k)
        elif kind == "org" and what == "false_hit":
            name = _norm(issue.get("text"))
            hits = [m for m in marks if m.kind == "org" and name and name in {
                _norm(v) for v in (*_org_names(release, m.attrs.get("data-org")), m.attrs.get("data-org"))}]
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


# --------------------------------------------------------------------------------------
# Page parts (pure)
# --------------------------------------------------------------------------------------

def _e(v: Any) -> str:
    return html.escape(fmt_cell(v))


def grid(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[int] = (),
         bad_rows: Sequence[int] = (), raw: bool = False) -> str:
    """A plain HTML table; cells escaped unless ``raw`` (then they are HTML already)."""
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{html.escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = []
    for r, row in enumerate(rows):
        cells = "".join(f'<td{" class=num" if i in numeric else ""}>{c if raw else _e(c)}</td>'
                        for i, c in enumerate(row))
        body.append(f'<tr{" class=bad" if r in bad_rows else ""}>{cells}</tr>')
    if not body:
        return '<p class="zero">none</p>'
    return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def legend_html(with_gold: bool) -> str:
    """The sticky bar: link to the index, one swatch per type (its checkbox hides that
    type's highlighting, CSS only), and the gold marks when a gold folder was given."""
    items = [
        ("f-quote", '<mark class="x x-quote sw">quote</mark> <span class="x-speaker sw">speaker</span>'),
        ("f-org", '<mark class="x x-org sw">organization</mark>'),
        ("f-date", '<mark class="x x-date sw">date<span class="lbl">value if not as written</span></mark>'),
        ("f-stat", '<mark class="x x-stat sw">statistic<span class="lbl">value unit · qualifier'
                   ' · subject · source</span></mark>'),
        ("f-boiler", '<span class="swatch-boiler">boilerplate</span>'),
        ("f-labels", "labels"),
    ]
    boxes = "".join(f'<label><input type="checkbox" id="{i}" checked>{s}</label>' for i, s in items)
    gold = ""
    if with_gold:
        gold = ('<span class="hint">gold:</span>'
                '<mark class="x x-miss sw">missed<span class="lbl">missed</span></mark>'
                '<mark class="x g-fh sw">false hit</mark>'
                '<mark class="x g-mm sw">wrong field</mark>')
    return (f'<nav class="bar" aria-label="legend"><a class="home" href="#index">☰ Releases</a>'
            f"{boxes}{gold}"
            f'<span class="hint">hover a mark for all its fields</span></nav>')


def _counts(release: Release) -> dict[str, int]:
    return {"quotes": len(release.quotes), "speakers": len(release.speakers),
            "organizations": len({m.get("org_id") for m in release.mentions}),
            "dates": len(release.dates), "statistics": len(release.statistics),
            "boilerplate": sum(bool(s.get("is_boilerplate")) for s in release.sentences)}


def _issue_counts(issues: Sequence[dict]) -> Counter:
    return Counter(i.get("kind") for i in issues)


def index_html(releases: Sequence[Release], issues: Mapping[str, Sequence[dict]] | None) -> str:
    """The list of releases with their counts (and gold issue counts), each a link."""
    headers = ["release", "reference date", "quotes", "speakers", "orgs", "dates", "stats", "boilerplate"]
    if issues is not None:
        headers += ["missed", "false hits", "wrong"]
    rows = []
    for r in releases:
        c = _counts(r)
        title = r.doc.get("title") or r.doc_id
        row = [f'<a href="#{anchor("doc", r.doc_id)}">{_e(title)}</a>'
               f'<span class="doc-id">{_e(r.doc_id)}</span>',
               _e(r.doc.get("reference_date"))]
        row += [_num(c[k]) for k in ("quotes", "speakers", "organizations", "dates",
                                     "statistics", "boilerplate")]
        if issues is not None:
            ic = _issue_counts(issues.get(r.doc_id, ()))
            row += [_num(ic["miss"], bad=True), _num(ic["false_hit"], bad=True),
                    _num(ic["mismatch"], bad=True)]
        rows.append(row)
    numeric = list(range(2, len(headers)))
    return (f'<section class="panel" id="index"><h2>Releases ({len(releases)})</h2>'
            f"{grid(headers, rows, numeric=numeric, raw=True)}</section>")


def _num(n: int, bad: bool = False) -> str:
    if not n:
        return '<span class="zero">0</span>'
    return f'<span class="poor">{n}</span>' if bad else str(n)


def _pct(x: float | None) -> str:
    if x is None:
        return '<span class="zero">–</span>'
    cls = "good" if x >= 0.9 else "poor" if x < 0.6 else ""
    return f'<span class="{cls}">{x:.3f}</span>' if cls else f"{x:.3f}"


def scores_html(report: Mapping[str, Any]) -> str:
    """Gold scores (evaluate.report_to_json): first a compact table, one row per table with
    its main P/R/F1 and how many misses, false hits and wrong fields it has; then, folded,
    every metric and the accuracies on matched pairs."""
    summary, rows, acc_rows = [], [], []
    for name, t in report.get("tables", {}).items():
        label = _e(t.get("label", name))
        counts = t.get("counts", {})
        for metric, c in counts.items():
            rows.append([label, _e(metric), _pct(c.get("precision")), _pct(c.get("recall")),
                         _pct(c.get("f1")), _e(c.get("n_gold")), _e(c.get("n_pred")), _e(c.get("tp"))])
        for metric, a in t.get("accuracies", {}).items():
            acc_rows.append([label, _e(metric), _pct(a.get("accuracy")), _e(a.get("correct")),
                             _e(a.get("total"))])
        if name == "quotes_all":
            continue
        ic = _issue_counts(t.get("issues", []))
        main = next(iter(counts.items()), None)
        if main:
            metric, c = main
            cells = [_e(metric), _pct(c.get("precision")), _pct(c.get("recall")), _pct(c.get("f1"))]
        else:
            accs = t.get("accuracies", {}).values()
            right, total = sum(a.get("correct") or 0 for a in accs), sum(a.get("total") or 0 for a in accs)
            cells = ["fields right", "", "", _pct(right / total if total else None)]
        summary.append([label, *cells, _num(ic["miss"], True), _num(ic["false_hit"], True),
                        _num(ic["mismatch"], True)])
    extra = ""
    if report.get("missing_docs"):
        extra += f'<p class="poor">Gold releases with no predictions: {_e(report["missing_docs"])}</p>'
    if report.get("gold_errors"):
        extra += "<p class=poor>Gold files skipped for format errors:</p><ul>" + "".join(
            f"<li>{_e(g.get('file'))}: {_e(g.get('key'))}: {_e(g.get('message'))}</li>"
            for g in report["gold_errors"]) + "</ul>"
    if report.get("warnings"):
        extra += "<details class=more><summary>Warnings</summary><ul>" + "".join(
            f"<li>{_e(w)}</li>" for w in report["warnings"]) + "</ul></details>"
    return (f'<section class="panel" id="scores"><h2>Gold scores</h2>'
            f'<p class="intro">{_e(report.get("n_docs"))} release(s) of gold '
            f'<code>{_e(report.get("gold_dir"))}</code> scored with <code>pipeline evaluate</code>. '
            f"Each release below lists its own misses, false hits and wrong fields, "
            f"marked in its text.</p>"
            f"{grid(['table', 'metric', 'P', 'R', 'F1', 'missed', 'false hits', 'wrong fields'], summary, numeric=[2, 3, 4, 5, 6, 7], raw=True)}"
            f'<details class="more"><summary>Every metric, and accuracy on matched pairs</summary>'
            f'<div class="scores"><div><h3>Found: precision, recall, F1</h3>'
            f"{grid(['table', 'metric', 'P', 'R', 'F1', 'gold', 'pred', 'matched'], rows, numeric=[2, 3, 4, 5, 6, 7], raw=True)}"
            f"</div><div><h3>Right on matched pairs</h3>"
            f"{grid(['table', 'field', 'accuracy', 'right', 'of'], acc_rows, numeric=[2, 3, 4], raw=True)}"
            f"</div></div></details>{extra}</section>")


def _issue_line(note: GoldNote) -> str:
    i = note.issue
    # a document field issue carries the gold title as its text: shown as the gold value
    show_text = i.get("text") is not None and i.get("table") != "documents"
    text = f"“{i.get('text')}”" if show_text else ""
    if i.get("kind") == "miss":
        body = f'<span class="tag">missed</span> {_e(text)}'
    elif i.get("kind") == "false_hit":
        body = f'<span class="tag">false hit</span> {_e(text)}'
    else:
        shown = (f" (pipeline span “{_e(i.get('pred_text'))}”)"
                 if i.get("pred_text") and normalize(i.get("pred_text")) != normalize(i.get("text")) else "")
        what = f" {_e(text)}{shown}" if text else ""
        body = (f'<span class="tag">wrong {_e(i.get("field"))}</span>{what}: gold '
                f'<b>{_e(_issue_value(i.get("gold")))}</b>, pipeline <b>{_e(_issue_value(i.get("pred")))}</b>')
    where = (f' <a href="#{html.escape(note.target)}">show in text</a>' if note.target
             else ' <span class="zero">(not placed in the text)</span>'
             if i.get("kind") == "miss" and ISSUE_KIND.get(i.get("table")) in ("quote", "date", "stat", "org")
             else "")
    return f"<li>{body}{where}</li>"


def gold_box_html(notes: Sequence[GoldNote], labels: Mapping[str, str]) -> str:
    """A release's gold issues grouped by table, each linking to its place in the text."""
    if not notes:
        return '<div class="gold-box clean"><span class="good">Gold: no miss, no false hit, no wrong field.</span></div>'
    groups: dict[str, list[GoldNote]] = {}
    for n in notes:
        groups.setdefault(n.issue.get("table") or "?", []).append(n)
    parts = []
    for table, items in groups.items():
        parts.append(f"<div><b>{_e(labels.get(table, table))}</b><ul>"
                     + "".join(_issue_line(n) for n in items) + "</ul></div>")
    c = _issue_counts([n.issue for n in notes])
    return (f'<div class="gold-box"><b>Gold:</b> {c["miss"]} missed, {c["false_hit"]} false hit(s), '
            f'{c["mismatch"]} wrong field(s){"".join(parts)}</div>')


def speakers_html(release: Release) -> str:
    """Who speaks in the release (anchors for the quote labels): name, title, organization,
    number of quotes. Speakers of quotes missing from the speakers table are listed too."""
    doc_id = release.doc_id
    items, seen = [], set()
    for s in release.speakers:
        pid = s.get("person_id")
        seen.add(pid)
        org = release.orgs.get(str(s.get("organization_id"))) if not _missing(s.get("organization_id")) else None
        role = ", ".join(p for p in (s.get("title"), org_label(org, s.get("organization"))) if p)
        items.append((pid, person_name(release, pid), role, s.get("n_quotes")))
    for pid, n in Counter(q.get("speaker_id") for q in release.quotes
                          if not _missing(q.get("speaker_id"))).items():
        if pid not in seen:
            items.append((pid, person_name(release, pid), "", n))
    if not items:
        return ""
    lis = "".join(
        f'<li id="{anchor("sp", doc_id, pid)}" data-person="{html.escape(str(pid), quote=True)}">'
        f'<b>{_e(name)}</b>{" — " + _e(role) if role else ""} '
        f'<span class="role">({_e(n)} quote{"s" if n != 1 else ""})</span></li>'
        for pid, name, role, n in items)
    return f'<ul class="speakers" aria-label="speakers">{lis}</ul>'


def tables_html(release: Release) -> str:
    """The release's extractions as tables, folded away under the text."""
    quotes = [[q.get("quote_id"), q.get("kind"), q.get("text"), person_name(release, q.get("speaker_id")),
               q.get("speaker_mention"), q.get("cue")] for q in release.quotes]
    by_org: dict[str, list[dict]] = {}
    for m in release.mentions:
        by_org.setdefault(str(m.get("org_id")), []).append(m)
    orgs = [[org_label(release.orgs.get(oid), oid), oid, len(ms),
             ", ".join(dict.fromkeys(str(m.get("text")) for m in ms))] for oid, ms in by_org.items()]
    dates = [[d.get("text"), d.get("value"), d.get("kind"), d.get("granularity"), d.get("start"),
              d.get("end")] for d in release.dates]
    stats = [[s.get("text"), fmt_value(s.get("value")), s.get("unit"), s.get("qualifier"),
              s.get("subject"), s.get("source")] for s in release.statistics]
    c = _counts(release)
    return (f'<details class="more"><summary>Extractions as tables: {c["quotes"]} quotes, '
            f'{c["organizations"]} organizations, {c["dates"]} dates, {c["statistics"]} statistics</summary>'
            f"<h3>Quotes</h3>{grid(['#', 'kind', 'text', 'speaker', 'as written', 'cue'], quotes, numeric=[0])}"
            f"<h3>Organizations</h3>{grid(['organization', 'org_id', 'mentions', 'written as'], orgs, numeric=[2])}"
            f"<h3>Dates</h3>{grid(['text', 'value', 'kind', 'granularity', 'start', 'end'], dates)}"
            f"<h3>Statistics</h3>{grid(['text', 'value', 'unit', 'qualifier', 'subject', 'source'], stats, numeric=[1])}"
            f"</details>")


def meta_html(release: Release, notes: Sequence[GoldNote]) -> str:
    """The document fields, with gold's value next to a wrong one."""
    wrong = {n.issue.get("field"): n.issue for n in notes
             if n.issue.get("table") == "documents" and n.issue.get("kind") == "mismatch"}
    d = release.doc
    ref = fmt_cell(d.get("reference_date"))
    if d.get("reference_source"):
        ref += f" (from {d['reference_source']})"
    fields = [("source", fmt_cell(d.get("source")), None), ("title", None, "title"),
              ("dateline", fmt_cell(d.get("dateline")), "dateline"),
              ("published", fmt_cell(d.get("published")), "published"),
              ("reference date", ref, "reference_date"),
              ("sentences", fmt_cell(d.get("n_sentences")), None)]
    out = []
    for label, value, key in fields:
        issue = wrong.get(key)
        if value is None and issue is None:
            continue
        if issue:
            shown = (f"{html.escape(fmt_cell(issue.get('pred')) or '—')}"
                     f'<span class="gold">≠ gold: {html.escape(_issue_value(issue.get("gold")))}</span>')
        else:
            shown = html.escape(value or "—")
        out.append(f'<dt>{label}</dt><dd{" class=bad" if issue else ""}>{shown}</dd>')
    return f'<dl class="meta">{"".join(out)}</dl>'


def release_html(release: Release, issues: Sequence[dict] | None,
                 labels: Mapping[str, str]) -> str:
    """One release: title, fields, speakers, the highlighted text, gold issues, tables."""
    marks = release_marks(release)
    notes = apply_gold(release, marks, issues) if issues is not None else []
    title = release.doc.get("title") or release.doc_id
    text = (f'<div class="text">{render_marked(release.text, marks)}</div>' if release.text
            else '<p class="zero">The documents table has no text for this release.</p>')
    gold = gold_box_html(notes, labels) if issues is not None else ""
    return (f'<article class="release" id="{anchor("doc", release.doc_id)}" '
            f'data-doc="{html.escape(release.doc_id, quote=True)}"><details open>'
            f'<summary><h2>{_e(title)}</h2><span class="doc-id">{_e(release.doc_id)}</span></summary>'
            f"{meta_html(release, notes)}{speakers_html(release)}{text}{gold}{tables_html(release)}"
            f'<p class="backlink"><a href="#index">↑ back to the list of releases</a></p>'
            f"</details></article>")


def errors_html(errors: Sequence[dict]) -> str:
    """Releases the run skipped, and why."""
    if not errors:
        return ""
    rows = [[e.get("doc_id"), e.get("source"), e.get("stage"), e.get("message")] for e in errors]
    return (f'<section class="panel" id="errors"><h2>Skipped releases ({len(errors)})</h2>'
            f"{grid(['doc_id', 'source', 'stage', 'message'], rows)}</section>")


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


def build_page(tables: Mapping[str, Sequence[dict]], report: Mapping[str, Any] | None = None,
               source: str = "", css: str | None = None) -> str:
    """The whole page from table rows (plain dicts) and an optional evaluate report
    (``report_to_json``); with a report, gold misses, false hits and wrong fields are marked."""
    releases = group_releases(tables)
    issues: dict[str, list[dict]] | None = None
    labels: dict[str, str] = {}
    if report is not None:
        issues = {r.doc_id: [] for r in releases}
        for name, t in report.get("tables", {}).items():
            labels[name] = t.get("label", name)
            if name == "quotes_all":
                continue
            for i in t.get("issues", []):
                issues.setdefault(str(i.get("doc_id")), []).append(i)
    css = CSS_FILE.read_text(encoding="utf-8") if css is None else css
    n_ex = {k: len(tables.get(k, ())) for k in ("quotes", "organization_mentions", "dates", "statistics")}
    intro = (f"{len(releases)} release(s) from <code>{html.escape(source)}</code>: "
             f"{n_ex['quotes']} quotes, {n_ex['organization_mentions']} organization mentions, "
             f"{n_ex['dates']} dates, {n_ex['statistics']} statistics. "
             "Highlights follow the legend above; untick a type to read the text without it. "
             "Quote labels link to the speaker; labels show date values and statistic fields, "
             "and the tooltip of any mark lists all its fields.")
    body = [legend_html(report is not None), "<main>",
            f'<h1 id="top">Extraction review</h1><p class="intro">{intro}</p>']
    if report is not None:
        body.append(scores_html(report))
    body.append(index_html(releases, issues))
    body.append(errors_html(tables.get("errors", ())))
    if not releases:
        body.append('<section class="panel"><p>No releases in this outputs folder.</p></section>')
    for r in releases:
        body.append(release_html(r, issues.get(r.doc_id, []) if issues is not None else None, labels))
    body.append("</main>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Extraction review — {len(releases)} release(s)</title>"
            f"<style>\n{css}\n</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


# --------------------------------------------------------------------------------------
# I/O
# --------------------------------------------------------------------------------------

def load_tables(pred_dir: Path) -> dict[str, list[dict]]:
    """Rows of every output table as plain dicts (``pipeline.run.tables.read_table``, so both
    output layouts work). ``documents`` is required (FileNotFoundError); any other table
    that is absent reads as empty."""
    from pipeline.run.tables import read_table

    pred_dir = Path(pred_dir)
    out: dict[str, list[dict]] = {"documents": read_table(pred_dir, "documents").to_pylist()}
    for name in TABLES[1:]:
        try:
            out[name] = read_table(pred_dir, name).to_pylist()
        except FileNotFoundError:
            out[name] = []
    return out


def write_report(pred_dir: Path, out_path: Path, gold_dir: Path | None = None) -> Path:
    """Write the review page of an outputs folder (gold issues marked when ``gold_dir`` is
    given) to ``out_path``, atomically; returns the path."""
    import os
    import tempfile

    report = None
    if gold_dir is not None:
        from pipeline.review.evaluate import evaluate, report_to_json

        report = report_to_json(evaluate(Path(gold_dir), Path(pred_dir)))
    page = build_page(load_tables(pred_dir), report, source=str(pred_dir))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path
