"""Schemas and the atomic, deterministic writer."""
import datetime as dt

import pyarrow.parquet as pq
import pytest

from pipeline.run import tables


def test_every_contract_table_has_its_core_columns_first():
    core = {
        "documents": ["doc_id", "source", "sha256", "title", "dateline", "published", "reference_date", "n_sentences"],
        "quotes": ["doc_id", "quote_id", "sentence_id", "start_char", "end_char", "text", "kind", "speaker_id",
                   "speaker_mention", "cue"],
        "organizations": ["org_id", "name", "acronym", "aliases"],
    }
    for name, cols in core.items():
        assert tables.SCHEMAS[name].names[:len(cols)] == cols


def test_to_table_coerces_and_sorts():
    rows = [
        {"doc_id": "b", "sentence_id": 0, "start_char": 5, "end_char": 9, "text": "2021", "value": "2021",
         "granularity": "year", "start": "2021-01-01", "end": "2021-12-31", "kind": "absolute"},
        {"doc_id": "a", "sentence_id": 1, "start_char": 9, "end_char": 14, "text": "today", "value": "",
         "granularity": None, "start": None, "end": None, "kind": "relative"},
        {"doc_id": "a", "sentence_id": 0, "start_char": 0, "end_char": 4, "text": "2020", "value": "2020",
         "granularity": "year", "start": "2020-01-01", "end": "2020-12-31", "kind": "absolute"},
    ]
    t = tables.to_table("dates", rows)
    assert t.column("doc_id").to_pylist() == ["a", "a", "b"]
    assert t.column("start_char").to_pylist() == [0, 9, 5]
    assert t.column("value").to_pylist() == ["2020", None, "2021"]  # "" becomes null
    assert t.column("start").to_pylist()[0] == dt.date(2020, 1, 1)
    assert t.schema.field("start").type == tables.D


def test_write_is_atomic_and_carries_metadata(tmp_path, monkeypatch):
    t = tables.to_table("errors", [{"doc_id": "x", "source": "x.txt", "stage": "ingest", "message": "empty"}])
    path = tmp_path / "errors.parquet"
    tables.write_table(t, path, {"pipeline_version": "9.9"})
    meta = pq.read_schema(path).metadata
    assert meta[b"pipeline_version"] == b"9.9"
    # A crash while writing leaves the previous file intact and no temporary behind.
    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(tables.pq, "write_table", boom)
    with pytest.raises(RuntimeError):
        tables.write_table(tables.to_table("errors", []), path, {})
    assert pq.read_table(path).num_rows == 1
    assert [p.name for p in tmp_path.iterdir()] == ["errors.parquet"]
