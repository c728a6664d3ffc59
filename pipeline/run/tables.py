"""Arrow schemas of the output contract (docs/tables.md), and the writer.

Every table's schema lives here and nowhere else: the runner, the resolver, the evaluator
and the tests import it. Core columns are a public contract; extra columns come after them.

Layout: a folder of Parquet parts per table, ``<out>/<table>/part-NNNNNN.parquet``, one per
partition of the row store, each sorted by ``SORT_KEYS`` (written per generation by
pipeline/run/partitions.py and pipeline/run/outputs.py). ``pd.read_parquet("outputs/quotes")`` and
DuckDB's ``SELECT * FROM 'outputs/quotes/*.parquet'`` both read it.
"""
from __future__ import annotations

import datetime as dt
from array import array
from itertools import accumulate
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

S, I32, F64, B, D = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", S), ("source", S), ("sha256", S), ("title", S), ("dateline", S),
        ("published", D), ("reference_date", D), ("n_sentences", I32),
        # extras
        ("dateline_text", S), ("reference_source", S), ("encoding", S), ("format", S),
        ("url", S), ("text", S), ("repairs", pa.list_(S)),
    ]),
    "sentences": pa.schema([
        ("doc_id", S), ("sentence_id", I32), ("paragraph_id", I32), ("start_char", I32),
        ("end_char", I32), ("text", S), ("section", S), ("is_boilerplate", B),
        # extras
        ("is_heading", B), ("is_list_item", B),
    ]),
    "quotes": pa.schema([
        ("doc_id", S), ("quote_id", I32), ("sentence_id", I32), ("start_char", I32),
        ("end_char", I32), ("text", S), ("kind", S), ("speaker_id", S),
        ("speaker_mention", S), ("cue", S),
        # extras
        ("speaker_org_id", S),
    ]),
    "people": pa.schema([
        ("person_id", S), ("name", S), ("honorific", S),
        # extras
        ("aliases", pa.list_(S)), ("n_documents", I32),
    ]),
    "speakers": pa.schema([
        ("doc_id", S), ("person_id", S), ("title", S), ("organization_id", S), ("n_quotes", I32),
        # extras
        ("name", S), ("honorific", S), ("organization", S),
    ]),
    "organizations": pa.schema([
        ("org_id", S), ("name", S), ("acronym", S), ("aliases", pa.list_(S)),
        # extras
        ("n_mentions", I32), ("n_documents", I32),
    ]),
    "organization_mentions": pa.schema([
        ("doc_id", S), ("org_id", S), ("sentence_id", I32), ("start_char", I32),
        ("end_char", I32), ("text", S),
        # extras
        ("name", S), ("acronym", S), ("method", S),
    ]),
    "dates": pa.schema([
        ("doc_id", S), ("sentence_id", I32), ("start_char", I32), ("end_char", I32),
        ("text", S), ("value", S), ("granularity", S), ("start", D), ("end", D), ("kind", S),
    ]),
    "statistics": pa.schema([
        ("doc_id", S), ("sentence_id", I32), ("start_char", I32), ("end_char", I32),
        ("text", S), ("value", F64), ("unit", S), ("qualifier", S), ("subject", S),
        ("source", S),
        # extras: "low" / "high" for the two ends of a stated range, else null
        ("range_bound", S),
    ]),
    "errors": pa.schema([
        ("doc_id", S), ("source", S), ("stage", S), ("message", S),
    ]),
}

# Deterministic row order: doc_id, then position in the text (or the natural key).
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sentence_id"],
    "quotes": ["doc_id", "quote_id"],
    "people": ["person_id"],
    "speakers": ["doc_id", "person_id"],
    "organizations": ["org_id"],
    "organization_mentions": ["doc_id", "start_char", "end_char"],
    "dates": ["doc_id", "start_char", "end_char"],
    "statistics": ["doc_id", "start_char", "end_char"],
    "errors": ["source", "stage"],
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _coerce(value: Any, typ: pa.DataType) -> Any:
    """Map '' to null and ISO strings to dates, so rows from any stage fit the schema."""
    if value is None or value == "":
        return None
    if pa.types.is_date(typ) and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if pa.types.is_list(typ) and value is not None:
        return [v for v in value if v not in (None, "")]
    return value


def _sort_value(v: Any) -> tuple:
    return (v is None, v if v is not None else 0)


def strings(values: Sequence[str]) -> pa.Array:
    """A string array of ``values`` (str, no None), built from its buffers: ``pa.array`` on a
    list asks pandas whether the list is array-like, and importing pandas costs a run that
    needs none of it 0.2 s."""
    encoded = [v.encode("utf-8") for v in values]
    ends = array("i", [0])
    ends.extend(accumulate(map(len, encoded)))
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(ends), pa.py_buffer(b"".join(encoded))])


def int64s(values: Sequence[int]) -> pa.Array:
    """An int64 array of ``values``, from its buffer (see ``strings``)."""
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(array("q", values))])


def from_tuples(schema: pa.Schema, rows: Sequence[tuple]) -> pa.Table:
    """A table of ``schema`` from rows given as tuples in its column order (the run's own
    files: the store index, entity indexes, what a corpus resolve keeps)."""
    cols = list(zip(*rows)) if rows else [() for _ in schema]
    return pa.Table.from_arrays([pa.array(list(c), f.type) for f, c in zip(schema, cols)],
                                schema=schema)


def to_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Build the Arrow table ``name`` from row dicts: schema order, coerced types, sorted rows."""
    schema = SCHEMAS[name]
    rows = list(rows)
    keys = SORT_KEYS[name]
    rows.sort(key=lambda r: tuple(_sort_value(r.get(k)) for k in keys))
    columns = {
        f.name: pa.array([_coerce(r.get(f.name), f.type) for r in rows], type=f.type)
        for f in schema
    }
    return pa.Table.from_pydict(columns, schema=schema)


def write_table(table: pa.Table, path: Path, metadata: Mapping[str, str]) -> None:
    """Write atomically: a temporary file in the same folder, then an ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(table.schema.metadata or {})
    meta.update({k.encode(): v.encode() for k, v in metadata.items()})
    table = table.replace_schema_metadata(meta)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for every reader
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_path(out_dir: Path, name: str) -> Path:
    """Where table ``name`` lives in ``out_dir``: the folder ``<name>/`` (current layout), or
    the single file ``<name>.parquet`` that older runs wrote."""
    folder = Path(out_dir) / name
    return folder if folder.exists() else Path(out_dir) / f"{name}.parquet"


def read_table(out_dir: Path, name: str) -> pa.Table:
    """Read one output table whatever its layout, rows in ``SORT_KEYS`` order (each part
    file is sorted, but parts follow the row store's partitions, not doc_id); raises
    FileNotFoundError if absent."""
    import pyarrow.dataset as ds

    path = table_path(out_dir, name)
    if not path.exists():
        raise FileNotFoundError(f"no table {name!r} in {out_dir}")
    table = ds.dataset(path, format="parquet").to_table()
    return table.sort_by([(k, "ascending") for k in SORT_KEYS[name]])

