"""The entity index's column helpers (pipeline/run/entities.py)."""
import pyarrow as pa

from pipeline.run.entities import documents_per_id, key_in, map_keys


def test_map_keys_maps_each_chunk_through_its_own_dictionary():
    unified = pa.chunked_array([pa.array(["a", "b", "a"]).dictionary_encode(),
                                pa.array(["b", "c"]).dictionary_encode()])
    unified = pa.table({"key": unified}).unify_dictionaries()["key"]  # one shared dictionary
    apart = pa.chunked_array([pa.array(["a", "b"]).dictionary_encode(),
                              pa.array(["c", "a"]).dictionary_encode()])  # a dictionary each
    plain = pa.chunked_array([pa.array(["c", None, "a"])])
    mapping = {"a": "org-a", "b": None, "c": "org-c"}
    assert map_keys(unified, mapping).to_pylist() == ["org-a", None, "org-a", None, "org-c"]
    assert map_keys(apart, mapping).to_pylist() == ["org-a", None, "org-c", "org-a"]
    assert map_keys(plain, mapping).to_pylist() == ["org-c", None, "org-a"]


def test_documents_per_id_counts_releases_not_rows():
    table = pa.table({"h": ["r1", "r1", "r2", "r3"], "key": ["A", "B", "A", "C"]})
    ids = map_keys(table["key"], {"A": "x", "B": "x", "C": None})
    assert documents_per_id(table, ids) == {"x": 2}


def test_key_in_decides_each_chunk_through_its_own_dictionary():
    unified = pa.table({"key": pa.chunked_array([
        pa.array(["a", "b", "a"]).dictionary_encode(),
        pa.array(["b", "c"]).dictionary_encode()])}).unify_dictionaries()["key"]
    apart = pa.chunked_array([pa.array(["a", "b"]).dictionary_encode(),
                              pa.array(["c", "a"]).dictionary_encode()])
    plain = pa.chunked_array([pa.array(["c", None, "a"])])
    assert key_in(unified, ["a", "c"]).to_pylist() == [True, False, True, False, True]
    assert key_in(apart, ["a"]).to_pylist() == [True, False, False, True]
    assert key_in(plain, ["c"]).to_pylist() == [True, False, False]
