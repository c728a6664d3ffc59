"""Tables written per partition: a run rewrites only the parts its changes fall in.

Each per-release table has one Parquet file per partition of the row store
(``<table>/part-000007.parquet`` holds the releases of ``.store/part-000007.parquet``). A new
generation (pipeline/run/outputs.py) gets, for each live partition, one of three things:

- **rebuild**: every table of the part is written from the stored rows. For a part that is
  new, lost or gained a release, holds a changed release or one whose file moved;
- **re-resolve**: only the resolved tables (quotes, organization mentions, speakers) are
  written, from the light rows, the others are hard links to the previous generation's files.
  For a part holding a written form whose id changed (a person who gained a fuller name, two
  organizations merged);
- **link**: every file is a hard link to the previous generation's (nothing to do).

The corpus tables (people, organizations) and ``errors`` are one file each, written every
time; the people and organizations are spliced into the previous generation's
(pipeline/run/splice.py). Without a previous generation, or with ``--full-resolve``, the
corpus is resolved whole and every part is rebuilt; the tables are the same either way
(tested), only the work differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.run import splice, tables
from pipeline.run.entities import entity_table
from pipeline.run.outputs import Generation, Previous
from pipeline.run.prefetch import Ahead
from pipeline.run.resolve import (PER_DOC_TABLES, RESOLVED_TABLES, CorpusResolution,
                                  release_rows, resolve_corpus)
from pipeline.run.store import RowStore

PART_TABLES = (*PER_DOC_TABLES, *RESOLVED_TABLES)
CORPUS_TABLES = ("people", "organizations")


@dataclass
class Plan:
    """What a run does with each live partition."""

    rebuild: list[str] = field(default_factory=list)
    reresolve: list[str] = field(default_factory=list)
    link: list[str] = field(default_factory=list)


def changed_forms(old: Mapping[str, Mapping[str, str | None]],
                  new: Mapping[str, Mapping[str, str | None]]) -> dict[str, set[str]]:
    """Per entity kind, the written forms whose id is not what it was."""
    return {kind: {k for k, v in forms.items() if old.get(kind, {}).get(k, "\0") != v}
            for kind, forms in new.items()}


def touched(index: Mapping[str, pa.Table], changed: Mapping[str, set[str]]) -> set[str]:
    """Partitions whose entity index holds a written form of ``changed``."""
    out = set()
    for part, table in index.items():
        if table.num_rows == 0:
            continue
        kind = pc.cast(table["kind"], pa.string())
        key = pc.cast(table["key"], pa.string())
        for k, forms in changed.items():
            if not forms:
                continue
            hit = pc.and_(pc.equal(kind, k), pc.is_in(key, pa.array(sorted(forms), pa.string())))
            if pc.any(hit).as_py():
                out.add(part)
                break
    return out


def plan(keys: Mapping[str, str], previous: Previous | None, touched_parts: set[str]) -> Plan:
    """Rebuild parts whose rows changed, re-resolve parts whose ids changed, link the rest."""
    p = Plan()
    for part in sorted(keys):
        if previous is None or previous.parts.get(part) != keys[part]:
            p.rebuild.append(part)
        elif part in touched_parts:
            p.reresolve.append(part)
        else:
            p.link.append(part)
    return p


def _resolve(corpus: pa.Table, previous: Previous | None, before: splice.Before | None = None
             ) -> tuple[CorpusResolution, splice.State]:
    """The corpus resolution: spliced into the previous run's where it kept what that needs
    (pipeline/run/splice.py; ``before`` if it was read already), else resolved whole."""
    if before is None and previous is not None:
        before = splice.before(previous.folder, previous.maps)
    if before is not None:
        s = splice.splice(corpus, before)
        return (CorpusResolution(s.organizations, s.people, s.org_of, s.person_of,
                                 s.affiliation_of), s.state)
    res = resolve_corpus(corpus)
    return res, splice.state_of(splice.aggregate(corpus), res.orgs, res.person_of,
                                res.affiliation_of)


def write(store: RowStore, include: pa.Table, keys: Mapping[str, str],
          gen: Generation, errors: list[dict], previous: Previous | None,
          ready: Ahead | None = None
          ) -> tuple[dict[str, int], dict[str, dict[str, int]], Plan, CorpusResolution]:
    """Write every table of the stored releases ``include`` (rows of the store index) into
    ``gen``; ``keys`` are their ``part_keys`` (the runner has them already); ``ready`` is
    what was read while the run's releases were parsed (pipeline/run/prefetch.py).

    Returns rows per table, rows per table of each part, the plan carried out, and the
    corpus resolution (whose maps the next run compares against).
    """
    index = store.entity_index(include, ready.parts if ready else None)
    corpus = pa.concat_tables(index.values()).unify_dictionaries() if index else entity_table([])
    res, state = _resolve(corpus, previous, ready.before if ready and previous is not None
                          and ready.previous is previous else None)
    gen.write_files(splice.FOLDER, {name: getattr(state, name) for name in splice.FILES})
    hit = touched(index, changed_forms(previous.maps, res.maps())) if previous else set()
    todo = plan(keys, previous, hit)
    per_part: dict[str, dict[str, int]] = {}

    def put(name: str, part: str | None, rows: list[dict] | pa.Table) -> int:
        table = rows if isinstance(rows, pa.Table) else tables.to_table(name, rows)
        gen.write_part(name, table, part)
        return table.num_rows

    parts = store.part_entries(todo.rebuild + todo.reresolve, include)
    for part in sorted(keys):
        es = parts.get(part, [])
        if part in todo.link:
            for name in PART_TABLES:
                gen.link_part(name, part, previous.folder)
            per_part[part] = previous.rows[part]
            continue
        rebuild = part in todo.rebuild
        stored = list(store.read(es, "both" if rebuild else "light"))
        source = {e.doc_id: e.source for e in es}
        out: dict[str, list[dict]] = {name: [] for name in PART_TABLES}
        for doc_id, rows in stored:
            for name, resolved in release_rows(rows, res).items():
                out[name].extend(resolved)
            if rebuild:
                for name in PER_DOC_TABLES:
                    out[name].extend(rows.get(name, []))
                for doc in rows.get("documents", []):
                    doc["source"] = source.get(doc_id) or doc.get("source")
        counts = {}
        for name in PART_TABLES:
            if rebuild or name in RESOLVED_TABLES:
                counts[name] = put(name, part, out[name])
            else:
                gen.link_part(name, part, previous.folder)
                counts[name] = previous.rows[part][name]
        per_part[part] = counts
    if not keys:  # an empty corpus still has every table, with its schema
        for name in PART_TABLES:
            put(name, None, [])
    totals = {name: sum(c.get(name, 0) for c in per_part.values()) for name in PART_TABLES}
    totals["people"] = put("people", None, res.people)
    totals["organizations"] = put("organizations", None, res.organizations)
    totals["errors"] = put("errors", None, errors)
    return {name: totals.get(name, 0) for name in tables.TABLES}, per_part, todo, res
