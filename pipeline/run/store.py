"""Per-release rows kept between runs, so unchanged releases are never parsed twice.

Layout of ``<out>/.store/``::

    index.parquet            one row per stored release: h, doc_id, sha, fingerprint, part,
                             source (the input file it was last read from)
    part-000007.parquet      a batch of releases: h, doc_id, sha, fingerprint, light, heavy
    ent-000007.parquet       the entity index of that batch (pipeline/run/entities.py)

``h`` is a hash of the doc_id, ``sha`` the start of the release's sha256 and ``fingerprint``
the hash of the code and model that made the rows. ``light`` holds (as JSON) what corpus
resolve needs (mentions, people, quotes), ``heavy`` the rest (text, sentences, dates,
statistics): a run reads the index alone to decide what changed, then only the columns and
partitions it needs.

Writes are atomic: a new partition is written under a temporary name and renamed, then the
index is replaced (the commit point), then partitions that no longer hold a live release
are removed. A run killed at any moment leaves the previous index and its partitions
intact; a partition the index does not name is a leftover, removed by the next run.

An output folder of an earlier version keeps one JSON file per release in ``<out>/.cache/``;
the first run reads it once into partitions and removes it.

The store is also the source of the corpus tables: people and organizations are resolved
from the entity index of every stored release, without parsing or reading releases again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Iterable, Iterator, Mapping, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.run import entities
from pipeline.run.tables import from_tuples, strings

STORE = ".store"
LEGACY = ".cache"
INDEX = "index.parquet"
PART_SIZE = 1000        # releases per partition written in one go, and the compaction target
FLUSH_SECONDS = 5.0     # a run's parsed rows reach a partition at least this often
LIGHT_KEYS = ("organization_mentions", "doc_people", "quotes")
KEYS = ("h", "doc_id", "sha", "fingerprint")
INDEX_FIELDS = (*KEYS, "part", "source", "state")
INDEX_SCHEMA = pa.schema([(k, pa.string()) for k in INDEX_FIELDS])
PART_SCHEMA = pa.schema([(k, pa.string()) for k in (*KEYS, "light", "heavy")])


def doc_hash(doc_id: str) -> str:
    """Stable short stand-in for a doc_id (doc_ids may hold '/', '..', spaces…)."""
    return hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Entry(NamedTuple):
    """One stored release: the key it was made under, and the partition holding it (a
    tuple: a corpus of 100,000 releases makes 100,000 of them on every run)."""

    h: str
    doc_id: str
    sha: str
    fingerprint: str
    part: str
    source: str | None = None
    state: str | None = None    # size and mtime of the source file when last read


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class RowStore:
    """The ``.store`` folder of one output folder; used under the folder's lock."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.root = self.out_dir / STORE
        self._index: dict[str, Entry] | None = None
        self._table: pa.Table | None = None  # the index file's columns, as ``_index`` has them
        self._pending: list[dict] = []
        self._oldest = 0.0  # when the oldest buffered release was put

    # ----------------------------------------------------------------- keys

    def index_table(self) -> pa.Table:
        """Every stored release as columns (``INDEX_SCHEMA``, sorted by ``h``): what a run
        compares 100,000 input files with, without an ``Entry`` per release."""
        if self._table is None:
            self._table = _read_index_table(self.root / INDEX)
        return self._table

    def entries(self) -> dict[str, Entry]:
        """Every stored release by doc_id hash (rows still buffered by ``put`` not included)."""
        if self._index is None:
            self._index = {e.h: e for e in entries_of(self.index_table())}
        return dict(self._index)

    def lookup(self, hashes: Iterable[str]) -> dict[str, Entry]:
        """The stored entries of these releases (by doc_id hash) that the index holds."""
        hashes = set(hashes)
        if self._index is not None:
            return {h: self._index[h] for h in hashes if h in self._index}
        table = self.index_table()
        hit = table.filter(pc.is_in(table["h"], strings(sorted(hashes))))
        return {e.h: e for e in entries_of(hit)}

    def part_entries(self, parts: Iterable[str], table: pa.Table | None = None
                     ) -> dict[str, list[Entry]]:
        """The entries of these partitions (of ``table``, a part of the index: all of it by
        default), by partition."""
        table = self.index_table() if table is None else table
        hit = table.filter(pc.is_in(table["part"], strings(sorted(set(parts)))))
        return by_part(entries_of(hit))

    def stored_count(self) -> int:
        """How many releases the index holds, from the file's footer (the index unread)."""
        try:
            return pq.read_metadata(self.root / INDEX).num_rows
        except (OSError, pa.ArrowInvalid):
            return 0

    def _write_index(self, changes: Mapping[str, Entry | None]) -> None:
        """Write the index with ``changes`` (by doc_id hash: the new entry, or None for a
        release gone). Only those become Arrow values here; the rest of the file is carried
        over as columns, so a flush into a store of 100,000 releases does not convert 100,000
        entries (measured: 0.16 s -> 0.08 s a write)."""
        table = self.index_table()
        kept = table.filter(pc.invert(
            pc.is_in(table["h"], strings(sorted(changes)))))
        fresh = _entry_table(e for e in changes.values() if e is not None)
        table = pa.concat_tables([kept, fresh]).sort_by("h").combine_chunks()
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{INDEX}.{os.getpid()}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self.root / INDEX)
        self._table = table
        if self._index is not None:
            for h, e in changes.items():
                if e is None:
                    self._index.pop(h, None)
                else:
                    self._index[h] = e

    # ----------------------------------------------------------------- writing

    def put(self, doc_id: str, sha256: str, fingerprint: str, rows: dict,
            state: str | None = None) -> None:
        """Keep a release's rows; they reach disk with the next ``flush``: once the oldest
        buffered release has waited ``FLUSH_SECONDS`` (counted from its own ``put``, not from
        the start of the run: a run that spent its first seconds reading 100,000 files and
        loading the model would otherwise write its first release alone, and the store's
        whole index with it), or after ``PART_SIZE`` releases. ``state`` is the size and
        time of the file they were read from (``set_sources``)."""
        now = time.monotonic()
        if not self._pending:
            self._oldest = now
        self._pending.append({**_record(doc_id, sha256[:16], fingerprint, rows), "state": state})
        if len(self._pending) >= PART_SIZE or now - self._oldest >= FLUSH_SECONDS:
            self.flush()

    def _buffered(self) -> set[str]:
        """Hashes of the releases whose rows ``put`` holds, not yet on disk."""
        return {r["h"] for r in self._pending}

    def put_many(self, items: Iterable[tuple[str, str, dict]], fingerprint: str) -> None:
        """Store (doc_id, sha256, rows) of many releases at once."""
        for doc_id, sha256, rows in items:
            self._pending.append(_record(doc_id, sha256[:16], fingerprint, rows))
            if len(self._pending) >= PART_SIZE:
                self.flush()
        self.flush()

    def flush(self) -> None:
        """Write the buffered rows as one partition, then commit them in the index."""
        if not self._pending:
            return
        records = list(self._pending)  # kept until committed: a Ctrl-C here loses nothing
        before = self.lookup(r["h"] for r in records)
        name = self._write_part(records)
        changes = {}
        for r in records:
            old = before.get(r["h"])
            state = r.get("state") or (old.state if old is not None and old.sha == r["sha"]
                                       else None)
            changes[r["h"]] = Entry(r["h"], r["doc_id"], r["sha"], r["fingerprint"], name,
                                    r.get("source"), state)
        self._write_index(changes)
        del self._pending[:len(records)]
        self._drop_dead_parts()

    def _write_part(self, records: list[dict]) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        records = sorted(records, key=lambda r: r["doc_id"])
        numbers = [int(p.name[5:11]) for p in self.root.glob("part-*.parquet")
                   if p.name[5:11].isdigit()]
        name = f"part-{max(numbers, default=-1) + 1:06d}.parquet"
        table = pa.table({k: [r[k] for r in records] for k in PART_SCHEMA.names},
                         schema=PART_SCHEMA)
        tmp = self.root / f".{name}.{os.getpid()}.tmp"
        pq.write_table(table, tmp, compression="zstd", row_group_size=64)
        self._write_entities(name, records)
        os.replace(tmp, self.root / name)
        return name

    def _write_entities(self, part: str, records: list[dict]) -> None:
        rows = [row for r in records for row in entities.entity_rows(r["h"], json.loads(r["light"]))]
        ent = self.root / entity_file(part)
        tmp = self.root / f".{ent.name}.{os.getpid()}.tmp"
        entities.write_entities(rows, tmp)
        os.replace(tmp, ent)

    def set_sources(self, sources: dict[str, tuple[str, str | None]]) -> None:
        """Record where each release (by doc_id) was read from this time, and the size and
        time of that file: the documents table follows a release whose file moved without
        it being parsed again, and the next run need not read an untouched file. A release
        whose rows are still buffered is left alone: its record says both, and its stored
        entry (older rows) must not take the new file's size and time."""
        by_h = {doc_hash(doc_id): now for doc_id, now in sources.items()}
        index = self.lookup(by_h)
        buffered = self._buffered()
        changed: dict[str, Entry | None] = {}
        for h, (source, state) in by_h.items():
            e = index.get(h)
            if e is not None and h not in buffered and (e.source, e.state) != (source, state):
                changed[h] = e._replace(source=source, state=state)
        if changed:
            self._write_index(changed)

    def remove(self, hashes: set[str]) -> None:
        """Forget these releases (by doc_id hash)."""
        gone = self.lookup(hashes)
        if not gone:
            return
        self._write_index(dict.fromkeys(gone))
        self._drop_dead_parts()

    def _drop_dead_parts(self) -> None:
        live = set(part_sizes(self.index_table()))
        live |= {entity_file(part) for part in live}
        for p in [*self.root.glob("part-*.parquet"), *self.root.glob("ent-*.parquet")]:
            if p.name not in live:
                p.unlink(missing_ok=True)

    def compact(self) -> None:
        """Write the buffered rows, with the releases of partitions holding fewer than half
        ``PART_SIZE`` live releases: runs that add or change a few releases each would leave
        small partitions behind. A run's last rows and the small partitions before them go
        to disk together, with one write of the index (``set_sources`` writes it as well when
        files moved or were touched)."""
        small = sorted(part for part, n in part_sizes(self.index_table()).items()
                       if n < PART_SIZE // 2)
        if len(small) + bool(self._pending) < 2:
            self.flush()
            return
        live = self.part_entries(small)
        newer = self._buffered()  # their stored rows are older: not kept
        for part in small:
            sources = {e.h: e.source for e in live[part]}
            self._pending.extend({**rec, "source": sources.get(rec["h"])}
                                 for rec in self._records(part, live[part])
                                 if rec["h"] not in newer)
            if len(self._pending) >= PART_SIZE:
                self.flush()
        self.flush()

    # ----------------------------------------------------------------- recovery

    def recover(self) -> None:
        """Drop what a killed run left (temporary files, partitions not in the index) and
        convert a ``.cache`` folder of an earlier version."""
        if self.root.is_dir():
            for p in self.root.glob(".*.tmp"):
                p.unlink(missing_ok=True)
            self._drop_dead_parts()
        legacy = self.out_dir / LEGACY
        if legacy.is_dir():
            self._migrate(legacy)

    def _migrate(self, legacy: Path) -> None:
        newest: dict[str, tuple[float, Path]] = {}
        for p in legacy.glob("*.json"):
            parts = p.name.split(".")
            if len(parts) != 4:
                continue
            mtime = p.stat().st_mtime
            if parts[0] not in newest or mtime >= newest[parts[0]][0]:
                newest[parts[0]] = (mtime, p)
        for _, p in sorted(newest.values(), key=lambda t: t[1].name):
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            rows = data.get("rows") if isinstance(data, dict) else None
            if not rows or not data.get("doc_id"):
                continue
            _, sha, fingerprint, _ = p.name.split(".")
            self._pending.append(_record(data["doc_id"], sha, fingerprint, rows))
            if len(self._pending) >= PART_SIZE:
                self.flush()
        self.flush()
        shutil.rmtree(legacy, ignore_errors=True)

    # ----------------------------------------------------------------- reading

    def _records(self, part: str, entries: list[Entry],
                 columns: tuple[str, ...] = ("light", "heavy")) -> list[dict]:
        """The stored records of ``entries``, all in partition ``part``."""
        try:
            table = pq.ParquetFile(self.root / part).read(columns=[*KEYS, *columns])
        except (OSError, pa.ArrowInvalid):
            return []
        want = {(e.h, e.sha, e.fingerprint) for e in entries}
        cols = {k: table.column(k).to_pylist() for k in table.column_names}
        out = []
        for i, h in enumerate(cols["h"]):
            if (h, cols["sha"][i], cols["fingerprint"][i]) in want:
                out.append({k: v[i] for k, v in cols.items()})
        return out

    def read(self, entries: Iterable[Entry], what: str = "both") -> Iterator[tuple[str, dict]]:
        """(doc_id, rows) of the given releases, read partition by partition; ``what`` is
        ``light`` (what corpus resolve needs), ``heavy`` (the rest) or ``both``."""
        columns = ("light", "heavy") if what == "both" else (what,)
        parts = by_part(entries)
        for part in sorted(parts):
            for rec in self._records(part, parts[part], columns):
                rows: dict = {}
                for c in columns:
                    rows.update(json.loads(rec[c]))
                yield rec["doc_id"], rows

    def all_rows(self) -> Iterator[tuple[str, dict]]:
        """(doc_id, rows) of every stored release."""
        return self.read(self.entries().values())

    def entity_index(self, include: pa.Table,
                     read: Mapping[str, "ReadPart"] | None = None) -> dict[str, pa.Table]:
        """The entity index of the releases ``include`` (rows of the index), by partition.
        A partition stored by an earlier version has no index file yet: it is made once from
        the stored rows. ``read`` holds partitions read earlier (``read_part``), used while
        their files are the same."""
        live = part_sizes(self.index_table())
        out = {}
        for part, n in sorted(part_sizes(include).items()):
            if not (self.root / entity_file(part)).exists():
                records = self._records(part, self.part_entries([part]).get(part, []), ("light",))
                self._write_entities(part, records)
            done = (read or {}).get(part)
            if done is None or done.stamp != _stamp(self.root, part):
                done = self.read_part(part)
            if n == live.get(part, 0) == done.releases:
                out[part] = done.table
            else:
                hs = include.filter(pc.equal(include["part"], part))["h"].to_pylist()
                out[part] = entities.live_only(done.table, set(hs))
        return out

    def read_part(self, part: str) -> "ReadPart":
        """Partition ``part``'s entity rows, all versions, and how many releases it holds."""
        stamp = _stamp(self.root, part)
        try:
            releases = pq.ParquetFile(self.root / part).metadata.num_rows
        except (OSError, pa.ArrowInvalid):
            releases = -1  # not known: the rows are filtered by the live releases
        return ReadPart(stamp, releases, entities.read_entities(self.root / entity_file(part)))


class ReadPart(NamedTuple):
    """A partition's entity rows as read, with the files' identity then (``_stamp``)."""

    stamp: tuple
    releases: int
    table: pa.Table


def _stamp(root: Path, part: str) -> tuple:
    """The identity of a partition's two files (inode, size, time): a partition written again
    under the same name has another."""
    out = []
    for name in (part, entity_file(part)):
        try:
            st = (root / name).stat()
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def _read_index_table(path: Path) -> pa.Table:
    """The index file's columns as ``INDEX_SCHEMA`` (a column an earlier version did not
    write is null); an empty index when there is no readable file."""
    try:
        table = pq.ParquetFile(path).read()  # not read_table: it imports pandas
    except (OSError, pa.ArrowInvalid):
        return INDEX_SCHEMA.empty_table()
    cols = [table.column(k) if k in table.column_names
            else pa.nulls(table.num_rows, pa.string()) for k in INDEX_FIELDS]
    return pa.Table.from_arrays(cols, schema=INDEX_SCHEMA).combine_chunks()


def entries_of(table: pa.Table) -> list[Entry]:
    """Rows of the index as entries (what the runner and partitions handle one by one)."""
    return list(map(Entry._make, zip(*(table.column(k).to_pylist() for k in INDEX_FIELDS))))


def part_sizes(table: pa.Table) -> dict[str, int]:
    """Releases per partition of ``table`` (rows of the index)."""
    counts = pc.value_counts(table["part"])  # not group_by: it loads Acero (0.2 s a run)
    return dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()))


