"""The corpus's entity index: what corpus resolve needs from each stored release, as columns.

Corpus resolve (pipeline/run/resolve.py) looks at the written forms of organizations and
people, never at a release's text. So each partition of the row store has a small companion
file, ``ent-NNNNNN.parquet``, one row per distinct (release, kind, key, extra):

- ``org``: an organization mention by its written form (``key`` = JSON of text, name and
  acronym as the extractor gave them);
- ``person``: a doc-local person by written name (``key``) and honorific (``extra``);
- ``affiliation``: the organization a quoted person is said to belong to, as written.

``n`` counts equal rows of one release. A run reads these files (a few dictionary-encoded
columns, a few bytes per entity) to resolve the whole corpus, instead of the rows of every
release; the resolvers give the same result on counted rows as on the rows they count.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable, Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.run.tables import from_tuples

ENT_SCHEMA = pa.schema([("h", pa.string()), ("kind", pa.string()), ("key", pa.string()),
                        ("extra", pa.string()), ("n", pa.int32())])
KINDS = ("org", "person", "affiliation")


def org_signature(mention: Mapping) -> str:
    """The written form of an organization mention: two mentions with equal signatures
    resolve to the same organization."""
    return json.dumps([mention.get("text"), mention.get("name"), mention.get("acronym")],
                      ensure_ascii=False)


def org_mention(signature: str) -> dict:
    """The mention fields of an ``org_signature`` (what the organization resolver reads)."""
    text, name, acronym = json.loads(signature)
    return {"text": text, "name": name, "acronym": acronym}


def entity_rows(h: str, light: Mapping[str, list]) -> list[tuple]:
    """The entity-index rows of one release, from its stored mentions and people."""
    counts: Counter = Counter()
    for m in light.get("organization_mentions") or []:
        counts[("org", org_signature(m), None)] += 1
    for p in light.get("doc_people") or []:
        if p.get("name"):
            counts[("person", p["name"], p.get("honorific") or None)] += 1
        if p.get("organization"):
            counts[("affiliation", p["organization"], None)] += 1
    return [(h, kind, key, extra, n) for (kind, key, extra), n in
            sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))]


def entity_table(rows: list[tuple]) -> pa.Table:
    return from_tuples(ENT_SCHEMA, rows)


def write_entities(rows: list[tuple], path: Path) -> None:
    pq.write_table(entity_table(rows), path, compression="zstd")


def read_entities(path: Path, live: set[str] | None = None) -> pa.Table:
    """One partition's entity rows, keeping only the releases in ``live`` (by doc_id hash)
    when given: a partition may still hold an older version of a release stored again."""
    table = pq.ParquetFile(path, read_dictionary=["kind", "key", "extra"]).read()
    return table if live is None else live_only(table, live)


def live_only(table: pa.Table, live: set[str]) -> pa.Table:
    """The entity rows of the releases ``live`` (by doc_id hash)."""
    return table.filter(pc.is_in(table["h"], pa.array(sorted(live), pa.string())))


def of_kind(table: pa.Table, kind: str) -> pa.Table:
    return table.filter(pc.equal(pc.cast(table["kind"], pa.string()), kind))


def _per_value(column: pa.ChunkedArray, decide: Callable[[pa.Array], pa.Array]) -> list[pa.Array]:
    """``decide`` (one result per dictionary value) taken row by row, chunk by chunk: each
    distinct value decided once rather than each row. Chunks of a unified column share one
    dictionary (every written form of the corpus): it is decided once, not per chunk."""
    chunks = []
    last: tuple[pa.Array, pa.Array] | None = None
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        if last is None or not chunk.dictionary.equals(last[0]):
            last = (chunk.dictionary, decide(chunk.dictionary))
        chunks.append(last[1].take(chunk.indices))
    return chunks


def map_keys(column: pa.ChunkedArray, mapping: Mapping[str, str | None]) -> pa.ChunkedArray:
    """Map a dictionary-encoded string column through ``mapping`` (unknown keys → null)."""
    return pa.chunked_array(_per_value(column, lambda values: pa.array(
        [mapping.get(v) for v in values.to_pylist()], pa.string())), pa.string())


def key_in(column: pa.ChunkedArray, values: list[str]) -> pa.ChunkedArray:
    """Which rows of a dictionary-encoded string column hold one of ``values`` (a null
    holds none)."""
    wanted = pa.array(values, pa.string())
    return pc.fill_null(pa.chunked_array(_per_value(
        column, lambda forms: pc.is_in(forms, value_set=wanted)), pa.bool_()), False)


def documents_per_id(table: pa.Table, ids: pa.ChunkedArray) -> dict[str, int]:
    """How many distinct releases (``h``) each id occurs in."""
    pairs = pa.table({"h": table["h"], "id": ids}).filter(pc.is_valid(ids))
    counted = pairs.group_by("id").aggregate([("h", "count_distinct")])
    return dict(zip(counted["id"].to_pylist(), counted["h_count_distinct"].to_pylist()))
