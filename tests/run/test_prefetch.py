"""Reading ahead while releases are parsed (pipeline/run/prefetch.py), and the checks that
keep what was read ahead from ever being used stale."""
import json

import pytest

from pipeline.run import outputs, prefetch, runner, store
from pipeline.run.store import ReadPart, RowStore

from tests.conftest import assert_same_outputs

RELEASE = """Harbour inspections expanded

OSLO, 3 March 2025 - The Harbour Safety Board announced new inspections on Monday.

"Every vessel will be checked," said Ms. Sara Lind, the chief inspector.
"""


def _code(out):
    """The writer key the current generation was written under (what a run would pass)."""
    gen = out / ".generations" / outputs.current_generation(out)
    return json.loads((gen / outputs.STATE).read_text())["code"]


def _stored(root, n=4):
    """A row store of ``n`` invented releases, two per partition (no parsing)."""
    rs = RowStore(root)
    items = [(f"r{i}", f"{i:064x}", {
        "documents": [{"doc_id": f"r{i}"}],
        "organization_mentions": [{"doc_id": f"r{i}", "text": f"Board {i}", "name": f"Board {i}"}],
        "doc_people": [{"doc_id": f"r{i}", "key": "k", "name": f"Ana Lind{i}"}]})
        for i in range(n)]
    rs.put_many(items, "fp")
    return rs


def test_a_partition_read_ahead_is_used_only_while_its_files_are_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PART_SIZE", 2)
    rs = _stored(tmp_path)
    parts = rs.index_table()
    truth = rs.entity_index(parts)
    part = sorted(truth)[0]
    ahead = rs.read_part(part)
    marked = ahead.table.slice(0, 1)  # a table the run could not have read itself
    same = rs.entity_index(parts, {part: ReadPart(ahead.stamp, ahead.releases, marked)})
    assert same[part].equals(marked)  # used: its files did not change
    stale = rs.entity_index(parts, {part: ReadPart(((0, 0, 0), None), ahead.releases, marked)})
    assert stale[part].equals(truth[part])  # read again: its files are not the ones read


def test_what_is_read_ahead_is_what_the_run_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PART_SIZE", 2)
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for i in range(3):
        (inp / f"r{i}.txt").write_text(RELEASE.replace("Sara", f"Sara{i}"), encoding="utf-8")
    runner.run([inp], out)
    code = _code(out)
    got = prefetch.Prefetch(RowStore(out), out, code, full_resolve=False).get(out)
    assert got.previous is not None and got.before is not None
    assert got.previous.maps == outputs.previous(out, code).maps
    rs = RowStore(out)
    assert got.parts and all(got.parts[p].table.equals(rs.read_part(p).table) for p in got.parts)
    assert prefetch.Prefetch(RowStore(out), out, code, full_resolve=True).get(out).before is None


def test_a_generation_committed_meanwhile_is_not_used(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text(RELEASE, encoding="utf-8")
    runner.run([inp], out)
    code = _code(out)
    ahead = prefetch.Prefetch(RowStore(out), out, code, full_resolve=False)
    (inp / "b.txt").write_text(RELEASE.replace("Oslo", "Bergen"), encoding="utf-8")
    runner.run([inp], out)  # another generation (the lock forbids it during a real run)
    got = ahead.get(out)
    assert got.previous is None and got.before is None


def test_a_lost_resolution_state_means_a_full_resolve_with_the_same_tables(tmp_path):
    inp, out, fresh = tmp_path / "in", tmp_path / "out", tmp_path / "fresh"
    inp.mkdir()
    (inp / "a.txt").write_text(RELEASE, encoding="utf-8")
    runner.run([inp], out)
    gen = out / ".generations" / outputs.current_generation(out)
    (gen / "RESOLUTION" / "forms.parquet").write_bytes(b"not parquet")
    (inp / "b.txt").write_text(RELEASE.replace("Ms. Sara Lind", "Ms. Lind"), encoding="utf-8")
    runner.run([inp], out)
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)


def test_background_gives_the_result_or_raises_in_the_caller():
    assert prefetch.Background(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        prefetch.Background(lambda: 1 / 0).result()