def _entry_table(entries: Iterable[Entry]) -> pa.Table:
    """Index entries as columns, in the index file's order (by ``h``)."""
    return from_tuples(INDEX_SCHEMA, sorted(entries))  # by h, the first field


def by_part(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.part, []).append(e)
    return out


def part_keys(table: pa.Table) -> dict[str, str]:
    """A key per partition of what its rows are made from: each release's doc_id, bytes,
    code fingerprint and current source file (``table``: rows of the index). Hashed from
    the Arrow buffers: no Python string per release, as a run over 100,000 makes this."""
    if table.num_rows == 0:
        return {}
    t = table.sort_by([("part", "ascending"), ("h", "ascending")])
    nul, newline, tab = strings(["\0", "\n", "\t"])  # not Python values: see ``strings``
    lines = pc.binary_join_element_wise(t["h"], t["sha"], t["fingerprint"],
                                        pc.fill_null(t["source"], nul), newline, tab)
    lines = lines.combine_chunks()
    ends = memoryview(lines.buffers()[1]).cast("i")[lines.offset:]
    data = memoryview(lines.buffers()[2])
    out, row = {}, 0
    for part, n in sorted(part_sizes(t).items()):  # the order of ``t``'s rows
        text = data[ends[row]:ends[row + n]]
        out[part] = hashlib.sha256(text).hexdigest()[:24]
        row += n
    return out


def entity_file(part: str) -> str:
    """The entity-index file of partition ``part-NNNNNN.parquet``: ``ent-NNNNNN.parquet``."""
    return "ent-" + part[len("part-"):]


def _record(doc_id: str, sha: str, fingerprint: str, rows: dict) -> dict:
    light = {k: rows.get(k, []) for k in LIGHT_KEYS}
    heavy = {k: v for k, v in rows.items() if k not in LIGHT_KEYS}
    docs = rows.get("documents") or [{}]
    return {"h": doc_hash(doc_id), "doc_id": doc_id, "sha": sha, "fingerprint": fingerprint,
            "light": _dumps(light), "heavy": _dumps(heavy), "source": docs[0].get("source")}
