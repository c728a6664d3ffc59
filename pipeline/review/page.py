"""The review page's HTML: the legend, the index of releases, the gold scores, and one
article per release (fields, speakers, the highlighted text, gold issues, tables).

Every piece of text goes through ``html.escape``; the page is one self-contained file (the
stylesheet pipeline/review/report.css is inlined, no script, no external font).
"""
from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pipeline.review.gold_marks import ISSUE_KIND, GoldNote, issue_value, apply_gold, issues_by_release
from pipeline.review.marks import Release, group_releases, org_label, person_name, release_marks
from pipeline.review.matching import normalize
from pipeline.review.render import anchor, fmt_cell, fmt_value, missing, render_marked

CSS_FILE = Path(__file__).resolve().parent / "report.css"

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


NOT_ANNOTATED_CELL = '<span class="zero" title="no gold file for this release">not annotated</span>'
NOT_ANNOTATED_BOX = ('<div class="gold-box"><span class="zero">Gold: not annotated (no gold file '
                     'for this release; it is not in the scores).</span></div>')


def index_html(releases: Sequence[Release], issues: Mapping[str, Sequence[dict]] | None) -> str:
    """The list of releases with their counts, each a link; with gold, each annotated
    release's issue counts (``issues`` has a key for each release with a gold file)."""
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
        if issues is not None and r.doc_id not in issues:
            row += [NOT_ANNOTATED_CELL] * 3
        elif issues is not None:
            ic = _issue_counts(issues[r.doc_id])
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
                f'<b>{_e(issue_value(i.get("gold")))}</b>, pipeline <b>{_e(issue_value(i.get("pred")))}</b>')
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
        org = release.orgs.get(str(s.get("organization_id"))) if not missing(s.get("organization_id")) else None
        role = ", ".join(p for p in (s.get("title"), org_label(org, s.get("organization"))) if p)
        items.append((pid, person_name(release, pid), role, s.get("n_quotes")))
    for pid, n in Counter(q.get("speaker_id") for q in release.quotes
                          if not missing(q.get("speaker_id"))).items():
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
                     f'<span class="gold">≠ gold: {html.escape(issue_value(issue.get("gold")))}</span>')
        else:
            shown = html.escape(value or "—")
        out.append(f'<dt>{label}</dt><dd{" class=bad" if issue else ""}>{shown}</dd>')
    return f'<dl class="meta">{"".join(out)}</dl>'


def release_html(release: Release, issues: Sequence[dict] | None,
                 labels: Mapping[str, str], with_gold: bool = False) -> str:
    """One release: title, fields, speakers, the highlighted text, gold issues, tables.
    ``issues`` None with ``with_gold`` is a release without a gold file."""
    marks = release_marks(release)
    notes = apply_gold(release, marks, issues) if issues is not None else []
    title = release.doc.get("title") or release.doc_id
    text = (f'<div class="text">{render_marked(release.text, marks)}</div>' if release.text
            else '<p class="zero">The documents table has no text for this release.</p>')
    gold = (gold_box_html(notes, labels) if issues is not None
            else NOT_ANNOTATED_BOX if with_gold else "")
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


def build_page(tables: Mapping[str, Sequence[dict]], report: Mapping[str, Any] | None = None,
               source: str = "", css: str | None = None, subset: str = "") -> str:
    """The whole page from table rows (plain dicts) and an optional evaluate report
    (``report_to_json``); with a report, gold misses, false hits and wrong fields are marked,
    and a release without a gold file says "not annotated". ``subset`` says which releases
    a filtered page shows."""
    releases = group_releases(tables)
    issues: dict[str, list[dict]] | None = None
    labels: dict[str, str] = {}
    if report is not None:
        issues, labels = issues_by_release(report, [r.doc_id for r in releases])
    css = CSS_FILE.read_text(encoding="utf-8") if css is None else css
    n_ex = {k: len(tables.get(k, ())) for k in ("quotes", "organization_mentions", "dates", "statistics")}
    shown = f" ({html.escape(subset)})" if subset else ""
    intro = (f"{len(releases)} release(s) from <code>{html.escape(source)}</code>{shown}: "
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
        body.append(release_html(r, issues.get(r.doc_id) if issues is not None else None, labels,
                                 with_gold=report is not None))
    body.append("</main>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Extraction review — {len(releases)} release(s)</title>"
            f"<style>\n{css}\n</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")
