"""``pipeline show DOC_ID``: one release's extractions in the terminal, like ``spacy debug``.

The release text comes first with every extraction coloured in place (quotes, the speaker as
written, organizations, dates, statistics; boilerplate dimmed), then one table per kind.
Only the rows of that release are read (a filter on ``doc_id`` in the Parquet scan), so it
is quick on a large outputs folder.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.review.marks import Release, group_releases, org_label, person_name, release_marks
from pipeline.review.render import fmt_cell, fmt_value

# Rich styles per mark kind; overlapping marks combine (a date inside a quote is both).
STYLES = {"quote": "green", "speaker": "bold green", "org": "bold cyan", "date": "magenta underline",
          "stat": "bold yellow", "boiler": "dim", "heading": "bold"}
PER_RELEASE = ("documents", "sentences", "quotes", "speakers", "organization_mentions",
               "dates", "statistics")


class ShowError(LookupError):
    """No such release (or no tables) in the outputs folder."""


def load_release(pred_dir: Path, doc_id: str) -> Release:
    """One release's rows from every table, with the people and organizations it uses."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    from pipeline.run.tables import read_table, table_path

    pred_dir = Path(pred_dir)

    def rows(name: str, where=None) -> list[dict]:
        path = table_path(pred_dir, name)
        if not path.exists():
            return []
        return ds.dataset(path, format="parquet").to_table(filter=where).to_pylist()

    try:
        docs = read_table(pred_dir, "documents").select(["doc_id"]).column("doc_id").to_pylist()
    except FileNotFoundError:
        raise ShowError(f"no output tables in {pred_dir} (run `python -m pipeline run --out "
                        f"{pred_dir}` first)") from None
    if doc_id not in docs:
        close = difflib.get_close_matches(doc_id, [str(d) for d in docs], n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ShowError(f"no release {doc_id!r} in {pred_dir}{hint}")
    this = pc.field("doc_id") == doc_id
    tables = {name: rows(name, this) for name in PER_RELEASE}
    people = {q.get("speaker_id") for q in tables["quotes"]} | {s.get("person_id") for s in tables["speakers"]}
    orgs = {m.get("org_id") for m in tables["organization_mentions"]} | {
        s.get("organization_id") for s in tables["speakers"]} | {
        q.get("speaker_org_id") for q in tables["quotes"]}
    tables["people"] = rows("people", pc.field("person_id").isin([p for p in people if p]))
    tables["organizations"] = rows("organizations", pc.field("org_id").isin([o for o in orgs if o]))
    return group_releases(tables)[0]


def marked_text(release: Release) -> Text:
    """The release text with each extraction styled where it is."""
    text = Text(release.text)
    for m in sorted(release_marks(release), key=lambda m: (m.end - m.start), reverse=True):
        style = STYLES.get(m.kind)
        if style and 0 <= m.start < m.end <= len(release.text):
            text.stylize(style, m.start, m.end)
    return text


def _table(title: str, headers: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=f"{title} ({len(rows)})", title_justify="left", show_lines=False,
              header_style="bold")
    for h in headers:
        t.add_column(h, overflow="fold")
    for r in rows:
        t.add_row(*(fmt_cell(v) for v in r))
    return t


def release_view(release: Release) -> list[RenderableType]:
    """What ``show`` prints: the header, the marked text, the legend, and the tables."""
    d = release.doc
    head = Text.assemble((d.get("title") or release.doc_id, "bold"), "\n",
                         (f"{release.doc_id} · {fmt_cell(d.get('source'))}", "dim"), "\n",
                         f"dateline {fmt_cell(d.get('dateline')) or '–'} · published "
                         f"{fmt_cell(d.get('published')) or '–'} · reference date "
                         f"{fmt_cell(d.get('reference_date')) or '–'}")
    legend = Text.assemble(*[part for kind, label in (
        ("quote", "quote"), ("speaker", "speaker"), ("org", "organization"), ("date", "date"),
        ("stat", "statistic"), ("boiler", "boilerplate")) for part in ((label, STYLES[kind]), "  ")])
    orgs_by = {str(o.get("org_id")): o for o in release.orgs.values()}
    quotes = [[q.get("quote_id"), q.get("kind"),
               person_name(release, q.get("speaker_id"))
               or org_label(orgs_by.get(str(q.get("speaker_org_id"))), None)
               or q.get("speaker_mention"), q.get("cue"), q.get("text")] for q in release.quotes]
    seen: dict[str, list[str]] = {}
    for m in release.mentions:
        seen.setdefault(str(m.get("org_id")), []).append(str(m.get("text")))
    orgs = [[org_label(orgs_by.get(oid), oid), oid, len(ts), ", ".join(dict.fromkeys(ts))]
            for oid, ts in seen.items()]
    speakers = [[person_name(release, s.get("person_id")), s.get("title"),
                 org_label(orgs_by.get(str(s.get("organization_id"))), s.get("organization")),
                 s.get("n_quotes")] for s in release.speakers]
    dates = [[x.get("text"), x.get("value"), x.get("kind"), x.get("granularity")]
             for x in release.dates]
    stats = [[x.get("text"), fmt_value(x.get("value")), x.get("unit"), x.get("qualifier"),
              x.get("subject"), x.get("source")] for x in release.statistics]
    return [
        Panel(head, expand=False),
        Panel(marked_text(release), title="text", title_align="left"),
        legend,
        _table("Quotes", ["#", "kind", "speaker", "cue", "text"], quotes),
        _table("Speakers", ["name", "title", "organization", "quotes"], speakers),
        _table("Organizations", ["organization", "org_id", "mentions", "written as"], orgs),
        _table("Dates", ["text", "value", "kind", "granularity"], dates),
        _table("Statistics", ["text", "value", "unit", "qualifier", "subject", "source"], stats),
    ]


def render(release: Release) -> Group:
    return Group(*release_view(release))
