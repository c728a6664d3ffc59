"""HTML review page: each release's text with every extraction highlighted by type.

People check extractions by eye before they trust them, so the page shows the text as the
pipeline stored it (``documents.text``; every offset indexes into it) with quotes linked to
their speaker, organizations, dates with their value, statistics with value, unit,
qualifier, subject and source, boilerplate dimmed, and, when a gold folder is given, the
misses, false hits and wrong fields of ``pipeline.review.evaluate`` marked where they occur;
a release with no gold file says "not annotated" and is not in the scores.

The work is split by job: ``render`` (marks nested from offsets, text search, labels),
``marks`` (one release's rows → marks), ``gold_marks`` (gold issues on the marks), ``page``
(the HTML). This module is the I/O: read the tables, choose the releases, write the page.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from pipeline.review.gold_marks import GoldNote, apply_gold, issues_by_release  # noqa: F401
from pipeline.review.marks import Release, group_releases, release_marks  # noqa: F401
from pipeline.review.page import CSS_FILE, build_page  # noqa: F401
from pipeline.review.render import (Mark, anchor, date_label, find_mention, find_text,  # noqa: F401
                                    fmt_value, quote_label, render_marked, stat_label,
                                    text_pattern)

TABLES = ("documents", "sentences", "quotes", "people", "speakers", "organizations",
          "organization_mentions", "dates", "statistics", "errors")


class SelectionError(ValueError):
    """The releases asked for are not in the outputs, or a filter needs gold."""


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


def with_issues(report: Mapping[str, Any], doc_ids: Sequence[str]) -> set[str]:
    """The annotated releases of ``doc_ids`` with at least one miss, false hit or wrong field."""
    issues, _ = issues_by_release(report, doc_ids)
    return {d for d, found in issues.items() if found}


def select(tables: Mapping[str, list[dict]], keep: set[str]) -> dict[str, list[dict]]:
    """The rows of the releases in ``keep``; corpus tables (people, organizations) whole."""
    return {name: [r for r in rows if "doc_id" not in r or r["doc_id"] in keep]
            for name, rows in tables.items()}


def choose(tables: Mapping[str, list[dict]], report: Mapping[str, Any] | None,
           doc_ids: Sequence[str] = (), only_issues: bool = False) -> tuple[dict, str]:
    """The tables of the releases a page shows, and a phrase saying which (empty when all).

    ``doc_ids`` keeps those releases (each must be in the outputs); ``only_issues`` keeps
    the annotated releases with a gold issue (it needs a gold report).
    """
    all_ids = [str(d["doc_id"]) for d in tables.get("documents", [])]
    keep = set(all_ids)
    said = []
    if doc_ids:
        unknown = sorted(set(doc_ids) - keep)
        if unknown:
            raise SelectionError(f"no release {', '.join(map(repr, unknown))} in the outputs")
        keep &= set(doc_ids)
        said.append("the releases named with --doc-id")
    if only_issues:
        if report is None:
            raise SelectionError("--only-issues needs --gold (issues are differences from gold)")
        keep &= with_issues(report, all_ids)
        said.append("only releases with a gold issue")
    if not said:
        return dict(tables), ""
    return select(tables, keep), f"{' and '.join(said)}: {len(keep)} of {len(all_ids)}"


def write_report(pred_dir: Path, out_path: Path, gold_dir: Path | None = None,
                 doc_ids: Sequence[str] = (), only_issues: bool = False) -> Path:
    """Write the review page of an outputs folder (gold issues marked when ``gold_dir`` is
    given; releases chosen with ``doc_ids``/``only_issues``, see ``choose``) to
    ``out_path``, atomically; returns the path. The scores cover every annotated release."""
    import os
    import tempfile

    if only_issues and gold_dir is None:
        raise SelectionError("--only-issues needs --gold (issues are differences from gold)")
    report = None
    tables = load_tables(pred_dir)
    if gold_dir is not None:
        from pipeline.review.evaluate import evaluate, report_to_json

        report = report_to_json(evaluate(Path(gold_dir), Path(pred_dir)))
    tables, subset = choose(tables, report, doc_ids, only_issues)
    page = build_page(tables, report, source=str(pred_dir), subset=subset)
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
