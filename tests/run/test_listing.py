"""The inputs as columns (pipeline/run/listing.py): the walk's order, which files need not be
opened, and that reading with the store's index gives what reading every file gives."""
import json
import os
from pathlib import Path

import pyarrow as pa

from pipeline.ingest.decode import clean_name
from pipeline.ingest.readers import doc_id_for, find_files, scan_folder, split_suffix
from pipeline.run.inputs import file_state, read_inputs
from pipeline.run.listing import unchanged, walk
from pipeline.run.store import Entry, _entry_table, doc_hash, part_keys

TEXT = "Harbour opens\n\nPORTVALE, 2 May 2025 - The council said the harbour opens in June.\n"
NAMES = ("b.txt", "a/x.txt", "a b/y.txt", "a/b/z.TXT", "a.b/c.html", "Z.txt", "é.txt",
         "é/w.txt", os.fsdecode(b"a/\xff.txt"), "a/q.jsonl", ".h.txt", "a/.z.txt",
         ".git/k.txt", "notes.md", "a.txt")


def _tree(root: Path, names=NAMES) -> Path:
    for rel in names:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(TEXT.replace("June", clean_name(rel)), encoding="utf-8")
    return root


def _index(root: Path, inputs, fingerprint="fp") -> pa.Table:
    """A store index recording every release of ``inputs`` as read from its file now."""
    rows = []
    for r in inputs.releases:
        if r.format == "jsonl":
            continue
        st = os.stat(r.source)
        rows.append(Entry(doc_hash(r.doc_id), r.doc_id, r.sha256[:16], fingerprint,
                          "part-000000.parquet", r.source, file_state(st.st_size, st.st_mtime_ns)))
    return _entry_table(rows)


def test_files_come_in_path_order_as_tuples_of_parts_compare(tmp_path):
    root = _tree(tmp_path / "in")
    (root / "link.txt").symlink_to(root / "b.txt")  # read, as the file it names
    (root / "broken.txt").symlink_to(root / "gone.txt")  # neither file nor folder
    release, hidden, other = scan_folder(root)
    expected = sorted(tuple(Path(n).parts) for n in (*NAMES, "link.txt")
                      if split_suffix(Path(n).name)[1] in {".txt", ".html", ".jsonl"}
                      and not any(part.startswith(".") for part in Path(n).parts))
    assert [f.rel for f in release] == expected
    assert [f.rel for f in hidden] == [(".h.txt",), ("a", ".z.txt")]
    assert [f.rel for f in other] == [("notes.md",)]
    w = walk(root)
    assert [w.found(i) for i in range(len(w))] == release
    assert w.doc_ids() == [doc_id_for(Path(f.path), root) for f in release]
    assert w.doc_ids()[:3] == ["Z", "a__b__z", "a__q"]
    assert w.sources() == [clean_name(f.path) for f in release]
    assert {"é", "é__w", "a__\ufffd"} <= set(w.doc_ids())  # not ASCII: clean_name
    one = walk(root / "a" / "x.txt")  # a file named on its own
    assert [one.found(0)] == find_files(root / "a" / "x.txt")[0] and one.doc_ids() == ["x"]


def test_a_symlink_loop_is_walked_as_far_as_the_readers_walk_it(tmp_path):
    """Each file is stat'ed by its full path, as ``scan_folder`` does: past the system's
    limit of links in one path, neither finds a file (relative to the open folder, the walk
    found one more, which no reader could open)."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "link.txt").symlink_to(root / "a.txt")
    (root / "loop").symlink_to(root)
    release = scan_folder(root)[0]
    w = walk(root)
    assert [w.found(i) for i in range(len(w))] == release and len(release) > 2


def test_only_files_the_index_holds_as_they_are_need_not_be_opened(tmp_path):
    root = _tree(tmp_path / "in", ("same.txt", "touched.txt", "moved.txt", "big.txt",
                                   "twin.txt", "twin.html", "kept.txt", "batch.jsonl"))
    (root / "big.txt").write_text(TEXT * 3, encoding="utf-8")
    first = read_inputs([root])
    index = _index(root, first)
    os.utime(root / "touched.txt", ns=(1, 1))
    index = index.set_column(5, "source", pa.array(
        [s.replace("moved.txt", "old/moved.txt") for s in index["source"].to_pylist()]))
    w = walk(root)
    (match,), (ids,) = unchanged([w], index, max_bytes=os.path.getsize(root / "same.txt"))
    not_opened = sorted(ids[i] for i in range(len(w)) if i not in match.others)
    assert not_opened == ["kept", "same"]  # big: over the limit; twins: one doc_id
    assert sorted(match.stored.to_pylist()) == sorted(doc_hash(d) for d in not_opened)
    assert unchanged([w], None, 10**9)[0][0].others == list(range(len(w)))


def _read(paths, index=None):
    got = read_inputs(paths, index)
    return ([(r.doc_id, r.source) for r in got.releases], got.errors,
            sorted(h for a in got.cached for h in a.to_pylist()))


def test_reading_with_the_index_gives_what_reading_every_file_gives(tmp_path):
    """Files not opened count as read; duplicates, JSONL records that reuse a file's doc_id
    (before or after it, in read order) and errors come out as reading all would make them."""
    root = _tree(tmp_path / "in", ("a.txt", "b.txt", "c.txt", "c.html", "d.txt"))
    early = tmp_path / "early.jsonl"
    early.write_text(json.dumps({"doc_id": "b", "text": TEXT}), encoding="utf-8")
    late = tmp_path / "late.jsonl"
    late.write_text(json.dumps({"doc_id": "d", "text": TEXT}), encoding="utf-8")
    paths = [early, root, late, tmp_path / "absent.txt"]
    releases, errors, _ = _read(paths)
    index = _index(root, read_inputs([root]))
    fast_releases, fast_errors, cached = _read(paths, index)
    assert fast_errors == errors
    opened = dict(fast_releases)
    # d.txt is stored as it is, but a JSONL record has its doc_id: it is read, in order
    assert {d: s for d, s in releases if d not in opened} == {"a": str(root / "a.txt")}
    assert [r for r in releases if r[0] in opened] == fast_releases
    assert cached == [doc_hash("a")]
    assert any("duplicate doc_id 'b'" in e["message"] for e in errors)  # the file after it
    assert any("duplicate doc_id 'd'" in e["message"] for e in errors)  # the record after it


def test_a_partition_key_hashes_its_releases_in_order():
    import hashlib

    rows = [Entry(f"h{i}", f"d{i}", "s", "fp", f"part-{i % 2}", None if i == 3 else f"in/{i}",
                  "1:1") for i in range(6)]
    keys = part_keys(_entry_table(rows))
    for part in ("part-0", "part-1"):
        text = "".join(f"{e.h}\t{e.sha}\t{e.fingerprint}\t{e.source or chr(0)}\t\n"
                       for e in sorted(rows) if e.part == part)
        assert keys[part] == hashlib.sha256(text.encode()).hexdigest()[:24]
    assert part_keys(_entry_table(rows[:5]))["part-0"] == keys["part-0"]
    assert part_keys(_entry_table(rows[:5]))["part-1"] != keys["part-1"]
