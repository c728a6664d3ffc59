"""Predictions: the pipeline's Parquet tables read into per-release rows for scoring.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pyarrow.parquet as pq
from pipeline.review.scores import EvaluationError
from pipeline.review.matching import (
    DATE_KINDS)

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
